"""The JSON API: municipalities, RFC 7946 incidents, and point lookups with clear errors."""

from __future__ import annotations

import json

from shapely.geometry import shape

from tests.rfc7946 import check_feature_collection


def _geojson(client, path: str = "/api/v1/demo/incidents.geojson"):
    response = client.get(path)
    assert response.status_code == 200
    assert response.mimetype == "application/geo+json"
    return json.loads(response.get_data(as_text=True))


def test_municipalities_are_listed_with_links(client) -> None:
    body = client.get("/api/v1/municipalities").get_json()
    demo = next(m for m in body["municipalities"] if m["slug"] == "demo")
    assert demo["kommunenummer"] == "9999" and demo["is_demo"] is True
    assert demo["names"]["nb"] == "Demo kommune"
    assert demo["links"]["page"].endswith("/demo/")
    assert demo["links"]["incidents_geojson"].endswith("/api/v1/demo/incidents.geojson")


def test_incidents_geojson_is_rfc7946(client) -> None:
    document = _geojson(client)
    assert check_feature_collection(document) == []
    statuses = sorted(f["properties"]["status"] for f in document["features"])
    assert statuses == ["active", "active", "scheduled"]
    for feature in document["features"]:
        lon, lat = shape(feature["geometry"]).centroid.coords[0]
        assert 10.4 < lon < 10.7 and 60.3 < lat < 60.45  # lon first, at Gran in Hadeland


def test_resolved_on_request_and_texts_follow_the_language(client) -> None:
    document = _geojson(client, "/api/v1/demo/incidents.geojson?include=resolved&lang=en")
    assert check_feature_collection(document) == []
    assert "resolved" in {f["properties"]["status"] for f in document["features"]}
    boil = next(f for f in document["features"] if f["properties"]["kind"] == "boil_water")
    assert boil["properties"]["kind_label"] == "Boil-water notice"
    assert boil["properties"]["title"] == boil["properties"]["titles"]["en"]


def test_point_lookup_finds_the_boil_water_zone(client) -> None:
    boil = next(f for f in _geojson(client)["features"] if f["properties"]["kind"] == "boil_water")
    inside = shape(boil["geometry"]).representative_point()
    body = client.get(f"/api/v1/demo/incidents/at?lon={inside.x}&lat={inside.y}").get_json()
    assert body["affected"] is True
    assert [f["id"] for f in body["features"]] == [boil["id"]]
    far = client.get("/api/v1/demo/incidents/at?lon=10.56&lat=60.30").get_json()
    assert far == {"affected": False, "type": "FeatureCollection", "features": []}


def test_point_outside_norway_gets_a_clear_400(client) -> None:
    response = client.get("/api/v1/demo/incidents/at?lon=18.0686&lat=59.3293")
    assert response.status_code == 400
    assert "outside Norway" in response.get_json()["message"]
    response = client.get("/api/v1/demo/incidents/at?lon=abc")
    assert response.status_code == 400
    assert "?lon=" in response.get_json()["message"]


def test_unknown_municipality_is_a_json_404(client) -> None:
    response = client.get("/api/v1/atlantis/incidents.geojson")
    assert response.status_code == 404
    assert "atlantis" in response.get_json()["message"]
