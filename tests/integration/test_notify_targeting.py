"""Who is told what when an incident is published, changes its area, is updated or resolved.

Subscribers inside and outside, on two addresses, unconfirmed, on a retired address, vulnerable
(flagged themselves or by their address); expanded on both backends, twice.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from shapely.geometry import MultiPolygon
from shapely.geometry import box
from sqlalchemy import select
from sqlalchemy.orm import Session

from statusmap.incidents.lifecycle import change_area
from statusmap.incidents.lifecycle import resolve_incident
from statusmap.incidents.lifecycle import schedule_incident
from statusmap.incidents.operations import IncidentInput
from statusmap.incidents.operations import edit_incident
from statusmap.incidents.scheduler import run_due
from statusmap.models import Audience
from statusmap.models import EventKind
from statusmap.models import Incident
from statusmap.models import IncidentStatus
from statusmap.models import Municipality
from statusmap.models import NotificationEvent
from statusmap.models import OutboxMessage
from statusmap.models import VulnerableCategory
from statusmap.models.base import utcnow
from statusmap.models.notification import EventStatus
from statusmap.notify.events import choose_audience
from statusmap.notify.events import send_to_the_rest
from statusmap.notify.expand import expand_pending
from tests.factories import make_address
from tests.factories import make_incident
from tests.factories import make_municipality
from tests.notify_factories import make_subscriber
from tests.notify_factories import sent

FIRST = MultiPolygon([box(8.060, 58.130, 8.080, 58.150)])
SECOND = MultiPolygon([box(8.070, 58.130, 8.110, 58.170)])  # leaves the west part, adds the east
BASE = "https://vann.example.no"


@pytest.fixture
def town(session: Session) -> Municipality:
    municipality = make_municipality(session, slug="varselby", kommunenummer="4299")
    west = make_address(session, municipality, 8.065, 58.140, "west")  # first area only
    middle = make_address(session, municipality, 8.075, 58.140, "middle")  # both areas
    east = make_address(session, municipality, 8.100, 58.160, "east")  # second area only
    gone = make_address(session, municipality, 8.076, 58.141, "gone")  # both, but retired
    gone.retired_at = utcnow()
    home = make_address(session, municipality, 8.066, 58.141, "home")  # first area only
    home.vulnerable_category = VulnerableCategory.NURSING_HOME
    make_subscriber(session, municipality, [west], email="west@example.no")
    make_subscriber(
        session,
        municipality,
        [west, middle],
        phone="+4791000002",
        email="two@example.no",
        channels=("sms", "email"),
    )
    make_subscriber(session, municipality, [east], email="east@example.no")
    make_subscriber(
        session, municipality, [middle], email="unconfirmed@example.no", confirmed=False
    )
    make_subscriber(session, municipality, [gone], email="retired@example.no")
    make_subscriber(
        session,
        municipality,
        [middle],
        phone="+4791000006",
        channels=("voice",),
        vulnerable=VulnerableCategory.DIALYSIS,
    )
    make_subscriber(session, municipality, [home], email="home@example.no")
    session.flush()
    return municipality


def _events(session: Session, incident: Incident) -> list[NotificationEvent]:
    query = select(NotificationEvent).where(NotificationEvent.incident_id == incident.id)
    return list(session.scalars(query.order_by(NotificationEvent.id)))


def _expand(session: Session) -> None:
    while expand_pending(session, limit=5, base_url=BASE):
        pass


def test_publishing_reaches_exactly_the_confirmed_subscribers_inside(
    session: Session, town: Municipality
) -> None:
    incident = make_incident(session, town, FIRST)
    [event] = _events(session, incident)
    assert event.kind is EventKind.PUBLISHED and event.previous_version is None
    _expand(session)
    assert sent(session, event.id) == {
        ("west@example.no", "email", "new", 1),
        ("+4791000002", "sms", "new", 1),  # one per person and channel: two addresses inside
        ("two@example.no", "email", "new", 1),
        ("+4791000006", "voice", "new", 0),  # vulnerable subscriber: first
        ("home@example.no", "email", "new", 0),  # vulnerable address: first
    }
    session.refresh(event)
    assert event.status is EventStatus.EXPANDED


def test_an_area_change_tells_newly_still_and_no_longer_covered(
    session: Session, town: Municipality
) -> None:
    incident = make_incident(session, town, FIRST)
    _expand(session)
    change_area(session, incident, SECOND, expected_version=incident.version, actor="test")
    event = _events(session, incident)[-1]
    assert event.kind is EventKind.AREA_CHANGED and event.previous_version == 1
    _expand(session)
    assert sent(session, event.id) == {
        ("west@example.no", "email", "no_longer", 1),
        ("+4791000002", "sms", "update", 1),
        ("two@example.no", "email", "update", 1),
        ("east@example.no", "email", "new", 1),
        ("+4791000006", "voice", "update", 0),
        ("home@example.no", "email", "no_longer", 0),
    }


def test_resolving_tells_those_inside_the_last_area(session: Session, town: Municipality) -> None:
    incident = make_incident(session, town, FIRST)
    change_area(session, incident, SECOND, expected_version=incident.version, actor="test")
    resolve_incident(
        session,
        incident,
        {"nb": "Vannet er tilbake."},
        expected_version=incident.version,
        actor="test",
    )
    event = _events(session, incident)[-1]
    assert event.kind is EventKind.RESOLVED and event.previous_version == 2
    _expand(session)
    assert {(r, v) for r, _c, v, _p in sent(session, event.id)} == {
        ("+4791000002", "resolved"),
        ("two@example.no", "resolved"),
        ("east@example.no", "resolved"),
        ("+4791000006", "resolved"),
    }


def _edit(session: Session, incident: Incident, **changes: object) -> None:
    data = IncidentInput(
        kind=incident.kind,
        status=incident.status,
        title=dict(incident.title),
        area=incident.area,
        summary=dict(incident.summary),
        advice=dict(incident.advice),
        starts_at=incident.starts_at,
        expected_end=incident.expected_end,
    )
    for key, value in changes.items():
        setattr(data, key, value)
    edit_incident(session, incident, data, expected_version=incident.version, actor="test")


def test_text_edits_are_not_announced_and_a_new_expected_end_is(
    session: Session, town: Municipality
) -> None:
    incident = make_incident(session, town, FIRST)
    _edit(session, incident, title={"nb": "Vannet er stengt"})
    _edit(session, incident, summary={"nb": "Vi reparerer en lekkasje."})
    assert [e.kind for e in _events(session, incident)] == [EventKind.PUBLISHED]
    later = utcnow().replace(microsecond=0) + timedelta(hours=5)
    _edit(session, incident, expected_end=later)
    events = _events(session, incident)
    assert [e.kind for e in events] == [EventKind.PUBLISHED, EventKind.UPDATED]
    assert events[-1].previous_version == 1  # compared with the version last announced
    _expand(session)
    assert {v for _r, _c, v, _p in sent(session, events[-1].id)} == {"update"}


def test_vulnerable_only_first_and_the_rest_later(session: Session, town: Municipality) -> None:
    incident = make_incident(session, town, FIRST)
    event = choose_audience(session, incident, Audience.VULNERABLE_ONLY)
    assert event is not None
    _expand(session)
    assert {r for r, *_ in sent(session, event.id)} == {"+4791000006", "home@example.no"}
    rest = send_to_the_rest(session, event, actor="test")
    _expand(session)
    assert {r for r, *_ in sent(session, rest.id)} == {
        "west@example.no",
        "+4791000002",
        "two@example.no",
    }
    assert send_to_the_rest(session, event, actor="test").id == rest.id  # once only


def test_expanding_twice_adds_nothing(session: Session, town: Municipality) -> None:
    incident = make_incident(session, town, FIRST)
    [event] = _events(session, incident)
    _expand(session)
    first = session.scalars(
        select(OutboxMessage.id).where(OutboxMessage.event_id == event.id)
    ).all()
    session.refresh(event)
    event.status = EventStatus.PENDING  # as if a worker died after writing, before marking it
    session.flush()
    assert expand_pending(session, limit=5, base_url=BASE) == 1
    again = session.scalars(
        select(OutboxMessage.id).where(OutboxMessage.event_id == event.id)
    ).all()
    assert sorted(again) == sorted(first) and len(first) == 5


def test_a_plan_is_announced_when_scheduled_and_updated_when_it_starts(
    session: Session, town: Municipality
) -> None:
    draft = make_incident(session, town, FIRST, status=IncidentStatus.DRAFT)
    assert _events(session, draft) == []
    start = utcnow() + timedelta(hours=2)
    schedule_incident(session, draft, expected_version=draft.version, actor="test", starts_at=start)
    [published] = _events(session, draft)
    assert published.kind is EventKind.PUBLISHED
    assert run_due(session, start + timedelta(minutes=1))  # the scheduler starts it
    events = _events(session, draft)
    assert [e.kind for e in events] == [EventKind.PUBLISHED, EventKind.UPDATED]
    assert events[-1].actor == "scheduler"
