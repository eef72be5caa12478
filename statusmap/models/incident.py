"""Incidents (boil-water notices, shutdowns, planned works, ...) and their update timeline."""

from __future__ import annotations

import enum
from datetime import datetime

from shapely.geometry.base import BaseGeometry
from sqlalchemy import ForeignKey
from sqlalchemy import Index
from sqlalchemy import event
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column
from sqlalchemy.orm import relationship

from statusmap.gis.storage import GeometryColumn
from statusmap.models.base import Base
from statusmap.models.base import LocalizedJSON
from statusmap.models.base import UTCDateTime
from statusmap.models.base import localized
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
    area: Mapped[BaseGeometry | None] = mapped_column(GeometryColumn("MULTIPOLYGON"))
    # Bounding box of the area: it feeds SQLite's R*Tree index (migration 0002).
    bbox_min_lon: Mapped[float | None]
    bbox_min_lat: Mapped[float | None]
    bbox_max_lon: Mapped[float | None]
    bbox_max_lat: Mapped[float | None]
    title: Mapped[dict[str, str]] = mapped_column(LocalizedJSON, default=dict)
    summary: Mapped[dict[str, str]] = mapped_column(LocalizedJSON, default=dict)
    advice: Mapped[dict[str, str]] = mapped_column(LocalizedJSON, default=dict)
    cause: Mapped[dict[str, str]] = mapped_column(LocalizedJSON, default=dict)
    starts_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    expected_end: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
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

    def text(self, field: str, language: str) -> str:
        """Return title, summary, advice or cause in the given language (bokmål fallback)."""
        if field not in ("title", "summary", "advice", "cause"):
            raise ValueError(f"unknown text field {field!r}")
        texts: dict[str, str] = getattr(self, field)
        return localized(texts, language)


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


@event.listens_for(Incident.area, "set", propagate=True)
def _keep_bbox(target: Incident, value: BaseGeometry | None, _old: object, _init: object) -> None:
    """Keep the bounding-box columns in step with the area."""
    if value is None or value.is_empty:
        target.bbox_min_lon = target.bbox_min_lat = None
        target.bbox_max_lon = target.bbox_max_lat = None
        return
    (target.bbox_min_lon, target.bbox_min_lat, target.bbox_max_lon, target.bbox_max_lat) = (
        value.bounds
    )
