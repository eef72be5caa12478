"""Streets: centrelines of each municipality's roads, the base map that needs no tile server.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from geoalchemy2 import Geometry

from statusmap.migrations.helpers import create_spatial_index
from statusmap.migrations.helpers import drop_spatial_index

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    geometry = sa.LargeBinary().with_variant(
        Geometry("MULTILINESTRING", srid=4326, spatial_index=False), "postgresql"
    )
    op.create_table(
        "street",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "municipality_id",
            sa.Integer,
            sa.ForeignKey(
                "municipality.id",
                ondelete="CASCADE",
                name="fk_street_municipality_id_municipality",
            ),
            nullable=False,
        ),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("geometry", geometry, nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_street"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_street_municipality_id", "street", ["municipality_id"])
    create_spatial_index("street", "geometry")
    op.add_column(
        "municipality",
        sa.Column("streets_attribution", sa.String(300), nullable=False, server_default=""),
    )


def downgrade() -> None:
    op.drop_column("municipality", "streets_attribution")
    drop_spatial_index("street", "geometry")
    op.drop_index("ix_street_municipality_id", table_name="street")
    op.drop_table("street")
