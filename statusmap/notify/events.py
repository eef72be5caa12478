"""Which incident versions residents hear about: a `NotificationEvent` per material version.

`incidents.operations.saved` calls `record_event` after every saved version (web, CLI and
scheduler alike), in the same transaction. A version is compared with the version the incident's
last event announced (not with the one before it), so three quick text edits and then a new
expected end are one UPDATED event, and a text-only edit is none:

- nothing announced yet, and the incident is now public (scheduled or active): PUBLISHED;
- resolved since: RESOLVED;
- the area changed: AREA_CHANGED (its expansion tells the newly, still and no longer covered);
- the status, the start or the expected end changed: UPDATED.

Staff choose the audience afterwards, in the same transaction (`choose_audience`); everything
else (the CLI, the scheduler) sends to all, vulnerable subscribers first.
"""

from __future__ import annotations

from datetime import UTC
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from statusmap.models import Audience
from statusmap.models import EventKind
from statusmap.models import Incident
from statusmap.models import IncidentRevision
from statusmap.models import IncidentStatus
from statusmap.models import NotificationEvent
from statusmap.models.audit import Actor
from statusmap.models.base import utcnow
from statusmap.models.notification import EventStatus

PUBLIC = (IncidentStatus.SCHEDULED, IncidentStatus.ACTIVE)
# The fields of a revision's snapshot whose change residents are told of.
MATERIAL_TIMES = ("starts_at", "expected_end")


def last_event(session: Session, incident_id: int) -> NotificationEvent | None:
    """The incident's latest announcement (a resend repeats an earlier one, so it is skipped)."""
    query = (
        select(NotificationEvent)
        .where(
            NotificationEvent.incident_id == incident_id,
            NotificationEvent.kind != EventKind.RESEND,
        )
        .order_by(NotificationEvent.version.desc(), NotificationEvent.id.desc())
        .limit(1)
    )
    return session.scalars(query).first()


def _revision(session: Session, incident_id: int, version: int) -> IncidentRevision | None:
    query = select(IncidentRevision).where(
        IncidentRevision.incident_id == incident_id, IncidentRevision.version == version
    )
    return session.scalars(query).first()


def _same_area(old: Any, new: Any) -> bool:
    if old is None or new is None:
        return old is None and new is None
    return bool(old.equals(new))


def _times(incident: Incident) -> dict[str, str | None]:
    values = {name: getattr(incident, name) for name in MATERIAL_TIMES}
    return {
        name: value.astimezone(UTC).isoformat() if value else None for name, value in values.items()
    }


def event_kind(
    session: Session, incident: Incident, last: NotificationEvent | None
) -> EventKind | None:
    """What the incident's current version announces after `last`, or None (nothing material)."""
    if last is None:
        return EventKind.PUBLISHED if incident.status in PUBLIC else None
    if last.kind is EventKind.RESOLVED:
        return None  # a resolved incident stays resolved; its record is not re-announced
    if incident.status is IncidentStatus.RESOLVED:
        return EventKind.RESOLVED
    before = _revision(session, incident.id, last.version)
    if before is None:
        return None
    if not _same_area(before.area, incident.area):
        return EventKind.AREA_CHANGED
    earlier = {name: (before.snapshot or {}).get(name) for name in MATERIAL_TIMES}
    if before.status is not incident.status or earlier != _times(incident):
        return EventKind.UPDATED
    return None


def record_event(
    session: Session, incident: Incident, *, actor: str | Actor
) -> NotificationEvent | None:
    """Write the event of the incident's current version if it is material; None if not."""
    last = last_event(session, incident.id)
    kind = event_kind(session, incident, last)
    if kind is None:
        return None
    event = NotificationEvent(
        municipality_id=incident.municipality_id,
        incident_id=incident.id,
        version=incident.version,
        previous_version=last.version if last else None,
        kind=kind,
        audience=Audience.ALL,
        status=EventStatus.PENDING,
        actor=actor.label if isinstance(actor, Actor) else str(actor),
        created_at=utcnow(),
    )
    session.add(event)
    session.flush()
    return event


def event_of_version(session: Session, incident: Incident) -> NotificationEvent | None:
    """The event the incident's current version wrote (if any)."""
    query = select(NotificationEvent).where(
        NotificationEvent.incident_id == incident.id,
        NotificationEvent.version == incident.version,
        NotificationEvent.kind != EventKind.RESEND,
    )
    return session.scalars(query).first()


def choose_audience(
    session: Session, incident: Incident, audience: Audience
) -> NotificationEvent | None:
    """Set who the event of the incident's current version goes to (before it is committed)."""
    event = event_of_version(session, incident)
    if event is not None and event.status is EventStatus.PENDING:
        event.audience = audience
    return event


def send_to_the_rest(
    session: Session, event: NotificationEvent, *, actor: str | Actor
) -> NotificationEvent:
    """A RESEND of a vulnerable-only event to everyone inside who did not get it (once)."""
    if event.kind is EventKind.RESEND or event.audience is not Audience.VULNERABLE_ONLY:
        raise ValueError("only a vulnerable-only event can be sent to the rest")
    query = select(NotificationEvent).where(
        NotificationEvent.incident_id == event.incident_id,
        NotificationEvent.version == event.version,
        NotificationEvent.kind == EventKind.RESEND,
    )
    existing = session.scalars(query).first()
    if existing is not None:
        return existing
    resend = NotificationEvent(
        municipality_id=event.municipality_id,
        incident_id=event.incident_id,
        version=event.version,
        previous_version=event.previous_version,
        kind=EventKind.RESEND,
        audience=Audience.ALL,
        status=EventStatus.PENDING,
        actor=actor.label if isinstance(actor, Actor) else str(actor),
        created_at=utcnow(),
    )
    session.add(resend)
    session.flush()
    return resend
