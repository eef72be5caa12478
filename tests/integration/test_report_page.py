"""The report page /<slug>/meld-fra: works without JavaScript (address), confirms with a
reference and nothing personal, answers "no water" in a known incident with it, shows each
refusal beside its field, keeps what was typed, needs its CSRF token, and has a honeypot."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func
from sqlalchemy import select

from statusmap.db import get_db
from statusmap.models import Report
from tests.conftest import rolled_back_app
from tests.html_tree import parse
from tests.staff_helpers import csrf_token

PAGE = "/demo/meld-fra"
FAR = {"lat": "60.345", "lon": "10.52"}  # in the demo municipality, in no incident


@pytest.fixture
def roomy(database_url: str) -> Iterator[Flask]:
    with rolled_back_app(database_url, REPORT_LIMIT_PER_CLIENT="1000/minute") as app:
        yield app


def _count(app: Flask) -> int:
    with app.app_context():
        return int(get_db(app).session().scalar(select(func.count()).select_from(Report)) or 0)


def _post(client: FlaskClient, **fields: str):  # type: ignore[no-untyped-def]
    data = {"csrf_token": csrf_token(client, PAGE), "since": "na", **fields}
    return client.post(PAGE, data=data)


def test_the_page_offers_six_kinds_in_words_and_is_never_shared(roomy: Flask) -> None:
    response = roomy.test_client().get(PAGE)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    page = parse(response.get_data(as_text=True))
    labels = [label.text().strip() for label in page.find("fieldset", id="kind").find_all("label")]
    assert labels == [
        "Ingen vann",
        "Lavt trykk",
        "Misfarget vann",
        "Vann i gata / lekkasje",
        "Avløp: problem eller lukt",
        "Vannet mitt er i orden",
    ]
    assert page.find("input", name="adresse") and page.find("input", name="csrf_token")


def test_a_report_by_address_is_confirmed_with_its_reference(roomy: Flask) -> None:
    client = roomy.test_client()
    label = client.get("/api/v1/demo/addresses?q=Møllegata").get_json()["addresses"][0]["label"]
    response = _post(
        client, kind="sewer", adresse=label, text="Lukter kloakk", contact="kari@example.no",
        consent="y",
    )  # fmt: skip
    assert response.status_code == 303
    with roomy.app_context():
        report = get_db(roomy).session().scalars(select(Report)).one()
        reference, contact = report.reference, report.contact
    assert response.headers["Location"].endswith(f"/demo/meld-fra/{reference}")
    done = client.get(response.headers["Location"])
    assert done.status_code == 200 and done.headers["Cache-Control"] == "no-store"
    text = parse(done.get_data(as_text=True)).find("main").text()
    assert f"{reference[:4]}-{reference[4:]}" in text and "Avløp: problem eller lukt" in text
    assert contact == "kari@example.no"
    for private in ("kari@example.no", "Lukter kloakk", "Møllegata"):
        assert private not in done.get_data(as_text=True)
    assert client.get("/demo/meld-fra/ZZZZZZZZ").status_code == 404


def test_no_water_in_a_known_incident_is_answered_with_it(roomy: Flask) -> None:
    client = roomy.test_client()
    features = client.get("/api/v1/demo/incidents.geojson").get_json()["features"]
    shutdown = next(f for f in features if f["properties"]["kind"] == "shutdown")
    from shapely.geometry import shape

    inside = shape(shutdown["geometry"]).representative_point()
    response = _post(client, kind="no_water", lat=str(inside.y), lon=str(inside.x))
    done = parse(client.get(response.headers["Location"]).get_data(as_text=True))
    known = done.find("section", class_="report-done__known")
    assert "Vi vet om dette" in known.text()
    assert known.find("a").attrs["href"] == f"/demo/hendelse/{shutdown['id']}"


def test_refusals_are_shown_beside_their_fields_keeping_what_was_typed(roomy: Flask) -> None:
    client = roomy.test_client()
    response = _post(
        client, kind="sewer", adresse="Finnesikkeveien 999", text="Mitt eget ord",
        contact="kari@example.no",
    )  # fmt: skip
    assert response.status_code == 422
    page = parse(response.get_data(as_text=True))
    summary = page.find("div", class_="error-summary")
    assert "Vi fant ikke adressen" in summary.text()
    address = page.find("input", name="adresse")
    assert address.attrs["aria-invalid"] == "true"
    assert address.attrs["value"] == "Finnesikkeveien 999"
    assert page.find("textarea", name="text").text().strip() == "Mitt eget ord"
    assert page.find("input", value="sewer").attrs.get("checked") is not None
    assert _count(roomy) == 0
    consent = parse(
        _post(client, kind="sewer", contact="kari@example.no", **FAR).get_data(as_text=True)
    )
    assert consent.find("input", name="consent").attrs["aria-invalid"] == "true"
    assert "Kryss av" in consent.find("div", class_="error-summary").text()


def test_every_mistake_is_shown_at_once(roomy: Flask) -> None:
    """No kind, no place, and a contact without consent: three messages in one answer."""
    response = _post(roomy.test_client(), contact="kari@example.no", text="Tørt")
    assert response.status_code == 422
    summary = parse(response.get_data(as_text=True)).find("div", class_="error-summary")
    links = [a.attrs["href"] for a in summary.find_all("a")]
    assert links == ["#kind-0", "#adresse", "#consent"]
    assert "Velg hva du ser" in summary.text() and "Kryss av" in summary.text()
    assert _count(roomy) == 0


def test_a_post_without_the_csrf_token_is_refused(roomy: Flask) -> None:
    response = roomy.test_client().post(PAGE, data={"kind": "sewer", **FAR, "since": "na"})
    assert response.status_code == 400
    assert _count(roomy) == 0


def test_a_filled_honeypot_looks_taken_and_stores_nothing(roomy: Flask) -> None:
    """Answered as a real report is (303, then its confirmation), so a robot learns nothing."""
    client = roomy.test_client()
    real = _post(client, kind="sewer", **FAR)
    trap = _post(client, kind="sewer", website="http://spam.example", lat="60.35", lon="10.53")
    assert trap.status_code == real.status_code == 303
    assert trap.headers["Location"].startswith("/demo/meld-fra/")
    pages = [parse(client.get(r.headers["Location"]).get_data(as_text=True)) for r in (real, trap)]
    for page in pages:
        assert page.find("h1").text() == "Takk for meldingen"
        assert "Avløp" in page.find("main").text()  # the kind reported, as on a real one
    assert _count(roomy) == 1
    assert roomy.test_client().get(trap.headers["Location"]).status_code == 404  # no one else


def test_a_burst_on_the_form_gets_429_and_nothing_else_changes(database_url: str) -> None:
    with rolled_back_app(database_url, REPORT_LIMIT_PER_CLIENT="2/minute") as app:
        client = app.test_client()
        codes = [
            _post(client, kind=k, **FAR).status_code for k in ("sewer", "leak_seen", "water_ok")
        ]
        assert codes == [303, 303, 429]
        assert _count(app) == 2


def test_the_municipality_page_links_to_the_form_without_a_token(client: FlaskClient) -> None:
    response = client.get("/demo/")
    page = parse(response.get_data(as_text=True))
    entry = page.find("section", class_="report-entry")
    assert "Meld fra om vannet ditt" in entry.text()
    assert entry.find("a").attrs["href"] == PAGE
    assert "csrf_token" not in response.get_data(as_text=True)
    assert "Set-Cookie" not in response.headers


def test_over_the_limit_the_page_says_so_and_mistakes_did_not_count(database_url: str) -> None:
    with rolled_back_app(database_url, REPORT_LIMIT_PER_CLIENT="1/minute") as app:
        client = app.test_client()
        assert _post(client, kind="sewer").status_code == 422  # no place: refused, not counted
        assert _post(client, kind="sewer", **FAR).status_code == 303
        over = _post(client, kind="leak_seen", lat="60.35", lon="10.53")
        assert over.status_code == 429 and int(over.headers["Retry-After"]) > 0
        page = parse(over.get_data(as_text=True))
        assert page.find("h1").text() == "For mange forsøk på kort tid"
        assert "ikke lagret" in page.find("main").text()
        assert _count(app) == 1
