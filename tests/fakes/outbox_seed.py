"""Queued outbox messages for many subscribers, written directly: the fault tests' and the
benchmark's starting point.

One function makes it all (`seed_outbox`), so that when the targeting lands the seed can become
"publish an incident over these subscribers' addresses" in one place. Until then it inserts the
subscribers, one event with its text, and one queued SMS per subscriber inside; the subscribers
"outside" get nothing.
"""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass

from shapely.geometry import box
from sqlalchemy import func
from sqlalchemy import insert
from sqlalchemy import select
from sqlalchemy.orm import Session

from statusmap.models import EventKind
from statusmap.models import MessageStatus
from statusmap.models import Municipality
from statusmap.models import NotificationContent
from statusmap.models import NotificationEvent
from statusmap.models import OutboxMessage
from statusmap.models import Subscriber
from statusmap.models import Variant
from statusmap.models.base import utcnow
from statusmap.models.notification import EventStatus
from statusmap.notify.links import UNSUBSCRIBE
from tests.factories import make_incident
from tests.factories import make_municipality

TEXT = "Vannet er stengt i Korsvika. Les mer: https://vann.example.no/h/{incident} Avmeld: "
CHUNK = 2000


@dataclass(frozen=True)
class Seeded:
    """What was seeded: the event, and the phone numbers of those messaged and of the others."""

    municipality_id: int
    event_id: int
    inside: list[str]
    outside: list[str]


def phone(number: int) -> str:
    """A Norwegian mobile number (E.164) per whole number: +4790000000 onwards."""
    return f"+479{number:07d}"


def _subscribers(session: Session, town: Municipality, first: int, count: int) -> dict[str, int]:
    now = utcnow()
    rows = [
        {
            "municipality_id": town.id,
            "phone": phone(first + n),
            "language": "nb",
            "wants_sms": True,
            "confirmed_at": now,
            "token": secrets.token_urlsafe(24),
            "source": "import",
            "confirm_attempts": 0,
            "vulnerable_note": "",
        }
        for n in range(count)
    ]
    for start in range(0, len(rows), CHUNK):
        session.execute(insert(Subscriber), rows[start : start + CHUNK])
    found = select(Subscriber.phone, Subscriber.id).where(
        Subscriber.municipality_id == town.id, Subscriber.phone >= phone(first)
    )
    return {str(number): int(key) for number, key in session.execute(found)}


def _event(session: Session, town: Municipality) -> tuple[int, int, int]:
    """An incident, its published event (already expanded), and its SMS text."""
    middle = town.boundary.representative_point()
    incident = make_incident(session, town, box(*middle.buffer(0.01).bounds))
    event = NotificationEvent(
        municipality_id=town.id,
        incident_id=incident.id,
        version=incident.version,
        kind=EventKind.PUBLISHED,
        status=EventStatus.EXPANDED,
        expanded_at=utcnow(),
    )
    session.add(event)
    session.flush()
    content = NotificationContent(
        event_id=event.id,
        variant=Variant.NEW,
        language="nb",
        channel="sms",
        body=TEXT.format(incident=incident.id) + UNSUBSCRIBE,
    )
    session.add(content)
    session.flush()
    return incident.id, event.id, content.id


def seed_outbox(
    session: Session, inside: int, outside: int = 100, vulnerable_every: int = 10
) -> Seeded:
    """`inside` subscribers with one queued SMS each (every `vulnerable_every`th first in line,
    priority 0), `outside` subscribers with none. Flushed; the caller commits."""
    town = session.scalar(select(Municipality)) or make_municipality(session)
    incident_id, event_id, content_id = _event(session, town)
    first = session.scalar(
        select(func.count()).select_from(Subscriber).where(Subscriber.municipality_id == town.id)
    )
    first = int(first or 0)  # numbers go on after those seeded before
    messaged = _subscribers(session, town, first, inside)
    _subscribers(session, town, first + inside, outside)
    rows = [
        {
            "event_id": event_id,
            "content_id": content_id,
            "municipality_id": town.id,
            "incident_id": incident_id,
            "subscriber_id": messaged[phone(first + n)],
            "channel": "sms",
            "recipient": phone(first + n),
            "language": "nb",
            "variant": Variant.NEW,
            "priority": 0 if n % vulnerable_every == 0 else 1,
            "status": MessageStatus.QUEUED,
            "attempts": 0,
            "idempotency_key": str(uuid.uuid4()),
            "last_error": "",
        }
        for n in range(inside)
    ]
    for start in range(0, len(rows), CHUNK):
        session.execute(insert(OutboxMessage), rows[start : start + CHUNK])
    session.flush()
    numbers = [phone(first + n) for n in range(inside + outside)]
    return Seeded(town.id, event_id, numbers[:inside], numbers[inside:])
