"""Each incident's own page, the municipality page's order and links, and language fallback."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from urllib.parse import urljoin
from zoneinfo import ZoneInfo

from shapely.geometry import box
from sqlalchemy import select

from statusmap.db import get_db
from statusmap.incidents.operations import IncidentInput
from statusmap.incidents.operations import add_update
from statusmap.incidents.operations import create_incident
from statusmap.models import Address
from statusmap.models import Incident
from statusmap.models import IncidentKind
from statusmap.models import IncidentStatus
from statusmap.models import Municipality
from statusmap.models.base import utcnow
from tests.factories import make_municipality
from tests.html_tree import parse

OSLO = ZoneInfo("Europe/Oslo")


@contextmanager
def writing(app) -> Iterator:
    """A session in an app context of its own, committed at the end: requests made after the
    block get their own app context (and so their own language), as in production."""
    with app.app_context():
        session = get_db(app).session()
        yield session
        session.commit()


def _demo(session) -> Municipality:
    return session.scalar(select(Municipality).where(Municipality.slug == "demo"))


def _seeded(session, kind: IncidentKind) -> Incident:
    demo = _demo(session)
    return session.scalar(
        select(Incident).where(Incident.municipality_id == demo.id, Incident.kind == kind)
    )


def _add(session, kind=IncidentKind.SHUTDOWN, status=IncidentStatus.ACTIVE, hours_ago=1.0, **kw):
    demo = _demo(session)
    lon, lat = demo.boundary.centroid.x, demo.boundary.centroid.y
    now = utcnow()
    data = {
        "kind": kind,
        "status": status,
        "area": box(lon, lat, lon + 0.004, lat + 0.002),
        "title": {"nb": "Testhendelse"},
        "starts_at": now - timedelta(hours=hours_ago),
        "resolved_at": now if status is IncidentStatus.RESOLVED else None,
        **kw,
    }
    incident = create_incident(session, demo, IncidentInput(**data), actor="test")
    session.commit()
    return incident


def _get(client, url: str):
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return parse(response.get_data(as_text=True))


def _oslo_clock(moment) -> str:
    local = moment.astimezone(OSLO)
    return f"{local:%H:%M} {local.tzname()}"


def _facts(element) -> dict[str, str]:
    dl = element.find("dl")
    return {
        dt.text(): dd.text() for dt, dd in zip(dl.find_all("dt"), dl.find_all("dd"), strict=True)
    }


def test_the_page_of_a_published_incident_says_everything(app, client) -> None:
    with writing(app) as session:
        incident = _seeded(session, IncidentKind.BOIL_WATER)
        iid, area, starts, ends = (
            incident.id,
            incident.area,
            incident.starts_at,
            incident.expected_end,
        )
        demo_id = _demo(session).id
        # Counted independently of the query: the demo addresses whose point lies in the area.
        inside = [
            a.dwellings
            for a in session.scalars(select(Address).where(Address.municipality_id == demo_id))
            if area.covers(a.location) and a.retired_at is None
        ]
    assert len(inside) > 1, "the demo area holds addresses"
    doc = _get(client, f"/demo/hendelse/{iid}")
    article = doc.find("article", class_="incident incident-page incident--active")
    assert doc.find("h1").text() == "Kokepålegg nord for Møllegata og Elvegata"
    assert "Kokepålegg" in doc.find("p", class_="incident__kind").text()
    facts = _facts(article)
    assert facts["Status"] == "Pågår", "status in words, not colour"
    assert facts["Årsak"] == "E. coli påvist i drikkevannet"
    assert facts["Start"].endswith(_oslo_clock(starts))
    assert facts["Forventet ferdig"].endswith(_oslo_clock(ends))
    assert "Løst" not in facts
    advice = doc.find("section", class_="incident__advice")
    assert advice.find("h2").text() == "Hva bør du gjøre?"
    assert advice.find("p").text().startswith("Kok vannet før du bruker det")
    assert facts["Berørte adresser"].replace("\xa0", "") == f"{len(inside)} adresser"
    assert facts["Berørte boliger"].replace("\xa0", "") == f"{sum(inside)} boliger"
    assert doc.find("div", class_="folium-map"), "the area map"
    assert doc.find("title").text().startswith("Kokepålegg nord for Møllegata")


def test_the_timeline_is_newest_first_in_oslo_time(app, client) -> None:
    now = utcnow()
    noon = now.replace(hour=12, minute=0, second=0, microsecond=0)
    winter, summer = noon.replace(month=1, day=15), noon.replace(month=7, day=15)
    with writing(app) as session:
        incident = _add(session, title={"nb": "Tidslinje"})
        for at, body in ((winter, "Først"), (summer, "Så"), (now, "Sist")):
            add_update(
                session, incident, {"nb": body}, expected_version=incident.version, actor="t", at=at
            )
        iid = incident.id
    doc = _get(client, f"/demo/hendelse/{iid}")
    items = doc.find("ol", class_="timeline__list").find_all("li")
    assert [li.find("p").text() for li in items] == ["Sist", "Så", "Først"]
    clocks = [li.find("time").text() for li in items]
    assert clocks[1].endswith("14:00 CEST") and clocks[2].endswith("13:00 CET"), clocks
    assert clocks[0].endswith(_oslo_clock(now))


def test_drafts_and_other_municipalities_incidents_are_not_found(app, client) -> None:
    with writing(app) as session:
        draft = _add(session, status=IncidentStatus.DRAFT, starts_at=None, title={"nb": "Utkast"})
        foreign = create_incident(
            session,
            make_municipality(session),
            IncidentInput(
                kind=IncidentKind.SHUTDOWN,
                status=IncidentStatus.ACTIVE,
                area=box(8.06, 58.13, 8.07, 58.14),
                title={"nb": "Annen kommune"},
                starts_at=utcnow(),
            ),
            actor="test",
        )
        draft_id, foreign_id = draft.id, foreign.id
    assert client.get(f"/demo/hendelse/{draft_id}").status_code == 404
    assert client.get(f"/demo/hendelse/{foreign_id}").status_code == 404
    assert client.get(f"/kristiansand/hendelse/{foreign_id}").status_code == 200
    assert client.get("/demo/hendelse/999999").status_code == 404
    assert client.get(f"/atlantis/hendelse/{foreign_id}").status_code == 404


def test_a_resolved_incident_stays_reachable(app, client) -> None:
    long_ago = utcnow() - timedelta(days=400)
    with writing(app) as session:
        incident = _add(session, IncidentKind.SEWER, IncidentStatus.RESOLVED, hours_ago=24 * 401)
        incident.resolved_at = long_ago
        iid = incident.id
    doc = _get(client, f"/demo/hendelse/{iid}")
    facts = _facts(doc.find("article"))
    assert facts["Status"] == "Løst"
    assert facts["Løst"].endswith(_oslo_clock(long_ago))
    assert f'id="incident-{iid}"' not in client.get("/demo/").get_data(as_text=True)


def test_each_card_links_to_its_page_and_the_archive_is_linked(client) -> None:
    doc = _get(client, "/demo/")
    cards = doc.find_all("article")
    assert len(cards) == 4
    for card in cards:
        incident_id = card.attrs["id"].removeprefix("incident-")
        link = card.find("h3").find("a")
        assert link.attrs["href"] == f"/demo/hendelse/{incident_id}"
        assert client.get(link.attrs["href"]).status_code == 200
    archive = [a for a in doc.find_all("a") if a.attrs.get("href") == "/demo/arkiv"]
    assert archive and archive[0].text() == "Arkiv over løste hendelser"


def _section_ids(doc, heading_id: str) -> list[int]:
    section = doc.find("section", **{"aria-labelledby": heading_id})
    return [int(a.attrs["id"].removeprefix("incident-")) for a in section.find_all("article")]


def test_the_list_is_sorted_by_severity_then_newest_start(app, client) -> None:
    with writing(app) as session:
        boil = _seeded(session, IncidentKind.BOIL_WATER).id  # started 26 hours ago
        shutdown = _seeded(session, IncidentKind.SHUTDOWN).id  # 3 hours ago
        sewer = _add(session, IncidentKind.SEWER, hours_ago=0.5).id
        newer_boil = _add(session, IncidentKind.BOIL_WATER, hours_ago=2).id
        older_sewer = _add(session, IncidentKind.SEWER, hours_ago=30).id
        other = _add(session, IncidentKind.OTHER, hours_ago=0.1).id
    doc = _get(client, "/demo/")
    assert _section_ids(doc, "active-heading") == [
        newer_boil,
        boil,
        shutdown,
        sewer,
        older_sewer,
        other,
    ]


def test_planned_works_ahead_by_severity_then_soonest(app, client) -> None:
    with writing(app) as session:
        seeded = _seeded(session, IncidentKind.PLANNED_WORKS).id  # starts in some days
        later = _add(
            session, IncidentKind.PLANNED_WORKS, IncidentStatus.SCHEDULED, hours_ago=-24 * 30
        ).id
        shutdown = _add(
            session, IncidentKind.SHUTDOWN, IncidentStatus.SCHEDULED, hours_ago=-24 * 40
        ).id
    doc = _get(client, "/demo/")
    assert _section_ids(doc, "planned-heading") == [shutdown, seeded, later]


def test_a_text_missing_in_the_language_falls_back_to_bokmal_marked(app, client) -> None:
    with writing(app) as session:
        iid = _add(
            session,
            title={"nb": "Bare bokmål", "en": ""},
            advice={"nb": "Kok vannet.", "en": "Boil the water."},
        ).id
    doc = _get(client, f"/demo/hendelse/{iid}?lang=en")
    assert doc.find("html").attrs["lang"] == "en"
    title = doc.find("h1")
    assert title.text() == "Bare bokmål" and title.lang() == "nb"
    advice = doc.find("section", class_="incident__advice").find("p")
    assert advice.text() == "Boil the water." and advice.lang() == "en", "translated: page lang"
    notes = doc.find_all("p", class_="fallback-note")
    assert len(notes) == 1 and notes[0].lang() == "en", "the note is in the page's language"
    # The same knowledge on the municipality page's card.
    card = _get(client, "/demo/?lang=en").find("article", id=f"incident-{iid}")
    assert card.find("h3").lang() == "nb"
    assert len(card.find_all("p", class_="fallback-note")) == 1
    # In bokmål nothing falls back.
    nb = _get(client, f"/demo/hendelse/{iid}?lang=nb")
    assert nb.find_all("p", class_="fallback-note") == []
    assert nb.find("h1").lang() == "nb"


def test_an_update_only_in_bokmal_is_marked_too(app, client) -> None:
    with writing(app) as session:
        incident = _add(session, title={"nb": "Tittel", "nn": "Tittel", "en": "Title"})
        add_update(
            session, incident, {"nb": "Ny info"}, expected_version=incident.version, actor="t"
        )
        iid = incident.id
    doc = _get(client, f"/demo/hendelse/{iid}?lang=nn")
    assert doc.find("h1").lang() == "nn"
    assert doc.find("ol", class_="timeline__list").find("p").lang() == "nb"
    assert len(doc.find_all("p", class_="fallback-note")) == 1


def test_a_fully_translated_incident_has_no_note(app, client) -> None:
    with writing(app) as session:
        iid = _seeded(session, IncidentKind.BOIL_WATER).id
    doc = _get(client, f"/demo/hendelse/{iid}?lang=nn")
    assert doc.find_all("p", class_="fallback-note") == []
    assert doc.find("h1").text() == "Kokepåbod nord for Møllegata og Elvegata"
    assert all(e.lang() == "nn" for e in doc.find("article").iter())


def test_the_language_is_remembered_on_the_incident_page(app, client) -> None:
    with writing(app) as session:
        iid = _seeded(session, IncidentKind.SHUTDOWN).id
    client.get(f"/demo/hendelse/{iid}?lang=nn")
    again = _get(client, f"/demo/hendelse/{iid}")
    assert again.find("html").attrs["lang"] == "nn"
    switcher = again.find("nav", class_="languages")
    hrefs = [urljoin(f"/demo/hendelse/{iid}", a.attrs["href"]) for a in switcher.find_all("a")]
    assert hrefs == [f"/demo/hendelse/{iid}?lang=nb", f"/demo/hendelse/{iid}?lang=en"]
