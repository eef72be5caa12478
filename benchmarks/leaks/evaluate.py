"""Protocol step 6: ask each localiser at the K-th positive report and score its answer."""

from __future__ import annotations

import time
from dataclasses import dataclass
from dataclasses import field
from typing import Any

from benchmarks.leaks import contract
from benchmarks.leaks import localisers
from benchmarks.leaks import networks
from benchmarks.leaks.reports import feature_collection
from benchmarks.leaks.reports import positives_reached
from benchmarks.leaks.scoring import Geometry
from benchmarks.leaks.scoring import score

ALL_PIPES = 10**6  # every pipe ranked, for the inspected length
CONTRACT_SCENARIOS = 5
CONTRACT_K = 5


@dataclass
class Outcome:
    """One network's per-scenario results, preparation times and the contract check."""

    name: str
    rows: list[dict[str, Any]] = field(default_factory=list)
    prepare_s: dict[str, float] = field(default_factory=dict)
    contract: str = ""


def asked(scenarios: list[dict[str, Any]], k: int) -> list[tuple[dict[str, Any], int, str]]:
    """Scenarios that reach K: (scenario, reports so far, 'scored' or 'false_alarm')."""
    chosen = []
    for scenario in scenarios:
        count = positives_reached(scenario["reports"], k)
        if count is not None:
            kind = "scored" if scenario["households_affected"] > 0 else "false_alarm"
            chosen.append((scenario, count, kind))
    return chosen


def run_localiser(
    kind: str, outcome: Outcome, scenarios: list[dict[str, Any]], ks: list[int], geo: Geometry
) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """Every answer of one localiser; returns (reports, answer) of the contract's sample."""
    locate, outcome.prepare_s[kind] = localisers.build(kind, outcome.name)
    sample: list[tuple[dict[str, Any], dict[str, Any]]] = []
    for k in ks:
        for scenario, count, label in asked(scenarios, k):
            reports = feature_collection(scenario["reports"][:count])
            started = time.perf_counter()
            answer = locate(reports, ALL_PIPES)
            seconds = time.perf_counter() - started
            row = {"seed": scenario["seed"], "k": k, "localiser": kind, "class": label}
            row |= {"reports": count, "query_s": seconds, **score(answer, scenario, geo)}
            outcome.rows.append(row)
            if k == CONTRACT_K and label == "scored" and len(sample) < CONTRACT_SCENARIOS:
                sample.append((reports, answer))
    return sample


def evaluate(
    name: str, scenarios: list[dict[str, Any]], ks: list[int], kinds: list[str]
) -> Outcome:
    """All localisers on one network's scenarios, and the command's contract when ours runs."""
    outcome = Outcome(name=name)
    geo = Geometry(networks.load(name))
    for kind in kinds:
        sample = run_localiser(kind, outcome, scenarios, ks, geo)
        if kind == "ours" and sample:
            outcome.contract = contract.check(name, [r for r, _ in sample], [a for _, a in sample])
    return outcome
