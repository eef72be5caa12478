"""Crowd reports: kind, exact point (staff only), since when, text, contact with consent.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from geoalchemy2 import Geometry

from statusmap.migrations.helpers import create_spatial_index
from statusmap.migrations.helpers import drop_spatial_index

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

KINDS = ("no_water", "low_pressure", "discoloured_water", "leak_seen", "sewer", "water_ok")
STATUSES = ("new", "linked", "hidden", "spam")


def _enum(values: tuple[str, ...], name: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=20)


def _foreign(table: str, ondelete: str, column: str) -> sa.ForeignKey:
    return sa.ForeignKey(f"{table}.id", ondelete=ondelete, name=f"fk_report_{column}_{table}")


def upgrade() -> None:
    point = sa.LargeBinary().with_variant(
        Geometry("POINT", srid=4326, spatial_index=False), "postgresql"
    )
    op.create_table(
        "report",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("reference", sa.String(8), nullable=False),
        sa.Column(
            "municipality_id",
            sa.Integer,
            _foreign("municipality", "CASCADE", "municipality_id"),
            nullable=False,
        ),
        sa.Column("kind", _enum(KINDS, "report_kind"), nullable=False),
        sa.Column("status", _enum(STATUSES, "report_status"), nullable=False),
        sa.Column("location", point, nullable=False),
        sa.Column("address_id", sa.Integer, _foreign("address", "SET NULL", "address_id")),
        sa.Column("observed_since", sa.DateTime(timezone=True), nullable=False),
        sa.Column("text", sa.String(500), nullable=False),
        sa.Column("contact", sa.String(200)),
        sa.Column("contact_consent", sa.Boolean, nullable=False),
        sa.Column("contact_purged_at", sa.DateTime(timezone=True)),
        sa.Column("client_key", sa.String(64), nullable=False),
        sa.Column("source", sa.String(60), nullable=False),
        sa.Column("repeats", sa.Integer, nullable=False),
        sa.Column("incident_id", sa.Integer, _foreign("incident", "SET NULL", "incident_id")),
        sa.Column("notify_pending", sa.Boolean, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_report"),
        sa.UniqueConstraint("reference", name="uq_report_reference"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_report_municipality_created", "report", ["municipality_id", "created_at"])
    op.create_index("ix_report_client", "report", ["municipality_id", "client_key", "kind"])
    op.create_index("ix_report_incident_id", "report", ["incident_id"])
    create_spatial_index("report", "location")


def downgrade() -> None:
    drop_spatial_index("report", "location")
    op.drop_index("ix_report_incident_id", table_name="report")
    op.drop_index("ix_report_client", table_name="report")
    op.drop_index("ix_report_municipality_created", table_name="report")
    op.drop_table("report")
