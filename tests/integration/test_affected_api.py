"""The "am I affected?" API: suggestions, answers for an address or a position, one incident."""

from __future__ import annotations

import json

import shapely
from shapely.geometry import shape
from sqlalchemy import select

from statusmap.models import Address
from statusmap.models import IncidentStatus
from statusmap.models import Municipality
from tests.factories import make_incident
from tests.factories import make_municipality
from tests.rfc7946 import check_feature_collection


def _features(client) -> dict[str, dict]:
    """The demo's current incidents: the active boil-water notice and the one planned work."""
    features = client.get("/api/v1/demo/incidents.geojson").get_json()["features"]
    boil = next(f for f in features if f["properties"]["kind"] == "boil_water")
    planned = next(f for f in features if f["properties"]["status"] == "scheduled")
    return {"boil_water": boil, "planned_work": planned}


def _get(client, path: str, **args: str):
    return client.get(path, query_string=args)


def test_suggestions_are_labelled_points_of_the_register(client) -> None:
    body = _get(client, "/api/v1/demo/addresses", q="kirkevn 3").get_json()
    assert 1 <= len(body["addresses"]) <= 10
    first = body["addresses"][0]
    assert set(first) == {"id", "label", "lat", "lon"}
    assert first["label"] == "Kirkevegen 3, 2770 Jaren"
    assert 10.4 < first["lon"] < 10.7 and 60.3 < first["lat"] < 60.45
    assert _get(client, "/api/v1/demo/addresses", q=" ").get_json() == {"addresses": []}
    assert _get(client, "/api/v1/demo/addresses").get_json() == {"addresses": []}


def test_an_address_in_the_boil_water_zone_is_affected(client) -> None:
    boil = _features(client)["boil_water"]
    body = _get(client, "/api/v1/demo/affected", address="elvegata 4").get_json()
    assert body["affected"] is True
    assert [f["id"] for f in body["incidents"]] == [boil["id"]]
    assert body["incidents"][0]["properties"]["advice"].startswith("Kok vannet")
    assert body["address"]["label"] == "Elvegata 4, 2750 Gran"
    point = shapely.Point(body["address"]["lon"], body["address"]["lat"])
    assert shape(boil["geometry"]).covers(point)
    assert not check_feature_collection(
        {"type": "FeatureCollection", "features": body["incidents"]}
    )


def test_an_address_only_under_planned_work_is_not_affected_yet(client) -> None:
    planned = _features(client)["planned_work"]
    body = _get(client, "/api/v1/demo/affected", address="Bakkevegen 3").get_json()
    assert body["affected"] is False and body["incidents"] == []
    assert [f["id"] for f in body["planned"]] == [planned["id"]]
    assert body["planned"][0]["properties"]["status"] == "scheduled"


def test_a_position_is_answered_without_an_address(client) -> None:
    boil = _features(client)["boil_water"]
    inside = shape(boil["geometry"]).representative_point()
    body = _get(client, "/api/v1/demo/affected", lat=str(inside.y), lon=str(inside.x)).get_json()
    assert body["affected"] is True and body["address"] is None
    assert [f["id"] for f in body["incidents"]] == [boil["id"]]


def test_unknown_address_is_a_404_with_a_message(client) -> None:
    response = _get(client, "/api/v1/demo/affected", address="Ingenstedsvegen 1")
    assert response.status_code == 404
    assert "Ingenstedsvegen 1" in response.get_json()["message"]


def test_several_matches_are_a_300_with_candidates(client) -> None:
    response = _get(client, "/api/v1/demo/affected", address="Blåbærvegen 33")
    assert response.status_code == 300
    labels = [c["label"] for c in response.get_json()["candidates"]]
    assert labels == ["Blåbærvegen 33 A, 2750 Gran", "Blåbærvegen 33 B, 2750 Gran"]


def test_bad_or_outside_positions_are_a_400_with_a_message(client) -> None:
    for args in ({}, {"lat": "abc", "lon": "10.5"}, {"lat": "60.4"}):
        response = _get(client, "/api/v1/demo/affected", **args)
        assert response.status_code == 400
        assert "?lat=" in response.get_json()["message"]
    outside = _get(client, "/api/v1/demo/affected", lat="59.9139", lon="10.7522")  # Oslo
    assert outside.status_code == 400 and "outside" in outside.get_json()["message"]
    sweden = _get(client, "/api/v1/demo/affected", lat="59.3293", lon="18.0686")
    assert sweden.status_code == 400 and "outside Norway" in sweden.get_json()["message"]


def test_one_incident_with_its_reach(client, session) -> None:
    boil = _features(client)["boil_water"]
    body = json.loads(client.get(f"/api/v1/demo/incidents/{boil['id']}.json").data)
    assert body["id"] == boil["id"] and body["properties"]["kind"] == "boil_water"
    # Counted again here, independently: every current demo address the zone covers.
    demo = session.scalar(select(Municipality).where(Municipality.slug == "demo"))
    area = shape(body["geometry"])
    rows = session.scalars(
        select(Address).where(Address.municipality_id == demo.id, Address.retired_at.is_(None))
    ).all()
    inside = [a for a in rows if area.covers(a.location)]
    assert body["affected_addresses"] == len(inside) > 0
    assert body["affected_dwellings"] == sum(a.dwellings for a in inside)


def test_drafts_and_other_municipalities_incidents_are_404(client, session) -> None:
    demo = session.scalar(select(Municipality).where(Municipality.slug == "demo"))
    area = demo.boundary.representative_point().buffer(0.001)
    draft = make_incident(session, demo, area, status=IncidentStatus.DRAFT)
    other = make_municipality(session)
    elsewhere = make_incident(session, other, other.boundary.centroid.buffer(0.001))
    session.commit()
    assert client.get(f"/api/v1/demo/incidents/{draft.id}.json").status_code == 404
    assert client.get(f"/api/v1/demo/incidents/{elsewhere.id}.json").status_code == 404
    assert client.get(f"/api/v1/kristiansand/incidents/{elsewhere.id}.json").status_code == 200
    assert client.get("/api/v1/demo/incidents/999999.json").status_code == 404
