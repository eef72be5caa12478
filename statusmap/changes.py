"""The change stamp of each municipality's public data: bumped on every public write.

A stamp is a serial and a time. Public reads are prepared once per serial (statusmap/prepared.py),
and open pages poll it (GET /api/v1/<slug>/changes) to know when to fetch again. It lives in the
database, so every worker and every host sees the same stamp.

Writes through the ORM bump it by themselves (`track_public_changes` listens to every session's
flushes); the few bulk writes that bypass the ORM (the scheduler's guarded UPDATE, the address
and street importers) call `bump` in their own transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC
from datetime import datetime
from typing import Any

from sqlalchemy import event
from sqlalchemy import select
from sqlalchemy.dialects import postgresql
from sqlalchemy.dialects import sqlite
from sqlalchemy.orm import Session

from statusmap.models import Incident
from statusmap.models import IncidentUpdate
from statusmap.models import Municipality
from statusmap.models import PublicChange
from statusmap.models.base import utcnow

NEVER = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class ChangeStamp:
    """The municipality's public data as of its `serial`th change, made at `changed_at`."""

    serial: int
    changed_at: datetime

    def to_json(self) -> dict[str, Any]:
        """The stamp as the change endpoint sends it."""
        return {"serial": self.serial, "changed_at": self.changed_at.isoformat(timespec="seconds")}


def read_stamp(session: Session, municipality_id: int) -> ChangeStamp:
    """The current stamp (serial 0 if the municipality's data never changed since set-up)."""
    row = session.execute(
        select(PublicChange.serial, PublicChange.changed_at).where(
            PublicChange.municipality_id == municipality_id
        )
    ).first()
    return ChangeStamp(row[0], row[1]) if row else ChangeStamp(0, NEVER)


def stamp_by_slug(session: Session, slug: str) -> tuple[int, ChangeStamp] | None:
    """The municipality's id and stamp in one query; None if no municipality has that slug."""
    row = session.execute(
        select(Municipality.id, PublicChange.serial, PublicChange.changed_at)
        .outerjoin(PublicChange, PublicChange.municipality_id == Municipality.id)
        .where(Municipality.slug == slug)
    ).first()
    if row is None:
        return None
    serial, changed_at = row[1], row[2]
    return row[0], ChangeStamp(serial or 0, changed_at or NEVER)


BUMPED = "public_changes_bumped"


def bump(session: Session, municipality_ids: Iterable[int]) -> None:
    """Move the stamps of these municipalities on, in the session's transaction."""
    connection = session.connection()
    # The web layer reads this to know the request changed public data (prepared.py).
    ids = sorted(set(municipality_ids))  # one lock order: no deadlocks
    session.info.setdefault(BUMPED, set()).update(ids)
    insert = postgresql.insert if connection.dialect.name == "postgresql" else sqlite.insert
    now = utcnow()
    for municipality_id in ids:
        statement = insert(PublicChange).values(
            municipality_id=municipality_id, serial=1, changed_at=now
        )
        connection.execute(
            statement.on_conflict_do_update(
                index_elements=[PublicChange.municipality_id],
                set_={"serial": PublicChange.serial + 1, "changed_at": now},
            )
        )


def _touched(session: Session) -> set[int]:
    """The municipalities whose public data the pending flush changes."""
    found: set[int] = set()
    for obj in [*session.new, *session.dirty, *session.deleted]:
        if obj in session.dirty and not session.is_modified(obj):
            continue
        if isinstance(obj, Incident) and obj not in session.deleted:
            found.add(obj.municipality_id)
        elif isinstance(obj, IncidentUpdate):
            incident = obj.incident or session.get(Incident, obj.incident_id)
            if incident is not None:
                found.add(incident.municipality_id)
        elif isinstance(obj, Municipality) and obj not in session.deleted:
            found.add(obj.id)
    return found


def _after_flush(session: Session, _context: object) -> None:
    # The session still lists what it flushed, now with ids and foreign keys filled in.
    touched = _touched(session)
    if touched:
        bump(session, touched)


def track_public_changes() -> None:
    """Bump the stamp on every ORM flush that changes public data (idempotent)."""
    if not event.contains(Session, "after_flush", _after_flush):
        event.listen(Session, "after_flush", _after_flush)
