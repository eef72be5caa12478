"""The report settings (REPORT_*): defaults and the checks that refuse what would leak or fail.

The public map shows reports only in cells of at least 100 m holding at least 3 reports; a
setting below either floor is refused at start, never quietly raised.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

MIN_CELL_M = 100
MIN_CELL_REPORTS = 3

REPORT_DEFAULTS: dict[str, Any] = {
    # The public report layer: reports of the last REPORT_LAYER_HOURS, counted in square cells of
    # REPORT_CELL_M metres on the municipality's UTM grid; a cell is shown from
    # REPORT_CELL_MIN_REPORTS reports on. Browsers and caches keep the layer REPORT_LAYER_MAX_AGE_S.
    "REPORT_LAYER_HOURS": 24,
    "REPORT_CELL_M": MIN_CELL_M,
    "REPORT_CELL_MIN_REPORTS": MIN_CELL_REPORTS,
    "REPORT_LAYER_MAX_AGE_S": 30,
    # Contact details are deleted this many days after the linked incident is resolved, or after
    # the report when none is linked (`statusmap purge`).
    "REPORT_CONTACT_RETENTION_DAYS": 30,
}


class ReportConfigError(ValueError):
    """A REPORT_* setting that cannot work; the message names it."""


@dataclass(frozen=True)
class Generalisation:
    """How the public sees reports: the window, the cell size and the smallest cell shown."""

    window: timedelta = timedelta(hours=24)
    cell_m: int = MIN_CELL_M
    min_reports: int = MIN_CELL_REPORTS


def _whole(config: Mapping[str, Any], key: str, least: int) -> int:
    value = config[key]
    if isinstance(value, bool) or not isinstance(value, int) or value < least:
        raise ReportConfigError(f"STATUSMAP_{key} must be a whole number >= {least}, got {value!r}")
    return value


def generalisation(config: Mapping[str, Any]) -> Generalisation:
    """The public layer's generalisation from the settings; refuse what is below the floors."""
    return Generalisation(
        window=timedelta(hours=_whole(config, "REPORT_LAYER_HOURS", 1)),
        cell_m=_whole(config, "REPORT_CELL_M", MIN_CELL_M),
        min_reports=_whole(config, "REPORT_CELL_MIN_REPORTS", MIN_CELL_REPORTS),
    )


def retention(config: Mapping[str, Any]) -> timedelta:
    """How long contact details are kept after their incident is resolved (or the report)."""
    return timedelta(days=_whole(config, "REPORT_CONTACT_RETENTION_DAYS", 0))


def check_report_settings(config: Mapping[str, Any]) -> None:
    """Refuse at start the REPORT_* settings that cannot work."""
    generalisation(config)
    retention(config)
    _whole(config, "REPORT_LAYER_MAX_AGE_S", 0)
