"""Open311 API keys of trusted clients, stored hashed.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

UTC_DATETIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "open311_key",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column(
            "municipality_id",
            sa.Integer,
            sa.ForeignKey(
                "municipality.id",
                ondelete="CASCADE",
                name="fk_open311_key_municipality_id_municipality",
            ),
            nullable=False,
        ),
        sa.Column("name", sa.String(50), nullable=False),
        sa.Column("key_hash", sa.String(64), nullable=False),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.Column("revoked_at", UTC_DATETIME, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_open311_key"),
        sa.UniqueConstraint("key_hash", name="uq_open311_key_key_hash"),
        sa.UniqueConstraint("municipality_id", "name", name="uq_open311_key_municipality_name"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_open311_key_municipality_id", "open311_key", ["municipality_id"])


def downgrade() -> None:
    op.drop_index("ix_open311_key_municipality_id", table_name="open311_key")
    op.drop_table("open311_key")
