"""Residents (and imported contacts) who want a warning for the addresses they care about.

A subscriber is one person in one municipality: a phone number (E.164) and/or an e-mail, the
channels and language they chose, and whether they confirmed (double opt-in; imported
subscribers count as confirmed). Their addresses are `Subscription` rows. Personal data is kept
to this: no name, no national id; `token` is the secret in every unsubscribe and manage link.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON
from sqlalchemy import ForeignKey
from sqlalchemy import Index
from sqlalchemy import String
from sqlalchemy import UniqueConstraint
from sqlalchemy import text
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column
from sqlalchemy.orm import relationship

from statusmap.models.address import VulnerableCategory
from statusmap.models.base import Base
from statusmap.models.base import UTCDateTime
from statusmap.models.base import string_enum
from statusmap.models.base import utcnow

LANGUAGES = ("nb", "nn", "en")
SOURCES = ("web", "import", "staff")


class Subscriber(Base):
    """One person who asked to be warned, by SMS, voice call and/or e-mail."""

    __tablename__ = "subscriber"
    __table_args__ = (
        # One person per phone number and per e-mail in a municipality: a second sign-up with
        # the same number adds addresses to the first, so nobody is messaged twice per event.
        Index(
            "uq_subscriber_phone",
            "municipality_id",
            "phone",
            unique=True,
            sqlite_where=text("phone IS NOT NULL"),
            postgresql_where=text("phone IS NOT NULL"),
        ),
        Index(
            "uq_subscriber_email",
            "municipality_id",
            "email",
            unique=True,
            sqlite_where=text("email IS NOT NULL"),
            postgresql_where=text("email IS NOT NULL"),
        ),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id", ondelete="CASCADE"))
    phone: Mapped[str | None] = mapped_column(String(20))  # E.164: +4791234567
    email: Mapped[str | None] = mapped_column(String(254))  # lower-cased
    language: Mapped[str] = mapped_column(String(2), default="nb")
    wants_sms: Mapped[bool] = mapped_column(default=False)
    wants_voice: Mapped[bool] = mapped_column(default=False)
    wants_email: Mapped[bool] = mapped_column(default=False)
    # None until the person confirmed (by code or link); only confirmed subscribers are messaged.
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # A hash of the pending confirmation code, and when it stops working.
    confirm_code_hash: Mapped[str | None] = mapped_column(String(64))
    confirm_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    confirm_attempts: Mapped[int] = mapped_column(default=0)
    # The secret in the person's unsubscribe and manage links (random, URL-safe).
    token: Mapped[str] = mapped_column(String(64), unique=True)
    source: Mapped[str] = mapped_column(String(10), default="web")
    # Set by staff (or an import): reached first, and alone when staff send to them only.
    vulnerable_category: Mapped[VulnerableCategory | None] = mapped_column(
        string_enum(VulnerableCategory, "subscriber_vulnerable_category")
    )
    vulnerable_note: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    subscriptions: Mapped[list[Subscription]] = relationship(
        back_populates="subscriber", cascade="all, delete-orphan", passive_deletes=True
    )

    @property
    def channels(self) -> tuple[str, ...]:
        """The chosen channels, in a fixed order (sms, voice, email)."""
        chosen = (("sms", self.wants_sms), ("voice", self.wants_voice), ("email", self.wants_email))
        return tuple(name for name, wanted in chosen if wanted)


class Subscription(Base):
    """One address a subscriber wants to hear about."""

    __tablename__ = "subscription"
    __table_args__ = (
        UniqueConstraint("subscriber_id", "address_id", name="uq_subscription_address"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    subscriber_id: Mapped[int] = mapped_column(ForeignKey("subscriber.id", ondelete="CASCADE"))
    address_id: Mapped[int] = mapped_column(
        ForeignKey("address.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    subscriber: Mapped[Subscriber] = relationship(back_populates="subscriptions")


class SubscriberSignup(Base):
    """A sign-up waiting for its code (double opt-in): nothing is subscribed until it is confirmed.

    Kept apart from `Subscriber` so that a second sign-up with a known phone or e-mail changes
    nothing of that subscriber until the code comes back (and reveals nothing about them); on
    confirmation it is merged into the subscriber with that contact, or becomes a new one, and
    deleted. Unconfirmed sign-ups are deleted once expired.
    """

    __tablename__ = "subscriber_signup"
    __table_args__ = (
        Index("ix_subscriber_signup_created", "municipality_id", "created_at"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id", ondelete="CASCADE"))
    # The secret in the confirmation page's address and the e-mail's confirm link.
    token: Mapped[str] = mapped_column(String(64), unique=True)
    phone: Mapped[str | None] = mapped_column(String(20))
    email: Mapped[str | None] = mapped_column(String(254))
    language: Mapped[str] = mapped_column(String(2), default="nb")
    wants_sms: Mapped[bool] = mapped_column(default=False)
    wants_voice: Mapped[bool] = mapped_column(default=False)
    wants_email: Mapped[bool] = mapped_column(default=False)
    address_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    code_hash: Mapped[str] = mapped_column(String(64))  # HMAC of the code; the code is not kept
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
