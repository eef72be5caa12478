"""Benchmark: expanding one announcement to 50,000 subscribers into outbox messages, per backend.

A municipality gets N addresses (benchmarks.address_points), `covered` of them inside a zone;
every covered address gets a confirmed subscriber (SMS and e-mail), plus 5,000 outside and a
tenth of those inside subscribed to a second covered address. Publishing a zone then writes one
event; the time is `expand_pending` alone (the claim, composing the texts, the three
INSERT ... SELECT statements and the commit), then an area change (NEW / UPDATE / NO_LONGER).
Run from the repository root:

    .venv/bin/python -m benchmarks.notify_expansion --subscribers 50000
"""

from __future__ import annotations

import argparse
import secrets
import tempfile
import time
from datetime import timedelta

from shapely import affinity
from shapely.geometry import MultiPolygon
from shapely.geometry import Polygon
from sqlalchemy import func
from sqlalchemy import insert
from sqlalchemy import select
from sqlalchemy.orm import Session

from benchmarks.address_points import populate
from statusmap.engine import make_engine
from statusmap.gis.queries.addresses import address_ids_in_area
from statusmap.incidents.lifecycle import change_area
from statusmap.incidents.operations import IncidentInput
from statusmap.incidents.operations import create_incident
from statusmap.migrations import upgrade
from statusmap.models import Incident
from statusmap.models import IncidentKind
from statusmap.models import IncidentStatus
from statusmap.models import Municipality
from statusmap.models import OutboxMessage
from statusmap.models import Subscriber
from statusmap.models import Subscription
from statusmap.models.base import utcnow
from statusmap.notify.expand import expand_pending
from tests.conftest import DEFAULT_ADMIN_URL
from tests.conftest import new_postgis_database

OUTSIDE = 5_000


def _subscribers(session: Session, municipality_id: int, address_ids: list[int]) -> None:
    """One confirmed subscriber per address (SMS + e-mail); a tenth with a second address."""
    now = utcnow()
    rows = [
        {
            "municipality_id": municipality_id,
            "phone": f"+479{index:07d}",
            "email": f"s{index}@example.no",
            "language": ("nb", "nn", "en")[index % 3],
            "wants_sms": True,
            "wants_email": True,
            "wants_voice": False,
            "confirmed_at": now,
            "token": secrets.token_urlsafe(16),
            "source": "import",
            "vulnerable_note": "",
            "confirm_attempts": 0,
            "created_at": now,
            "updated_at": now,
        }
        for index in range(len(address_ids))
    ]
    session.execute(insert(Subscriber), rows)
    ids = list(
        session.scalars(
            select(Subscriber.id)
            .where(Subscriber.municipality_id == municipality_id)
            .order_by(Subscriber.id)
        )
    )
    pairs = list(zip(ids, address_ids, strict=True))
    second = [address_ids[(i + 1) % len(address_ids)] for i in range(len(ids) // 10)]
    pairs += list(zip(ids, second, strict=False))
    links = [{"subscriber_id": s, "address_id": a, "created_at": now} for s, a in pairs]
    session.execute(insert(Subscription), links)


def _publish(session: Session, municipality_id: int, zone: Polygon) -> Incident:
    """An active boil-water notice over the zone, committed (its event pending)."""
    municipality = session.get_one(Municipality, municipality_id)
    incident = create_incident(
        session,
        municipality,
        IncidentInput(
            kind=IncidentKind.BOIL_WATER,
            status=IncidentStatus.ACTIVE,
            title={"nb": "Kokepåbud"},
            area=MultiPolygon([zone]),
            starts_at=utcnow() - timedelta(hours=1),
        ),
        actor="benchmark",
    )
    session.commit()
    return incident


def run(url: str, subscribers: int) -> dict[str, float]:
    """Build the data, publish, expand; then change the area and expand again. Seconds each."""
    engine = make_engine(url)
    with engine.begin() as connection:
        upgrade(connection)
    session = Session(engine)
    municipality_id, zone = populate(session, subscribers * 4, subscribers, 200)
    inside = address_ids_in_area(session, municipality_id, zone)
    _subscribers(session, municipality_id, inside[:subscribers])
    session.commit()
    incident = _publish(session, municipality_id, zone)
    started = time.perf_counter()
    expand_pending(session, limit=1, base_url="https://vann.example.no")
    publish = time.perf_counter() - started
    messages = session.scalar(select(func.count(OutboxMessage.id)))
    moved = MultiPolygon([affinity.scale(zone, 0.7, 0.7)])  # an inner part stays covered
    incident = session.get_one(Incident, incident.id)
    change_area(session, incident, moved, expected_version=incident.version, actor="benchmark")
    session.commit()
    started = time.perf_counter()
    expand_pending(session, limit=1, base_url="https://vann.example.no")
    area_change = time.perf_counter() - started
    session.close()
    engine.dispose()
    return {"publish_s": publish, "messages": float(messages or 0), "area_change_s": area_change}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--subscribers", type=int, default=50_000)
    parser.add_argument("--backend", choices=["sqlite", "postgis", "both"], default="both")
    args = parser.parse_args()
    if args.backend in ("sqlite", "both"):
        with tempfile.TemporaryDirectory() as folder:
            print("sqlite", run(f"sqlite:///{folder}/bench.sqlite3", args.subscribers))
    if args.backend in ("postgis", "both"):
        with new_postgis_database(DEFAULT_ADMIN_URL) as url:
            print("postgis", run(url, args.subscribers))


if __name__ == "__main__":
    main()
