"""Every saved version of an incident: its fields, status and area, who saved it and when.

The revisions are the incident's history: every earlier area is kept here, and a stale editor is
told what changed since the version they opened by comparing them (incidents/history.py).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from shapely.geometry.base import BaseGeometry
from sqlalchemy import JSON
from sqlalchemy import ForeignKey
from sqlalchemy import String
from sqlalchemy import UniqueConstraint
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from statusmap.gis.storage import GeometryColumn
from statusmap.models.base import Base
from statusmap.models.base import UTCDateTime
from statusmap.models.base import string_enum
from statusmap.models.base import utcnow
from statusmap.models.incident import IncidentStatus


class IncidentRevision(Base):
    """One version of an incident as it was saved (incident.version after the save)."""

    __tablename__ = "incident_revision"
    __table_args__ = (
        UniqueConstraint("incident_id", "version", name="uq_incident_revision_version"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # A deleted draft takes its history with it; published incidents are never deleted.
    incident_id: Mapped[int] = mapped_column(ForeignKey("incident.id", ondelete="CASCADE"))
    version: Mapped[int]
    status: Mapped[IncidentStatus] = mapped_column(
        string_enum(IncidentStatus, "incident_revision_status")
    )
    # The editable fields: kind, texts per language, times (ISO 8601, UTC), auto_resolve.
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON)
    # The whole area of this version, not only changed ones: each revision reads on its own.
    area: Mapped[BaseGeometry | None] = mapped_column(GeometryColumn("MULTIPOLYGON"))
    actor: Mapped[str] = mapped_column(String(300))  # as in the audit log: "Kari (kari@...)"
    actor_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    # The operation that saved it (create, edit, publish, ...; the audit log's action names).
    action: Mapped[str] = mapped_column(String(60))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
