"""The change stamp of each municipality's public data (public_change).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "public_change",
        sa.Column(
            "municipality_id",
            sa.Integer,
            sa.ForeignKey(
                "municipality.id",
                ondelete="CASCADE",
                name="fk_public_change_municipality_id_municipality",
            ),
            primary_key=True,
        ),
        sa.Column("serial", sa.BigInteger, nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.execute(
        "INSERT INTO public_change (municipality_id, serial, changed_at) "
        "SELECT id, 1, CURRENT_TIMESTAMP FROM municipality"
    )


def downgrade() -> None:
    op.drop_table("public_change")
