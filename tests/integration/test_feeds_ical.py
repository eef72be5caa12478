"""The planned-works calendar, read by icalendar: an event per planned incident with a stable
UID, SEQUENCE that grows with the version, times in UTC and a link to the incident's page."""

from __future__ import annotations

from datetime import UTC
from datetime import timedelta

from icalendar import Calendar
from shapely.geometry import box
from sqlalchemy import select

from statusmap.incidents.lifecycle import schedule_incident
from statusmap.incidents.operations import IncidentInput
from statusmap.incidents.operations import create_incident
from statusmap.models import Incident
from statusmap.models import IncidentKind
from statusmap.models import IncidentStatus
from statusmap.models import Municipality
from statusmap.models.base import utcnow

ICS = "/api/v1/demo/planned.ics"


def _calendar(client, path: str = ICS) -> dict[str, object]:  # type: ignore[no-untyped-def]
    response = client.get(path)
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    calendar = Calendar.from_ical(response.data)
    assert calendar["VERSION"] == "2.0" and calendar["PRODID"]
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def _demo(session) -> Municipality:  # type: ignore[no-untyped-def]
    return session.scalar(select(Municipality).where(Municipality.slug == "demo"))


def test_the_demo_plan_is_an_event_with_its_times_and_page(client, session) -> None:
    events = _calendar(client)
    planned = session.scalars(
        select(Incident).where(
            Incident.municipality_id == _demo(session).id,
            Incident.kind == IncidentKind.PLANNED_WORKS,
        )
    ).all()
    assert sorted(events) == sorted(f"incident-{i.id}@localhost" for i in planned)
    incident = planned[0]
    event = events[f"incident-{incident.id}@localhost"]
    assert event["DTSTART"].dt == incident.starts_at.astimezone(UTC).replace(microsecond=0)
    assert event["DTEND"].dt == incident.expected_end.astimezone(UTC).replace(microsecond=0)
    assert event["DTSTART"].dt.tzinfo is not None  # UTC, not floating time
    assert event["SEQUENCE"] == incident.version
    assert str(event["URL"]) == f"http://localhost/demo/hendelse/{incident.id}"
    assert str(event["SUMMARY"]) == f"Planlagt arbeid: {incident.text('title', 'nb')}"
    assert str(event["STATUS"]) == "CONFIRMED"
    lat, lon = event["GEO"].latitude, event["GEO"].longitude
    assert 60.3 < lat < 60.45 and 10.4 < lon < 10.7


def test_a_moved_plan_keeps_its_uid_with_a_higher_sequence(client, session) -> None:
    demo = _demo(session)
    x, y = demo.boundary.centroid.x, demo.boundary.centroid.y
    draft = create_incident(
        session,
        demo,
        IncidentInput(
            kind=IncidentKind.SHUTDOWN,
            status=IncidentStatus.DRAFT,
            area=box(x, y, x + 0.003, y + 0.002),
            title={"nb": "Stenging for nye kummer"},
        ),
        actor="test",
    )
    session.commit()
    assert f"incident-{draft.id}@localhost" not in _calendar(client)  # drafts are private
    start = utcnow() + timedelta(days=3)
    schedule_incident(session, draft, starts_at=start, expected_version=1, actor="test")
    session.commit()
    first = _calendar(client)[f"incident-{draft.id}@localhost"]
    later = start + timedelta(days=1)
    schedule_incident(session, draft, starts_at=later, expected_version=2, actor="test")
    session.commit()
    moved = _calendar(client)[f"incident-{draft.id}@localhost"]
    assert moved["SEQUENCE"] > first["SEQUENCE"]
    assert moved["DTSTART"].dt == later.astimezone(UTC).replace(microsecond=0)
    assert "DTEND" not in moved  # no expected end: a start only


def test_unplanned_incidents_stay_out(client, session) -> None:
    events = _calendar(client)
    boil = session.scalar(
        select(Incident).where(
            Incident.municipality_id == _demo(session).id,
            Incident.kind == IncidentKind.BOIL_WATER,
        )
    )
    assert f"incident-{boil.id}@localhost" not in events
