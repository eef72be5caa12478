"""Crowd reports: what residents see (no water, low pressure, ...), where and since when.

A report keeps its exact point for staff only; the public sees reports generalised into cells
(statusmap/reports/). "My water is fine" is a report of its own: the leak localiser reads where
water still runs as much as where it does not.
"""

from __future__ import annotations

import enum
from datetime import datetime

from shapely.geometry.base import BaseGeometry
from sqlalchemy import ForeignKey
from sqlalchemy import Index
from sqlalchemy import String
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from statusmap.gis.storage import GeometryColumn
from statusmap.models.base import Base
from statusmap.models.base import UTCDateTime
from statusmap.models.base import string_enum
from statusmap.models.base import utcnow

TEXT_MAX = 500
CONTACT_MAX = 200
REFERENCE_LENGTH = 8


class ReportKind(enum.StrEnum):
    """What a resident reports."""

    NO_WATER = "no_water"
    LOW_PRESSURE = "low_pressure"
    DISCOLOURED_WATER = "discoloured_water"
    LEAK_SEEN = "leak_seen"  # water on the street
    SEWER = "sewer"  # sewer problem or smell
    WATER_OK = "water_ok"  # my water is fine


class ReportStatus(enum.StrEnum):
    """Where a report is in staff's reading of it; hidden and spam are never public."""

    NEW = "new"
    LINKED = "linked"  # tied to an incident
    HIDDEN = "hidden"
    SPAM = "spam"


PUBLIC_REPORT_STATUSES = (ReportStatus.NEW, ReportStatus.LINKED)


class Report(Base):
    """One report by one resident (repeats of the same report are merged into it)."""

    __tablename__ = "report"
    __table_args__ = (
        Index("ix_report_municipality_created", "municipality_id", "created_at"),
        Index("ix_report_client", "municipality_id", "client_key", "kind"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # The reporter's reference number: short, unguessable, unique ("K7M2QX9A", shown K7M2-QX9A).
    reference: Mapped[str] = mapped_column(String(REFERENCE_LENGTH), unique=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id", ondelete="CASCADE"))
    kind: Mapped[ReportKind] = mapped_column(string_enum(ReportKind, "report_kind"))
    status: Mapped[ReportStatus] = mapped_column(
        string_enum(ReportStatus, "report_status"), default=ReportStatus.NEW
    )
    # Exact, for staff only; WGS 84.
    location: Mapped[BaseGeometry] = mapped_column(GeometryColumn("POINT", indexed=True))
    address_id: Mapped[int | None] = mapped_column(
        ForeignKey("address.id", ondelete="SET NULL"), default=None
    )
    observed_since: Mapped[datetime] = mapped_column(UTCDateTime)
    text: Mapped[str] = mapped_column(String(TEXT_MAX), default="")
    # Personal data: staff only, and deleted on the retention schedule (`statusmap purge`).
    contact: Mapped[str | None] = mapped_column(String(CONTACT_MAX), default=None)
    contact_consent: Mapped[bool] = mapped_column(default=False)
    contact_purged_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    # A keyed hash of the sender's network address: repeats are merged and limits counted by it,
    # and it cannot be turned back into the address.
    client_key: Mapped[str] = mapped_column(String(64), default="")
    source: Mapped[str] = mapped_column(String(60), default="web")  # "web", "open311:<client>"
    repeats: Mapped[int] = mapped_column(default=0)  # merged duplicates of this report
    incident_id: Mapped[int | None] = mapped_column(
        ForeignKey("incident.id", ondelete="SET NULL"), default=None, index=True
    )
    # Tell the reporter when the linked incident is resolved (through the notification channels).
    notify_pending: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
