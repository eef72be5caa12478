"""The OpenAPI 3 document at /api/v1/openapi.json: valid, and describing every /api/v1 route."""

from __future__ import annotations

import re

from openapi_spec_validator import validate

PREFIX = "/api/v1"
# Routes other branches of issue 8 add with this documented contract; once they are merged
# they are in the url_map too, and this set may be emptied.
PENDING: set[str] = set()  # documented routes still being built (none)


def _template(rule: str) -> str:
    """A werkzeug rule as an OpenAPI path template: <int:incident_id> -> {incident_id}."""
    return re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule.removeprefix(PREFIX))


def _api_rules(app) -> dict[str, set[str]]:  # type: ignore[no-untyped-def]
    rules: dict[str, set[str]] = {}
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith(PREFIX + "/"):
            methods = {m.lower() for m in rule.methods or ()} - {"head", "options"}
            rules.setdefault(_template(rule.rule), set()).update(methods)
    return rules


def test_the_document_is_valid_openapi(client) -> None:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    document = response.get_json()
    validate(document)
    assert document["openapi"].startswith("3.")
    assert document["servers"] == [{"url": PREFIX}]


def test_every_api_route_is_documented_with_its_parameters(app, client) -> None:
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    components = client.get("/api/v1/openapi.json").get_json()["components"]["parameters"]
    rules = _api_rules(app)
    assert rules, "no /api/v1 routes found"
    for path, methods in rules.items():
        assert path in paths, f"{path} is not in openapi.json"
        assert methods <= set(paths[path]), (path, methods)
        for method in methods:
            operation = paths[path][method]
            declared = {
                components[p["$ref"].rsplit("/", 1)[1]]["name"] if "$ref" in p else p["name"]
                for p in operation["parameters"]
            }
            assert set(re.findall(r"{(\w+)}", path)) <= declared, (path, declared)
            # A POST creates (a report), except a provider's receipts: they are only taken.
            creates = method == "post" and not path.startswith("/receipts/")
            success = "201" if creates else "200"
            assert success in operation["responses"], (path, method)
    assert set(paths) - set(rules) <= PENDING, "documented routes that do not exist"


def test_the_rule_conversion(app) -> None:
    assert _template("/api/v1/<slug>/cap/<int:incident_id>.xml") == "/{slug}/cap/{incident_id}.xml"
    assert "/{slug}/incidents.atom" in _api_rules(app)
