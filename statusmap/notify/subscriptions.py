"""Residents' sign-ups: double opt-in by a 6-digit code, then merged into one subscriber per person.

A sign-up (`SubscriberSignup`) holds what was asked for until the code comes back; only then is
anything subscribed. The code is kept as an HMAC (keyed with the app's secret) and works for
CONFIRM_TTL, at most MAX_ATTEMPTS guesses. Whether a phone or e-mail is already subscribed is
never told: every sign-up is answered alike, and the merge happens only after confirmation.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime
from datetime import timedelta

from sqlalchemy import String
from sqlalchemy import cast
from sqlalchemy import delete
from sqlalchemy import func
from sqlalchemy import literal
from sqlalchemy import or_
from sqlalchemy import select
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from statusmap.models import Address
from statusmap.models import Subscriber
from statusmap.models import SubscriberSignup
from statusmap.models.notification import OPEN_MESSAGE_STATUSES
from statusmap.models.notification import OutboxMessage
from statusmap.models.notification import Variant
from statusmap.models.subscriber import LANGUAGES
from statusmap.notify.phone import ContactError
from statusmap.notify.phone import normalise_email
from statusmap.notify.phone import normalise_phone
from statusmap.notify.subscriber_merge import merge_signup
from statusmap.notify.subscriber_merge import new_token

CONFIRM_TTL = timedelta(minutes=30)
MAX_ATTEMPTS = 5
MAX_ADDRESSES = 20
# Codes sent to one phone or e-mail per hour, whoever asks: nobody is flooded with codes.
CODES_PER_CONTACT_HOUR = 3
CHANNELS = ("sms", "voice", "email")


class SignupRefused(ValueError):
    """A sign-up or a code that cannot be taken; `code` says why, `field` where."""

    def __init__(self, code: str, field: str = "") -> None:
        super().__init__(code)
        self.code = code
        self.field = field


@dataclass(frozen=True)
class SignupInput:
    """What the resident typed and ticked."""

    phone: str = ""
    email: str = ""
    channels: frozenset[str] = frozenset()
    language: str = "nb"
    address_ids: tuple[int, ...] = ()
    consent: bool = False


@dataclass
class Started:
    """A stored sign-up, its code (to send, then forget) and whether to send it now."""

    signup: SubscriberSignup
    code: str
    send: bool


def code_hash(secret: str, token: str, code: str) -> str:
    """The HMAC of a sign-up's code, tied to that sign-up."""
    message = f"{token}:{code}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def checked_contacts(data: SignupInput) -> tuple[str | None, str | None]:
    """The phone (E.164) and e-mail as stored, or SignupRefused naming the field."""
    phone = email = None
    try:
        phone = normalise_phone(data.phone) if data.phone.strip() else None
    except ContactError as error:
        raise SignupRefused(error.code, "phone") from error
    try:
        email = normalise_email(data.email) if data.email.strip() else None
    except ContactError as error:
        raise SignupRefused(error.code, "email") from error
    if phone is None and email is None:
        raise SignupRefused("contact_missing", "phone")
    return phone, email


def check_choices(data: SignupInput, phone: str | None, email: str | None) -> None:
    if not data.channels:
        raise SignupRefused("channel_missing", "channels")
    if data.channels - set(CHANNELS):
        raise SignupRefused("channel_unknown", "channels")
    if {"sms", "voice"} & data.channels and phone is None:
        raise SignupRefused("channel_needs_phone", "channels")
    if "email" in data.channels and email is None:
        raise SignupRefused("channel_needs_email", "channels")
    if data.language not in LANGUAGES:
        raise SignupRefused("language_unknown", "language")
    if not data.consent:
        raise SignupRefused("consent_missing", "consent")


def check_addresses(session: Session, municipality_id: int, ids: tuple[int, ...]) -> list[int]:
    wanted = sorted(set(ids))
    if not wanted:
        raise SignupRefused("address_missing", "addresses")
    if len(wanted) > MAX_ADDRESSES:
        raise SignupRefused("address_too_many", "addresses")
    found = session.scalars(
        select(Address.id).where(
            Address.id.in_(wanted),
            Address.municipality_id == municipality_id,
            Address.retired_at.is_(None),
        )
    ).all()
    if len(found) != len(wanted):
        raise SignupRefused("address_unknown", "addresses")
    return wanted


