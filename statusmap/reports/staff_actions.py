"""What staff do with reports: hide, mark as spam, restore, link to an incident, and make a draft
incident whose area is a hull around them. Validate -> mutate -> flush -> audit; the caller
commits. Reports never move the public change stamp.
"""

from __future__ import annotations

import enum
from collections import Counter
from collections.abc import Iterable
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from statusmap.incidents.operations import GeometryLimits
from statusmap.incidents.operations import IncidentInput
from statusmap.incidents.operations import create_incident
from statusmap.models import Incident
from statusmap.models import IncidentKind
from statusmap.models import IncidentStatus
from statusmap.models import Municipality
from statusmap.models import Report
from statusmap.models import ReportKind
from statusmap.models import ReportStatus
from statusmap.models.audit import Actor
from statusmap.models.audit import record
from statusmap.reports import moderation
from statusmap.reports.hull import hull_around

# The incident kind a draft starts as, by the kind most of its reports have.
DRAFT_KINDS = {
    ReportKind.NO_WATER: IncidentKind.SHUTDOWN,
    ReportKind.LOW_PRESSURE: IncidentKind.LOW_PRESSURE,
    ReportKind.DISCOLOURED_WATER: IncidentKind.DISCOLOURED_WATER,
    ReportKind.LEAK_SEEN: IncidentKind.OTHER,
    ReportKind.SEWER: IncidentKind.SEWER,
    ReportKind.WATER_OK: IncidentKind.OTHER,
}
SELECTION_LIMIT = 500
# The more serious kind wins a tie of counts; "water OK" never names a draft beside others.
SEVERITY = (
    ReportKind.NO_WATER,
    ReportKind.LEAK_SEEN,
    ReportKind.LOW_PRESSURE,
    ReportKind.SEWER,
    ReportKind.DISCOLOURED_WATER,
    ReportKind.WATER_OK,
)


def leading_kind(kinds: Iterable[ReportKind]) -> ReportKind:
    """The most reported kind, the more serious one on a tie, "water OK" only when alone."""
    counts = Counter(kinds)
    if len(counts) > 1:
        counts.pop(ReportKind.WATER_OK, None)
    return max(counts, key=lambda kind: (counts[kind], -SEVERITY.index(kind)))


class ReportActionError(ValueError):
    """A report action that cannot be done; `code` says why (for the page, in its language)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


class Moderation(enum.StrEnum):
    """A change of a report's status by staff."""

    HIDE = "hide"
    SPAM = "spam"
    RESTORE = "restore"
    UNLINK = "unlink"


def selected_reports(
    session: Session, municipality: Municipality, ids: Sequence[int]
) -> list[Report]:
    """The municipality's reports with these ids; any other id refuses the whole selection."""
    wanted = set(ids)
    if not wanted:
        raise ReportActionError("nothing_selected", "No reports were selected.")
    if len(wanted) > SELECTION_LIMIT:
        raise ReportActionError("too_many", f"At most {SELECTION_LIMIT} reports at a time.")
    query = select(Report).where(Report.id.in_(wanted), Report.municipality_id == municipality.id)
    found = list(session.scalars(query.order_by(Report.id)))
    if len(found) != len(wanted):
        raise ReportActionError("unknown_report", "A selected report does not exist here.")
    return found


def moderate(
    session: Session,
    municipality: Municipality,
    reports: Sequence[Report],
    action: Moderation,
    *,
    actor: str | Actor,
) -> None:
    """Hide, mark as spam, restore or untie from its incident each report (moderation.py,
    audited); untying leaves a report that is tied to nothing as it is."""
    if action is Moderation.UNLINK:
        for report in reports:
            if report.incident_id is not None:
                moderation.unlink_report(session, municipality, report, actor=actor)
        return
    step = {
        Moderation.HIDE: moderation.hide_report,
        Moderation.SPAM: moderation.mark_spam,
        Moderation.RESTORE: moderation.restore_report,
    }[action]
    for report in reports:
        step(session, municipality, report, actor=actor)
    if action is not Moderation.RESTORE:
        for report in reports:
            report.notify_pending = False  # nobody is told about a report taken off
    session.flush()


def link_reports(
    session: Session,
    municipality: Municipality,
    reports: Sequence[Report],
    incident: Incident,
    *,
    actor: str | Actor,
) -> None:
    """Tie the reports to an incident of their municipality; spam must be restored first."""
    if incident.municipality_id != municipality.id:
        raise ReportActionError("unknown_incident", "The incident is not this municipality's.")
    if any(report.status is ReportStatus.SPAM for report in reports):
        raise ReportActionError("spam_selected", "Restore reports marked as spam before linking.")
    moderation.link_reports(session, municipality, reports, incident.id, actor=actor)


def draft_from_reports(
    session: Session,
    municipality: Municipality,
    reports: Sequence[Report],
    *,
    actor: str | Actor,
    limits: GeometryLimits | None = None,
) -> Incident:
    """A draft incident whose area is a hull around the reports, with the reports linked to it."""
    if not reports:
        raise ReportActionError("nothing_selected", "No reports were selected.")
    area = hull_around([report.location for report in reports], municipality.utm_epsg)
    common = leading_kind(report.kind for report in reports)
    count = len(reports)
    title = {
        "nb": f"Meldinger fra innbyggere ({count})",
        "nn": f"Meldingar frå innbyggjarar ({count})",
    }
    data = IncidentInput(
        kind=DRAFT_KINDS[common], status=IncidentStatus.DRAFT, title=title, area=area
    )
    incident = create_incident(session, municipality, data, actor=actor, limits=limits)
    record(
        session,
        actor=actor,
        action="draft_from_reports",
        obj=incident,
        municipality_id=municipality.id,
        reports=[report.id for report in reports],
    )
    link_reports(session, municipality, reports, incident, actor=actor)
    return incident


def _audit(
    session: Session, report: Report, action: str, actor: str | Actor, **details: object
) -> None:
    record(
        session,
        actor=actor,
        action=action,
        obj=report,
        municipality_id=report.municipality_id,
        **details,
    )
