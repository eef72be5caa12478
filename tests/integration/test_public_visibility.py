"""What the public sees, and when: drafts never; scheduled works as active once started;
resolved incidents for RECENTLY_RESOLVED_DAYS. Page, GeoJSON and the point lookup agree."""

from __future__ import annotations

from datetime import timedelta

from shapely.geometry import box
from sqlalchemy import select

from statusmap.incidents.operations import IncidentInput
from statusmap.incidents.operations import create_incident
from statusmap.models import IncidentKind
from statusmap.models import IncidentStatus
from statusmap.models import Municipality
from statusmap.models.base import utcnow


def _demo(session) -> Municipality:
    return session.scalar(select(Municipality).where(Municipality.slug == "demo"))


def _add(session, title: str, status: IncidentStatus, **times):
    demo = _demo(session)
    lon, lat = demo.boundary.centroid.x, demo.boundary.centroid.y
    incident = create_incident(
        session,
        demo,
        IncidentInput(
            kind=IncidentKind.SHUTDOWN,
            status=status,
            area=box(lon, lat, lon + 0.004, lat + 0.002),
            title={"nb": title},
            **times,
        ),
        actor="test",
    )
    session.commit()
    return incident, (lon + 0.002, lat + 0.001)


def _everywhere(client, point) -> tuple[str, dict, dict]:
    page = client.get("/demo/").get_data(as_text=True)
    feed = client.get("/api/v1/demo/incidents.geojson?include=resolved").get_json()
    at = client.get(f"/api/v1/demo/incidents/at?lon={point[0]}&lat={point[1]}").get_json()
    return page, feed, at


def _titles(collection: dict) -> dict[str, str]:
    return {f["properties"]["title"]: f["properties"]["status"] for f in collection["features"]}


def test_a_draft_is_never_public(client, session) -> None:
    _incident, point = _add(session, "Hemmelig utkast", IncidentStatus.DRAFT)
    page, feed, at = _everywhere(client, point)
    assert "Hemmelig utkast" not in page
    assert "Hemmelig utkast" not in _titles(feed)
    assert "Hemmelig utkast" not in _titles(at)


def test_scheduled_works_are_active_once_they_start(client, session) -> None:
    started = utcnow() - timedelta(minutes=5)
    _incident, point = _add(session, "Graving startet", IncidentStatus.SCHEDULED, starts_at=started)
    ahead = utcnow() + timedelta(days=2)
    _add(session, "Graving neste uke", IncidentStatus.SCHEDULED, starts_at=ahead)
    page, feed, at = _everywhere(client, point)
    assert _titles(feed)["Graving startet"] == "active"
    assert _titles(feed)["Graving neste uke"] == "scheduled"
    assert at["affected"] is True and "Graving startet" in _titles(at)
    assert "Graving neste uke" not in _titles(at)
    active_section = page.split('id="active-heading"', 1)[1].split('id="planned-heading"', 1)[0]
    assert "Graving startet" in active_section and "Graving neste uke" not in active_section


def test_resolved_incidents_stay_for_the_configured_days(app, client, session) -> None:
    days = app.config["RECENTLY_RESOLVED_DAYS"]
    now = utcnow()
    for title, age in (("Løst nylig", days - 1), ("Løst for lenge siden", days + 1)):
        _add(
            session,
            title,
            IncidentStatus.RESOLVED,
            starts_at=now - timedelta(days=age + 1),
            resolved_at=now - timedelta(days=age),
        )
    page, feed, _at = _everywhere(client, (0, 0))
    assert "Løst nylig" in page and "Løst for lenge siden" not in page
    assert _titles(feed).get("Løst nylig") == "resolved"
    assert "Løst for lenge siden" not in _titles(feed)
