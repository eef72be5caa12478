"""A municipality served by this instance: its identity, area and who speaks for it."""

from __future__ import annotations

from datetime import datetime

from shapely.geometry.base import BaseGeometry
from sqlalchemy import CheckConstraint
from sqlalchemy import String
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from statusmap.gis.storage import GeometryColumn
from statusmap.models.base import Base
from statusmap.models.base import LocalizedJSON
from statusmap.models.base import UTCDateTime
from statusmap.models.base import localized
from statusmap.models.base import utcnow

# EUREF89 UTM zones used for measurement in Norway.
UTM_ZONES = (25832, 25833, 25835)


class Municipality(Base):
    """One municipality (kommune); incidents, addresses and later everything else belong to one."""

    __tablename__ = "municipality"
    __table_args__ = (
        CheckConstraint("length(kommunenummer) = 4", name="kommunenummer_four_digits"),
        CheckConstraint("utm_epsg IN (25832, 25833, 25835)", name="utm_epsg_norwegian"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    kommunenummer: Mapped[str] = mapped_column(String(4), unique=True)
    name: Mapped[dict[str, str]] = mapped_column(LocalizedJSON)
    boundary: Mapped[BaseGeometry] = mapped_column(GeometryColumn("MULTIPOLYGON", indexed=True))
    utm_epsg: Mapped[int]
    department: Mapped[dict[str, str]] = mapped_column(LocalizedJSON)
    contact_phone: Mapped[str] = mapped_column(String(40), default="")
    contact_email: Mapped[str] = mapped_column(String(200), default="")
    contact_url: Mapped[str] = mapped_column(String(500), default="")
    public_url: Mapped[str] = mapped_column(String(500), default="")
    # Credit for the imported street layer (the source's licence), shown on every map.
    streets_attribution: Mapped[str] = mapped_column(String(300), default="")
    is_demo: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def name_in(self, language: str) -> str:
        """Return the municipality's name in the given language."""
        return localized(self.name, language)

    def department_in(self, language: str) -> str:
        """Return the sending department's name in the given language."""
        return localized(self.department, language)
