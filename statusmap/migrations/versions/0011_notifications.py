"""Notifications: subscribers and their addresses, and the outbox (events, texts, messages).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

UTC_DATETIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "subscriber",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("municipality_id", sa.Integer(), nullable=False),
        sa.Column("phone", sa.String(length=20), nullable=True),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("wants_sms", sa.Boolean(), nullable=False),
        sa.Column("wants_voice", sa.Boolean(), nullable=False),
        sa.Column("wants_email", sa.Boolean(), nullable=False),
        sa.Column("confirmed_at", UTC_DATETIME, nullable=True),
        sa.Column("confirm_code_hash", sa.String(length=64), nullable=True),
        sa.Column("confirm_expires_at", UTC_DATETIME, nullable=True),
        sa.Column("confirm_attempts", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("source", sa.String(length=10), nullable=False),
        sa.Column(
            "vulnerable_category",
            sa.Enum(
                "nursing_home",
                "kindergarten",
                "school",
                "food_business",
                "dialysis",
                "other",
                name="subscriber_vulnerable_category",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=True,
        ),
        sa.Column("vulnerable_note", sa.String(length=200), nullable=False),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.Column("updated_at", UTC_DATETIME, nullable=False),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipality.id"],
            name=op.f("fk_subscriber_municipality_id_municipality"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_subscriber")),
        sa.UniqueConstraint("token", name=op.f("uq_subscriber_token")),
        sqlite_autoincrement=True,
    )
    op.create_index(
        "uq_subscriber_email",
        "subscriber",
        ["municipality_id", "email"],
        unique=True,
        sqlite_where=sa.text("email IS NOT NULL"),
        postgresql_where=sa.text("email IS NOT NULL"),
    )
    op.create_index(
        "uq_subscriber_phone",
        "subscriber",
        ["municipality_id", "phone"],
        unique=True,
        sqlite_where=sa.text("phone IS NOT NULL"),
        postgresql_where=sa.text("phone IS NOT NULL"),
    )
    op.create_table(
        "notification_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("municipality_id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("previous_version", sa.Integer(), nullable=True),
        sa.Column(
            "kind",
            sa.Enum(
                "published",
                "updated",
                "area_changed",
                "resolved",
                "resend",
                name="notification_event_kind",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column(
            "audience",
            sa.Enum(
                "all",
                "vulnerable_only",
                name="notification_audience",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column(
            "status",
            sa.Enum(
                "pending",
                "expanded",
                name="notification_event_status",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("actor", sa.String(length=300), nullable=False),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.Column("expanded_at", UTC_DATETIME, nullable=True),
        sa.ForeignKeyConstraint(
            ["incident_id"],
            ["incident.id"],
            name=op.f("fk_notification_event_incident_id_incident"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipality.id"],
            name=op.f("fk_notification_event_municipality_id_municipality"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notification_event")),
        sa.UniqueConstraint("incident_id", "version", "kind", name="uq_notification_event_version"),
        sqlite_autoincrement=True,
    )
    op.create_index(
        op.f("ix_notification_event_incident_id"),
        "notification_event",
        ["incident_id"],
        unique=False,
    )
    op.create_index(
        "ix_notification_event_status", "notification_event", ["status", "id"], unique=False
    )
    op.create_table(
        "subscription",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subscriber_id", sa.Integer(), nullable=False),
        sa.Column("address_id", sa.Integer(), nullable=False),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.ForeignKeyConstraint(
            ["address_id"],
            ["address.id"],
            name=op.f("fk_subscription_address_id_address"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["subscriber_id"],
            ["subscriber.id"],
            name=op.f("fk_subscription_subscriber_id_subscriber"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_subscription")),
        sa.UniqueConstraint("subscriber_id", "address_id", name="uq_subscription_address"),
        sqlite_autoincrement=True,
    )
    op.create_index(
        op.f("ix_subscription_address_id"), "subscription", ["address_id"], unique=False
    )
    op.create_table(
        "notification_content",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column(
            "variant",
            sa.Enum(
                "new",
                "update",
                "no_longer",
                "resolved",
                "test",
                "confirm",
                name="notification_variant",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("channel", sa.String(length=10), nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("html", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["notification_event.id"],
            name=op.f("fk_notification_content_event_id_notification_event"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notification_content")),
        sa.UniqueConstraint(
            "event_id", "variant", "language", "channel", name="uq_notification_content"
        ),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "outbox_message",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=True),
        sa.Column("content_id", sa.Integer(), nullable=True),
        sa.Column("municipality_id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=True),
        sa.Column("subscriber_id", sa.Integer(), nullable=True),
        sa.Column("channel", sa.String(length=10), nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=True),
        sa.Column("body", sa.Text(), nullable=True),
        sa.Column("recipient", sa.String(length=500), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column(
            "variant",
            sa.Enum(
                "new",
                "update",
                "no_longer",
                "resolved",
                "test",
                "confirm",
                name="outbox_message_variant",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("priority", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "queued",
                "sending",
                "sent",
                "delivered",
                "failed",
                "uncertain",
                "cancelled",
                name="outbox_message_status",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", UTC_DATETIME, nullable=False),
        sa.Column("lease_until", UTC_DATETIME, nullable=True),
        sa.Column("claimed_by", sa.String(length=64), nullable=True),
        sa.Column("idempotency_key", sa.String(length=36), nullable=False),
        sa.Column("provider_ref", sa.String(length=100), nullable=True),
        sa.Column("last_error", sa.String(length=500), nullable=False),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.Column("sent_at", UTC_DATETIME, nullable=True),
        sa.Column("delivered_at", UTC_DATETIME, nullable=True),
        sa.Column("updated_at", UTC_DATETIME, nullable=False),
        sa.ForeignKeyConstraint(
            ["content_id"],
            ["notification_content.id"],
            name=op.f("fk_outbox_message_content_id_notification_content"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["notification_event.id"],
            name=op.f("fk_outbox_message_event_id_notification_event"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["incident_id"],
            ["incident.id"],
            name=op.f("fk_outbox_message_incident_id_incident"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipality.id"],
            name=op.f("fk_outbox_message_municipality_id_municipality"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["subscriber_id"],
            ["subscriber.id"],
            name=op.f("fk_outbox_message_subscriber_id_subscriber"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox_message")),
        sa.UniqueConstraint("event_id", "channel", "recipient", name="uq_outbox_message_recipient"),
        sa.UniqueConstraint("idempotency_key", name=op.f("uq_outbox_message_idempotency_key")),
        sqlite_autoincrement=True,
    )
    op.create_index(
        "ix_outbox_message_due",
        "outbox_message",
        ["status", "priority", "next_attempt_at", "id"],
        unique=False,
    )
    op.create_index(
        "ix_outbox_message_incident", "outbox_message", ["incident_id", "status"], unique=False
    )
    op.create_index(
        op.f("ix_outbox_message_provider_ref"), "outbox_message", ["provider_ref"], unique=False
    )
    op.create_index(
        op.f("ix_outbox_message_subscriber_id"), "outbox_message", ["subscriber_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_outbox_message_subscriber_id"), table_name="outbox_message")
    op.drop_index(op.f("ix_outbox_message_provider_ref"), table_name="outbox_message")
    op.drop_index("ix_outbox_message_incident", table_name="outbox_message")
    op.drop_index("ix_outbox_message_due", table_name="outbox_message")
    op.drop_table("outbox_message")
    op.drop_table("notification_content")
    op.drop_index(op.f("ix_subscription_address_id"), table_name="subscription")
    op.drop_table("subscription")
    op.drop_index("ix_notification_event_status", table_name="notification_event")
    op.drop_index(op.f("ix_notification_event_incident_id"), table_name="notification_event")
    op.drop_table("notification_event")
    op.drop_index(
        "uq_subscriber_phone",
        table_name="subscriber",
        sqlite_where=sa.text("phone IS NOT NULL"),
        postgresql_where=sa.text("phone IS NOT NULL"),
    )
    op.drop_index(
        "uq_subscriber_email",
        table_name="subscriber",
        sqlite_where=sa.text("email IS NOT NULL"),
        postgresql_where=sa.text("email IS NOT NULL"),
    )
    op.drop_table("subscriber")
