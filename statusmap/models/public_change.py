"""The change stamp of a municipality's public data: one row per municipality.

Every write that changes what the public sees (an incident, its updates, the municipality's
details, its addresses or streets) moves `serial` on in the same transaction. Public reads are
prepared once per serial, and browsers poll the serial to know when to fetch again.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger
from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from statusmap.models.base import Base
from statusmap.models.base import UTCDateTime
from statusmap.models.base import utcnow


class PublicChange(Base):
    """How often, and when last, the municipality's public data changed."""

    __tablename__ = "public_change"

    municipality_id: Mapped[int] = mapped_column(
        ForeignKey("municipality.id", ondelete="CASCADE"), primary_key=True
    )
    serial: Mapped[int] = mapped_column(BigInteger, default=1)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
