"""Reports for tests, stored directly (no submission rules): any place, time, status, contact."""

from __future__ import annotations

import secrets
from datetime import datetime

from shapely.geometry import Point
from sqlalchemy.orm import Session

from statusmap.models import Municipality
from statusmap.models import Report
from statusmap.models import ReportKind
from statusmap.models import ReportStatus
from statusmap.reports.submission import REFERENCE_ALPHABET


def make_report(
    session: Session,
    municipality: Municipality,
    lon: float,
    lat: float,
    *,
    at: datetime,
    kind: ReportKind = ReportKind.NO_WATER,
    status: ReportStatus = ReportStatus.NEW,
    contact: str | None = None,
    incident_id: int | None = None,
    client_key: str | None = None,
) -> Report:
    """Store one report made at `at` (not flushed)."""
    report = Report(
        reference="".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8)),
        municipality_id=municipality.id,
        kind=kind,
        status=status,
        location=Point(lon, lat),
        observed_since=at,
        contact=contact,
        contact_consent=contact is not None,
        client_key=client_key if client_key is not None else secrets.token_hex(8),
        incident_id=incident_id,
        created_at=at,
        updated_at=at,
    )
    session.add(report)
    return report
