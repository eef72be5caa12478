"""`statusmap locate` on a .jsonl batch must rank the same top pipe as the in-process call."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from benchmarks.leaks import networks

RUN_CLI = "from statusmap.cli import main; main()"


def command_answers(name: str, batch: list[dict[str, Any]], top: int) -> list[dict[str, Any]]:
    """The command's answers, one per FeatureCollection of the batch."""
    path, factor = networks.network_source(name)
    with tempfile.TemporaryDirectory(prefix="leakbench-contract-") as workdir:
        reports = Path(workdir) / "reports.jsonl"
        reports.write_text("".join(json.dumps(fc) + "\n" for fc in batch), encoding="utf-8")
        valves = networks.write_valves_csv(name, Path(workdir) / "valves.csv")
        arguments = ["locate", "--network", str(path), "--units-to-m", repr(factor)]
        arguments += ["--valves", str(valves), "--reports", str(reports), "--top", str(top)]
        done = subprocess.run(
            [sys.executable, "-c", RUN_CLI, *arguments],
            cwd=networks.ROOT,
            capture_output=True,
            text=True,
            timeout=1800,
        )
    if done.returncode != 0:
        raise RuntimeError(f"statusmap locate exited {done.returncode}: {done.stderr.strip()}")
    return [json.loads(line) for line in done.stdout.splitlines() if line.strip()]


def check(name: str, batch: list[dict[str, Any]], in_process: list[dict[str, Any]]) -> str:
    """One line saying whether the command agrees with the in-process answers."""
    try:
        answers = command_answers(name, batch, top=5)
    except (RuntimeError, subprocess.TimeoutExpired, json.JSONDecodeError) as error:
        return f"CONTRACT FAILURE on {name}: {error}"
    if len(answers) != len(batch):
        return f"CONTRACT FAILURE on {name}: {len(answers)} answers for {len(batch)} scenarios"
    wrong = [
        i
        for i, (cli, ours) in enumerate(zip(answers, in_process, strict=True))
        if cli["pipes"][0]["id"] != ours["pipes"][0]["id"]
    ]
    if wrong:
        return f"CONTRACT MISMATCH on {name}: top pipe differs in scenarios {wrong} of {len(batch)}"
    return f"{name}: `statusmap locate` gave the same top pipe on all {len(batch)} scenarios"
