"""Subscribers and their addresses for notification tests, written directly (the sign-up flow
is tested on its own), and the outbox as a test reads it."""

from __future__ import annotations

import secrets
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from statusmap.models import Address
from statusmap.models import Municipality
from statusmap.models import OutboxMessage
from statusmap.models import Subscriber
from statusmap.models import Subscription
from statusmap.models import VulnerableCategory
from statusmap.models.base import utcnow


def make_subscriber(
    session: Session,
    municipality: Municipality,
    addresses: Sequence[Address],
    *,
    phone: str | None = None,
    email: str | None = None,
    channels: Sequence[str] = ("email",),
    confirmed: bool = True,
    vulnerable: VulnerableCategory | None = None,
    language: str = "nb",
) -> Subscriber:
    """A subscriber of the given addresses (confirmed unless told otherwise)."""
    subscriber = Subscriber(
        municipality_id=municipality.id,
        phone=phone,
        email=email,
        language=language,
        wants_sms="sms" in channels,
        wants_voice="voice" in channels,
        wants_email="email" in channels,
        confirmed_at=utcnow() if confirmed else None,
        token=secrets.token_urlsafe(24),
        source="import",
        vulnerable_category=vulnerable,
    )
    session.add(subscriber)
    session.flush()
    for address in addresses:
        session.add(Subscription(subscriber_id=subscriber.id, address_id=address.id))
    session.flush()
    return subscriber


def sent(session: Session, event_id: int) -> set[tuple[str, str, str, int]]:
    """The event's messages as (recipient, channel, variant, priority)."""
    rows = session.execute(
        select(
            OutboxMessage.recipient,
            OutboxMessage.channel,
            OutboxMessage.variant,
            OutboxMessage.priority,
        ).where(OutboxMessage.event_id == event_id)
    )
    return {(r, c, v.value, p) for r, c, v, p in rows}