def start_signup(
    session: Session, municipality_id: int, data: SignupInput, *, secret: str, now: datetime
) -> Started:
    """Check and store a sign-up with a fresh code; nothing is subscribed yet. Flushes."""
    phone, email = checked_contacts(data)
    check_choices(data, phone, email)
    address_ids = check_addresses(session, municipality_id, data.address_ids)
    purge_expired_signups(session, now)
    recent = _recent_codes(session, municipality_id, phone, email, now)
    token, code = new_token(), f"{secrets.randbelow(10**6):06d}"
    signup = SubscriberSignup(
        municipality_id=municipality_id,
        token=token,
        phone=phone,
        email=email,
        language=data.language,
        wants_sms="sms" in data.channels,
        wants_voice="voice" in data.channels,
        wants_email="email" in data.channels,
        address_ids=address_ids,
        code_hash=code_hash(secret, token, code),
        expires_at=now + CONFIRM_TTL,
        created_at=now,
    )
    session.add(signup)
    session.flush()
    return Started(signup, code, recent < CODES_PER_CONTACT_HOUR)


def _recent_codes(
    session: Session, municipality_id: int, phone: str | None, email: str | None, now: datetime
) -> int:
    same = [SubscriberSignup.phone == phone] if phone else []
    same += [SubscriberSignup.email == email] if email else []
    query = select(func.count(SubscriberSignup.id)).where(
        SubscriberSignup.municipality_id == municipality_id,
        SubscriberSignup.created_at > now - timedelta(hours=1),
        or_(*same),
    )
    return int(session.scalar(query) or 0)


def code_recipients(signup: SubscriberSignup) -> list[tuple[str, str]]:
    """Where the code goes: the phone by SMS (by a call when only calls were chosen), the e-mail."""
    found = []
    if signup.phone:
        only_calls = signup.wants_voice and not signup.wants_sms
        found.append(("voice" if only_calls else "sms", signup.phone))
    if signup.email:
        found.append(("email", signup.email))
    return found


def enqueue_one_off(
    session: Session,
    municipality_id: int,
    channel: str,
    recipient: str,
    *,
    language: str,
    subject: str,
    body: str,
) -> OutboxMessage:
    """Queue a one-off message (a confirmation code) for the worker, vulnerable-first priority."""
    message = OutboxMessage(
        event_id=None,
        municipality_id=municipality_id,
        channel=channel,
        recipient=recipient,
        language=language,
        variant=Variant.CONFIRM,
        subject=subject,
        body=body,
        priority=0,
        idempotency_key=str(uuid.uuid4()),
    )
    session.add(message)
    return message


def pending_signup(session: Session, municipality_id: int, token: str) -> SubscriberSignup | None:
    """The sign-up with this token in this municipality (expired or not), if any."""
    return session.scalar(
        select(SubscriberSignup).where(
            SubscriberSignup.municipality_id == municipality_id, SubscriberSignup.token == token
        )
    )


def confirm_signup(
    session: Session, signup: SubscriberSignup, code: str, *, secret: str, now: datetime
) -> Subscriber:
    """The subscriber the sign-up became, or SignupRefused (commit a refusal too: it counts)."""
    if signup.expires_at <= now:
        raise SignupRefused("code_expired", "code")
    # Each guess takes one attempt atomically, so parallel guesses cannot exceed the limit.
    taken = session.execute(
        update(SubscriberSignup)
        .where(SubscriberSignup.id == signup.id, SubscriberSignup.attempts < MAX_ATTEMPTS)
        .values(attempts=SubscriberSignup.attempts + 1)
        .execution_options(synchronize_session=False)
    )
    session.refresh(signup)
    if taken.rowcount != 1:  # type: ignore[attr-defined]
        raise SignupRefused("code_attempts", "code")
    typed = "".join(ch for ch in code if ch.isdigit())[:6]
    if not hmac.compare_digest(code_hash(secret, signup.token, typed), signup.code_hash):
        left = MAX_ATTEMPTS - signup.attempts
        raise SignupRefused("code_wrong" if left else "code_attempts", "code")
    try:
        with session.begin_nested():
            subscriber = merge_signup(session, signup, now)
    except IntegrityError:
        # Another sign-up with this number or address was confirmed at the same moment and
        # made its subscriber first (the unique index said so): join that one instead.
        subscriber = merge_signup(session, signup, now)
    session.delete(signup)
    session.flush()
    return subscriber


def purge_expired_signups(session: Session, now: datetime) -> int:
    """Delete sign-ups whose code has expired (kept an hour longer, for the per-contact limit),
    and the contacts and codes of confirmation messages done with by then."""
    result = session.execute(
        delete(SubscriberSignup)
        .where(SubscriberSignup.expires_at < now - timedelta(hours=1))
        .execution_options(synchronize_session=False)
    )
    session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.variant == Variant.CONFIRM,
            OutboxMessage.event_id.is_(None),
            OutboxMessage.created_at < now - CONFIRM_TTL - timedelta(hours=1),
            OutboxMessage.status.not_in(OPEN_MESSAGE_STATUSES),
            OutboxMessage.body != "",
        )
        .values(recipient=literal("erased:", String) + cast(OutboxMessage.id, String), body="")
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
