"""What we hold about one subscriber: shown to them or staff, exported on request, erased.

Erasure leaves no personal data: the subscriber, their addresses and pending sign-ups go, and
their messages in the outbox keep only what delivery statistics need (channel, status, times),
with the recipient replaced and queued ones cancelled. Audit rows carry masked contacts only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import String
from sqlalchemy import cast
from sqlalchemy import delete
from sqlalchemy import func
from sqlalchemy import literal
from sqlalchemy import or_
from sqlalchemy import select
from sqlalchemy import update
from sqlalchemy.orm import Session

from statusmap.addresses.search import address_label
from statusmap.models import Address
from statusmap.models import Subscriber
from statusmap.models import SubscriberSignup
from statusmap.models import Subscription
from statusmap.models.address import VulnerableCategory
from statusmap.models.audit import Actor
from statusmap.models.audit import record
from statusmap.models.notification import MessageStatus
from statusmap.models.notification import OutboxMessage
from statusmap.notify.phone import ContactError
from statusmap.notify.phone import masked_contacts
from statusmap.notify.phone import normalise_email
from statusmap.notify.phone import normalise_phone
from statusmap.notify.subscriber_merge import find_subscriber

NOTE_MAX = 200


def subscriber_by_contact(session: Session, municipality_id: int, typed: str) -> Subscriber | None:
    """The subscriber with exactly this phone number or e-mail (as typed), if any."""
    try:
        if "@" in typed:
            return find_subscriber(session, municipality_id, email=normalise_email(typed))
        return find_subscriber(session, municipality_id, phone=normalise_phone(typed))
    except ContactError:
        return None


def subscriber_by_token(session: Session, municipality_id: int, token: str) -> Subscriber | None:
    """The subscriber whose unsubscribe and manage links carry this token, in this municipality."""
    return session.scalar(
        select(Subscriber).where(
            Subscriber.municipality_id == municipality_id, Subscriber.token == token
        )
    )


def subscribed_addresses(session: Session, subscriber: Subscriber) -> list[Address]:
    """The subscriber's addresses, in the order they were added."""
    return list(
        session.scalars(
            select(Address)
            .join(Subscription, Subscription.address_id == Address.id)
            .where(Subscription.subscriber_id == subscriber.id)
            .order_by(Subscription.id)
        )
    )


def export_subscriber(session: Session, subscriber: Subscriber) -> dict[str, Any]:
    """Everything we hold about the person (GDPR access), as JSON-ready data."""
    messages = session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.subscriber_id == subscriber.id)
        .order_by(OutboxMessage.id)
    )
    return {
        "phone": subscriber.phone,
        "email": subscriber.email,
        "language": subscriber.language,
        "channels": list(subscriber.channels),
        "source": subscriber.source,
        "confirmed_at": _iso(subscriber.confirmed_at),
        "created_at": _iso(subscriber.created_at),
        "vulnerable_category": subscriber.vulnerable_category,
        "vulnerable_note": subscriber.vulnerable_note,
        "addresses": [
            {"label": address_label(a), "lokalid": a.source_id}
            for a in subscribed_addresses(session, subscriber)
        ],
        "messages": [_message(m) for m in messages],
    }


def _message(message: OutboxMessage) -> dict[str, Any]:
    return {
        "channel": message.channel,
        "incident_id": message.incident_id,
        "variant": message.variant.value,
        "status": message.status.value,
        "created_at": _iso(message.created_at),
        "sent_at": _iso(message.sent_at),
        "delivered_at": _iso(message.delivered_at),
    }


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def erase_subscriber(session: Session, subscriber: Subscriber) -> None:
    """Delete the subscriber and every trace of their contacts (outbox, sign-ups). Flushes."""
    contacts = [c for c in (subscriber.phone, subscriber.email) if c]
    theirs = or_(
        OutboxMessage.subscriber_id == subscriber.id,
        (OutboxMessage.municipality_id == subscriber.municipality_id)
        & OutboxMessage.recipient.in_(contacts),
    )
    session.execute(
        update(OutboxMessage)
        .where(theirs, OutboxMessage.status == MessageStatus.QUEUED)
        .values(status=MessageStatus.CANCELLED, last_error="unsubscribed")
        .execution_options(synchronize_session=False)
    )
    session.execute(
        update(OutboxMessage)
        .where(theirs)
        .values(recipient=literal("erased:", String) + cast(OutboxMessage.id, String))
        .execution_options(synchronize_session=False)
    )
    session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.subscriber_id == subscriber.id, OutboxMessage.event_id.is_(None))
        .values(body="", subject="")
        .execution_options(synchronize_session=False)
    )
    _erase_signups(session, subscriber.municipality_id, subscriber.phone, subscriber.email)
    session.delete(subscriber)
    session.flush()


def _erase_signups(
    session: Session, municipality_id: int, phone: str | None, email: str | None
) -> None:
    same = [SubscriberSignup.phone == phone] if phone else []
    same += [SubscriberSignup.email == email] if email else []
    if same:
        session.execute(
            delete(SubscriberSignup)
            .where(SubscriberSignup.municipality_id == municipality_id, or_(*same))
            .execution_options(synchronize_session=False)
        )


def audit_subscriber(
    session: Session, subscriber: Subscriber, action: str, actor: str | Actor, **details: Any
) -> None:
    """An audit row about a subscriber: their masked contacts, never the whole number or e-mail."""
    record(
        session,
        actor=actor,
        action=action,
        obj=subscriber,
        municipality_id=subscriber.municipality_id,
        **masked_contacts(subscriber.phone, subscriber.email),
        **details,
    )


def set_vulnerable(
    session: Session,
    subscriber: Subscriber,
    category: VulnerableCategory | None,
    note: str,
    *,
    actor: str | Actor,
) -> None:
    """Flag (a category and a note) or unflag (None) a subscriber as vulnerable; audited."""
    subscriber.vulnerable_category = category
    subscriber.vulnerable_note = note.strip()[:NOTE_MAX] if category else ""
    session.flush()
    action = "flag_vulnerable" if category else "unflag_vulnerable"
    audit_subscriber(
        session, subscriber, action, actor, category=category.value if category else None
    )


@dataclass(frozen=True)
class SubscriberCounts:
    """A municipality's subscribers at a glance (staff page)."""

    confirmed: int
    pending: int
    by_channel: dict[str, int]
    vulnerable: int
    addresses: int


def subscriber_counts(session: Session, municipality_id: int, now: datetime) -> SubscriberCounts:
    """Confirmed subscribers, unexpired sign-ups, per channel, vulnerable, subscribed addresses."""
    mine = Subscriber.municipality_id == municipality_id
    confirmed = mine & Subscriber.confirmed_at.is_not(None)

    def count(*where: Any) -> int:
        return int(session.scalar(select(func.count(Subscriber.id)).where(confirmed, *where)) or 0)

    pending = session.scalar(
        select(func.count(SubscriberSignup.id)).where(
            SubscriberSignup.municipality_id == municipality_id, SubscriberSignup.expires_at > now
        )
    )
    addresses = session.scalar(
        select(func.count(func.distinct(Subscription.address_id)))
        .join(Subscriber, Subscriber.id == Subscription.subscriber_id)
        .where(confirmed)
    )
    return SubscriberCounts(
        confirmed=count(),
        pending=int(pending or 0),
        by_channel={
            "sms": count(Subscriber.wants_sms.is_(True)),
            "voice": count(Subscriber.wants_voice.is_(True)),
            "email": count(Subscriber.wants_email.is_(True)),
        },
        vulnerable=count(Subscriber.vulnerable_category.is_not(None)),
        addresses=int(addresses or 0),
    )
