"""Reports for staff-side tests: stored directly, with the fields a test names."""

from __future__ import annotations

import secrets
from datetime import datetime
from datetime import timedelta

from shapely.geometry import Point
from sqlalchemy.orm import Session

from statusmap.models import Municipality
from statusmap.models import Report
from statusmap.models import ReportKind
from statusmap.models import ReportStatus
from statusmap.models.base import utcnow
from statusmap.reports.submission import REFERENCE_ALPHABET


def make_report(
    session: Session,
    municipality: Municipality,
    lon: float,
    lat: float,
    kind: ReportKind = ReportKind.NO_WATER,
    *,
    age: timedelta = timedelta(minutes=10),
    status: ReportStatus = ReportStatus.NEW,
    text: str = "",
    contact: str | None = None,
) -> Report:
    """A report made `age` ago at (lon, lat)."""
    made: datetime = utcnow() - age
    report = Report(
        reference="".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8)),
        municipality_id=municipality.id,
        kind=kind,
        status=status,
        location=Point(lon, lat),
        observed_since=made,
        text=text,
        contact=contact,
        contact_consent=contact is not None,
        created_at=made,
        updated_at=made,
    )
    session.add(report)
    session.flush()
    return report
