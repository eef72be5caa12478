"""A municipality's own wording of the message and advice texts for one kind of incident."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON
from sqlalchemy import ForeignKey
from sqlalchemy import String
from sqlalchemy import UniqueConstraint
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from statusmap.models.base import Base
from statusmap.models.base import UTCDateTime
from statusmap.models.base import utcnow


class MessageTemplate(Base):
    """Texts an admin has changed, {field: {language: text}}, laid over the built-in defaults."""

    __tablename__ = "message_template"
    __table_args__ = (
        UniqueConstraint("municipality_id", "kind", name="uq_message_template_municipality_kind"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    texts: Mapped[dict[str, dict[str, str]]] = mapped_column(JSON, default=dict)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    updated_by: Mapped[str] = mapped_column(String(300), default="")
