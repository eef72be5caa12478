"""Concurrent report clients for the concurrency test and the ingestion benchmark: processes,
each with many threads, each POSTing JSON reports to the API; every answer's status counted."""

from __future__ import annotations

import json
import multiprocessing
import urllib.error
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from typing import Any

KINDS = ("no_water", "low_pressure", "discoloured_water", "leak_seen", "sewer", "water_ok")


def report_body(n: int, lon: float, lat: float) -> dict[str, object]:
    """Report number n: a kind by n, a text unique to n, a point near (lon, lat)."""
    return {
        "kind": KINDS[n % len(KINDS)],
        "lon": round(lon + (n % 40) * 0.0002, 6),
        "lat": round(lat + (n // 40 % 40) * 0.0001, 6),
        "text": f"rapport nummer {n}",
    }


def _send(url: str, n: int, lon: float, lat: float) -> int:
    """POST one report as its own client (X-Forwarded-For: one address per report)."""
    data = json.dumps(report_body(n, lon, lat)).encode()
    forwarded = f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}"
    request = urllib.request.Request(
        url,
        data=data,
        method="POST",
        headers={"Content-Type": "application/json", "X-Forwarded-For": forwarded},
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)
    except OSError:
        return -1  # no answer at all


def _client(args: tuple[str, list[int], float, float, int]) -> dict[int, int]:
    url, numbers, lon, lat, threads = args
    with ThreadPoolExecutor(threads) as pool:
        return dict(Counter(pool.map(lambda n: _send(url, n, lon, lat), numbers)))


def client_pool(processes: int) -> Any:
    """Client processes, started once: a benchmark times the sending, not their start-up."""
    return multiprocessing.get_context("spawn").Pool(processes)


def send_reports(
    url: str,
    count: int,
    lon: float,
    lat: float,
    *,
    processes: int = 4,
    threads: int = 8,
    first: int = 0,
    pool: Any = None,
) -> Counter[int]:
    """Send reports first..first+count-1 (each from its own client) from `processes` processes
    of `threads` threads each (in `pool`, if given); the statuses answered (-1: no answer)."""
    shares = [
        (url, list(range(first + p, first + count, processes)), lon, lat, threads)
        for p in range(processes)
    ]
    if pool is not None:
        results = pool.map(_client, shares)
    else:
        with client_pool(processes) as own:
            results = own.map(_client, shares)
    total: Counter[int] = Counter()
    for result in results:
        total.update(result)
    return total
