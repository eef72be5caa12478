"""Staff accounts: users, their roles per municipality, failed logins; message templates.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

UTC_DATETIME = sa.DateTime(timezone=True)


def _role_check() -> sa.CheckConstraint:
    return sa.CheckConstraint("role IN ('viewer', 'editor', 'admin')", name="ck_membership_role")


def upgrade() -> None:
    op.create_table(
        "user_account",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("password_hash", sa.String(200), nullable=False),
        sa.Column("session_token", sa.String(64), nullable=False),
        sa.Column("is_active", sa.Boolean, nullable=False),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.Column("password_changed_at", UTC_DATETIME, nullable=False),
        sa.Column("last_login_at", UTC_DATETIME, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_user_account"),
        sa.UniqueConstraint("email", name="uq_user_account_email"),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "membership",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column(
            "user_id",
            sa.Integer,
            sa.ForeignKey(
                "user_account.id", ondelete="CASCADE", name="fk_membership_user_id_user_account"
            ),
            nullable=False,
        ),
        sa.Column(
            "municipality_id",
            sa.Integer,
            sa.ForeignKey(
                "municipality.id",
                ondelete="CASCADE",
                name="fk_membership_municipality_id_municipality",
            ),
            nullable=False,
        ),
        sa.Column("role", sa.String(20), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_membership"),
        sa.UniqueConstraint("user_id", "municipality_id", name="uq_membership_user_municipality"),
        _role_check(),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_membership_municipality_id", "membership", ["municipality_id"])
    op.create_table(
        "login_failure",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("ip", sa.String(64), nullable=False),
        sa.Column("at", UTC_DATETIME, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_login_failure"),
    )
    op.create_index("ix_login_failure_email_at", "login_failure", ["email", "at"])
    op.create_index("ix_login_failure_ip_at", "login_failure", ["ip", "at"])
    op.create_table(
        "message_template",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column(
            "municipality_id",
            sa.Integer,
            sa.ForeignKey(
                "municipality.id",
                ondelete="CASCADE",
                name="fk_message_template_municipality_id_municipality",
            ),
            nullable=False,
        ),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("texts", sa.JSON, nullable=False),
        sa.Column("updated_at", UTC_DATETIME, nullable=False),
        sa.Column("updated_by", sa.String(300), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_message_template"),
        sa.UniqueConstraint(
            "municipality_id", "kind", name="uq_message_template_municipality_kind"
        ),
        sqlite_autoincrement=True,
    )
    # audit_event has no spatial index, so SQLite's batch rebuild loses no triggers.
    with op.batch_alter_table("audit_event") as batch:
        batch.alter_column("actor", type_=sa.String(300), existing_nullable=False)
        batch.add_column(sa.Column("actor_user_id", sa.Integer, nullable=True))
        batch.create_foreign_key(
            "fk_audit_event_actor_user_id_user_account",
            "user_account",
            ["actor_user_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch.create_index("ix_audit_event_actor_user_id", ["actor_user_id"])


def downgrade() -> None:
    with op.batch_alter_table("audit_event") as batch:
        batch.drop_index("ix_audit_event_actor_user_id")
        batch.drop_constraint("fk_audit_event_actor_user_id_user_account", type_="foreignkey")
        batch.drop_column("actor_user_id")
        batch.alter_column("actor", type_=sa.String(200), existing_nullable=False)
    op.drop_table("message_template")
    op.drop_index("ix_login_failure_ip_at", table_name="login_failure")
    op.drop_index("ix_login_failure_email_at", table_name="login_failure")
    op.drop_table("login_failure")
    op.drop_index("ix_membership_municipality_id", table_name="membership")
    op.drop_table("membership")
    op.drop_table("user_account")
