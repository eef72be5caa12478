"""One scenario per protocol steps 1-7, deterministic from (network, scenario seed), cached.

Scenario `index` of a run starting at `seed` uses the scenario seed `seed + index`, so a seed range
(1000-1299 for tuning, 2000 on for the report) names a fixed set of scenarios whatever the batch.
Batches are kept as one .jsonl per network and seed range under the output directory.
"""

from __future__ import annotations

import json
import logging
import multiprocessing
import time
import warnings
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks.leaks import networks
from benchmarks.leaks.hydraulics import OK
from benchmarks.leaks.hydraulics import simulate_break
from benchmarks.leaks.reports import in_random_order
from benchmarks.leaks.reports import leak_seen
from benchmarks.leaks.reports import resident_reports
from statusmap.network.households import households_per_junction

DEFAULT_OUT = Path(__file__).resolve().parent / "out"
ATTEMPTS = 5  # a model EPANET cannot solve takes the next break from the same stream


def make_scenario(name: str, seed: int) -> dict[str, Any]:
    """The truth and the report sequence of one scenario."""
    started = time.perf_counter()
    network = networks.load(name)
    rng = np.random.default_rng([networks.name_code(name), seed])
    for attempt in range(ATTEMPTS):
        try:
            found, states = simulate_break(network.wn, rng)
            break
        except Exception:  # EPANET's failures come as many kinds
            if attempt == ATTEMPTS - 1:
                raise
    households = households_per_junction(network)
    factor = network.units_to_m
    reports, scale = resident_reports(network.junction_xy_m, households, states, rng)
    reports += leak_seen((found.xy[0] * factor, found.xy[1] * factor), rng)
    affected = [i for i, state in enumerate(states) if state != OK]
    return {
        "network": name,
        "seed": seed,
        "pipe": found.pipe,
        "split_at": found.split_at,
        "break_xy": list(found.xy),
        "f": found.f,
        "leak_lps": found.leak_m3s * 1000.0,
        "households_affected": int(households[affected].sum()) if affected else 0,
        "junctions_no_water": sum(s == "no_water" for s in states),
        "junctions_low_pressure": sum(s == "low_pressure" for s in states),
        "rate_factor": scale,
        "reports": in_random_order(reports, factor, rng),
        "seconds": round(time.perf_counter() - started, 4),
    }


def _quiet() -> None:
    logging.getLogger("wntr").setLevel(logging.ERROR)
    warnings.filterwarnings("ignore")


def _make(job: tuple[str, int]) -> dict[str, Any]:
    return make_scenario(*job)


def batch_path(out: Path, name: str, seed: int, count: int) -> Path:
    return out / f"{name}_{seed}-{seed + count - 1}.jsonl"


def cached(out: Path, name: str, seed: int, count: int) -> list[dict[str, Any]] | None:
    """Scenarios seed..seed+count-1 from any kept batch of the network that covers them."""
    for path in sorted(out.glob(f"{name}_*-*.jsonl")):
        first, last = (int(x) for x in path.stem.rsplit("_", 1)[1].split("-"))
        if first <= seed and seed + count - 1 <= last:
            with path.open(encoding="utf-8") as lines:
                rows = [json.loads(line) for line in lines]
            return rows[seed - first : seed - first + count]
    return None


def generate(
    name: str, seed: int, count: int, out: Path = DEFAULT_OUT, processes: int = 2
) -> tuple[list[dict[str, Any]], float | None]:
    """The batch (kept or made now), and seconds per scenario when it was made now."""
    kept = cached(out, name, seed, count)
    if kept is not None:
        return kept, None
    networks.load(name)  # loaded once before the workers fork
    jobs = [(name, seed + i) for i in range(count)]
    started = time.perf_counter()
    with multiprocessing.get_context("fork").Pool(processes, initializer=_quiet) as pool:
        rows = list(pool.imap(_make, jobs, chunksize=4))
    per_scenario = (time.perf_counter() - started) / max(count, 1)
    out.mkdir(parents=True, exist_ok=True)
    path = batch_path(out, name, seed, count)
    partial = path.with_suffix(".part")
    partial.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    partial.replace(path)
    return rows, per_scenario


def main() -> None:
    """Generate (or find kept) batches: `python -m benchmarks.leaks.scenarios ky4,demo 1000 300`."""
    import sys

    names, seed, count = sys.argv[1].split(","), int(sys.argv[2]), int(sys.argv[3])
    for name in names:
        rows, per_scenario = generate(name, seed, count)
        made = "kept" if per_scenario is None else f"{per_scenario:.3f} s per scenario"
        print(f"{name}: {len(rows)} scenarios from seed {seed} ({made})", flush=True)


if __name__ == "__main__":
    main()
