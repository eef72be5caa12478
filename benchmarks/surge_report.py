"""The surge benchmark's results: medians, ratios, the poll's numbers, as JSON and as markdown."""

from __future__ import annotations

import argparse
import os
import statistics
from dataclasses import asdict
from dataclasses import dataclass
from datetime import UTC
from datetime import datetime

from benchmarks.affected_count import machine
from benchmarks.surge_poll import PollResult
from benchmarks.surge_poll import percentile
from benchmarks.surge_targets import Target
from benchmarks.surge_wrk import WrkRun

SERVERS = ("app", "bare Flask", "nginx static", "microcache")
# (ratio name, measured server, reference server)
RATIOS = (
    ("app / bare Flask", "app", "bare Flask"),
    ("app / nginx static", "app", "nginx static"),
    ("microcache / nginx static", "microcache", "nginx static"),
)


@dataclass(frozen=True)
class Measured:
    """Every wrk run of one URL on one server."""

    target: Target
    server: str
    runs: list[WrkRun]


def _medians(measured: Measured) -> dict:
    runs = measured.runs
    return {
        "target": measured.target.name,
        "path": measured.target.path,
        "server": measured.server,
        "rps": statistics.median(r.rps for r in runs),
        "p99_ms": statistics.median(r.p99_ms for r in runs),
        "p50_ms": statistics.median(r.p50_ms for r in runs),
        "requests": sum(r.requests for r in runs),
        "non_2xx_3xx": sum(r.non_2xx_3xx for r in runs),
        "socket_errors": sum(r.socket_errors for r in runs),
        "runs": [asdict(r) for r in runs],
    }


def _ratios(rows: list[dict]) -> list[dict]:
    """Per URL: requests/s as a share of the reference's (1 = as fast), p99 as a multiple."""
    found = {(row["target"], row["server"]): row for row in rows}
    ratios = []
    for target in dict.fromkeys(row["target"] for row in rows):
        for name, measured, reference in RATIOS:
            ours, theirs = found[(target, measured)], found[(target, reference)]
            ratios.append(
                {
                    "target": target,
                    "ratio": name,
                    "rps": _share(ours["rps"], theirs["rps"]),
                    "p99": _share(ours["p99_ms"], theirs["p99_ms"]),
                }
            )
    return ratios


def _share(ours: float, theirs: float) -> float:
    return ours / theirs if theirs else float("nan")


def _poll_summary(result: PollResult, path: str) -> dict:
    return {
        "path": path,
        "pages": result.pages,
        "interval_s": result.interval_s,
        "seconds": result.seconds,
        "requests": result.requests,
        "statuses": {str(k): v for k, v in sorted(result.statuses.items())},
        "server_errors": result.server_errors,
        "failures": result.failures,
        "p50_ms": percentile(result.latencies_ms, 0.50),
        "p99_ms": percentile(result.latencies_ms, 0.99),
        "max_ms": max(result.latencies_ms, default=float("nan")),
    }


def summary(
    args: argparse.Namespace,
    measured: list[Measured],
    notes: list[str],
    polled: PollResult,
    polled_path: str,
) -> dict:
    """Everything the run found, JSON-ready."""
    rows = [_medians(m) for m in measured]
    return {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "settings": {
            "duration_s": args.duration,
            "rounds": args.rounds,
            "connections": args.connections,
            "gunicorn": "2 sync workers, access log (as the Procfile)",
            # Other work on the machine: the 1-minute load average before and after the run.
            "load_average": [getattr(args, "load_at_start", None), os.getloadavg()[0]],
        },
        "notes": notes,
        "results": rows,
        "ratios": _ratios(rows),
        "poll": _poll_summary(polled, polled_path),
    }


def _loads(settings: dict) -> str:
    return " / ".join("?" if n is None else f"{n:.1f}" for n in settings.get("load_average", []))


def report(result: dict) -> str:
    """Markdown: medians per URL and server, the ratios, the poll, the notes."""
    lines = [
        "| URL | served by | req/s | p50 ms | p99 ms | non-2xx/3xx | socket errors |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in result["results"]:
        lines.append(
            f"| {row['target']} | {row['server']} | {row['rps']:,.0f} | {row['p50_ms']:.2f} | "
            f"{row['p99_ms']:.2f} | {row['non_2xx_3xx']} | {row['socket_errors']} |"
        )
    lines += ["", "| URL | ratio | req/s ratio (aim ≥ 0.8) | p99 ratio (lower is better) |"]
    lines.append("| --- | --- | ---: | ---: |")
    for ratio in result["ratios"]:
        lines.append(
            f"| {ratio['target']} | {ratio['ratio']} | {ratio['rps']:.2f} | {ratio['p99']:.2f} |"
        )
    poll = result["poll"]
    lines += [
        "",
        f"Live updates: {poll['pages']:,} open pages polling `{poll['path']}` through the "
        f"micro-cache every {poll['interval_s']:g} s (±20 %) for {poll['seconds']:g} s: "
        f"{poll['requests']:,} requests, {poll['server_errors']} answered 5xx, "
        f"{poll['failures']} without an answer; p50 {poll['p50_ms']:.1f} ms, "
        f"p99 {poll['p99_ms']:.1f} ms, max {poll['max_ms']:.1f} ms "
        f"(statuses: {', '.join(f'{k}: {v:,}' for k, v in poll['statuses'].items())}).",
        "",
    ]
    lines += [f"Note: {note}." for note in result["notes"]]
    settings = result["settings"]
    lines += [
        "",
        f"wrk: {settings['connections']} connections, 2 threads, {settings['duration_s']:g} s per "
        f"run, {settings['rounds']} rounds round-robin over every URL and server (medians shown); "
        f"gunicorn: {settings['gunicorn']}; PostGIS; all on loopback on one machine.",
        f"Machine: {result['machine']}; 1-minute load average {_loads(settings)} "
        f"(before, after). Date: {result['date']}.",
    ]
    return "\n".join(lines)
