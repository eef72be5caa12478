"""The notification outbox: events to announce, their texts, and one row per message to send.

An incident change that residents must hear about writes a `NotificationEvent` in the same
transaction as the change (incidents.operations.saved calls notify.events). A worker expands
the event into `OutboxMessage` rows, one per recipient per channel (the unique constraint makes
the expansion safe to repeat), and delivers them. The texts of an event are composed once per
variant, language and channel (`NotificationContent`); only the personal parts (the unsubscribe
link) are filled in when a message is sent.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey
from sqlalchemy import Index
from sqlalchemy import String
from sqlalchemy import Text
from sqlalchemy import UniqueConstraint
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from statusmap.models.base import Base
from statusmap.models.base import UTCDateTime
from statusmap.models.base import string_enum
from statusmap.models.base import utcnow


class EventKind(enum.StrEnum):
    """Why residents are told: the incident became public, changed materially, or ended."""

    PUBLISHED = "published"
    UPDATED = "updated"  # status or expected end changed while public
    AREA_CHANGED = "area_changed"
    RESOLVED = "resolved"
    RESEND = "resend"  # staff sent an event again to those who did not get it


class Audience(enum.StrEnum):
    """Who an event goes to: everyone inside (vulnerable subscribers first), or those only."""

    ALL = "all"
    VULNERABLE_ONLY = "vulnerable_only"


class EventStatus(enum.StrEnum):
    PENDING = "pending"  # written with the change; not yet expanded into messages
    EXPANDED = "expanded"


class Variant(enum.StrEnum):
    """What one message says to its recipient."""

    NEW = "new"  # you are affected (publish, or newly covered by an area change)
    UPDATE = "update"  # still affected; something changed
    NO_LONGER = "no_longer"  # the area no longer covers your address
    RESOLVED = "resolved"
    TEST = "test"  # a staff member's test to themselves
    CONFIRM = "confirm"  # a subscriber's confirmation code (double opt-in)


class MessageStatus(enum.StrEnum):
    QUEUED = "queued"  # waiting for a worker (or for next_attempt_at, after a failure)
    SENDING = "sending"  # claimed: a worker holds it until lease_until
    SENT = "sent"  # the provider accepted it
    DELIVERED = "delivered"  # the provider's receipt says it arrived
    FAILED = "failed"  # given up (permanent error, or out of attempts)
    UNCERTAIN = "uncertain"  # an attempt may have gone out; never repeated without staff
    CANCELLED = "cancelled"  # the subscriber left, or staff stopped it


OPEN_MESSAGE_STATUSES = (MessageStatus.QUEUED, MessageStatus.SENDING)


class NotificationEvent(Base):
    """One announcement of one incident version (the transactional outbox's row)."""

    __tablename__ = "notification_event"
    __table_args__ = (
        UniqueConstraint("incident_id", "version", "kind", name="uq_notification_event_version"),
        Index("ix_notification_event_status", "status", "id"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id", ondelete="CASCADE"))
    incident_id: Mapped[int] = mapped_column(
        ForeignKey("incident.id", ondelete="CASCADE"), index=True
    )
    version: Mapped[int]  # the incident version announced (its revision holds the area)
    # The version last announced before this one (None for the first): an area change compares
    # the two areas to tell the newly covered, the still covered and the no longer covered.
    previous_version: Mapped[int | None]
    kind: Mapped[EventKind] = mapped_column(string_enum(EventKind, "notification_event_kind"))
    audience: Mapped[Audience] = mapped_column(
        string_enum(Audience, "notification_audience"), default=Audience.ALL
    )
    status: Mapped[EventStatus] = mapped_column(
        string_enum(EventStatus, "notification_event_status"), default=EventStatus.PENDING
    )
    actor: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expanded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class NotificationContent(Base):
    """The composed text of one variant of an event, in one language, for one channel."""

    __tablename__ = "notification_content"
    __table_args__ = (
        UniqueConstraint(
            "event_id", "variant", "language", "channel", name="uq_notification_content"
        ),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("notification_event.id", ondelete="CASCADE"))
    variant: Mapped[Variant] = mapped_column(string_enum(Variant, "notification_variant"))
    language: Mapped[str] = mapped_column(String(2))
    channel: Mapped[str] = mapped_column(String(10))
    subject: Mapped[str] = mapped_column(String(300), default="")
    body: Mapped[str] = mapped_column(Text)  # SMS text, e-mail plain text, or voice script
    html: Mapped[str | None] = mapped_column(Text)  # e-mail only


class OutboxMessage(Base):
    """One message to one recipient on one channel, and what became of it."""

    __tablename__ = "outbox_message"
    __table_args__ = (
        # One message per recipient, channel and event, however often an event is expanded.
        UniqueConstraint("event_id", "channel", "recipient", name="uq_outbox_message_recipient"),
        # The worker's claim: due queued messages, vulnerable subscribers (priority 0) first.
        Index("ix_outbox_message_due", "status", "priority", "next_attempt_at", "id"),
        Index("ix_outbox_message_incident", "incident_id", "status"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # None for a one-off message (a confirmation code, a staff test): then subject and body
    # below hold its text; an event's messages share their texts through content_id.
    event_id: Mapped[int | None] = mapped_column(
        ForeignKey("notification_event.id", ondelete="CASCADE")
    )
    content_id: Mapped[int | None] = mapped_column(
        ForeignKey("notification_content.id", ondelete="CASCADE")
    )
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id", ondelete="CASCADE"))
    incident_id: Mapped[int | None] = mapped_column(ForeignKey("incident.id", ondelete="CASCADE"))
    # None for a staff test or a webhook: then the recipient is all there is.
    subscriber_id: Mapped[int | None] = mapped_column(
        ForeignKey("subscriber.id", ondelete="SET NULL"), index=True
    )
    channel: Mapped[str] = mapped_column(String(10))  # sms, voice, email, webhook, log
    subject: Mapped[str | None] = mapped_column(String(300))  # one-off messages only
    body: Mapped[str | None] = mapped_column(Text)  # one-off messages only
    recipient: Mapped[str] = mapped_column(String(500))  # E.164 number, e-mail or URL
    language: Mapped[str] = mapped_column(String(2), default="nb")
    variant: Mapped[Variant] = mapped_column(string_enum(Variant, "outbox_message_variant"))
    priority: Mapped[int] = mapped_column(default=1)  # 0: vulnerable subscribers
    status: Mapped[MessageStatus] = mapped_column(
        string_enum(MessageStatus, "outbox_message_status"), default=MessageStatus.QUEUED
    )
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    # Sent with every attempt where the provider takes one, so a repeat is never a second SMS.
    idempotency_key: Mapped[str] = mapped_column(String(36), unique=True)
    provider_ref: Mapped[str | None] = mapped_column(String(100), index=True)
    last_error: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
