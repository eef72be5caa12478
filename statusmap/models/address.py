"""Addresses from the national register (Matrikkelen), with dwellings and vulnerable subscribers."""

from __future__ import annotations

import enum
from datetime import datetime

from shapely.geometry.base import BaseGeometry
from sqlalchemy import ForeignKey
from sqlalchemy import Index
from sqlalchemy import String
from sqlalchemy import UniqueConstraint
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column
from sqlalchemy.orm import validates

from statusmap.gis.storage import GeometryColumn
from statusmap.models.base import Base
from statusmap.models.base import UTCDateTime
from statusmap.models.base import string_enum
from statusmap.models.base import utcnow
from statusmap.norwegian import street_key


class VulnerableCategory(enum.StrEnum):
    """Subscribers who need special care during a loss of supply (Mattilsynet's guidance)."""

    NURSING_HOME = "nursing_home"
    KINDERGARTEN = "kindergarten"
    SCHOOL = "school"
    FOOD_BUSINESS = "food_business"
    DIALYSIS = "dialysis"
    OTHER = "other"


class Address(Base):
    """One street address: a point, its label parts and how many dwellings it holds."""

    __tablename__ = "address"
    __table_args__ = (
        UniqueConstraint("municipality_id", "source_id", name="uq_address_source"),
        Index("ix_address_street", "municipality_id", "street", "number"),
        # "Am I affected?" finds addresses by key prefix (LIKE 'key%' on PostgreSQL, GLOB on
        # SQLite): pattern operators, so PostgreSQL uses it whatever the database's collation.
        Index(
            "ix_address_search",
            "municipality_id",
            "search_key",
            "number",
            postgresql_ops={"search_key": "varchar_pattern_ops"},
        ),
        # Never reuse an id (SQLite would after deleting the highest): links and audit rows keep
        # pointing at the thing they meant, as with PostgreSQL's sequences.
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id", ondelete="CASCADE"))
    # The register's own identifier (Kartverket's lokalid), so re-imports update in place.
    source_id: Mapped[str] = mapped_column(String(64))
    street: Mapped[str] = mapped_column(String(200))
    # street_key(street): computed in Python (SQL's lower() folds neither Æ, Ø, Å nor Kirkevn.).
    search_key: Mapped[str] = mapped_column(String(200), default="", server_default="")
    number: Mapped[int | None]
    letter: Mapped[str] = mapped_column(String(4), default="")
    postcode: Mapped[str] = mapped_column(String(4), default="")
    place: Mapped[str] = mapped_column(String(100), default="")
    # None: unknown (Kartverket's address file does not say how many dwellings an address has).
    dwellings: Mapped[int | None]
    vulnerable_category: Mapped[VulnerableCategory | None] = mapped_column(
        string_enum(VulnerableCategory, "vulnerable_category")
    )
    vulnerable_name: Mapped[str] = mapped_column(String(200), default="")
    location: Mapped[BaseGeometry] = mapped_column(GeometryColumn("POINT", indexed=True))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    # Set when the address left the register (a complete re-import no longer has it): kept for
    # history and links, but no longer counted, listed or notified.
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @validates("street")
    def _street_key(self, _key: str, street: str) -> str:
        """Keep the search key with the street (bulk writers compute it themselves)."""
        self.search_key = street_key(street)
        return street

    @property
    def label(self) -> str:
        """Return the address as people write it: 'Storgata 12B, 2750 GRAN'."""
        house = f"{self.number or ''}{self.letter}".strip()
        street = f"{self.street} {house}".strip()
        place = f"{self.postcode} {self.place}".strip()
        return f"{street}, {place}" if place else street
