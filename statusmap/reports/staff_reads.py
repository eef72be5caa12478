"""What staff read of reports: exact points, filtered by time window, kind and status."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from datetime import timedelta
from typing import Any

from shapely.geometry import Point
from sqlalchemy import select
from sqlalchemy.orm import Session

from statusmap.models import Report
from statusmap.models import ReportKind
from statusmap.models import ReportStatus

# The map's time windows, by the value a filter sends.
WINDOWS = {"6h": timedelta(hours=6), "24h": timedelta(hours=24), "7d": timedelta(days=7)}
DEFAULT_WINDOW = "24h"
# Shown unless asked otherwise: what staff still have to read. Hidden and spam on request.
DEFAULT_STATUSES = (ReportStatus.NEW, ReportStatus.LINKED)
STAFF_LIST_LIMIT = 2000


def parse_kinds(value: str | None) -> tuple[ReportKind, ...]:
    """Kinds from "no_water,leak_seen" (unknown names left out); none given: every kind."""
    known = {kind.value: kind for kind in ReportKind}
    chosen = tuple(known[name] for name in (value or "").split(",") if name in known)
    return chosen or tuple(ReportKind)


def parse_statuses(value: str | None) -> tuple[ReportStatus, ...]:
    """Statuses from "new,hidden" (unknown names left out); none given: new and linked."""
    known = {status.value: status for status in ReportStatus}
    chosen = tuple(known[name] for name in (value or "").split(",") if name in known)
    return chosen or DEFAULT_STATUSES


def window_start(window: str | None, now: datetime) -> datetime:
    """The start of a named time window (the default one for an unknown name)."""
    return now - WINDOWS.get(window or "", WINDOWS[DEFAULT_WINDOW])


def staff_reports(
    session: Session,
    municipality_id: int,
    *,
    since: datetime,
    kinds: Collection[ReportKind] = tuple(ReportKind),
    statuses: Collection[ReportStatus] = DEFAULT_STATUSES,
) -> list[Report]:
    """The municipality's reports made since `since` of these kinds and statuses, newest first."""
    query = (
        select(Report)
        .where(
            Report.municipality_id == municipality_id,
            Report.created_at >= since,
            Report.kind.in_(list(kinds)),
            Report.status.in_(list(statuses)),
        )
        .order_by(Report.created_at.desc(), Report.id.desc())
        .limit(STAFF_LIST_LIMIT)
    )
    return list(session.scalars(query))


def _iso(value: datetime) -> str:
    return value.isoformat().replace("+00:00", "Z")


def staff_feature(report: Report, **labels: str) -> dict[str, Any]:
    """A report as an RFC 7946 feature with its exact point: for staff only."""
    point = report.location
    assert isinstance(point, Point)  # the column holds points only
    return {
        "type": "Feature",
        "id": report.id,
        "geometry": {"type": "Point", "coordinates": [round(point.x, 7), round(point.y, 7)]},
        "properties": {
            "id": report.id,
            "reference": report.reference,
            "kind": report.kind.value,
            "status": report.status.value,
            "created_at": _iso(report.created_at),
            "observed_since": _iso(report.observed_since),
            "text": report.text,
            "repeats": report.repeats,
            "has_contact": bool(report.contact) and report.contact_purged_at is None,
            "incident_id": report.incident_id,
            **labels,
        },
    }
