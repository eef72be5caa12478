"""Open311 API keys: trusted clients (a municipality's own app, a partner) that may send contacts.

Only a SHA-256 of the key is stored; the key itself is shown once, when it is made.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey
from sqlalchemy import String
from sqlalchemy import UniqueConstraint
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from statusmap.models.base import Base
from statusmap.models.base import UTCDateTime
from statusmap.models.base import utcnow

KEY_NAME_MAX = 50


class Open311Key(Base):
    """One trusted Open311 client of one municipality."""

    __tablename__ = "open311_key"
    __table_args__ = (
        UniqueConstraint("municipality_id", "name", name="uq_open311_key_municipality_name"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(
        ForeignKey("municipality.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(KEY_NAME_MAX))
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
