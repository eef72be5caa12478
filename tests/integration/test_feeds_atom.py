"""The Atom feed of incidents, read by feedparser: one entry per public incident with a stable
id, its time of change, texts in the request's language, and a link to the incident's page;
every feed revalidates with a 304."""

from __future__ import annotations

from datetime import UTC
from datetime import datetime

import pytest
from shapely.geometry import box
from sqlalchemy import select

from statusmap.incidents.operations import IncidentInput
from statusmap.incidents.operations import create_incident
from statusmap.models import Incident
from statusmap.models import IncidentKind
from statusmap.models import IncidentStatus
from statusmap.models import Municipality
from tests.integration.feed_checks import parse_atom

ATOM = "/api/v1/demo/incidents.atom"
FEEDS = [ATOM, "/api/v1/demo/cap.atom", "/api/v1/demo/planned.ics", "/api/v1/demo/cap/1.xml"]


def _demo_incidents(session) -> dict[int, Incident]:  # type: ignore[no-untyped-def]
    demo = session.scalar(select(Municipality).where(Municipality.slug == "demo"))
    found = session.scalars(select(Incident).where(Incident.municipality_id == demo.id))
    return {i.id: i for i in found}


def test_one_entry_per_public_incident_with_its_page_and_time(client, session) -> None:
    feed = parse_atom(client, ATOM)
    incidents = _demo_incidents(session)
    assert feed.feed.title == "Driftsmeldinger for vann og avløp – Demo kommune"
    assert feed.feed.id.startswith("tag:localhost,")
    assert len(feed.entries) == 4  # two active, one planned, one recently resolved
    for entry in feed.entries:
        number = int(entry.id.rsplit(":", 1)[1])
        incident = incidents[number]
        assert entry.id.startswith("tag:localhost,") and entry.id.endswith(f":incident:{number}")
        assert entry.link == f"http://localhost/demo/hendelse/{number}"
        updated = datetime.fromisoformat(entry.updated)
        assert updated == incident.updated_at.astimezone(UTC).replace(microsecond=0)
        assert incident.text("title", "nb") in entry.title
        assert entry.summary == incident.text("summary", "nb")
        assert entry.author == "Vann og avløp, Demo kommune"
    terms = {tag.term for entry in feed.entries for tag in entry.tags}
    assert {"active", "scheduled", "resolved", "boil_water"} <= terms


def test_texts_follow_the_language_and_ids_do_not(client) -> None:
    nb = parse_atom(client, ATOM)
    en = parse_atom(client, ATOM + "?lang=en")
    assert en.feed.language == "en"
    assert [e.id for e in en.entries] == [e.id for e in nb.entries]
    boil_nb = next(e for e in nb.entries if e.title.startswith("Kokepålegg"))
    boil_en = next(e for e in en.entries if e.id == boil_nb.id)
    assert boil_en.title != boil_nb.title and boil_en.summary != boil_nb.summary


def test_a_draft_is_in_no_feed(client, session) -> None:
    demo = session.scalar(select(Municipality).where(Municipality.slug == "demo"))
    x, y = demo.boundary.centroid.x, demo.boundary.centroid.y
    draft = create_incident(
        session,
        demo,
        IncidentInput(
            kind=IncidentKind.PLANNED_WORKS,
            status=IncidentStatus.DRAFT,
            area=box(x, y, x + 0.003, y + 0.002),
            title={"nb": "Hemmelig graving"},
        ),
        actor="test",
    )
    session.commit()
    assert all(not e.id.endswith(f":{draft.id}") for e in parse_atom(client, ATOM).entries)
    index = parse_atom(client, "/api/v1/demo/cap.atom")
    assert all(f"/cap/{draft.id}.xml" not in e.link for e in index.entries)
    assert client.get(f"/api/v1/demo/cap/{draft.id}.xml").status_code == 404
    assert b"Hemmelig graving" not in client.get("/api/v1/demo/planned.ics").data


@pytest.mark.parametrize("path", FEEDS)
def test_every_feed_revalidates_with_304(client, path: str) -> None:
    first = client.get(path)
    assert first.status_code == 200
    assert first.headers["Cache-Control"].startswith("public, max-age=10")
    again = client.get(path, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""
    packed = client.get(path, headers={"Accept-Encoding": "gzip"})
    assert packed.headers["Content-Encoding"] == "gzip"
    assert client.get(path, headers={"If-None-Match": packed.headers["ETag"]}).status_code == 304


def test_the_public_page_links_every_feed(client) -> None:
    from lxml import html

    page = html.fromstring(client.get("/demo/?lang=nb").data)
    alternates = {
        (link.get("type"), link.get("title")): link.get("href")
        for link in page.xpath("//head/link[@rel='alternate']")
    }
    assert alternates == {
        ("application/atom+xml", "Driftsmeldinger (Atom)"): "/api/v1/demo/incidents.atom?lang=nb",
        ("application/atom+xml", "CAP-varsler"): "/api/v1/demo/cap.atom?lang=nb",
        ("text/calendar", "Planlagt arbeid (iCalendar)"): "/api/v1/demo/planned.ics?lang=nb",
        ("application/geo+json", "GeoJSON"): "/api/v1/demo/incidents.geojson?lang=nb",
    }
    footer = {a.get("href") for a in page.xpath("//footer//a")}
    assert set(alternates.values()) <= footer
    assert "/api/v1/openapi.json" in footer
    for href in footer:
        if href.startswith("/api/"):
            assert client.get(href).status_code == 200, href
