"""Open311 requests: never a report's exact point, text or contact; keys decide who may send a
contact; jurisdiction_id optional only for a single municipality; the spec's filters."""

from __future__ import annotations

import math
from xml.etree import ElementTree

from sqlalchemy import select

from statusmap.db import get_db
from statusmap.models import Report
from statusmap.models.base import utcnow
from statusmap.open311.keys import create_key
from statusmap.open311.keys import revoke_key
from tests.conftest import rolled_back_app
from tests.factories import make_address
from tests.factories import make_municipality
from tests.integration.open311_helpers import CELL
from tests.integration.open311_helpers import TO_UTM
from tests.integration.open311_helpers import add_report
from tests.integration.open311_helpers import lonlat

BASE = "/open311/v2"
FORM = {"jurisdiction_id": "kristiansand", "service_code": "leak_seen",
        "lat": "58.145", "long": "8.08"}  # fmt: skip


def test_coordinates_only_as_centres_of_full_cells(client, session) -> None:
    town = make_municipality(session)
    corners = [(5, 5), (95, 5), (5, 95), (95, 95)]  # all > 50 m from the cell's centre
    stored = [add_report(session, town, CELL[0] + dx, CELL[1] + dy, n)
              for n, (dx, dy) in enumerate(corners)]  # fmt: skip
    lonely = add_report(session, town, CELL[0] + 1050, CELL[1] + 1050, 9)
    session.commit()
    items = client.get(f"{BASE}/requests.json?jurisdiction_id=kristiansand").get_json()
    by_id = {item["service_request_id"]: item for item in items}
    assert by_id[lonely.reference]["lat"] is None and by_id[lonely.reference]["long"] is None
    centre = lonlat(CELL[0] + 50, CELL[1] + 50)
    raw = [TO_UTM.transform(r.location.x, r.location.y) for r in [*stored, lonely]]
    for report in stored:
        item = by_id[report.reference]
        assert math.dist((item["long"], item["lat"]), centre) < 1e-6
        east, north = TO_UTM.transform(item["long"], item["lat"])
        assert min(math.dist((east, north), point) for point in raw) > 50
    body = client.get(f"{BASE}/requests.xml?jurisdiction_id=kristiansand").get_data(as_text=True)
    assert "Testveien" not in body and "Testveien" not in str(items)  # the resident's text


def test_post_without_a_key_keeps_no_contact(client, session) -> None:
    make_municipality(session)
    session.commit()
    refused = client.post(f"{BASE}/requests.json", data={**FORM, "email": "kari@example.no"})
    assert refused.status_code == 400 and "api_key" in refused.get_json()[0]["description"]
    assert session.scalars(select(Report)).all() == []
    done = client.post(f"{BASE}/requests.json", data=FORM).get_json()[0]
    report = session.scalars(select(Report)).one()
    assert report.reference == done["service_request_id"] and report.source == "open311"
    assert report.contact is None


def test_a_trusted_key_may_send_a_contact_and_a_bad_one_is_403(client, session) -> None:
    town = make_municipality(session)
    _, key = create_key(session, town, "Kommuneappen", actor="test", now=utcnow())
    _, old = create_key(session, town, "Gammel", actor="test", now=utcnow())
    revoke_key(session, town, "Gammel", actor="test", now=utcnow())
    session.commit()
    for bad in ("o311_wrong", old):
        response = client.post(f"{BASE}/requests.xml", data={**FORM, "api_key": bad})
        assert response.status_code == 403 and b"<errors>" in response.data
    assert session.scalars(select(Report)).all() == []
    form = {**FORM, "api_key": key, "phone": "+47 912 34 567", "first_name": "Kari"}
    assert client.post(f"{BASE}/requests.json", data=form).status_code == 200
    report = session.scalars(select(Report)).one()
    assert report.source == "open311:Kommuneappen" and report.contact == "+47 912 34 567"
    assert report.contact_consent
    listed = client.get(f"{BASE}/requests.json?jurisdiction_id=kristiansand").get_data(as_text=True)
    assert "912" not in listed and "Kari" not in listed


