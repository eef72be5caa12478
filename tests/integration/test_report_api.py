"""POST /api/v1/<slug>/reports: stored with a reference, refused with code/field/message,
answered with the incident that explains it, limited per client and per area (429)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from flask import Flask
from openapi_schema_validator import OAS31Validator
from shapely.geometry import Point
from shapely.geometry import shape
from sqlalchemy import func
from sqlalchemy import select

from statusmap.db import get_db
from statusmap.models import Municipality
from statusmap.models import Report
from statusmap.models import ReportStatus
from statusmap.models.base import utcnow
from statusmap.reports import submission
from tests.conftest import rolled_back_app
from tests.factories import make_incident

URL = "/api/v1/demo/reports"
FAR_FROM_INCIDENTS = {"lat": 60.345, "lon": 10.52}  # inside the demo municipality, no incident


@pytest.fixture
def roomy(database_url: str) -> Iterator[Flask]:
    """An app whose limits do not get in the way of a test that sends several reports."""
    with rolled_back_app(
        database_url, REPORT_LIMIT_PER_CLIENT="1000/minute", REPORT_LIMIT_PER_AREA="1000/minute"
    ) as app:
        yield app


def _rows(app: Flask) -> list[Report]:
    with app.app_context():
        session = get_db(app).session()
        rows = list(session.scalars(select(Report).order_by(Report.id)))
        session.expunge_all()
        return rows


def _point_in(client, kind: str) -> dict[str, float]:  # type: ignore[no-untyped-def]
    """A point inside the demo's published incident of this kind (the demo's areas are apart)."""
    features = client.get("/api/v1/demo/incidents.geojson").get_json()["features"]
    found = next(f for f in features if f["properties"]["kind"] == kind)
    inside = shape(found["geometry"]).representative_point()
    return {"lat": inside.y, "lon": inside.x, "incident": found["id"]}


def test_a_report_is_stored_and_gets_a_reference(roomy: Flask) -> None:
    client = roomy.test_client()
    since = (utcnow() - timedelta(hours=1)).isoformat()
    body = {"kind": "low_pressure", **FAR_FROM_INCIDENTS, "observed_since": since, "text": "Svakt"}
    response = client.post(URL, json=body)
    assert response.status_code == 201, response.get_data(as_text=True)
    answer = response.get_json()
    assert answer["incident"] is None and answer["repeated"] is False
    (row,) = _rows(roomy)
    assert answer["reference"] == f"{row.reference[:4]}-{row.reference[4:]}"
    assert (row.location.y, row.location.x) == (60.345, 10.52)
    assert row.text == "Svakt" and row.source == "api" and len(row.client_key) == 32
    assert abs((row.observed_since - utcnow()).total_seconds() + 3600) < 60


def test_no_water_inside_a_published_incident_is_answered_with_it(roomy: Flask) -> None:
    client = roomy.test_client()
    point = _point_in(client, "shutdown")
    response = client.post(URL, json={"kind": "no_water", "lat": point["lat"], "lon": point["lon"]})
    assert response.status_code == 201
    incident = response.get_json()["incident"]
    assert str(incident["id"]) == str(point["incident"])
    assert incident["url"].endswith(f"/demo/hendelse/{point['incident']}") and incident["title"]
    (row,) = _rows(roomy)
    assert row.status is ReportStatus.LINKED


def test_a_boil_water_notice_does_not_explain_missing_water(roomy: Flask) -> None:
    """No water inside a boil-water zone may be a new break: new evidence, not "we know"."""
    client = roomy.test_client()
    point = _point_in(client, "boil_water")
    for kind in ("no_water", "low_pressure"):
        response = client.post(URL, json={"kind": kind, "lat": point["lat"], "lon": point["lon"]})
        assert response.status_code == 201 and response.get_json()["incident"] is None
    assert [row.status for row in _rows(roomy)] == [ReportStatus.NEW, ReportStatus.NEW]


@pytest.mark.parametrize(
    ("body", "status", "code", "field"),
    [
        ([1, 2], 400, "body_invalid", "body"),
        ({"kind": "flood", **FAR_FROM_INCIDENTS}, 400, "kind_invalid", "kind"),
        ({"kind": "sewer", "lat": "north", "lon": 10.5}, 400, "location_invalid", "location"),
        ({"kind": "sewer", "lat": 91, "lon": 10.5}, 400, "location_invalid", "location"),
        ({"kind": "sewer"}, 422, "location_missing", "address"),
        ({"kind": "sewer", "lat": 59.91, "lon": 10.75}, 422, "outside", "location"),
        ({"kind": "sewer", "address": "Finnesikkeveien 999"}, 422, "address_unknown", "address"),
        (
            {"kind": "sewer", **FAR_FROM_INCIDENTS, "observed_since": "i går"},
            422,
            "since_invalid",
            "observed_since",
        ),
        (
            {"kind": "sewer", **FAR_FROM_INCIDENTS, "contact": "kari@example.no"},
            422,
            "consent_missing",
            "consent",
        ),
        ({"kind": "sewer", **FAR_FROM_INCIDENTS, "text": "x" * 501}, 422, "text_too_long", "text"),
    ],
)
def test_an_unusable_report_is_refused_with_code_and_field(
    roomy: Flask, body: object, status: int, code: str, field: str
) -> None:
    response = roomy.test_client().post(URL, json=body)
    assert response.status_code == status
    answer = response.get_json()
    assert (answer["code"], answer["field"]) == (code, field) and answer["message"]
    assert _rows(roomy) == []


def test_a_burst_over_the_client_limit_gets_429_and_changes_nothing(database_url: str) -> None:
    with rolled_back_app(database_url, REPORT_LIMIT_PER_CLIENT="3/minute") as app:
        client = app.test_client()
        kinds = ["no_water", "low_pressure", "sewer", "leak_seen", "water_ok"]
        answers = [client.post(URL, json={"kind": k, **FAR_FROM_INCIDENTS}) for k in kinds]
        assert [a.status_code for a in answers] == [201, 201, 201, 429, 429]
        assert int(answers[3].headers["Retry-After"]) > 0
        assert answers[3].get_json()["error"] == "Too Many Requests"
        assert len(_rows(app)) == 3
        other = client.post(
            URL,
            json={"kind": "sewer", **FAR_FROM_INCIDENTS},
            environ_base={"REMOTE_ADDR": "10.9.9.9"},
        )
        assert other.status_code == 201, "another client has its own limit"


def test_refused_reports_do_not_count_against_the_limit(database_url: str) -> None:
    """A resident correcting a form is not locked out: only reports taken are counted."""
    with rolled_back_app(database_url, REPORT_LIMIT_PER_CLIENT="2/minute") as app:
        client = app.test_client()
        refused = [client.post(URL, json={"kind": "nothing", **FAR_FROM_INCIDENTS}) for _ in "abc"]
        assert [a.status_code for a in refused] == [400, 400, 400]
        kinds = ["no_water", "sewer", "leak_seen"]
        answers = [client.post(URL, json={"kind": k, **FAR_FROM_INCIDENTS}) for k in kinds]
        assert [a.status_code for a in answers] == [201, 201, 429]
        assert len(_rows(app)) == 2


def test_the_area_limit_holds_across_clients(database_url: str) -> None:
    with rolled_back_app(database_url, REPORT_LIMIT_PER_AREA="2/minute") as app:
        client = app.test_client()
        codes = [
            client.post(
                URL,
                json={"kind": "sewer", **FAR_FROM_INCIDENTS},
                environ_base={"REMOTE_ADDR": f"10.0.0.{n}"},
            ).status_code
            for n in range(4)
        ]
        assert codes == [201, 201, 429, 429]
        with app.app_context():
            assert get_db(app).session().scalar(select(func.count()).select_from(Report)) == 2


def test_cookies_and_origin_do_not_matter_to_the_api(roomy: Flask) -> None:
    client = roomy.test_client()
    client.set_cookie("statusmap_session", "forged")
    response = client.post(
        URL,
        json={"kind": "water_ok", **FAR_FROM_INCIDENTS},
        headers={"Origin": "https://x.example"},
    )
    assert response.status_code == 201
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "Set-Cookie" not in response.headers


def _documented(document: dict, status: int) -> dict:  # type: ignore[type-arg]
    answer = document["paths"]["/{slug}/reports"]["post"]["responses"][str(status)]
    while "$ref" in answer:
        answer = document["components"]["responses"][answer["$ref"].rsplit("/", 1)[1]]
    return {**answer["content"]["application/json"]["schema"], "components": document["components"]}


def test_every_answer_matches_the_openapi_document(database_url: str) -> None:
    # Refused reports are not counted: the two taken use up the limit.
    with rolled_back_app(database_url, REPORT_LIMIT_PER_CLIENT="2/minute") as app:
        client = app.test_client()
        document = client.get("/api/v1/openapi.json").get_json()
        label = client.get("/api/v1/demo/addresses?q=Møllegata").get_json()["addresses"][0]["label"]
        bodies = [
            {"kind": "discoloured_water", "address": label},  # 201, by address
            {"kind": "sewer", "address": "Storgata"},  # 422: several addresses
            {"kind": 7},  # 400
            {"kind": "sewer", **FAR_FROM_INCIDENTS},  # 201
            {"kind": "sewer", **FAR_FROM_INCIDENTS},  # 429
        ]
        statuses = []
        for body in bodies:
            response = client.post(URL, json=body)
            OAS31Validator(_documented(document, response.status_code)).validate(
                response.get_json()
            )
            statuses.append(response.status_code)
        assert statuses == [201, 422, 400, 201, 429]
        assert _rows(app)[0].address_id is not None


def test_a_clash_of_references_is_stored_under_a_new_one(
    roomy: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The unique constraint, not a query per report, keeps references unique: a clash rolls
    back and the report is stored under the next reference, with nothing lost or doubled."""
    client = roomy.test_client()
    first = client.post(URL, json={"kind": "leak_seen", **FAR_FROM_INCIDENTS})
    assert first.status_code == 201
    taken = first.get_json()["reference"].replace("-", "")
    offered = iter([taken, taken, "NEWREF22"])
    monkeypatch.setattr(submission, "new_reference", lambda: next(offered))
    second = client.post(
        URL,
        json={"kind": "sewer", **FAR_FROM_INCIDENTS, "text": "Lukt"},
        environ_base={"REMOTE_ADDR": "10.9.9.9"},
    )
    assert second.status_code == 201, second.get_data(as_text=True)
    assert second.get_json()["reference"] == "NEWR-EF22"
    rows = _rows(roomy)
    assert [(r.reference, r.kind.value, r.text) for r in rows] == [
        (taken, "leak_seen", ""),
        ("NEWREF22", "sewer", "Lukt"),
    ]


