"""Sign-ups waiting for their code: kept apart from subscribers until confirmed.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

UTC_DATETIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "subscriber_signup",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("municipality_id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("phone", sa.String(length=20), nullable=True),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("wants_sms", sa.Boolean(), nullable=False),
        sa.Column("wants_voice", sa.Boolean(), nullable=False),
        sa.Column("wants_email", sa.Boolean(), nullable=False),
        sa.Column("address_ids", sa.JSON(), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("expires_at", UTC_DATETIME, nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipality.id"],
            name=op.f("fk_subscriber_signup_municipality_id_municipality"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_subscriber_signup")),
        sa.UniqueConstraint("token", name=op.f("uq_subscriber_signup_token")),
        sqlite_autoincrement=True,
    )
    op.create_index(
        "ix_subscriber_signup_created",
        "subscriber_signup",
        ["municipality_id", "created_at"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_subscriber_signup_created", table_name="subscriber_signup")
    op.drop_table("subscriber_signup")
