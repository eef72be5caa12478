"""The incident lifecycle: schedule, publish, resolve, change the area, delete a draft.

draft -> scheduled -> active -> resolved, or draft -> active (publish). Each operation names the
version it was made on (a stale one is refused, saying what changed since), saves one new version
with its revision and audit row, and leaves the commit to the caller. The two transitions that
follow the clock (activate at the start, resolve by itself at the expected end) are scheduler.py's.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from shapely.geometry.base import BaseGeometry
from sqlalchemy.orm import Session

from statusmap.incidents.history import area_summary
from statusmap.incidents.operations import GeometryLimits
from statusmap.incidents.operations import IncidentError
from statusmap.incidents.operations import IncidentInput
from statusmap.incidents.operations import check_incident_input
from statusmap.incidents.operations import check_version
from statusmap.incidents.operations import checked_area
from statusmap.incidents.operations import flush_as
from statusmap.incidents.operations import saved
from statusmap.models import Incident
from statusmap.models import IncidentStatus
from statusmap.models import IncidentUpdate
from statusmap.models.audit import Actor
from statusmap.models.audit import record
from statusmap.models.base import utcnow
from statusmap.oslo_time import OSLO
from statusmap.reports.follow_up import mark_reporters_to_notify

DRAFT = IncidentStatus.DRAFT
SCHEDULED = IncidentStatus.SCHEDULED
ACTIVE = IncidentStatus.ACTIVE
RESOLVED = IncidentStatus.RESOLVED

# What each operation refuses, by the incident's status; {id} is the incident's id.
REFUSED = {
    ("schedule", ACTIVE): "Incident {id} is already active: change its expected end by editing it.",
    ("schedule", RESOLVED): "Incident {id} is resolved; it cannot be scheduled again.",
    ("publish", ACTIVE): "Incident {id} is already published.",
    ("publish", RESOLVED): "Incident {id} is resolved; it cannot be published again.",
    ("resolve", DRAFT): (
        "Incident {id} is a draft and was never public, so it cannot be resolved: "
        "delete it, or publish it first."
    ),
    ("resolve", RESOLVED): "Incident {id} is already resolved.",
    ("change_area", RESOLVED): (
        "Incident {id} is resolved: its area is part of the record and no longer changes."
    ),
    ("delete", SCHEDULED): "Incident {id} is public: only a draft may be deleted. Resolve it.",
    ("delete", ACTIVE): "Incident {id} is public: only a draft may be deleted. Resolve it.",
    ("delete", RESOLVED): "Incident {id} is resolved and stays in the record: only a draft may be "
    "deleted.",
}


def _allow(incident: Incident, operation: str, status: IncidentStatus | None = None) -> None:
    """Refuse an operation the incident's status (stored, or as the public sees it) forbids."""
    refusal = REFUSED.get((operation, status or incident.status))
    if refusal:
        raise IncidentError(refusal.format(id=incident.id))


def _shown(value: datetime) -> str:
    return f"{value.astimezone(OSLO):%Y-%m-%d %H:%M %Z}"


def _as_input(incident: Incident, **changes: object) -> IncidentInput:
    """The incident's current fields as an input, with changes, to check them as a whole."""
    current = IncidentInput(
        kind=incident.kind,
        status=incident.status,
        title=dict(incident.title),
        area=incident.area,
        starts_at=incident.starts_at,
        expected_end=incident.expected_end,
        resolved_at=incident.resolved_at,
        auto_resolve=incident.auto_resolve,
    )
    return replace(current, **changes)  # type: ignore[arg-type]


def schedule_incident(
    session: Session,
    incident: Incident,
    *,
    expected_version: int,
    actor: str | Actor,
    starts_at: datetime | None = None,
    expected_end: datetime | None = None,
    auto_resolve: bool | None = None,
    now: datetime | None = None,
) -> Incident:
    """Make a draft public as planned (or move a plan): it becomes active by itself at its start.

    Times and auto_resolve left as None keep the incident's own.
    """
    now = now or utcnow()
    check_version(incident, expected_version)
    _allow(incident, "schedule", incident.status_at(now))  # a started plan is active already
    start = starts_at or incident.starts_at
    if start is None or start <= now:
        raise IncidentError(
            "A scheduled incident starts in the future; to make it active now, publish it."
        )
    values = {
        "status": SCHEDULED,
        "starts_at": start,
        "expected_end": incident.expected_end if expected_end is None else expected_end,
        "auto_resolve": incident.auto_resolve if auto_resolve is None else auto_resolve,
    }
    check_incident_input(_as_input(incident, **values))
    for key, value in values.items():
        setattr(incident, key, value)
    incident.published_at = incident.published_at or now
    incident.updated_at = now
    flush_as(session, incident, expected_version)
    saved(session, incident, actor=actor, action="schedule", **_plan(incident))
    return incident


