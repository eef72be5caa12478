"""The archive of resolved incidents: by street (case and æøå aside), by Norwegian date, paged."""

from __future__ import annotations

from datetime import UTC
from datetime import datetime
from datetime import timedelta
from urllib.parse import urljoin

import pytest
from shapely.geometry import Point
from shapely.geometry import box
from sqlalchemy import select

from statusmap.incidents.operations import IncidentInput
from statusmap.incidents.operations import create_incident
from statusmap.models import Address
from statusmap.models import IncidentKind
from statusmap.models import IncidentStatus
from statusmap.models import Municipality
from statusmap.models.base import utcnow
from tests.html_tree import parse
from tests.integration.test_incident_pages import writing

JAN_10 = datetime(2025, 1, 10, 8, 0, tzinfo=UTC)


def _origin(session) -> tuple[Municipality, float, float]:
    demo = session.scalar(select(Municipality).where(Municipality.slug == "demo"))
    return demo, demo.boundary.centroid.x + 0.015, demo.boundary.centroid.y - 0.01


def _address(session, street: str, lon: float, lat: float, **kw) -> None:
    demo, _, _ = _origin(session)
    session.add(
        Address(
            municipality_id=demo.id,
            source_id=f"archive-{street}-{lon}-{lat}",
            street=street,
            number=1,
            dwellings=1,
            location=Point(lon, lat),
            **kw,
        )
    )
    session.flush()


def _resolved(session, title: str, area, starts: datetime, resolved: datetime, **kw) -> int:
    demo, _, _ = _origin(session)
    incident = create_incident(
        session,
        demo,
        IncidentInput(
            kind=kw.pop("kind", IncidentKind.SHUTDOWN),
            status=kw.pop("status", IncidentStatus.RESOLVED),
            area=area,
            title={"nb": title},
            starts_at=starts,
            resolved_at=resolved,
        ),
        actor="test",
    )
    return incident.id


@pytest.fixture
def streets(app) -> dict[str, int]:
    """Three resolved incidents, each over a street of its own; one active over the first."""
    with writing(app) as session:
        _, lon, lat = _origin(session)
        east, west = (
            box(lon, lat, lon + 0.002, lat + 0.001),
            box(lon - 0.004, lat, lon - 0.002, lat + 0.001),
        )
        _address(session, "Østre Åsveg", lon + 0.001, lat + 0.0005)
        _address(session, "Ærlig gate", lon - 0.003, lat + 0.0005)
        # On the edge of the east area: an edge counts as inside, on both backends.
        _address(session, "Kantvegen", lon + 0.002, lat + 0.0005)
        _address(session, "Gammelgata", lon - 0.003, lat + 0.0002, retired_at=utcnow())
        ids = {
            "east": _resolved(session, "Øst", east, JAN_10, JAN_10 + timedelta(days=2)),
            "west": _resolved(session, "Vest", west, JAN_10, JAN_10 + timedelta(days=5)),
            "active": _resolved(session, "Pågår", east, JAN_10, None, status=IncidentStatus.ACTIVE),
        }
    return ids


def _titles(client, query: str, status: int = 200) -> list[str]:
    response = client.get(f"/demo/arkiv?{query}")
    assert response.status_code == status
    items = parse(response.get_data(as_text=True)).find_all("li", class_="archive-item")
    return [li.find("p", class_="archive-item__title").text() for li in items]


@pytest.mark.parametrize(
    "typed", ["Østre Åsveg", "østre åsveg", "ØSTRE ÅSVEG", "oestre aasveg", "åsveg", " Østre   Å"]
)
def test_search_by_street_tolerates_case_and_norwegian_letters(client, streets, typed) -> None:
    assert _titles(client, f"gate={typed}") == ["Øst"]


def test_the_street_search_says_which_streets_matched(client, streets) -> None:
    doc = parse(client.get("/demo/arkiv?gate=ærlig").get_data(as_text=True))
    assert "Ærlig gate" in doc.find("main").text()
    assert [li.find("a").text() for li in doc.find_all("li", class_="archive-item")] == ["Vest"]
    nothing = parse(client.get("/demo/arkiv?gate=finnesikke").get_data(as_text=True))
    assert "Ingen gate i kommunen passer «finnesikke»." in nothing.find("main").text()
    assert nothing.find_all("li", class_="archive-item") == []


def test_an_address_on_the_edge_counts_and_a_retired_one_does_not(client, streets) -> None:
    assert _titles(client, "gate=kantvegen") == ["Øst"]
    assert _titles(client, "gate=gammelgata") == []


def test_only_resolved_incidents_are_in_the_archive(client, streets) -> None:
    titles = _titles(client, "")
    assert "Øst" in titles and "Vest" in titles and "Pågår" not in titles


