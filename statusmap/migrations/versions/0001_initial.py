"""Initial schema: municipality, incident, incident_update, address, audit_event.

Revision ID: 0001
Revises:
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from geoalchemy2 import Geometry

# Frozen here, not imported from the live models: this revision's schema must not change when
# the code does. Constraint names as the models' naming convention gave them on 2026-11-28.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
# Timestamps: timestamptz on PostgreSQL, DATETIME (UTC) on SQLite.
UTC_DATETIME = sa.DateTime(timezone=True)


def _geometry(geometry_type: str) -> sa.types.TypeEngine[bytes]:
    """The stored form of a geometry column: PostGIS geometry in EPSG:4326, or WKB in a BLOB."""
    postgis = Geometry(geometry_type, srid=4326, spatial_index=False)
    return sa.LargeBinary().with_variant(postgis, "postgresql")


revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

KINDS = (
    "boil_water",
    "shutdown",
    "planned_works",
    "low_pressure",
    "discoloured_water",
    "sewer",
    "other",
)
STATUSES = ("draft", "scheduled", "active", "resolved")
VULNERABLE = ("nursing_home", "kindergarten", "school", "food_business", "dialysis", "other")


def _enum(values: tuple[str, ...], name: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=20)


def _schema() -> sa.MetaData:
    """The schema as of this revision, frozen here rather than imported from the live models."""
    md = sa.MetaData(naming_convention=NAMING_CONVENTION)
    sa.Table(
        "municipality",
        md,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("slug", sa.String(60), nullable=False, unique=True),
        sa.Column("kommunenummer", sa.String(4), nullable=False, unique=True),
        sa.Column("name", sa.JSON, nullable=False),
        sa.Column("boundary", _geometry("MULTIPOLYGON"), nullable=False),
        sa.Column("utm_epsg", sa.Integer, nullable=False),
        sa.Column("department", sa.JSON, nullable=False),
        sa.Column("contact_phone", sa.String(40), nullable=False),
        sa.Column("contact_email", sa.String(200), nullable=False),
        sa.Column("contact_url", sa.String(500), nullable=False),
        sa.Column("public_url", sa.String(500), nullable=False),
        sa.Column("is_demo", sa.Boolean, nullable=False),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.CheckConstraint("length(kommunenummer) = 4", name="kommunenummer_four_digits"),
        sa.CheckConstraint("utm_epsg IN (25832, 25833, 25835)", name="utm_epsg_norwegian"),
    )
    sa.Table(
        "incident",
        md,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "municipality_id",
            sa.Integer,
            sa.ForeignKey("municipality.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("kind", _enum(KINDS, "incident_kind"), nullable=False),
        sa.Column("status", _enum(STATUSES, "incident_status"), nullable=False),
        sa.Column("area", _geometry("MULTIPOLYGON"), nullable=True),
        sa.Column("bbox_min_lon", sa.Double, nullable=True),
        sa.Column("bbox_min_lat", sa.Double, nullable=True),
        sa.Column("bbox_max_lon", sa.Double, nullable=True),
        sa.Column("bbox_max_lat", sa.Double, nullable=True),
        sa.Column("title", sa.JSON, nullable=False),
        sa.Column("summary", sa.JSON, nullable=False),
        sa.Column("advice", sa.JSON, nullable=False),
        sa.Column("cause", sa.JSON, nullable=False),
        sa.Column("starts_at", UTC_DATETIME, nullable=True),
        sa.Column("expected_end", UTC_DATETIME, nullable=True),
        sa.Column("resolved_at", UTC_DATETIME, nullable=True),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.Column("updated_at", UTC_DATETIME, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Index("ix_incident_municipality_status", "municipality_id", "status"),
        sa.Index(
            "ix_incident_bbox", "bbox_min_lon", "bbox_max_lon", "bbox_min_lat", "bbox_max_lat"
        ),
    )
    sa.Table(
        "incident_update",
        md,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "incident_id",
            sa.Integer,
            sa.ForeignKey("incident.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("status", _enum(STATUSES, "incident_update_status"), nullable=False),
        sa.Column("body", sa.JSON, nullable=False),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
    )
    sa.Table(
        "address",
        md,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "municipality_id",
            sa.Integer,
            sa.ForeignKey("municipality.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("source_id", sa.String(64), nullable=False),
        sa.Column("street", sa.String(200), nullable=False),
        sa.Column("number", sa.Integer, nullable=True),
        sa.Column("letter", sa.String(4), nullable=False),
        sa.Column("postcode", sa.String(4), nullable=False),
        sa.Column("place", sa.String(100), nullable=False),
        sa.Column("dwellings", sa.Integer, nullable=True),
        sa.Column("vulnerable_category", _enum(VULNERABLE, "vulnerable_category"), nullable=True),
        sa.Column("vulnerable_name", sa.String(200), nullable=False),
        sa.Column("location", _geometry("POINT"), nullable=False),
        sa.Column("lon", sa.Double, nullable=False),
        sa.Column("lat", sa.Double, nullable=False),
        sa.Column("updated_at", UTC_DATETIME, nullable=False),
        sa.UniqueConstraint("municipality_id", "source_id", name="uq_address_source"),
        sa.Index("ix_address_lon_lat", "lon", "lat"),
        sa.Index("ix_address_street", "municipality_id", "street", "number"),
    )
    sa.Table(
        "audit_event",
        md,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "municipality_id",
            sa.Integer,
            sa.ForeignKey("municipality.id", ondelete="SET NULL"),
            nullable=True,
            index=True,
        ),
        sa.Column("at", UTC_DATETIME, nullable=False, index=True),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("action", sa.String(60), nullable=False),
        sa.Column("object_type", sa.String(60), nullable=False),
        sa.Column("object_id", sa.String(64), nullable=False),
        sa.Column("details", sa.JSON, nullable=False),
    )
    for table in md.tables.values():
        # Never reuse an id on SQLite (AUTOINCREMENT), as PostgreSQL's sequences never do.
        table.dialect_options["sqlite"]["autoincrement"] = True
    return md


SPATIAL_INDEXES = (
    ("ix_municipality_boundary", "municipality", "boundary"),
    ("ix_incident_area", "incident", "area"),
    ("ix_address_location", "address", "location"),
)


def upgrade() -> None:
    bind = op.get_bind()
    _schema().create_all(bind)
    if bind.dialect.name == "postgresql":
        for name, table, column in SPATIAL_INDEXES:
            op.create_index(name, table, [column], postgresql_using="gist")


def downgrade() -> None:
    _schema().drop_all(op.get_bind())
