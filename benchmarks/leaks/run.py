"""The leak benchmark: generate (or reuse) scenarios, ask each localiser at each K, report.

    python -m benchmarks.leaks.run --networks ky4,ky10,demo --seed 2000 --scenarios 1300 \\
        --k 3,5,10 --localisers ours,A,A2 [--write]

Tuning is honest only on other seeds than the report's: the lead chooses the method on seeds
1000-1299 (`--tune` runs exactly those, and never writes the docs); reported seeds start at 2000.
"""

from __future__ import annotations

import argparse
import json
import shlex
import sys
from pathlib import Path
from typing import Any

import wntr

from benchmarks.leaks import report
from benchmarks.leaks import scenarios as generator
from benchmarks.leaks.evaluate import Outcome
from benchmarks.leaks.evaluate import evaluate
from benchmarks.leaks.networks import NETWORK_NAMES
from benchmarks.leaks.networks import network_source

TUNING_SEED, TUNING_COUNT, REPORT_SEED = 1000, 300, 2000


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--networks", default=",".join(NETWORK_NAMES))
    parser.add_argument("--seed", type=int, default=REPORT_SEED)
    parser.add_argument("--scenarios", type=int, default=1300)
    parser.add_argument("--k", default="3,5,10")
    parser.add_argument("--localisers", default="ours,A,A2")
    parser.add_argument("--out", type=Path, default=generator.DEFAULT_OUT)
    parser.add_argument("--tune", action="store_true", help="the tuning seeds 1000-1299 only")
    parser.add_argument("--write", action="store_true", help="replace the docs section")
    args = parser.parse_args()
    if args.tune:
        args.seed, args.scenarios = TUNING_SEED, TUNING_COUNT
        if args.write:
            parser.error("--tune results are for choosing the method, never for the docs")
    elif args.write and args.seed < REPORT_SEED:
        parser.error(f"reported seeds start at {REPORT_SEED}: seeds below are for tuning")
    return args


def save_raw(out: Path, outcome: Outcome, seed: int, count: int) -> Path:
    """Every per-scenario result as JSON beside the scenarios, for later analysis."""
    path = out / f"{outcome.name}_{seed}-{seed + count - 1}_results.json"
    data = {"network": outcome.name, "seed": seed, "scenarios": count}
    data |= {"prepare_s": outcome.prepare_s, "contract": outcome.contract, "rows": outcome.rows}
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def generation_line(name: str, rows: list[dict[str, Any]], wall: float | None) -> str:
    cpu = sum(row["seconds"] for row in rows) / max(len(rows), 1)
    made = f"{wall:.3f} s wall (2 processes)" if wall is not None else "kept from an earlier run"
    return f"- {name}: {cpu:.3f} s per scenario in one process; this batch {made}"


def body(args: argparse.Namespace, batches: dict[str, Any], outcomes: list[Outcome]) -> str:
    ks, kinds = [int(k) for k in args.k.split(",")], args.localisers.split(",")
    last = args.seed + args.scenarios - 1
    seeds = "TUNING seeds (not for the report)" if args.tune else "report seeds"
    lines = [
        f"Protocol: /work/shared/LEAK_BENCHMARK.md. Scenario seeds {args.seed}-{last} ({seeds}); "
        f"the method is tuned on seeds {TUNING_SEED}-{TUNING_SEED + TUNING_COUNT - 1} only, "
        f"reported seeds start at {REPORT_SEED}. Each scenario's random stream is seeded with "
        "(CRC32 of the network's name, scenario seed); the valve layer is wntr's strategic N-2 "
        "layer with seed 11 on the unperturbed model. Intervals: percentile bootstrap over "
        "scenarios, 2,000 resamples, seed 20261202.",
        "",
        f"Machine: {report.machine()}; wntr {wntr.__version__}.",
        "",
        "Scenario generation:",
        *[generation_line(n, rows, wall) for n, (rows, wall) in batches.items()],
        "",
        *report.counts_table({n: rows for n, (rows, _w) in batches.items()}, ks),
        "",
        "Scores over the scored scenarios (distances from the top pipe's midpoint to the break; "
        "within 300 m is along the network):",
        "",
        *report.scores_table(outcomes, ks, kinds),
    ]
    paired = report.paired_table(outcomes, ks, kinds)
    if paired:
        lines += ["", "Paired difference on the within-300 m share:", "", *paired]
    aucs = report.auc_table(outcomes, ks, kinds)
    if aucs:
        lines += ["", "Confidence, scored scenarios against the false-alarm set:", "", *aucs]
    lines += ["", *extra_lines(outcomes)]
    return "\n".join(lines)


def extra_lines(outcomes: list[Outcome]) -> list[str]:
    lines = []
    for outcome in outcomes:
        prepared = ", ".join(f"{k} {v:.2f} s" for k, v in outcome.prepare_s.items())
        lines.append(f"- {outcome.name}: preparation (no cache) {prepared}")
        if outcome.contract:
            lines.append(f"- {outcome.contract}")
    return lines


def main() -> None:
    args = arguments()
    names = args.networks.split(",")
    for name in names:
        try:
            network_source(name)  # unknown names fail before any work
        except ValueError as error:
            raise SystemExit(str(error)) from None
    ks, kinds = [int(k) for k in args.k.split(",")], args.localisers.split(",")
    batches, outcomes = {}, []
    for name in names:
        batches[name] = generator.generate(name, args.seed, args.scenarios, args.out)
        outcome = evaluate(name, batches[name][0], ks, kinds)
        if "MISMATCH" in outcome.contract or "FAILURE" in outcome.contract:
            print(f"!!! {outcome.contract}", file=sys.stderr)
        save_raw(args.out, outcome, args.seed, args.scenarios)
        outcomes.append(outcome)
    command = "python -m benchmarks.leaks.run " + shlex.join(sys.argv[1:])
    text = body(args, batches, outcomes)
    print(f"{report.HEADING}\n\nCommand: `{command}`\n\n{text}")
    if args.write:
        report.write_section(text, command)


if __name__ == "__main__":
    main()