def test_results_link_to_the_incident_pages(client, streets) -> None:
    doc = parse(client.get("/demo/arkiv?gate=åsveg").get_data(as_text=True))
    link = doc.find("li", class_="archive-item").find("a")
    assert link.attrs["href"] == f"/demo/hendelse/{streets['east']}"
    assert client.get(link.attrs["href"]).status_code == 200


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("fra=2025-01-11&til=2025-01-11", ["Vest", "Øst"]),  # both were active that day
        ("fra=2025-01-13", ["Vest"]),  # east was resolved on the 12th
        ("til=2025-01-09", []),  # nothing had started
        ("fra=2025-01-10&til=2025-01-10", ["Vest", "Øst"]),
        ("fra=2025-01-16", []),
        ("gate=ærlig&fra=2025-01-14&til=2025-02-01", ["Vest"]),
        ("gate=ærlig&fra=2025-01-16", []),
    ],
)
def test_search_by_dates_finds_incidents_active_in_the_range(
    client, streets, query, expected
) -> None:
    found = _titles(client, query)
    assert [t for t in found if t in ("Øst", "Vest")] == expected


def test_dates_are_norwegian_days(app, client) -> None:
    """Resolved at 00:30 Norwegian time on the 12th (23:30 UTC on the 11th): on the 12th."""
    with writing(app) as session:
        _, lon, lat = _origin(session)
        resolved = datetime(2025, 1, 11, 23, 30, tzinfo=UTC)
        area = box(lon, lat, lon + 0.001, lat + 0.001)
        _resolved(session, "Over midnatt", area, resolved - timedelta(hours=5), resolved)
        # Started at 23:30 UTC on the 14th: the 15th in Norway.
        started = datetime(2025, 1, 14, 23, 30, tzinfo=UTC)
        _resolved(session, "Sent start", area, started, started + timedelta(hours=2))
    assert "Over midnatt" in _titles(client, "fra=2025-01-12&til=2025-01-12")
    assert "Sent start" not in _titles(client, "fra=2025-01-14&til=2025-01-14")
    assert "Sent start" in _titles(client, "fra=2025-01-15&til=2025-01-15")


def test_pages_of_twenty_newest_first(app, client) -> None:
    with writing(app) as session:
        _, lon, lat = _origin(session)
        area = box(lon, lat, lon + 0.001, lat + 0.001)
        _address(session, "Sidevegen", lon + 0.0005, lat + 0.0005)
        for n in range(25):
            start = JAN_10 + timedelta(days=n)
            _resolved(session, f"Nr {n:02d}", area, start, start + timedelta(hours=3))
    first = client.get("/demo/arkiv?gate=sidevegen&lang=nb")
    doc = parse(first.get_data(as_text=True))
    titles = [li.find("a").text() for li in doc.find_all("li", class_="archive-item")]
    assert titles == [f"Nr {n:02d}" for n in range(24, 4, -1)]
    assert "25 løste hendelser" in doc.find("h2", id="results-heading").text()
    nav = doc.find("nav", class_="pagination")
    assert "Side 1 av 2" in nav.text()
    following = urljoin("/demo/arkiv", nav.find("a", rel="next").attrs["href"])  # as a browser
    assert following == "/demo/arkiv?gate=sidevegen&lang=nb&side=2", "keeps the search"
    second = parse(client.get(following).get_data(as_text=True))
    titles = [li.find("a").text() for li in second.find_all("li", class_="archive-item")]
    assert titles == [f"Nr {n:02d}" for n in range(4, -1, -1)]
    back = urljoin(
        "/demo/arkiv", second.find("nav", class_="pagination").find("a", rel="prev").attrs["href"]
    )
    assert back == "/demo/arkiv?gate=sidevegen&lang=nb&side=1"
    assert _titles(client, "gate=sidevegen&side=9") == []
    assert _titles(client, "gate=sidevegen&side=tre")[0] == "Nr 24", "a bad page is the first"


def test_wrong_fields_are_said_and_left_out(client, streets) -> None:
    response = client.get("/demo/arkiv?fra=i+går&gate=åsveg")
    assert response.status_code == 400
    doc = parse(response.get_data(as_text=True))
    field = doc.find("input", id="fra")
    assert field.attrs["aria-invalid"] == "true" and field.attrs["value"] == "i går"
    assert doc.find("p", id=field.attrs["aria-describedby"]).text().startswith("Skriv fra-datoen")
    titles = [li.find("a").text() for li in doc.find_all("li", class_="archive-item")]
    assert titles == ["Øst"], "the street still narrows the search"
    assert _titles(client, "fra=2025-02-01&til=2025-01-01", status=400)
    assert _titles(client, "gate=x", status=400)


def test_the_language_switcher_keeps_the_search(client, streets) -> None:
    doc = parse(client.get("/demo/arkiv?gate=åsveg&fra=2025-01-01&lang=en").get_data(as_text=True))
    assert doc.find("html").attrs["lang"] == "en"
    links = [
        urljoin("/demo/arkiv", a.attrs["href"])
        for a in doc.find("nav", class_="languages").find_all("a")
    ]
    assert links[0] == "/demo/arkiv?gate=%C3%A5sveg&fra=2025-01-01&lang=nb"
    assert doc.find("input", type="hidden", name="lang").attrs["value"] == "en"
