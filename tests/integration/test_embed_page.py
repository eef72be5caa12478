"""The embed page /embed/<slug> as another site's iframe gets it, on both backends."""

from __future__ import annotations

import re

import lxml.html
import pytest
from shapely.geometry import box
from sqlalchemy import select

from statusmap.models import IncidentKind
from statusmap.models import IncidentStatus
from statusmap.models import Municipality
from tests.conftest import rolled_back_app
from tests.factories import make_incident

EMBED = "/embed/demo"


def _doc(client, url: str = EMBED) -> lxml.html.HtmlElement:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return lxml.html.fromstring(response.data)


def _all(node: lxml.html.HtmlElement, path: str) -> list[lxml.html.HtmlElement]:
    """Elements by a short path: "tag.class" steps, " " for any depth, ">" for a child."""
    xpath, axis = ".", "//"
    for step in path.replace(">", " > ").split():
        if step == ">":
            axis = "/"
            continue
        tag, _, cls = step.partition(".")
        test = f"[contains(concat(' ', @class, ' '), ' {cls} ')]" if cls else ""
        xpath, axis = f"{xpath}{axis}{tag or '*'}{test}", "//"
    return list(node.xpath(xpath))


def _directives(response) -> dict[str, str]:
    policy = response.headers["Content-Security-Policy"]
    directives = (part.strip().partition(" ") for part in policy.split(";"))
    return {name: value for name, _, value in directives}


def _demo(session) -> Municipality:
    return session.scalar(select(Municipality).where(Municipality.slug == "demo"))


@pytest.mark.parametrize("query", ["", "?lang=en", "?lang=nn&map=0&compact=1"])
def test_any_site_may_frame_it_and_it_sets_no_cookie(client, query: str) -> None:
    response = client.get(EMBED + query)
    assert response.status_code == 200
    assert _directives(response)["frame-ancestors"] == "*"
    assert "X-Frame-Options" not in response.headers
    assert "Set-Cookie" not in response.headers, "a third-party frame keeps no cookie"
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]


def test_every_other_page_may_be_framed_by_this_site_only(client) -> None:
    for url in ("/demo/", "/demo/?lang=en", "/embed/atlantis", "/atlantis/"):
        response = client.get(url)
        if url == "/embed/atlantis":
            assert response.status_code == 404
            continue  # a missing embed may be framed too: it is the same route
        assert response.headers["X-Frame-Options"] == "SAMEORIGIN", url
        assert _directives(response)["frame-ancestors"] == "'self'", url


def test_the_allowed_framers_are_configurable(database_url: str) -> None:
    sites = "https://www.kommune.no https://avisa.no"
    with rolled_back_app(database_url, EMBED_FRAME_ANCESTORS=sites) as app:
        response = app.test_client().get(EMBED)
        assert _directives(response)["frame-ancestors"] == sites
        assert _directives(app.test_client().get("/demo/"))["frame-ancestors"] == "'self'"


def test_it_lists_the_current_incidents_in_words_with_oslo_times(client, session) -> None:
    demo = _demo(session)
    lon, lat = demo.boundary.centroid.x, demo.boundary.centroid.y
    area = box(lon, lat, lon + 0.002, lat + 0.001)
    make_incident(session, demo, area, status=IncidentStatus.RESOLVED, title="Ferdig for lengst")
    make_incident(session, demo, area, status=IncidentStatus.DRAFT, title="Et utkast")
    session.commit()
    doc = _doc(client)
    items = _all(doc, "ol.embed__list > li")
    assert len(items) == 3, "two ongoing and one planned; no resolved, no draft"
    text = doc.text_content()
    assert "Ferdig for lengst" not in text and "Et utkast" not in text
    states = [_all(li, ".embed__state")[0].text_content() for li in items]
    assert states == ["Pågår", "Pågår", "Planlagt"]
    kinds = {_all(li, ".embed__kind span")[1].text_content() for li in items}
    assert {"Kokepålegg", "Planlagt arbeid"} <= kinds
    times = [t.text_content() for t in _all(doc, "li time")]
    assert times and all(re.fullmatch(r"\d+\. \w+\.? \d{4} kl\. \d\d:\d\d CES?T", t) for t in times)
    assert all(t.get("datetime").endswith("+00:00") for t in _all(doc, "time"))
    assert _all(doc, "li .embed__advice h3")[0].text_content() == "Hva bør du gjøre?"


