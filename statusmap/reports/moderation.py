"""Staff's reading of reports: hide, mark as spam, restore, link to an incident or unlink.

Every change is audited and checked against the municipality the staff member acts in: a report
or an incident of another municipality is "not found" (ReportNotFound), exactly as one that does
not exist, so staff views can answer 404. The caller commits.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from statusmap.models import Incident
from statusmap.models import IncidentStatus
from statusmap.models import Municipality
from statusmap.models import Report
from statusmap.models import ReportStatus
from statusmap.models.audit import Actor
from statusmap.models.audit import record
from statusmap.models.base import utcnow


class ReportNotFound(LookupError):
    """No such report (or incident) in this municipality."""


def report_in(session: Session, municipality: Municipality, report_id: int) -> Report:
    """The municipality's report with this id, or ReportNotFound."""
    report = session.get(Report, report_id)
    if report is None or report.municipality_id != municipality.id:
        raise ReportNotFound(f"No report {report_id} in {municipality.slug}.")
    return report


def _incident_in(session: Session, municipality: Municipality, incident_id: int) -> Incident:
    incident = session.get(Incident, incident_id)
    if incident is None or incident.municipality_id != municipality.id:
        raise ReportNotFound(f"No incident {incident_id} in {municipality.slug}.")
    return incident


def _guard(municipality: Municipality, report: Report) -> None:
    if report.municipality_id != municipality.id:
        raise ReportNotFound(f"No report {report.id} in {municipality.slug}.")


def _set_status(
    session: Session,
    municipality: Municipality,
    report: Report,
    status: ReportStatus,
    *,
    action: str,
    actor: str | Actor,
) -> Report:
    _guard(municipality, report)
    before = report.status
    report.status, report.updated_at = status, utcnow()
    session.flush()
    record(
        session,
        actor=actor,
        action=action,
        obj=report,
        municipality_id=municipality.id,
        status_before=before.value,
        status=status.value,
    )
    return report


def hide_report(
    session: Session, municipality: Municipality, report: Report, *, actor: str | Actor
) -> Report:
    """Take a report off every public view (it stays for staff)."""
    return _set_status(
        session, municipality, report, ReportStatus.HIDDEN, action="report_hide", actor=actor
    )


def mark_spam(
    session: Session, municipality: Municipality, report: Report, *, actor: str | Actor
) -> Report:
    """Mark a report as spam: never public, never counted, its reporter never told anything."""
    return _set_status(
        session, municipality, report, ReportStatus.SPAM, action="report_spam", actor=actor
    )


def restore_report(
    session: Session, municipality: Municipality, report: Report, *, actor: str | Actor
) -> Report:
    """Make a hidden or spam report public again: linked if it has an incident, else new."""
    status = ReportStatus.LINKED if report.incident_id else ReportStatus.NEW
    return _set_status(session, municipality, report, status, action="report_restore", actor=actor)


def link_reports(
    session: Session,
    municipality: Municipality,
    reports: Sequence[Report],
    incident_id: int,
    *,
    actor: str | Actor,
) -> list[Report]:
    """Tie reports to an incident of the same municipality (hidden and spam ones stay so).

    A reporter with a kept contact linked to an incident that is already resolved is to be told
    at once, as if it had been resolved now.
    """
    incident = _incident_in(session, municipality, incident_id)
    for report in reports:
        _guard(municipality, report)
    for report in reports:
        before = report.incident_id
        report.incident_id, report.updated_at = incident.id, utcnow()
        if report.status is ReportStatus.NEW:
            report.status = ReportStatus.LINKED
        if incident.status is IncidentStatus.RESOLVED and _may_be_told(report):
            report.notify_pending = True
        session.flush()
        record(
            session,
            actor=actor,
            action="report_link",
            obj=report,
            municipality_id=municipality.id,
            incident_before=before,
            incident=incident.id,
        )
    return list(reports)


def unlink_report(
    session: Session, municipality: Municipality, report: Report, *, actor: str | Actor
) -> Report:
    """Untie a report from its incident (a linked report becomes new again)."""
    _guard(municipality, report)
    before = report.incident_id
    report.incident_id, report.notify_pending, report.updated_at = None, False, utcnow()
    if report.status is ReportStatus.LINKED:
        report.status = ReportStatus.NEW
    session.flush()
    record(
        session,
        actor=actor,
        action="report_unlink",
        obj=report,
        municipality_id=municipality.id,
        incident_before=before,
    )
    return report


def _may_be_told(report: Report) -> bool:
    return bool(report.contact) and report.contact_consent and report.status is ReportStatus.LINKED
