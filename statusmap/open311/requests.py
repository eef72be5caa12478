"""Service requests as the public may read them: crowd reports, never exactly placed. No Flask.

A request's `lat`/`long` is its generalised cell's centre (cells.py), given only when the cell
holds enough public reports; otherwise both are null. The resident's text, contact, address
and exact point are staff data and never leave here. A request is `closed` once the incident it
is linked to is resolved, else `open`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from statusmap.models import Incident
from statusmap.models import IncidentStatus
from statusmap.models import Municipality
from statusmap.models import Report
from statusmap.models import ReportKind
from statusmap.models.report import PUBLIC_REPORT_STATUSES
from statusmap.open311.cells import generalised_points
from statusmap.open311.formats import Open311Error

MAX_REQUESTS = 1000
MAX_SPAN = timedelta(days=90)
# The reports a cell counts: the public ones of this long before the answer.
CELL_WINDOW = timedelta(days=90)
OSLO = ZoneInfo("Europe/Oslo")
STATUSES = ("open", "closed")


@dataclass(frozen=True)
class RequestFilter:
    """What a GET of requests asks for (spec: service_request_id, service_code, status, dates)."""

    start: datetime
    end: datetime
    ids: tuple[str, ...] = ()
    codes: tuple[str, ...] = ()
    statuses: tuple[str, ...] = STATUSES


def w3c_time(value: datetime) -> str:
    """A W3C datetime in Oslo time with its offset: 2026-12-02T14:05:00+01:00."""
    return value.astimezone(OSLO).isoformat(timespec="seconds")


def parse_filter(args: Mapping[str, str], now: datetime) -> RequestFilter:
    """The filters of a GET of requests, or a 400 naming the faulty one."""
    end = _time(args, "end_date") or now
    start = _time(args, "start_date") or end - MAX_SPAN
    if start > end:
        raise Open311Error(400, "start_date is after end_date.")
    if end - start > MAX_SPAN:
        raise Open311Error(400, "start_date and end_date may be at most 90 days apart.")
    codes = _listed(args, "service_code")
    unknown = set(codes) - {kind.value for kind in ReportKind}
    if unknown:
        raise Open311Error(400, f"Unknown service_code: {', '.join(sorted(unknown))}.")
    statuses = _listed(args, "status") or STATUSES
    if set(statuses) - set(STATUSES):
        raise Open311Error(400, "status is open, closed or both (comma-separated).")
    return RequestFilter(start, end, _listed(args, "service_request_id"), codes, statuses)


def _time(args: Mapping[str, str], name: str) -> datetime | None:
    text = args.get(name, "").strip()
    if not text:
        return None
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        value = None
    if value is None or value.tzinfo is None:
        raise Open311Error(400, f"{name} is not a W3C datetime with a time zone.")
    return value


def _listed(args: Mapping[str, str], name: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in args.get(name, "").split(",") if part.strip())


def find_requests(
    session: Session, municipality: Municipality, wanted: RequestFilter, now: datetime
) -> list[Report]:
    """The public reports the filter asks for, the newest first, at most 1000 (incidents known)."""
    query = _public(municipality).where(
        Report.created_at >= wanted.start, Report.created_at <= wanted.end
    )
    if wanted.ids:
        query = query.where(Report.reference.in_(wanted.ids))
    if wanted.codes:
        query = query.where(Report.kind.in_([ReportKind(code) for code in wanted.codes]))
    found = list(session.scalars(query.order_by(Report.created_at.desc(), Report.id.desc())))
    _load_incidents(session, found)
    chosen = (r for r in found if request_status(r, now) in wanted.statuses)
    return [report for _, report in zip(range(MAX_REQUESTS), chosen, strict=False)]


def find_request(session: Session, municipality: Municipality, reference: str) -> Report | None:
    """One public report by its reference (any age), or None."""
    query = _public(municipality).where(Report.reference == reference.upper())
    report = session.scalars(query).first()
    if report is not None:
        _load_incidents(session, [report])
    return report


def _public(municipality: Municipality) -> Any:
    return select(Report).where(
        Report.municipality_id == municipality.id,
        Report.status.in_(PUBLIC_REPORT_STATUSES),
    )


def _load_incidents(session: Session, reports: list[Report]) -> None:
    """Put the linked incidents in the session's identity map (one query), for session.get."""
    ids = {r.incident_id for r in reports if r.incident_id is not None}
    if ids:
        list(session.scalars(select(Incident).where(Incident.id.in_(ids))))


def linked_incident(session: Session, report: Report) -> Incident | None:
    """The incident a report is linked to (from the identity map when loaded), or None."""
    return session.get(Incident, report.incident_id) if report.incident_id else None


def request_status(report: Report, now: datetime) -> str:
    """`closed` once the linked incident is resolved, else `open`."""
    incident = _incident(report)
    resolved = incident is not None and incident.status_at(now) is IncidentStatus.RESOLVED
    return "closed" if resolved else "open"


def shown_points(
    session: Session, municipality: Municipality, now: datetime
) -> dict[int, tuple[float, float]]:
    """(lon, lat) by report id of every public report in a full cell (reports since the window)."""
    query = select(Report.id, Report.location, Report.client_key).where(
        Report.municipality_id == municipality.id,
        Report.status.in_(PUBLIC_REPORT_STATUSES),
        Report.created_at >= now - CELL_WINDOW,
    )
    rows = [(row.id, row.location, row.client_key) for row in session.execute(query)]
    return generalised_points(rows, municipality.utm_epsg)


def _incident(report: Report) -> Incident | None:
    session = Session.object_session(report)
    return linked_incident(session, report) if session is not None else None


@dataclass(frozen=True)
class Labels:
    """The words of a request in the answer's language: service names, agency, status notes."""

    service_names: dict[str, str]
    agency: str
    language: str


def request_item(
    report: Report, labels: Labels, point: tuple[float, float] | None, now: datetime
) -> dict[str, Any]:
    """One request with every field of the specification; null where we give nothing."""
    incident = _incident(report)
    return {
        "service_request_id": report.reference,
        "status": request_status(report, now),
        "status_notes": incident.text("title", labels.language) if incident else None,
        "service_name": labels.service_names[report.kind.value],
        "service_code": report.kind.value,
        "description": None,  # the resident's own words may name them or their home: staff only
        "agency_responsible": labels.agency,
        "service_notice": None,
        "requested_datetime": w3c_time(report.created_at),
        "updated_datetime": w3c_time(report.updated_at),
        "expected_datetime": None,
        "address": None,
        "address_id": None,
        "zipcode": None,
        "lat": point[1] if point else None,
        "long": point[0] if point else None,
        "media_url": None,
    }
