"""The markdown report: counts, scores with bootstrap intervals, paired differences, ROC AUC."""

from __future__ import annotations

import os
import platform
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks import docs_section
from benchmarks.leaks import stats
from benchmarks.leaks.evaluate import Outcome
from benchmarks.leaks.evaluate import asked
from benchmarks.leaks.scoring import as_array

HEADING = "## Leak localisation"
SHARES = ("within_300", "top1", "top5", "top10", "segment_top1", "segment_top3")


def machine() -> str:
    """nproc and the CPU model, from /proc/cpuinfo."""
    model = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} cores (nproc), {model}, Python {platform.python_version()}"


def cell(value: tuple[float, float, float], scale: float = 1.0, digits: int = 0) -> str:
    centre, low, high = (v * scale for v in value)
    return f"{centre:.{digits}f} [{low:.{digits}f}, {high:.{digits}f}]"


def selected(rows: list[dict[str, Any]], **match: Any) -> list[dict[str, Any]]:
    return [row for row in rows if all(row[key] == value for key, value in match.items())]


def counts_table(scenarios: dict[str, list[dict[str, Any]]], ks: list[int]) -> list[str]:
    """How many scenarios each K scores, and how many are false alarms or undetectable."""
    lines = ["| network | scenarios | break affects households | K | scored | false alarms |"]
    lines.append("|---|---|---|---|---|---|")
    for name, rows in scenarios.items():
        affected = sum(row["households_affected"] > 0 for row in rows)
        for k in ks:
            labels = [label for _s, _c, label in asked(rows, k)]
            scored, alarms = labels.count("scored"), labels.count("false_alarm")
            lines.append(f"| {name} | {len(rows)} | {affected} | {k} | {scored} | {alarms} |")
    return lines


def score_line(name: str, k: int, kind: str, rows: list[dict[str, Any]]) -> str:
    """One table row: a localiser's scores at one K with 95 % intervals."""
    cells = [cell(stats.interval(as_array(rows, "distance_m"), stats.median))]
    cells.append(cell(stats.interval(as_array(rows, "distance_m"), stats.p90)))
    cells += [cell(stats.interval(as_array(rows, key)), 100.0, 1) for key in SHARES]
    cells.append(cell(stats.interval(as_array(rows, "inspected")), 100.0, 1))
    times = as_array(rows, "query_s") * 1000.0
    cells.append(f"{np.median(times):.1f} / {times.max():.0f}")
    return f"| {name} | {k} | {kind} | {len(rows)} | " + " | ".join(cells) + " |"


def scores_table(outcomes: list[Outcome], ks: list[int], kinds: list[str]) -> list[str]:
    lines = [
        "| network | K | localiser | scored | median m | p90 m | within 300 m % | top-1 % "
        "| top-5 % | top-10 % | segment top-1 % | segment top-3 % | inspected length % "
        "| query ms (median / max) |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for outcome in outcomes:
        for k in ks:
            for kind in kinds:
                rows = selected(outcome.rows, k=k, localiser=kind, **{"class": "scored"})
                if rows:
                    lines.append(score_line(outcome.name, k, kind, rows))
    return lines


def within_by_seed(rows: list[dict[str, Any]], k: int, kind: str) -> dict[int, float]:
    scored = selected(rows, k=k, localiser=kind, **{"class": "scored"})
    return {row["seed"]: float(row["within_300"]) for row in scored}


def paired_table(outcomes: list[Outcome], ks: list[int], kinds: list[str]) -> list[str]:
    """Ours minus each baseline on the within-300 m share, resampled as pairs."""
    others = [kind for kind in ("A2", "A") if kind in kinds]
    if "ours" not in kinds or not others:
        return []
    lines = ["| network | K | " + " | ".join(f"ours − {o} (points)" for o in others) + " |"]
    lines.append("|---|---|" + "---|" * len(others))
    for outcome in outcomes:
        for k in ks:
            ours = within_by_seed(outcome.rows, k, "ours")
            cells = []
            for other in others:
                theirs = within_by_seed(outcome.rows, k, other)
                seeds = sorted(set(ours) & set(theirs))  # the same scenarios, as pairs
                difference = stats.paired_difference(
                    np.array([ours[s] for s in seeds]), np.array([theirs[s] for s in seeds])
                )
                cells.append(cell(difference, 100.0, 1))
            lines.append(f"| {outcome.name} | {k} | " + " | ".join(cells) + " |")
    return lines


def auc_table(outcomes: list[Outcome], ks: list[int], kinds: list[str]) -> list[str]:
    """How well each localiser's confidence separates scored scenarios from false alarms."""
    lines = [
        "| network | K | localiser | scored | false alarms | ROC AUC |",
        "|---|---|---|---|---|---|",
    ]
    for outcome in outcomes:
        for k in ks:
            for kind in kinds:
                rows = selected(outcome.rows, k=k, localiser=kind)
                if not rows or rows[0]["confidence"] is None:
                    continue
                good = as_array(selected(rows, **{"class": "scored"}), "confidence")
                bad = as_array(selected(rows, **{"class": "false_alarm"}), "confidence")
                value = cell(stats.auc_interval(good, bad), 1.0, 3) if len(bad) else "-"
                lines.append(
                    f"| {outcome.name} | {k} | {kind} | {len(good)} | {len(bad)} | {value} |"
                )
    return lines if len(lines) > 2 else []


def write_section(body: str, command: str) -> None:
    """Replace (or add) the leak section of docs/benchmarks.md."""
    docs_section.write_section(HEADING, body, command)