def test_an_incident_published_after_reports_began_explains_the_next_one(roomy: Flask) -> None:
    """The intake keeps the municipality's incidents in memory per change stamp: publishing one
    moves the stamp, and the very next report inside it is answered with it."""
    client = roomy.test_client()
    here = {"lat": 60.345, "lon": 10.52}
    before = client.post(URL, json={"kind": "no_water", **here})
    assert before.status_code == 201 and before.get_json()["incident"] is None
    with roomy.app_context():
        session = get_db(roomy).session()
        demo = session.scalars(select(Municipality).where(Municipality.slug == "demo")).one()
        area = Point(here["lon"], here["lat"]).buffer(0.01)
        incident = make_incident(session, demo, area, title="Brudd i Storgata")
        session.commit()
        incident_id = incident.id
    after = client.post(
        URL, json={"kind": "no_water", **here}, environ_base={"REMOTE_ADDR": "10.8.8.8"}
    )
    assert after.status_code == 201
    assert after.get_json()["incident"]["id"] == incident_id


def test_invisible_direction_overrides_are_taken_out_of_the_text(roomy: Flask) -> None:
    """U+202E and its kin would make the text staff read differ from the text stored."""
    client = roomy.test_client()
    text = "Lekkasje ved \u202etsop\u202c nr. 5 \u2066her\u2069"
    answer = client.post(URL, json={"kind": "leak_seen", **FAR_FROM_INCIDENTS, "text": text})
    assert answer.status_code == 201
    (row,) = _rows(roomy)
    assert row.text == "Lekkasje ved tsop nr. 5 her"