def test_links_open_the_full_page_in_the_top_window(client) -> None:
    doc = _doc(client, EMBED + "?lang=en")
    links = _all(doc, "a")
    assert links and all(a.get("target") == "_top" for a in links)
    titles = _all(doc, "li h2 a")
    assert all(re.fullmatch(r"/demo/hendelse/\d+\?lang=en", a.get("href")) for a in titles)
    assert all(a.text_content().strip() for a in links), "every link has text"
    assert _all(_doc(client), ".embed__more a")[0].get("href") == "/demo/"


@pytest.mark.parametrize(
    ("lang", "heading", "status"),
    [
        ("nb", "Driftsmeldinger for vann og avløp", "Planlagt"),
        ("nn", "Driftsmeldingar for vatn og avløp", "Planlagd"),
        ("en", "Water and wastewater service notices", "Scheduled"),
    ],
)
def test_languages(client, lang: str, heading: str, status: str) -> None:
    doc = _doc(client, f"{EMBED}?lang={lang}")
    assert doc.get("lang") == lang
    assert _all(doc, "h1")[0].text_content().startswith(heading)
    assert status in [s.text_content() for s in _all(doc, ".embed__state")]


def test_the_mini_map_draws_the_boundary_and_each_numbered_area(client) -> None:
    doc = _doc(client)
    svg = _all(doc, "figure.embed__map svg")[0]
    assert svg.get("role") == "img"
    title = doc.get_element_by_id(svg.get("aria-labelledby"))
    assert "1: " in title.text_content() and "3: " in title.text_content()
    assert len(_all(svg, "path")) == 1 + 3
    assert [t.text_content() for t in _all(svg, "text")] == ["1", "2", "3"]
    numbers = [n.text_content() for n in _all(doc, "li .embed__number")]
    assert numbers == ["1", "2", "3"], "the list carries the map's numbers"
    # (libxml2's HTML parser lowercases attribute names.)
    _, _, width, height = (float(v) for v in svg.get("viewbox").split())
    for path in _all(svg, "path"):
        values = [float(v) for v in re.findall(r"-?\d+(?:\.\d+)?", path.get("d"))]
        assert all(0 <= v <= max(width, height) for v in values)
    assert not _all(doc, "script"), "no script and no tiles"


def test_options_turn_the_map_off_and_shorten_the_list(client) -> None:
    plain = _doc(client, EMBED + "?map=0")
    assert not _all(plain, "svg") and _all(plain, "ul.embed__list > li")
    assert not _all(plain, ".embed__number")
    full = _doc(client)
    compact = _doc(client, EMBED + "?compact=1")
    assert _all(full, ".embed__advice") and not _all(compact, ".embed__advice")
    assert len(_all(compact, "li")) == len(_all(full, "li"))
    assert _all(compact, "body")[0].get("class") == "embed embed--compact"
    assert _all(_doc(client, EMBED + "?map=nonsense"), "svg"), "unknown values: default"


def test_no_incidents_says_so(client, session) -> None:
    from tests.factories import make_municipality

    make_municipality(session, slug="kristiansand", kommunenummer="4204")
    session.commit()
    doc = _doc(client, "/embed/kristiansand")
    assert "Ingen kjente driftsforstyrrelser akkurat nå." in doc.text_content()
    assert not _all(doc, "li")


def test_user_text_is_escaped(client, session) -> None:
    demo = _demo(session)
    lon, lat = demo.boundary.centroid.x, demo.boundary.centroid.y
    make_incident(
        session,
        demo,
        box(lon, lat, lon + 0.002, lat + 0.001),
        kind=IncidentKind.OTHER,
        title='<img src=x onerror=alert(1)>"',
    )
    session.commit()
    response = client.get(EMBED)
    assert b"<img src=x" not in response.data
    assert b"&lt;img src=x onerror=alert(1)&gt;" in response.data


def test_unknown_municipality_is_404(client) -> None:
    assert client.get("/embed/atlantis").status_code == 404
