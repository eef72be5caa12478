"""The transitions that follow the clock: a scheduled incident becomes active at its start, and one
that resolves by itself is resolved at its expected end, with a default closing message.

Any number of runners may do this at once (a background thread in every gunicorn worker, a cron
`statusmap tick`): each transition is one UPDATE guarded by the version the runner read, so one
runner applies it and the others find no row to change and skip it quietly.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from typing import cast

from sqlalchemy import CursorResult
from sqlalchemy import select
from sqlalchemy import update
from sqlalchemy.orm import Session

from statusmap.changes import bump
from statusmap.engine import begin_writing
from statusmap.incidents.operations import saved
from statusmap.models import Incident
from statusmap.models import IncidentStatus
from statusmap.models import IncidentUpdate
from statusmap.reports.follow_up import mark_reporters_to_notify

ACTOR = "scheduler"
ACTIVATE, RESOLVE = "activate", "resolve"
# The closing entry of an incident that resolved by itself at its expected end.
CLOSING = {
    "nb": "Arbeidet er ferdig, og hendelsen er avsluttet. "
    "Ta kontakt med kommunen om du fortsatt merker noe.",
    "nn": "Arbeidet er ferdig, og hendinga er avslutta. "
    "Ta kontakt med kommunen om du framleis merkar noko.",
    "en": "The work is finished and the incident is closed. "
    "Contact the municipality if you still notice anything.",
}
# From which stored status each transition goes, and to which.
MOVES = {
    ACTIVATE: (IncidentStatus.SCHEDULED, IncidentStatus.ACTIVE),
    RESOLVE: (IncidentStatus.ACTIVE, IncidentStatus.RESOLVED),
}


@dataclass(frozen=True)
class Due:
    """A transition that is due, on the version of the incident it was found on."""

    incident_id: int
    version: int
    action: str  # ACTIVATE or RESOLVE


@dataclass(frozen=True)
class Transition:
    """A transition this runner applied."""

    incident_id: int
    municipality_id: int
    action: str
    version: int  # the version it saved
    title: str  # in bokmål
    at: datetime  # the moment it took effect: the start, or the expected end


def find_due(session: Session, now: datetime, action: str | None = None) -> list[Due]:
    """The transitions due at `now` (both kinds, or one), in the order of the incidents' ids."""
    wanted = [action] if action else [ACTIVATE, RESOLVE]
    found: list[Due] = []
    for kind in wanted:
        query = select(Incident.id, Incident.version).where(Incident.status == MOVES[kind][0])
        if kind == ACTIVATE:
            query = query.where(Incident.starts_at <= now)
        else:
            query = query.where(Incident.auto_resolve.is_(True), Incident.expected_end <= now)
        found += [Due(id_, version, kind) for id_, version in session.execute(query.order_by("id"))]
    return found


def apply_due(session: Session, due: Due, now: datetime) -> Transition | None:
    """Apply one transition if the incident is still at the version it was found on, else None."""
    before, after = MOVES[due.action]
    values: dict[str, Any] = {"status": after, "version": due.version + 1, "updated_at": now}
    if due.action == RESOLVE:
        values["resolved_at"] = Incident.expected_end  # when it was planned to end
    guarded = (
        update(Incident)
        .where(
            Incident.id == due.incident_id,
            Incident.version == due.version,
            Incident.status == before,
        )
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if cast(CursorResult[Any], session.execute(guarded)).rowcount != 1:
        return None  # another runner got there first, or an editor changed it since
    incident = session.get_one(Incident, due.incident_id, populate_existing=True)
    bump(session, [incident.municipality_id])  # the UPDATE above bypassed the ORM's tracking
    at = incident.starts_at if due.action == ACTIVATE else incident.resolved_at
    assert at is not None  # the query that found it compared this time with now
    if due.action == RESOLVE:
        closing = IncidentUpdate(
            incident_id=incident.id, status=after, body=dict(CLOSING), created_at=at
        )
        session.add(closing)
    saved(session, incident, actor=ACTOR, action=due.action)
    if due.action == RESOLVE:
        mark_reporters_to_notify(session, incident.id)
    title = incident.text("title", "nb")
    return Transition(
        incident.id, incident.municipality_id, due.action, incident.version, title, at
    )


def run_due(session: Session, now: datetime) -> list[Transition]:
    """Apply every transition due at `now`; the caller commits.

    Activations come first, so an incident whose whole window passed unwatched ends resolved.
    """
    done: list[Transition] = []
    for action in (ACTIVATE, RESOLVE):
        for due in find_due(session, now, action):
            transition = apply_due(session, due, now)
            if transition is not None:
                done.append(transition)
    return done


def tick(session: Session, now: datetime) -> list[Transition]:
    """One scheduler run in a fresh session: a read, and only if something is due, the writes.

    Commits. On SQLite the write lock is taken only when there is something to write, so idle
    ticks never wait behind an import.
    """
    due = find_due(session, now)
    session.rollback()  # ends the read: a writer must begin as one (begin_writing)
    if not due:
        return []
    begin_writing(session)
    done = run_due(session, now)
    session.commit()
    return done
