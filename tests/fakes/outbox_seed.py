"""Many subscribers and an incident published over the addresses of some of them: the fault
tests' and the benchmark's starting point, through the real pipeline.

`seed_outbox` inserts `inside` addresses inside a small area and `outside` ones elsewhere in
the municipality (in bulk), one confirmed SMS subscriber per address, and publishes an incident
whose area covers the first group: the incident's own save writes the PUBLISHED event, exactly
as the UI or `statusmap incident create` would. With `expand` the event is expanded here too
(queued messages, one per subscriber inside); without it the workers under test do that.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from shapely.geometry import MultiPoint
from shapely.geometry import Point
from shapely.geometry import box
from sqlalchemy import func
from sqlalchemy import insert
from sqlalchemy import select
from sqlalchemy.orm import Session

from statusmap.models import Address
from statusmap.models import EventKind
from statusmap.models import Municipality
from statusmap.models import NotificationEvent
from statusmap.models import Subscriber
from statusmap.models import Subscription
from statusmap.models import VulnerableCategory
from statusmap.models.base import utcnow
from statusmap.notify.expand import expand_pending
from tests.factories import make_incident
from tests.factories import make_municipality

BASE_URL = "https://vann.example.no"
CHUNK = 2000
STEP = 0.00002  # degrees between seeded addresses (about 1-2 m): 10,000 fit in a few hundred m


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


def _grid(corner: Point, first: int, count: int) -> list[Point]:
    """`count` points on a square grid from `corner` (north-east), `first` the running number."""
    side = max(1, int(count**0.5) + 1)
    return [
        Point(corner.x + (n % side) * STEP, corner.y + (n // side) * STEP) for n in range(count)
    ]


def _addresses(session: Session, town: Municipality, first: int, points: list[Point]) -> list[int]:
    rows = [
        {
            "municipality_id": town.id, "source_id": f"seed-{first + n}",
            "street": "Seedveien", "search_key": "seedveien", "number": first + n,
            "letter": "", "postcode": "", "place": "", "location": point,
            "vulnerable_name": "", "updated_at": utcnow(),
        }
        for n, point in enumerate(points)
    ]  # fmt: skip
    for start in range(0, len(rows), CHUNK):
        session.execute(insert(Address), rows[start : start + CHUNK])
    found = select(Address.id).where(
        Address.municipality_id == town.id, Address.street == "Seedveien", Address.number >= first
    )
    return list(session.scalars(found.order_by(Address.number)))[: len(points)]


def _subscribers(
    session: Session, town: Municipality, first: int, addresses: list[int], vulnerable_every: int
) -> None:
    now = utcnow()
    rows = [
        {
            "municipality_id": town.id, "phone": phone(first + n), "language": "nb",
            "wants_sms": True, "confirmed_at": now, "token": secrets.token_urlsafe(24),
            "source": "import", "confirm_attempts": 0, "vulnerable_note": "",
            "vulnerable_category": VulnerableCategory.DIALYSIS
            if vulnerable_every and n % vulnerable_every == 0 else None,
        }
        for n in range(len(addresses))
    ]  # fmt: skip
    for start in range(0, len(rows), CHUNK):
        session.execute(insert(Subscriber), rows[start : start + CHUNK])
    found = select(Subscriber.phone, Subscriber.id).where(
        Subscriber.municipality_id == town.id, Subscriber.phone >= phone(first)
    )
    ids = {str(row[0]): int(row[1]) for row in session.execute(found)}
    links = [
        {"subscriber_id": ids[phone(first + n)], "address_id": address, "created_at": now}
        for n, address in enumerate(addresses)
    ]
    for start in range(0, len(links), CHUNK):
        session.execute(insert(Subscription), links[start : start + CHUNK])


def seed_outbox(
    session: Session,
    inside: int,
    outside: int = 100,
    vulnerable_every: int = 10,
    *,
    expand: bool = True,
) -> Seeded:
    """`inside` subscribers inside a published incident's area (every `vulnerable_every`th
    vulnerable, so first in line), `outside` ones beyond it. Committed when `expand` (the
    expansion commits), else flushed for the caller to commit."""
    town = session.scalar(select(Municipality)) or make_municipality(session)
    # Events written before (the demo's incidents) are announced now, to nobody yet: only the
    # seeded incident's event reaches the seeded subscribers.
    while expand_pending(session, limit=10, base_url=BASE_URL):
        pass
    count = session.scalar(select(func.count()).select_from(Subscriber).where(
        Subscriber.municipality_id == town.id
    ))  # fmt: skip
    first = int(count or 0)  # numbers and addresses go on after those seeded before
    west, south, east, north = town.boundary.bounds
    # Each seed north of the ones before (a grid of n points is under n steps tall), so a
    # second seed's incident covers none of the first seed's addresses.
    lift = 2 * first * STEP
    corner = Point(west + (east - west) * 0.3, south + (north - south) * 0.3 + lift)
    points_in = _grid(corner, first, inside)
    area = box(*MultiPoint(points_in).buffer(STEP / 2).bounds)
    far = Point(west + (east - west) * 0.7, south + (north - south) * 0.7 + lift)
    _subscribers(
        session, town, first, _addresses(session, town, first, points_in), vulnerable_every
    )
    points_out = _grid(far, first + inside, outside)
    _subscribers(session, town, first + inside,
                 _addresses(session, town, first + inside, points_out), 0)  # fmt: skip
    incident = make_incident(session, town, area)
    session.flush()
    event = session.scalars(
        select(NotificationEvent).where(
            NotificationEvent.incident_id == incident.id,
            NotificationEvent.kind == EventKind.PUBLISHED,
        )
    ).one()
    seeded = Seeded(
        town.id,
        event.id,
        [phone(first + n) for n in range(inside)],
        [phone(first + inside + n) for n in range(outside)],
    )
    if expand:
        while expand_pending(session, limit=10, base_url=BASE_URL):
            pass
    return seeded
