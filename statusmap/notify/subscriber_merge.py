"""One subscriber per person: a confirmed sign-up or an imported row joins the subscriber that
already has its phone or e-mail, and a person known by both under two subscribers becomes one.
"""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import select
from sqlalchemy import update
from sqlalchemy.orm import Session

from statusmap.models import Subscriber
from statusmap.models import SubscriberSignup
from statusmap.models import Subscription
from statusmap.models.notification import OutboxMessage


def new_token() -> str:
    """A random, URL-safe secret for links."""
    return secrets.token_urlsafe(32)


def merge_signup(session: Session, signup: SubscriberSignup, now: datetime) -> Subscriber:
    """Add a confirmed sign-up to the person's subscriber (one per phone and e-mail). Flushes."""
    subscriber = merge_contacts(session, signup.municipality_id, signup.phone, signup.email)
    if subscriber is None:
        subscriber = Subscriber(
            municipality_id=signup.municipality_id, token=new_token(), source="web"
        )
        session.add(subscriber)
    subscriber.phone = signup.phone or subscriber.phone
    subscriber.email = signup.email or subscriber.email
    subscriber.language = signup.language
    if signup.phone:  # the choices for the contacts given this time replace the earlier ones
        subscriber.wants_sms, subscriber.wants_voice = signup.wants_sms, signup.wants_voice
    if signup.email:
        subscriber.wants_email = signup.wants_email
    subscriber.confirmed_at = subscriber.confirmed_at or now
    session.flush()
    add_addresses(session, subscriber, signup.address_ids)
    return subscriber


def merge_contacts(
    session: Session, municipality_id: int, phone: str | None, email: str | None
) -> Subscriber | None:
    """The subscriber holding this phone or e-mail; two different ones become one. Flushes."""
    by_phone = find_subscriber(session, municipality_id, phone=phone) if phone else None
    by_email = find_subscriber(session, municipality_id, email=email) if email else None
    if by_phone is None or by_email is None or by_phone.id == by_email.id:
        return by_phone or by_email
    add_addresses(session, by_phone, [s.address_id for s in by_email.subscriptions])
    by_phone.wants_email = by_phone.wants_email or by_email.wants_email
    by_phone.vulnerable_category = by_phone.vulnerable_category or by_email.vulnerable_category
    session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.subscriber_id == by_email.id)
        .values(subscriber_id=by_phone.id)
        .execution_options(synchronize_session=False)
    )
    session.delete(by_email)
    session.flush()  # the e-mail is free before the kept subscriber takes it
    return by_phone


def find_subscriber(
    session: Session, municipality_id: int, *, phone: str | None = None, email: str | None = None
) -> Subscriber | None:
    """The subscriber with exactly this (stored-form) phone or e-mail in the municipality."""
    if phone:
        where = Subscriber.phone == phone
    elif email:
        where = Subscriber.email == email
    else:
        return None
    return session.scalar(
        select(Subscriber).where(Subscriber.municipality_id == municipality_id, where)
    )


def add_addresses(session: Session, subscriber: Subscriber, address_ids: list[int]) -> int:
    """Subscribe these addresses (those not already there); how many were added."""
    have = {s.address_id for s in subscriber.subscriptions}
    added = [a for a in dict.fromkeys(address_ids) if a not in have]
    for address_id in added:
        subscriber.subscriptions.append(Subscription(address_id=address_id))
    session.flush()
    return len(added)
