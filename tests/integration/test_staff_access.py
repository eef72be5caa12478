"""Every staff route, walked from the app's url_map: who is let in, and who is refused how.

- anonymous visitors are refused everywhere (sent to the login page);
- viewers wherever something changes (403);
- staff of another municipality on everything of a municipality not theirs (404, the same
  answer as for a municipality that does not exist: nothing is revealed);
- a state change without a valid CSRF token is refused (400) and changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from flask import Flask
from shapely.geometry import box
from sqlalchemy import func
from sqlalchemy import select

from statusmap.db import get_db
from statusmap.models import AuditEvent
from statusmap.models import Incident
from statusmap.models import Role
from statusmap.models.base import utcnow
from statusmap.municipalities import get_municipality
from statusmap.open311.keys import create_key
from tests.factories import make_incident
from tests.factories import make_municipality
from tests.report_helpers import make_report
from tests.staff_helpers import csrf_token
from tests.staff_helpers import log_in
from tests.staff_helpers import make_user

STATE_CHANGING = {"POST", "PUT", "PATCH", "DELETE"}
# Pages only editors may read: the new-incident form, and lists naming vulnerable subscribers.
EDITOR_PAGES = {
    "staff.new_incident",
    "staff.affected_addresses_csv",
    "staff.address_points",
    "staff.subscribers",
    "staff.notifications",  # recipients' (masked) numbers and addresses: editors only
}


@dataclass
class World:
    """Two municipalities, their staff, one incident each."""

    app: Flask
    values: dict[str, object]  # URL values pointing at demo's things
    other_values: dict[str, object]  # the same names pointing at the other municipality's


@pytest.fixture
def world(app: Flask) -> Iterator[World]:
    with app.app_context():
        session = get_db(app).session()
        demo = get_municipality(session, "demo")
        assert demo is not None
        other = make_municipality(session, slug="annen", kommunenummer="4215")
        make_user(session, "viewer@demo.test", Role.VIEWER, demo)
        make_user(session, "editor@demo.test", Role.EDITOR, demo)
        demo_admin = make_user(session, "admin@demo.test", Role.ADMIN, demo)
        other_admin = make_user(session, "admin@annen.test", Role.ADMIN, other)
        incident = session.scalar(select(Incident).where(Incident.municipality_id == demo.id))
        assert incident is not None
        other_incident = make_incident(session, other, box(8.06, 58.13, 8.07, 58.14))
        report = make_report(session, demo, 10.56, 60.362)
        other_report = make_report(session, other, 8.08, 58.145)
        key, _secret = create_key(session, demo, "Appen", actor="test", now=utcnow())
        other_key, _secret = create_key(session, other, "Appen", actor="test", now=utcnow())
        session.commit()
        values = {
            "slug": "demo",
            "incident_id": incident.id,
            "user_id": demo_admin.id,
            "kind": "boil_water",
            "report_id": report.id,
            "key_id": key.id,
        }
        other_values = {**values, "slug": "annen", "incident_id": other_incident.id}
        other_values["report_id"] = other_report.id
        other_values["user_id"] = other_admin.id
        other_values["key_id"] = other_key.id
    # Outside the app context: each request of the test client gets its own `g`, as in a server.
    yield World(app, values, other_values)


def staff_routes(app: Flask) -> list[tuple[str, str]]:
    """(rule, method) for every route of the staff blueprint, and the account pages."""
    found = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("staff.") or rule.endpoint == "auth.change_password":
            for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
                found.append((rule.endpoint, method))
    return found


def url(app: Flask, endpoint: str, values: dict[str, object]) -> str:
    with app.test_request_context():
        from flask import url_for

        rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
        return url_for(endpoint, **{k: v for k, v in values.items() if k in rule.arguments})


def _audit_rows(app: Flask) -> int:
    with app.app_context():
        return int(get_db(app).session().scalar(select(func.count(AuditEvent.id))) or 0)


def test_the_walk_covers_the_staff_side(app: Flask) -> None:
    endpoints = {endpoint for endpoint, _method in staff_routes(app)}
    # A new staff route is walked without editing this test; these must be among them.
    assert {"staff.dashboard", "staff.new_incident", "staff.save_incident", "staff.users"} <= (
        endpoints
    )
    assert any(method == "POST" for _e, method in staff_routes(app))


def test_anonymous_visitors_are_refused_everywhere(world: World) -> None:
    client = world.app.test_client()
    before = _audit_rows(world.app)
    for endpoint, method in staff_routes(world.app):
        path = url(world.app, endpoint, world.values)
        answer = client.open(path, method=method)
        if method in STATE_CHANGING and answer.status_code == 400:
            continue  # refused for want of a CSRF token, before anything else
        assert answer.status_code == 302, (endpoint, method, answer.status_code)
        assert answer.headers["Location"].startswith("/auth/login"), (endpoint, method)
    assert _audit_rows(world.app) == before


def test_viewers_are_refused_wherever_something_changes(world: World) -> None:
    client = world.app.test_client()
    log_in(client, "viewer@demo.test")
    token = csrf_token(client, "/staff/demo/")
    before = _audit_rows(world.app)
    for endpoint, method in staff_routes(world.app):
        path = url(world.app, endpoint, world.values)
        if not endpoint.startswith("staff."):
            continue  # one's own password: every role may change it
        if method in STATE_CHANGING:
            answer = client.open(path, method=method, data={"csrf_token": token})
            assert answer.status_code == 403, (endpoint, method, answer.status_code)
        elif "/admin/" in path or endpoint in EDITOR_PAGES:
            assert client.get(path).status_code == 403, endpoint
        else:  # a page to read (the staff index sends a one-municipality user on)
            assert client.get(path).status_code in (200, 302), (endpoint, path)
    assert _audit_rows(world.app) == before


def test_staff_of_another_municipality_learn_nothing(world: World) -> None:
    client = world.app.test_client()
    log_in(client, "admin@annen.test")
    token = csrf_token(client, "/staff/annen/")
    before = _audit_rows(world.app)
    for endpoint, method in staff_routes(world.app):
        rule = next(r for r in world.app.url_map.iter_rules() if r.endpoint == endpoint)
        if "slug" not in rule.arguments:
            continue
        targets = [url(world.app, endpoint, world.values)]
        # Their own municipality's address with demo's incident or user: still not theirs.
        mixed = {**world.values, "slug": "annen"}
        if rule.arguments & {"incident_id", "user_id", "report_id", "key_id"}:
            targets.append(url(world.app, endpoint, mixed))
        missing = url(world.app, endpoint, {**world.values, "slug": "finnes-ikke"})
        nowhere = client.open(missing, method=method, data={"csrf_token": token})
        assert nowhere.status_code == 404
        for path in targets:
            answer = client.open(path, method=method, data={"csrf_token": token})
            assert answer.status_code == 404, (endpoint, method, path, answer.status_code)
            assert answer.data == nowhere.data, (endpoint, path)
            assert b"Demo" not in answer.data
    assert _audit_rows(world.app) == before


def test_state_changes_without_a_valid_csrf_token_are_refused(world: World) -> None:
    client = world.app.test_client()
    log_in(client, "admin@demo.test")
    valid = csrf_token(client, "/staff/demo/")
    before = _audit_rows(world.app)
    changing = [(e, m) for e, m in staff_routes(world.app) if m in STATE_CHANGING]
    assert changing
    for endpoint, method in changing:
        path = url(world.app, endpoint, world.values)
        for data in ({}, {"csrf_token": "forged"}, {"csrf_token": valid[:-4] + "AAAA"}):
            answer = client.open(path, method=method, data=data)
            assert answer.status_code == 400, (endpoint, method, data, answer.status_code)
        json_call = client.open(path, method=method, json={"area": None})
        assert json_call.status_code == 400, (endpoint, "json without X-CSRFToken")
    assert _audit_rows(world.app) == before
