"""The API answers what its OpenAPI document says: every JSON answer, on success and on error,
validates against the schema documented for its path, status and content type."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient
from openapi_schema_validator import OAS31Validator

PREFIX = "/api/v1"


def _schema(document: dict[str, Any], path: str, status: int, mimetype: str) -> dict[str, Any]:
    responses = document["paths"][path]["get"]["responses"]
    answer = responses.get(str(status))
    assert answer is not None, f"{path}: status {status} is not documented"
    while "$ref" in answer:  # a shared response: #/components/responses/NotFound
        answer = document["components"]["responses"][answer["$ref"].rsplit("/", 1)[1]]
    content = answer.get("content", {})
    assert mimetype in content, f"{path} {status}: {mimetype} not documented ({list(content)})"
    # The document's components travel with the schema, so its "#/components/..." refs resolve.
    return {**content[mimetype]["schema"], "components": document["components"]}


def _check(client: FlaskClient, document: dict[str, Any], path: str, url: str) -> Any:
    response = client.get(PREFIX + url)
    OAS31Validator(_schema(document, path, response.status_code, response.mimetype)).validate(
        response.get_json()
    )
    return response


def test_every_json_answer_matches_its_documented_schema(client: FlaskClient) -> None:
    document = client.get(f"{PREFIX}/openapi.json").get_json()
    check = lambda path, url: _check(client, document, path, url)  # noqa: E731
    assert check("/municipalities", "/municipalities").status_code == 200
    collection = check("/{slug}/incidents.geojson", "/demo/incidents.geojson").get_json()
    check("/{slug}/incidents.geojson", "/demo/incidents.geojson?include=resolved")
    check("/{slug}/incidents.geojson", "/nowhere/incidents.geojson")  # 404
    incident_id = collection["features"][0]["id"]
    detail = check("/{slug}/incidents/{incident_id}.json", f"/demo/incidents/{incident_id}.json")
    assert detail.get_json()["affected_addresses"] > 0
    check("/{slug}/incidents/{incident_id}.json", "/demo/incidents/999999.json")  # 404
    lon, lat = collection["features"][0]["geometry"]["coordinates"][0][0][0]
    inside = check("/{slug}/affected", f"/demo/affected?lat={lat}&lon={lon}")
    assert inside.status_code == 200
    check("/{slug}/affected", "/demo/affected?lat=north&lon=10")  # 400
    check("/{slug}/incidents/at", f"/demo/incidents/at?lon={lon}&lat={lat}")
    check("/{slug}/incidents/at", "/demo/incidents/at?lon=200&lat=60")  # 400
    suggestions = check("/{slug}/addresses", "/demo/addresses?q=Møllegata").get_json()
    assert suggestions["addresses"], "the demo has a Møllegata"
    label = suggestions["addresses"][0]["label"]
    check("/{slug}/affected", f"/demo/affected?address={label}")
    check("/{slug}/affected", "/demo/affected?address=Finnesikkegata 999")  # 404
    assert check("/{slug}/affected", "/demo/affected?address=Storgata").status_code == 300
    check("/{slug}/changes", "/demo/changes")
    check("/{slug}/streets.geojson", "/demo/streets.geojson")
    check("/{slug}/reports.geojson", "/demo/reports.geojson")
