"""GeoReport v2 conformance, written from the specification (wiki.open311.org/GeoReport_v2):
every document's field names and types, in JSON and in XML, read with json and lxml."""

from __future__ import annotations

from datetime import datetime

import pytest

from statusmap.models import ReportKind
from tests.factories import make_municipality
from tests.integration.open311_helpers import CELL
from tests.integration.open311_helpers import add_report
from tests.integration.open311_helpers import parsed

BASE = "/open311/v2"
J = "jurisdiction_id=kristiansand"
SERVICE_FIELDS = {
    "service_code": str,
    "service_name": str,
    "description": str,
    "metadata": bool,
    "type": str,
    "keywords": str,
    "group": str,
}
REQUEST_FIELDS = [
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
]
NUMBERS = ("lat", "long")


def _w3c(text: str) -> datetime:
    value = datetime.fromisoformat(text)
    assert value.tzinfo is not None, text
    return value


def test_discovery(client) -> None:
    body = parsed(client.get(f"{BASE}/discovery.json"), "json")
    assert set(body) == {"changeset", "contact", "key_service", "endpoints"}
    _w3c(body["changeset"])
    (endpoint,) = body["endpoints"]
    assert set(endpoint) == {"specification", "url", "changeset", "type", "formats"}
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"].endswith("/open311/v2/") and endpoint["type"] == "production"
    assert sorted(endpoint["formats"]) == ["application/json", "text/xml"]
    tree = parsed(client.get(f"{BASE}/discovery.xml"), "xml")
    assert tree.tag == "discovery"
    formats = tree.findall("endpoints/endpoint/formats/format")
    assert sorted(f.text for f in formats) == ["application/json", "text/xml"]


def test_the_endpoint_answers_and_discovery_names_whom_to_contact(client, session) -> None:
    town = make_municipality(session)
    town.contact_phone, town.contact_email = "+47 38 00 00 00", "vakt@example.no"
    session.commit()
    body = parsed(client.get(f"{BASE}/discovery.json?{J}"), "json")
    assert body["contact"] == "+47 38 00 00 00, vakt@example.no"
    path = "/" + body["endpoints"][0]["url"].split("://", 1)[1].split("/", 1)[1]
    assert parsed(client.get(f"{path}?{J}"), "json") == body  # the endpoint's own address


def test_services_json_and_xml(client, session) -> None:
    make_municipality(session)
    services = parsed(client.get(f"{BASE}/services.json?{J}"), "json")
    assert [s["service_code"] for s in services] == [k.value for k in ReportKind]
    for service in services:
        assert {k: type(v) for k, v in service.items()} == SERVICE_FIELDS
        assert service["type"] in ("realtime", "batch", "blackbox") and not service["metadata"]
    assert services[0]["service_name"] == "Ikke vann"  # bokmål by default
    tree = parsed(client.get(f"{BASE}/services.xml?{J}"), "xml")
    assert tree.tag == "services"
    for element, service in zip(tree.findall("service"), services, strict=True):
        assert [child.tag for child in element] == list(SERVICE_FIELDS)
        assert element.findtext("metadata") == "false"
        assert element.findtext("service_name") == service["service_name"]


def test_service_definition(client, session) -> None:
    make_municipality(session)
    body = parsed(client.get(f"{BASE}/services/leak_seen.json?{J}"), "json")
    assert body == {"service_code": "leak_seen", "attributes": []}
    tree = parsed(client.get(f"{BASE}/services/leak_seen.xml?{J}"), "xml")
    assert tree.tag == "service_definition" and tree.findtext("service_code") == "leak_seen"
    assert tree.find("attributes") is not None and len(tree.find("attributes")) == 0


def _check_request(item: dict) -> None:
    assert list(item) == REQUEST_FIELDS
    for name, value in item.items():
        expected = (int, float) if name in NUMBERS else str
        assert value is None or isinstance(value, expected), (name, value)
    assert item["status"] in ("open", "closed")
    assert _w3c(item["requested_datetime"]) <= _w3c(item["updated_datetime"])


def test_requests_and_one_request(client, session) -> None:
    town = make_municipality(session)
    for n in range(3):
        add_report(session, town, CELL[0] + 10 + 30 * n, CELL[1] + 10, n)
    session.commit()
    items = parsed(client.get(f"{BASE}/requests.json?{J}"), "json")
    assert len(items) == 3
    for item in items:
        _check_request(item)
    one = parsed(client.get(f"{BASE}/requests/{items[0]['service_request_id']}.json?{J}"), "json")
    assert one == [items[0]]
    tree = parsed(client.get(f"{BASE}/requests.xml?{J}"), "xml")
    assert tree.tag == "service_requests"
    for element, item in zip(tree.findall("request"), items, strict=True):
        assert [child.tag for child in element] == REQUEST_FIELDS
        assert float(element.findtext("lat")) == item["lat"]
        assert element.findtext("service_request_id") == item["service_request_id"]


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_post_response_and_token(client, session, fmt) -> None:
    make_municipality(session)
    session.commit()
    form = {"jurisdiction_id": "kristiansand", "service_code": "no_water",
            "lat": "58.145", "long": "8.08", "description": "Tørr kran"}  # fmt: skip
    response = client.post(f"{BASE}/requests.{fmt}", data=form)
    assert response.status_code == 200
    body = parsed(response, fmt)
    if fmt == "json":
        assert list(body[0]) == ["service_request_id", "service_notice", "account_id"]
        reference = body[0]["service_request_id"]
        assert isinstance(reference, str) and body[0]["account_id"] is None
    else:
        assert body.tag == "service_requests"
        reference = body.findtext("request/service_request_id")
    token = parsed(client.get(f"{BASE}/tokens/{reference}.{fmt}?{J}"), fmt)
    if fmt == "json":
        assert token == [{"service_request_id": reference, "token": reference}]
    else:
        assert token.findtext("request/token") == reference


@pytest.mark.parametrize("fmt", ["json", "xml"])
@pytest.mark.parametrize(
    ("path", "code"),
    [
        ("services.{fmt}", 400),  # several municipalities: jurisdiction_id needed
        ("services.{fmt}?jurisdiction_id=atlantis", 404),
        ("services/no_such.{fmt}?jurisdiction_id=demo", 404),
        ("requests/NOPE2345.{fmt}?jurisdiction_id=demo", 404),
        ("requests.{fmt}?jurisdiction_id=demo&start_date=yesterday", 400),
        ("nothing/here.{fmt}", 404),
    ],
)
def test_errors_in_the_spec_format(client, session, path, code, fmt) -> None:
    make_municipality(session)  # with the demo: two, so jurisdiction_id is needed
    session.commit()
    response = client.get(f"{BASE}/{path.format(fmt=fmt)}")
    assert response.status_code == code
    body = parsed(response, fmt)
    if fmt == "json":
        assert [set(e) for e in body] == [{"code", "description"}]
        assert body[0]["code"] == code and isinstance(body[0]["description"], str)
    else:
        assert body.tag == "errors"
        assert body.findtext("error/code") == str(code) and body.findtext("error/description")
