"""wrk runs of the surge benchmark: a bounded run against one URL, its output read into numbers."""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass

from benchmarks.surge_nginx import require_binary

UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}
# What a browser sends: the app compresses and chooses the language as it would for a visitor.
BROWSER_HEADERS = {
    "Accept-Encoding": "gzip, deflate, br",
    "Accept-Language": "nb-NO,nb;q=0.9,no;q=0.8,en;q=0.5",
}


@dataclass(frozen=True)
class WrkRun:
    """One run's requests per second, latency percentiles (ms) and failures."""

    rps: float
    p50_ms: float
    p99_ms: float
    requests: int
    non_2xx_3xx: int
    socket_errors: int


def run_wrk(url: str, *, seconds: float, connections: int = 64, threads: int = 2) -> WrkRun:
    """wrk for `seconds` on keep-alive connections, with the latency distribution."""
    wrk = require_binary("wrk", "wrk")
    command = [wrk, f"-t{threads}", f"-c{connections}", f"-d{max(1, round(seconds))}s"]
    command += ["--latency", "--timeout", "10s"]
    for name, value in BROWSER_HEADERS.items():
        command += ["-H", f"{name}: {value}"]
    done = subprocess.run(
        [*command, url], capture_output=True, text=True, timeout=seconds + 60, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"wrk failed on {url}: {done.stderr or done.stdout}")
    return parse_wrk(done.stdout)


def _ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value).groups()  # type: ignore[union-attr]
    return float(number) * UNITS[unit]


def parse_wrk(output: str) -> WrkRun:
    """The numbers of wrk's --latency report."""
    percent = dict(re.findall(r"^\s+(50|99)(?:\.0+)?%\s+(\S+)\s*$", output, re.MULTILINE))
    requests = re.search(r"^\s+(\d+) requests in", output, re.MULTILINE)
    rps = re.search(r"^Requests/sec:\s+([\d.]+)", output, re.MULTILINE)
    if not (requests and rps and "50" in percent and "99" in percent):
        raise RuntimeError(f"unreadable wrk output:\n{output}")
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    done = int(requests.group(1))
    return WrkRun(
        rps=float(rps.group(1)),
        # No request finished within the run: its latencies are unknown, not zero.
        p50_ms=_ms(percent["50"]) if done else float("nan"),
        p99_ms=_ms(percent["99"]) if done else float("nan"),
        requests=done,
        non_2xx_3xx=int(bad.group(1)) if bad else 0,
        socket_errors=sum(int(n) for n in errors.groups()) if errors else 0,
    )
