"""Contact details are kept only as long as they can be of use, then deleted (`statusmap purge`).

A contact is deleted `keep` (REPORT_CONTACT_RETENTION_DAYS, default 30 days) after the report's
incident was resolved, or after the report itself when it is linked to none. A report whose
incident is still open keeps its contact. The report stays (its point and kind feed the map and
the leak localiser); only the contact goes, with `contact_purged_at` and an audit row that says
so without the contact itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from datetime import timedelta

from sqlalchemy import and_
from sqlalchemy import or_
from sqlalchemy import select
from sqlalchemy.orm import Session

from statusmap.models import Incident
from statusmap.models import IncidentStatus
from statusmap.models import Report
from statusmap.models.audit import Actor
from statusmap.models.audit import record

AFTER_RESOLVED = "incident_resolved"
AFTER_REPORT = "report_made"


@dataclass(frozen=True)
class PurgedContact:
    """One report whose contact was deleted, and from which time its retention ran."""

    report_id: int
    reference: str
    municipality_id: int
    incident_id: int | None
    reason: str  # AFTER_RESOLVED or AFTER_REPORT
    since: datetime


def contacts_due(session: Session, now: datetime, keep: timedelta) -> list[tuple[Report, str]]:
    """Reports holding a contact whose retention has passed, with the rule that applies."""
    cutoff = now - keep
    resolved_long_ago = and_(
        Incident.status == IncidentStatus.RESOLVED, Incident.resolved_at <= cutoff
    )
    unlinked_and_old = and_(Report.incident_id.is_(None), Report.created_at <= cutoff)
    query = (
        select(Report, Incident.id)
        .outerjoin(Incident, Report.incident_id == Incident.id)
        .where(Report.contact.is_not(None), or_(resolved_long_ago, unlinked_and_old))
        .order_by(Report.id)
    )
    return [
        (report, AFTER_RESOLVED if incident_id is not None else AFTER_REPORT)
        for report, incident_id in session.execute(query)
    ]


def purge_contacts(
    session: Session, now: datetime, keep: timedelta, *, actor: str | Actor
) -> list[PurgedContact]:
    """Delete every contact past its retention, each audited; the caller commits."""
    purged = []
    for report, reason in contacts_due(session, now, keep):
        incident = session.get(Incident, report.incident_id) if report.incident_id else None
        since = incident.resolved_at if incident and incident.resolved_at else report.created_at
        report.contact, report.contact_consent = None, False
        report.contact_purged_at = now
        report.notify_pending = False  # nobody is left to tell
        record(
            session,
            actor=actor,
            action="purge_contact",
            obj=report,
            municipality_id=report.municipality_id,
            reason=reason,
            retention_days=keep.days,
        )
        purged.append(
            PurgedContact(
                report.id,
                report.reference,
                report.municipality_id,
                report.incident_id,
                reason,
                since,
            )
        )
    session.flush()
    return purged
