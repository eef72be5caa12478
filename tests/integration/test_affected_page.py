"""The resident's "Er adressen din berørt?" page, as it works without JavaScript."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import parse_qs
from urllib.parse import urlparse


class _Page(HTMLParser):
    """The page's forms, inputs, links and visible text of <main>."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.forms: list[dict[str, str | None]] = []
        self.inputs: list[dict[str, str | None]] = []
        self.links: list[tuple[str, str]] = []  # (href, text)
        self._link: str | None = None
        self._link_text = ""
        self._in_main = False
        self._text: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "main":
            self._in_main = True
        elif tag == "form":
            self.forms.append(values)
        elif tag == "input":
            self.inputs.append(values)
        elif tag == "a":
            self._link, self._link_text = values.get("href") or "", ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "main":
            self._in_main = False
        elif tag == "a" and self._link is not None:
            self.links.append((self._link, self._link_text.strip()))
            self._link = None

    def handle_data(self, data: str) -> None:
        if self._in_main:
            self._text.append(data)
        if self._link is not None:
            self._link_text += data

    @property
    def text(self) -> str:
        return re.sub(r"\s+", " ", "".join(self._text))


def _get(client, path: str, status: int = 200, **args: str) -> _Page:
    response = client.get(path, query_string=args or None)
    assert response.status_code == status
    return _Page(response.get_data(as_text=True))


def _boil_water_id(client) -> int:
    features = client.get("/api/v1/demo/incidents.geojson").get_json()["features"]
    return next(f["id"] for f in features if f["properties"]["kind"] == "boil_water")


def test_the_municipality_page_has_the_search_form(client) -> None:
    page = _get(client, "/demo/")
    (form,) = [f for f in page.forms if f.get("action") == "/demo/berort"]
    assert (form.get("method") or "get").lower() == "get"
    assert any(i.get("name") == "adresse" for i in page.inputs)
    assert "Er adressen din berørt?" in page.text
    assert page.text.index("Er adressen din berørt?") < page.text.index("Pågående hendelser")


def test_an_affected_address_says_yes_which_incident_and_what_to_do(client) -> None:
    boil = _boil_water_id(client)
    page = _get(client, "/demo/berort", adresse="elvegata 4")
    assert "Ja. Elvegata 4, 2750 Gran er berørt av 1 pågående hendelse." in page.text
    assert (f"/demo/hendelse/{boil}", "Kokepålegg nord for Møllegata og Elvegata") in page.links
    assert "Hva bør du gjøre? Kok vannet" in page.text
    (share,) = [i for i in page.inputs if i.get("id") == "share-url"]
    shared = urlparse(share["value"] or "")
    assert shared.path == "/demo/berort"
    assert parse_qs(shared.query) == {"adresse": ["Elvegata 4, 2750 Gran"]}
    again = _get(client, shared.path + "?" + shared.query)
    assert "Ja. Elvegata 4, 2750 Gran er berørt" in again.text, "the shared link answers alike"


def test_an_unaffected_address_says_no_and_lists_planned_work(client) -> None:
    page = _get(client, "/demo/berort", adresse="Bakkevegen 3")
    assert "Nei. Vi kjenner ikke til noen pågående hendelser som berører Bakkevegen 3" in page.text
    assert any(text == "Planlagt vannstenging i Bakkevegen" for _, text in page.links)
    quiet = _get(client, "/demo/berort", adresse="Storgata 100")
    assert "Nei." in quiet.text and "Ikke noe planlagt arbeid er varslet for" in quiet.text


def test_several_matches_are_links_to_choose_from(client) -> None:
    page = _get(client, "/demo/berort", adresse="Blåbærvegen 33")
    assert "Hvilken adresse mener du?" in page.text
    choices = [
        (href, text)
        for href, text in page.links
        if "berort?adresse=" in href and "lang=" not in href  # not the language switcher
    ]
    assert [text for _, text in choices] == [
        "Blåbærvegen 33 A, 2750 Gran",
        "Blåbærvegen 33 B, 2750 Gran",
    ]
    chosen = _get(client, choices[1][0])
    assert "Er Blåbærvegen 33 B, 2750 Gran berørt?" in chosen.text, "the choice is answered"


def test_no_match_says_so_and_offers_the_form_again(client) -> None:
    page = _get(client, "/demo/berort", status=404, adresse="Ingenstedsvegen 1")
    assert "Vi fant ingen adresse i Demo kommune som passer til «Ingenstedsvegen 1»" in page.text
    (field,) = [i for i in page.inputs if i.get("name") == "adresse"]
    assert field.get("value") == "Ingenstedsvegen 1"


def test_a_position_is_answered_and_a_bad_one_refused(client) -> None:
    features = client.get("/api/v1/demo/incidents.geojson").get_json()["features"]
    boil = next(f for f in features if f["properties"]["kind"] == "boil_water")
    ring = boil["geometry"]["coordinates"][0][0]
    lon = sum(p[0] for p in ring[:-1]) / (len(ring) - 1)
    lat = sum(p[1] for p in ring[:-1]) / (len(ring) - 1)
    page = _get(client, "/demo/berort", lat=f"{lat:.6f}", lon=f"{lon:.6f}")
    assert "Ja. Posisjonen din er berørt av 1 pågående hendelse." in page.text
    refused = _get(client, "/demo/berort", status=400, lat="59.91", lon="10.75")
    assert "Posisjonen er ikke i Demo kommune" in refused.text
    assert _get(client, "/demo/berort", status=400, lat="x", lon="y").forms


def test_typed_text_is_escaped(client) -> None:
    response = client.get("/demo/berort", query_string={"adresse": "<img src=x onerror=alert(1)>"})
    html = response.get_data(as_text=True)
    assert response.status_code == 404
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
