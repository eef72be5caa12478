"""Pytest plugin: the run's last lines count the tests skipped for want of PostGIS or Chromium.

`skip_or_fail` skips through `skip_missing`, which tags pytest's skip with what was missing; the
report of each test so skipped carries it, so other skips (a test's own `pytest.skip`) are not
counted. When there were any, the summary names
the command that provisions them, and (for scripts/test) STATUSMAP_SETUP_REPORT names a file that
receives the same lines, so the script can offer to run it.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Generator
from pathlib import Path
from typing import NoReturn

import pytest

PROVISION = "sudo scripts/provision && ./scripts/test"
KEY = "statusmap_missing_setup"


def skip_missing(reason: str, missing: str) -> NoReturn:
    """Skip because a piece CI provisions (PostGIS, Chromium, vendored assets) is missing."""
    # pytest's own Skipped (a subclass would show its name in every skip line), tagged.
    skipped = pytest.skip.Exception(reason)
    setattr(skipped, KEY, missing)
    raise skipped


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """Mark the report of a test skipped by skip_missing with what was missing."""
    report = yield
    missing = getattr(call.excinfo.value, KEY, None) if call.excinfo is not None else None
    if report.skipped and missing is not None:
        report.user_properties.append((KEY, missing))
    return report


def missing_setup_lines(reports: list[pytest.TestReport]) -> list[str]:
    """The summary lines for these skipped reports; none when no set-up was missing."""
    counts = Counter(value for r in reports for key, value in r.user_properties if key == KEY)
    if not counts:
        return []
    total = sum(counts.values())
    parts = ", ".join(f"{missing} ({count})" for missing, count in counts.items())
    noun = "test was" if total == 1 else "tests were"
    return [f"{total} {noun} skipped: {parts}.", f"To run them as CI does: {PROVISION}"]


# tryfirst makes this wrapper the outermost, so its lines follow pytest's short test summary.
@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> Generator[None]:
    """After pytest's own summary, say how many tests missing set-up skipped and how to run them."""
    yield
    lines = missing_setup_lines(terminalreporter.stats.get("skipped", []))
    if not lines:
        return
    terminalreporter.write_sep("-", "skipped for want of set-up", yellow=True)
    for line in lines:
        terminalreporter.write_line(line, yellow=True, bold=True)
    report_file = os.environ.get("STATUSMAP_SETUP_REPORT")
    if report_file:
        Path(report_file).write_text("\n".join(lines) + "\n", encoding="utf-8")