def _plan(incident: Incident) -> dict[str, object]:
    """A scheduled incident's plan, for its audit row."""
    start, end = incident.starts_at, incident.expected_end
    return {
        "starts_at": start.isoformat() if start else None,
        "expected_end": end.isoformat() if end else None,
        "auto_resolve": incident.auto_resolve,
    }


def publish_incident(
    session: Session,
    incident: Incident,
    *,
    expected_version: int,
    actor: str | Actor,
    now: datetime | None = None,
) -> Incident:
    """Make a draft or scheduled incident active now (its start is now unless it has passed)."""
    now = now or utcnow()
    check_version(incident, expected_version)
    _allow(incident, "publish")
    if incident.area is None:
        raise IncidentError(
            f"Incident {incident.id} has no area yet: draw or upload one before publishing it."
        )
    start = incident.starts_at if incident.starts_at and incident.starts_at <= now else now
    end = incident.expected_end
    if end is not None and end <= start:
        raise IncidentError(
            f"The expected end of incident {incident.id} ({_shown(end)}) is not after its start "
            f"({_shown(start)}): change it before publishing."
        )
    check_incident_input(_as_input(incident, status=ACTIVE, starts_at=start))
    incident.status, incident.starts_at = ACTIVE, start
    incident.published_at = incident.published_at or now
    incident.updated_at = now
    flush_as(session, incident, expected_version)
    saved(session, incident, actor=actor, action="publish", starts_at=start.isoformat())
    return incident


def resolve_incident(
    session: Session,
    incident: Incident,
    closing: dict[str, str],
    *,
    expected_version: int,
    actor: str | Actor,
    now: datetime | None = None,
) -> Incident:
    """Resolve a public incident now, with a closing message as its last timeline entry."""
    now = now or utcnow()
    check_version(incident, expected_version)
    _allow(incident, "resolve")
    if incident.status_at(now) is SCHEDULED:
        assert incident.starts_at is not None  # a scheduled incident has a start
        raise IncidentError(
            f"Incident {incident.id} has not started yet (it starts {_shown(incident.starts_at)}):"
            " publish it if the work has begun, or move its start."
        )
    if not (closing.get("nb") or "").strip():
        raise IncidentError("A closing message needs a text in bokmål.")
    incident.status, incident.resolved_at = RESOLVED, now
    incident.updated_at = now
    session.add(
        IncidentUpdate(incident=incident, status=RESOLVED, body=dict(closing), created_at=now)
    )
    flush_as(session, incident, expected_version)
    saved(session, incident, actor=actor, action="resolve")
    mark_reporters_to_notify(session, incident.id)
    return incident


def change_area(
    session: Session,
    incident: Incident,
    area: BaseGeometry | None,
    *,
    expected_version: int,
    actor: str | Actor,
    limits: GeometryLimits | None = None,
) -> Incident:
    """Give an incident a new area (validated); the earlier one stays in its revisions."""
    check_version(incident, expected_version)
    _allow(incident, "change_area")
    if area is None and incident.status is not DRAFT:
        raise IncidentError("Only a draft may be without an area.")
    new = checked_area(area, incident.municipality, limits or GeometryLimits())
    old = incident.area
    if (old is None and new is None) or (old is not None and new is not None and old.equals(new)):
        return incident
    incident.area = new
    incident.updated_at = utcnow()
    flush_as(session, incident, expected_version)
    utm = incident.municipality.utm_epsg
    before, after = area_summary(old, utm), area_summary(new, utm)
    saved(session, incident, actor=actor, action="change_area", before=before, after=after)
    return incident


def delete_draft(
    session: Session, incident: Incident, *, expected_version: int, actor: str | Actor
) -> None:
    """Delete a draft, which the public never saw (with its revisions); the audit row stays."""
    check_version(incident, expected_version)
    _allow(incident, "delete")
    record(
        session,
        actor=actor,
        action="delete",
        obj=incident,
        municipality_id=incident.municipality_id,
        version=incident.version,
        title=incident.text("title", "nb"),
    )
    session.delete(incident)
    flush_as(session, incident, expected_version)
