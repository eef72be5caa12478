"""Incidents (boil-water notices, shutdowns, planned works, ...) and their update timeline."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from datetime import datetime

from shapely.geometry.base import BaseGeometry
from sqlalchemy import ColumnElement
from sqlalchemy import ForeignKey
from sqlalchemy import Index
from sqlalchemy import and_
from sqlalchemy import false
from sqlalchemy import not_
from sqlalchemy import or_
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column
from sqlalchemy.orm import relationship

from statusmap.gis.storage import GeometryColumn
from statusmap.models.base import Base
from statusmap.models.base import LocalizedJSON
from statusmap.models.base import UTCDateTime
from statusmap.models.base import localized
from statusmap.models.base import localized_language
from statusmap.models.base import string_enum
from statusmap.models.base import utcnow
from statusmap.models.municipality import Municipality


class IncidentKind(enum.StrEnum):
    """What kind of event an incident is."""

    BOIL_WATER = "boil_water"
    SHUTDOWN = "shutdown"
    PLANNED_WORKS = "planned_works"
    LOW_PRESSURE = "low_pressure"
    DISCOLOURED_WATER = "discoloured_water"
    SEWER = "sewer"
    OTHER = "other"


class IncidentStatus(enum.StrEnum):
    """Where an incident is in its lifecycle; only draft is never public."""

    DRAFT = "draft"
    SCHEDULED = "scheduled"
    ACTIVE = "active"
    RESOLVED = "resolved"


TEXT_FIELDS = ("title", "summary", "advice", "cause")
PUBLIC_STATUSES = (IncidentStatus.SCHEDULED, IncidentStatus.ACTIVE, IncidentStatus.RESOLVED)


class Incident(Base):
    """One incident in one municipality, with its area and texts in each language."""

    __tablename__ = "incident"
    __table_args__ = (
        Index("ix_incident_municipality_status", "municipality_id", "status"),
        {"sqlite_autoincrement": True},  # ids are public (links, feeds): never reuse one
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id", ondelete="CASCADE"))
    kind: Mapped[IncidentKind] = mapped_column(string_enum(IncidentKind, "incident_kind"))
    status: Mapped[IncidentStatus] = mapped_column(string_enum(IncidentStatus, "incident_status"))
    area: Mapped[BaseGeometry | None] = mapped_column(GeometryColumn("MULTIPOLYGON", indexed=True))
    title: Mapped[dict[str, str]] = mapped_column(LocalizedJSON, default=dict)
    summary: Mapped[dict[str, str]] = mapped_column(LocalizedJSON, default=dict)
    advice: Mapped[dict[str, str]] = mapped_column(LocalizedJSON, default=dict)
    cause: Mapped[dict[str, str]] = mapped_column(LocalizedJSON, default=dict)
    starts_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    expected_end: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Resolve by itself at expected_end (the scheduler does it, with a default closing message).
    auto_resolve: Mapped[bool] = mapped_column(default=False)
    # When the public first saw it (scheduled or published); None while it is a draft.
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    # Optimistic locking: a stale editor's write fails instead of silently overwriting.
    version: Mapped[int] = mapped_column(default=1)

    municipality: Mapped[Municipality] = relationship()
    updates: Mapped[list[IncidentUpdate]] = relationship(
        back_populates="incident",
        order_by="IncidentUpdate.created_at.desc()",
        cascade="all, delete-orphan",
    )

    __mapper_args__ = {"version_id_col": version}

    def status_at(self, now: datetime) -> IncidentStatus:
        """The status the public sees at a moment: a scheduled incident is active once it starts."""
        if self.status is IncidentStatus.SCHEDULED and _started(self.starts_at, now):
            return IncidentStatus.ACTIVE
        return self.status

    @classmethod
    def in_status_at(cls, statuses: Iterable[IncidentStatus], now: datetime) -> ColumnElement[bool]:
        """SQL condition: the incident's status at `now` (see status_at) is one of statuses."""
        wanted = set(statuses)
        started = and_(cls.starts_at.is_not(None), cls.starts_at <= now)
        clauses: list[ColumnElement[bool]] = [
            cls.status == status
            for status in wanted
            if status not in (IncidentStatus.ACTIVE, IncidentStatus.SCHEDULED)
        ]
        if IncidentStatus.ACTIVE in wanted:
            clauses.append(cls.status == IncidentStatus.ACTIVE)
            clauses.append(and_(cls.status == IncidentStatus.SCHEDULED, started))
        if IncidentStatus.SCHEDULED in wanted:
            clauses.append(and_(cls.status == IncidentStatus.SCHEDULED, not_(started)))
        return or_(false(), *clauses)

    def text(self, field: str, language: str) -> str:
        """Return title, summary, advice or cause in the given language (bokmål fallback)."""
        return localized(self._texts(field), language)

    def text_language(self, field: str, language: str) -> str | None:
        """The language `text(field, language)` actually comes from: `language` itself, the
        fallback (bokmål first) when it has no such text, or None when there is no text."""
        return localized_language(self._texts(field), language)

    def fallback_language(self, language: str) -> str | None:
        """The language shown in place of `language` in any of the incident's public texts
        (title, summary, cause, advice, update bodies); None when none of them falls back."""
        sources = [self.text_language(field, language) for field in TEXT_FIELDS]
        sources += [update.body_language(language) for update in self.updates]
        fallbacks = [source for source in sources if source not in (None, language)]
        return fallbacks[0] if fallbacks else None

    def _texts(self, field: str) -> dict[str, str]:
        if field not in TEXT_FIELDS:
            raise ValueError(f"unknown text field {field!r}")
        texts: dict[str, str] = getattr(self, field)
        return texts


def _started(starts_at: datetime | None, now: datetime) -> bool:
    return starts_at is not None and starts_at <= now


class IncidentUpdate(Base):
    """One entry on an incident's public timeline."""

    __tablename__ = "incident_update"
    __table_args__ = {"sqlite_autoincrement": True}

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(
        ForeignKey("incident.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[IncidentStatus] = mapped_column(
        string_enum(IncidentStatus, "incident_update_status")
    )
    body: Mapped[dict[str, str]] = mapped_column(LocalizedJSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    incident: Mapped[Incident] = relationship(back_populates="updates")

    def body_in(self, language: str) -> str:
        """Return the update's text in the given language."""
        return localized(self.body, language)

    def body_language(self, language: str) -> str | None:
        """The language `body_in(language)` actually comes from (see Incident.text_language)."""
        return localized_language(self.body, language)
