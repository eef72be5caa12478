"""The public page as a resident gets it: list of incidents, map, language, no external hosts."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from sqlalchemy import select

from statusmap.models import Incident
from statusmap.models import Municipality
from tests.factories import make_incident


class _Resources(HTMLParser):
    """Collect every URL the page makes the browser load (not plain links)."""

    def __init__(self) -> None:
        super().__init__()
        self.loaded: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag in ("script", "img", "iframe", "source", "audio", "video", "embed") and values.get(
            "src"
        ):
            self.loaded.append(values["src"] or "")
        if tag == "link" and values.get("href"):
            self.loaded.append(values["href"] or "")


def _page(client, lang: str = "nb") -> str:
    response = client.get(f"/demo/?lang={lang}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_root_leads_to_the_only_municipality(client) -> None:
    response = client.get("/")
    assert response.status_code == 302 and response.location.endswith("/demo/")


def test_page_lists_every_public_seeded_incident(client, session) -> None:
    html = _page(client)
    demo = session.scalar(select(Municipality).where(Municipality.slug == "demo"))
    for incident in session.scalars(select(Incident).where(Incident.municipality_id == demo.id)):
        assert f'id="incident-{incident.id}"' in html
        assert incident.text("title", "nb") in html
    assert "Pågående hendelser (2)" in html and "Planlagt arbeid (1)" in html
    assert "Nylig løst" in html
    assert "Oppdateringer (2)" in html and "Nye prøver er tatt." in html  # the timeline
    assert re.search(r"\d+ adresser, \d+ boliger", html)
    assert 'class="folium-map"' in html
    assert "<noscript>" in html and "Alle hendelser står i listen" in html
    assert re.search(r"(CET|CEST)</time>", html), "times carry their zone"


def test_language_sets_html_lang_and_texts(client) -> None:
    assert '<html lang="nb">' in _page(client, "nb")
    nynorsk = _page(client, "nn")
    assert '<html lang="nn">' in nynorsk and "Pågåande hendingar" in nynorsk
    english = _page(client, "en")
    assert '<html lang="en">' in english and "Current incidents" in english
    assert "Boil-water notice" in english


def test_no_resource_from_another_host(client) -> None:
    parser = _Resources()
    parser.feed(_page(client))
    assert parser.loaded, "the page loads its own CSS and Leaflet"
    assert all(url.startswith("/") and not url.startswith("//") for url in parser.loaded), (
        parser.loaded
    )
    assert "user-scalable=no" not in _page(client)


def test_user_text_is_escaped_everywhere(client, session) -> None:
    from shapely.geometry import box

    demo = session.scalar(select(Municipality).where(Municipality.slug == "demo"))
    lon, lat = demo.boundary.centroid.x, demo.boundary.centroid.y
    make_incident(
        session,
        demo,
        box(lon, lat, lon + 0.002, lat + 0.001),
        title="<img src=x onerror=alert(1)>`${alert(2)}`",
    )
    session.commit()
    html = _page(client)
    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    scripts = "".join(re.findall(r"<script[^>]*>(.*?)</script>", html, re.S))
    assert "onerror" in scripts, "the title reaches the map tooltip"
    assert "${alert(2)}" not in scripts and "`${" not in scripts


def test_unknown_municipality_page_is_a_friendly_404(client) -> None:
    response = client.get("/atlantis/")
    assert response.status_code == 404
    assert "Fant ikke siden" in response.get_data(as_text=True)


def test_root_lists_municipalities_when_there_are_several(client, session) -> None:
    from tests.factories import make_municipality

    make_municipality(session, slug="kristiansand", kommunenummer="4204")
    session.commit()
    response = client.get("/?lang=en")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Choose a municipality:" in html
    assert 'href="/demo/"' in html and 'href="/kristiansand/"' in html
    assert "Demo Municipality</a> (demo)" in html
