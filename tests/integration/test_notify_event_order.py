"""One incident's events are expanded in their order, whichever worker gets there: while its
"published" event is held by one worker, another worker leaves its "resolved" event waiting,
so no resident's "resolved" is queued before their "published"."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from shapely.geometry import box
from sqlalchemy import select
from sqlalchemy.orm import Session

from statusmap.engine import make_engine
from statusmap.incidents.lifecycle import resolve_incident
from statusmap.migrations import upgrade
from statusmap.models import EventKind
from statusmap.models import NotificationEvent
from statusmap.models.notification import EventStatus
from statusmap.notify.expand import expand_pending
from tests.conftest import new_postgis_database
from tests.factories import make_incident
from tests.factories import make_municipality


@pytest.fixture
def url(postgis_server: str) -> Iterator[str]:
    """A new, migrated PostGIS database (row locks are what this is about)."""
    with new_postgis_database(postgis_server) as found:
        engine = make_engine(found)
        with engine.begin() as conn:
            upgrade(conn)
        engine.dispose()
        yield found


def test_a_later_event_waits_while_an_earlier_one_of_its_incident_is_held(url: str) -> None:
    engine = make_engine(url)
    with Session(engine) as session:
        town = make_municipality(session)
        incident = make_incident(session, town, box(8.06, 58.13, 8.07, 58.14))
        resolve_incident(
            session, incident, {"nb": "Ferdig."}, expected_version=incident.version, actor="t"
        )
        session.commit()
    with Session(engine) as holder, Session(engine) as other:
        published = holder.scalars(
            select(NotificationEvent)
            .where(NotificationEvent.kind == EventKind.PUBLISHED)
            .with_for_update()
        ).one()  # a worker busy expanding it
        assert expand_pending(other, limit=10, base_url="https://v.example") == 0
        holder.rollback()
        # One at a time now: the "resolved" becomes free once the "published" is expanded.
        assert expand_pending(other, limit=10, base_url="https://v.example") == 1
        assert expand_pending(other, limit=10, base_url="https://v.example") == 1
        assert published.id is not None
    with Session(engine) as session:
        events = session.scalars(select(NotificationEvent).order_by(NotificationEvent.id)).all()
        assert [(e.kind, e.status) for e in events] == [
            (EventKind.PUBLISHED, EventStatus.EXPANDED),
            (EventKind.RESOLVED, EventStatus.EXPANDED),
        ]
    engine.dispose()