def test_post_by_address_string(client, session) -> None:
    make_municipality(session)
    session.commit()
    form = {k: v for k, v in FORM.items() if k not in ("lat", "long")}
    missing = client.post(f"{BASE}/requests.json", data={**form, "address_string": "Finnesikke 1"})
    assert missing.status_code == 400
    assert client.post(f"{BASE}/requests.json", data=form).status_code == 400


def test_post_by_address_id(client, session) -> None:
    town = make_municipality(session)
    other = make_municipality(session, slug="annen", kommunenummer="4215")
    here = make_address(session, town, 8.081, 58.146, "a-1")
    there = make_address(session, other, 8.081, 58.146, "b-1")
    session.commit()
    form = {k: v for k, v in FORM.items() if k not in ("lat", "long")}
    for wrong in (str(there.id), "x1", "999999"):  # another municipality's, malformed, unknown
        refused = client.post(f"{BASE}/requests.json", data={**form, "address_id": wrong})
        assert refused.status_code == 400 and "address_id" in refused.get_json()[0]["description"]
    taken = client.post(f"{BASE}/requests.json", data={**form, "address_id": str(here.id)})
    assert taken.status_code == 200
    report = session.scalars(select(Report)).one()
    assert report.address_id == here.id and (report.location.x, report.location.y) == (
        8.081,
        58.146,
    )


def test_jurisdiction_is_optional_with_one_municipality(client, monkeypatch, session) -> None:
    import statusmap.open311.blueprint as blueprint

    monkeypatch.setattr(blueprint, "list_municipalities", lambda s: [make_municipality(s)])
    assert client.get(f"{BASE}/services.json").status_code == 200


def test_filters(client, session) -> None:
    town = make_municipality(session)
    add_report(session, town, CELL[0] + 10, CELL[1] + 10, 1)
    session.commit()
    url = f"{BASE}/requests.json?jurisdiction_id=kristiansand"
    assert len(client.get(f"{url}&service_code=no_water").get_json()) == 1
    assert client.get(f"{url}&service_code=sewer").get_json() == []
    assert len(client.get(f"{url}&status=open").get_json()) == 1
    assert client.get(f"{url}&status=closed").get_json() == []
    assert client.get(f"{url}&end_date=2020-01-01T00:00:00%2B01:00").get_json() == []
    wide = client.get(f"{url}&start_date=2020-01-01T00:00:00Z&end_date=2021-01-01T00:00:00Z")
    assert wide.status_code == 400
    assert client.get(f"{url}&status=pending").status_code == 400


def test_posts_are_limited_per_client_and_a_trusted_key_only_per_area(database_url) -> None:
    """Open311 POSTs share the report routes' limits; 429 comes in the spec's format."""
    limits = {"REPORT_LIMIT_PER_CLIENT": "2/minute", "REPORT_LIMIT_PER_AREA": "4/minute"}
    with rolled_back_app(database_url, **limits) as app, app.app_context():
        session = get_db(app).session()
        town = make_municipality(session)
        _, key = create_key(session, town, "Kommuneappen", actor="test", now=utcnow())
        session.commit()
        client = app.test_client()
        spots = [{**FORM, "lat": f"58.1{n}5"} for n in range(6)]  # apart: never repeats
        codes = [client.post(f"{BASE}/requests.json", data=s).status_code for s in spots[:3]]
        assert codes == [200, 200, 429]
        refused = client.post(f"{BASE}/requests.xml", data=spots[3])
        assert int(refused.headers["Retry-After"]) > 0
        error = ElementTree.fromstring(refused.data).find("error")
        assert error is not None and error.findtext("code") == "429"
        # A trusted client relays many residents from one address: only the area's limit.
        trusted = [{**spot, "api_key": key} for spot in spots[3:]]
        codes = [client.post(f"{BASE}/requests.json", data=s).status_code for s in trusted]
        assert codes == [200, 200, 429]
        assert len(session.scalars(select(Report)).all()) == 4
