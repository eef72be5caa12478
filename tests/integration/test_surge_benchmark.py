"""The surge benchmark still works, at a tiny size: every URL on every server, sane numbers, the
poll through the micro-cache, and nothing left running (a harness test, not a timed one)."""

from __future__ import annotations

import json
import math
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.surge_report import RATIOS
from benchmarks.surge_report import SERVERS
from statusmap import ROOT

TARGETS = {"GeoJSON", "incident page", "affected"}


def _leftovers() -> list[str]:
    ps = subprocess.run(["ps", "-eo", "args"], capture_output=True, text=True, check=True).stdout
    return [line for line in ps.splitlines() if "public-surge-" in line or "surge_bare" in line]


@pytest.fixture
def tools() -> None:
    for binary in ("nginx", "wrk"):
        if not shutil.which(binary, path="/usr/sbin:/usr/bin"):
            from tests.setup_summary import skip_missing

            skip_missing(f"{binary} is not installed (scripts/provision installs it)", binary)


@pytest.mark.usefixtures("tools")
def test_the_surge_benchmark_reports_every_target(postgis_server: str, tmp_path: Path) -> None:
    out = tmp_path / "surge.json"
    command = [sys.executable, "-m", "benchmarks.public_surge", "--postgis-url", postgis_server]
    command += ["--duration", "1", "--rounds", "1", "--json", str(out)]
    command += ["--poll-pages", "200", "--poll-interval", "1", "--poll-seconds", "3"]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(out.read_text())

    rows = {(row["target"], row["server"]): row for row in result["results"]}
    assert {target for target, _ in rows} >= TARGETS
    for target in {target for target, _ in rows}:
        for server in SERVERS:
            row = rows[(target, server)]
            assert row["requests"] > 0 and row["rps"] > 0, row
            assert 0 < row["p50_ms"] <= row["p99_ms"] < 60_000, row
            assert row["non_2xx_3xx"] == 0, row
        # Serving bytes from a file beats the framework, which beats (or ties) the app.
        assert rows[(target, "nginx static")]["rps"] > rows[(target, "bare Flask")]["rps"]
    ratios = {(r["target"], r["ratio"]): r for r in result["ratios"]}
    assert set(ratios) == {(t, name) for t, _ in rows for name, _, _ in RATIOS}
    assert all(r["rps"] > 0 and math.isfinite(r["p99"]) for r in ratios.values())

    poll = result["poll"]
    assert poll["pages"] == 200 and poll["server_errors"] == 0 and poll["failures"] == 0
    # 200 pages every second (±20 %) for 3 s, each first asking at a random moment of its first
    # second: 2 to 4 requests each.
    assert 2 * 200 <= poll["requests"] <= 4 * 200
    assert poll["statuses"] == {"200": poll["requests"]}
    assert 0 < poll["p50_ms"] <= poll["p99_ms"]

    table = done.stdout
    assert "| URL | served by | req/s | p50 ms | p99 ms |" in table
    assert "| GeoJSON | microcache |" in table and "Live updates: 200 open pages" in table
    assert all(f"Note: {note}." in table for note in result["notes"])
    assert not _leftovers()
