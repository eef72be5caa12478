"""The affected-count benchmark still runs, at a tiny size, and its two answers agree."""

from __future__ import annotations

from benchmarks.affected_count import report
from benchmarks.affected_count import run_backend


def test_benchmark_runs_and_the_app_agrees_with_raw_sql(session, backend) -> None:
    # 2,000 points, 2.5 % of them (50) generated inside the zone; measure() refuses to time
    # calls whose answers differ, so getting a result at all means app == raw in every run.
    result = run_backend(session, 2000, 0.025, vertices=300, repeat=2)
    addresses, dwellings, vulnerable, unknown = result.answer
    assert addresses == 50
    assert 0 < unknown < addresses
    assert addresses - unknown <= dwellings <= 12 * (addresses - unknown)
    assert len(result.app_ms) == len(result.raw_ms) == 2
    table = report([result], repeat=2)
    assert f"| {result.backend} | 2,000 | 50 |" in table
    assert result.backend == {"sqlite": "SQLite", "postgis": "PostGIS"}[backend]
