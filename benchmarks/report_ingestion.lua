-- wrk's requests for the report ingestion benchmark (benchmarks/report_ingestion.py): every
-- request a new report (as tests/integration/report_clients.report_body(n) makes number n),
-- each from its own client address. Arguments after "--": the first report number, the number
-- of wrk threads, and the base longitude and latitude.

local kinds = { "no_water", "low_pressure", "discoloured_water", "leak_seen", "sewer", "water_ok" }
local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  stride = tonumber(args[2])
  n = tonumber(args[1]) + id - stride
  lon0, lat0 = tonumber(args[3]), tonumber(args[4])
end

function request()
  n = n + stride
  local body = string.format(
    '{"kind": "%s", "lon": %.6f, "lat": %.6f, "text": "rapport nummer %d"}',
    kinds[n % #kinds + 1], lon0 + (n % 40) * 0.0002, lat0 + (math.floor(n / 40) % 40) * 0.0001, n
  )
  local forwarded = string.format(
    "10.%d.%d.%d", math.floor(n / 65536) % 256, math.floor(n / 256) % 256, n % 256
  )
  return wrk.format("POST", nil, {
    ["Content-Type"] = "application/json",
    ["X-Forwarded-For"] = forwarded,
  }, body)
end

-- Every answer counted by its status, per thread; done() prints the sums for the benchmark.
answers = {}

function response(status, headers, body)
  answers[status] = (answers[status] or 0) + 1
end

function done(summary, latency, requests)
  local total = {}
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("answers")) do
      total[status] = (total[status] or 0) + count
    end
  end
  for status, count in pairs(total) do
    io.write(string.format("status %d: %d\n", status, count))
  end
end
