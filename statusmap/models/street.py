"""Street centrelines: the base map drawn from our own data, which works with no tile source."""

from __future__ import annotations

from datetime import datetime

from shapely.geometry.base import BaseGeometry
from sqlalchemy import ForeignKey
from sqlalchemy import String
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from statusmap.gis.storage import GeometryColumn
from statusmap.models.base import Base
from statusmap.models.base import UTCDateTime
from statusmap.models.base import utcnow


class Street(Base):
    """One named street (or an unnamed road) of a municipality, simplified for the web."""

    __tablename__ = "street"
    __table_args__ = {"sqlite_autoincrement": True}

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(
        ForeignKey("municipality.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200), default="")  # "" for an unnamed road
    geometry: Mapped[BaseGeometry] = mapped_column(GeometryColumn("MULTILINESTRING", indexed=True))
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
