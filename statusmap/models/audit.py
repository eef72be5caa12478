"""The audit log: who changed what, and when."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import JSON
from sqlalchemy import ForeignKey
from sqlalchemy import String
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import Session
from sqlalchemy.orm import mapped_column

from statusmap.models.base import Base
from statusmap.models.base import UTCDateTime
from statusmap.models.base import utcnow


@dataclass(frozen=True)
class Actor:
    """Who makes a change: a label for the audit log and, for staff, their account id."""

    label: str
    user_id: int | None = None

    def __str__(self) -> str:
        return self.label


class AuditEvent(Base):
    """One recorded change or login: who (a user, or 'cli', 'demo', 'scheduler'), when, what."""

    __tablename__ = "audit_event"
    __table_args__ = {"sqlite_autoincrement": True}

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int | None] = mapped_column(
        ForeignKey("municipality.id", ondelete="SET NULL"), index=True
    )
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(300))
    # The staff account behind the actor, when there is one (kept as text too: accounts go away).
    actor_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    action: Mapped[str] = mapped_column(String(60))
    object_type: Mapped[str] = mapped_column(String(60))
    object_id: Mapped[str] = mapped_column(String(64), default="")
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


def record(
    session: Session,
    *,
    actor: str | Actor,
    action: str,
    obj: Any,
    municipality_id: int | None,
    **details: Any,
) -> AuditEvent:
    """Add an audit row for a change to obj (call after flush, so obj has its id)."""
    who = actor if isinstance(actor, Actor) else Actor(actor)
    event = AuditEvent(
        municipality_id=municipality_id,
        actor=who.label,
        actor_user_id=who.user_id,
        action=action,
        object_type=type(obj).__name__.lower(),
        object_id=str(getattr(obj, "id", "") or ""),
        details=details,
    )
    session.add(event)
    return event
