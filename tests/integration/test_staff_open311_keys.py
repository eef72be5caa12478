"""An admin's Open311 clients: a key made in the UI is shown once and lets the client send a
contact; revoking it refuses it at once; both are in the audit log; nobody else may do either."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from statusmap.db import get_db
from statusmap.models import AuditEvent
from statusmap.models import Open311Key
from statusmap.models import Report
from statusmap.models import Role
from statusmap.models.base import utcnow
from statusmap.municipalities import get_municipality
from statusmap.open311.keys import create_key
from tests.factories import make_municipality
from tests.staff_helpers import csrf_token
from tests.staff_helpers import demo_staff_client

PAGE = "/staff/demo/admin/open311"
POST = {"service_code": "leak_seen", "lat": "60.345", "long": "10.52", "description": "Vann"}


@pytest.fixture
def admin(app: Flask) -> FlaskClient:
    return demo_staff_client(app, "admin311@demo.test", Role.ADMIN)


def _make_key(admin: FlaskClient, name: str) -> tuple[int, str]:
    token = csrf_token(admin, PAGE)
    answer = admin.post(PAGE, data={"csrf_token": token, "name": name})
    assert answer.status_code == 200, answer.get_data(as_text=True)
    shown = re.search(r'<code class="password">([^<]+)</code>', answer.get_data(as_text=True))
    assert shown and shown.group(1).startswith("o311_")
    assert shown.group(1) not in answer.headers.get("Set-Cookie", "")
    return answer.status_code, shown.group(1)


def test_a_key_made_by_the_admin_is_shown_once_and_works(app: Flask, admin: FlaskClient) -> None:
    _status, key = _make_key(admin, "Kommuneappen")
    again = admin.get(PAGE).get_data(as_text=True)
    assert key not in again and "Kommuneappen" in again and "I bruk" in again
    resident = app.test_client()
    sent = resident.post(
        "/open311/v2/requests.json?jurisdiction_id=demo",
        data={**POST, "jurisdiction_id": "demo", "api_key": key, "email": "kari@example.no"},
    )
    assert sent.status_code == 200, sent.get_data(as_text=True)
    with app.app_context():
        session = get_db(app).session()
        report = session.scalars(select(Report).order_by(Report.id.desc())).first()
        assert report is not None and report.source == "open311:Kommuneappen"
        assert report.contact == "kari@example.no"
        actions = session.scalars(select(AuditEvent.action)).all()
        assert "open311_key_create" in actions


def test_a_revoked_key_is_refused(app: Flask, admin: FlaskClient) -> None:
    _status, key = _make_key(admin, "Partner")
    with app.app_context():
        key_id = (
            get_db(app)
            .session()
            .scalars(select(Open311Key.id).where(Open311Key.name == "Partner"))
            .one()
        )
    token = csrf_token(admin, PAGE)
    revoked = admin.post(f"{PAGE}/{key_id}/revoke", data={"csrf_token": token})
    assert revoked.status_code == 302
    assert "Trukket tilbake" in admin.get(PAGE).get_data(as_text=True)
    refused = app.test_client().post(
        "/open311/v2/requests.json", data={**POST, "jurisdiction_id": "demo", "api_key": key}
    )
    assert refused.status_code == 403
    with app.app_context():
        actions = get_db(app).session().scalars(select(AuditEvent.action)).all()
        assert "open311_key_revoke" in actions


def test_without_a_csrf_token_nothing_is_made(app: Flask, admin: FlaskClient) -> None:
    assert admin.post(PAGE, data={"name": "Uten token"}).status_code == 400
    with app.app_context():
        assert get_db(app).session().scalars(select(Open311Key)).all() == []


def test_only_this_municipalitys_admins_manage_its_keys(app: Flask) -> None:
    editor = demo_staff_client(app, "redaktor311@demo.test", Role.EDITOR)
    assert editor.get(PAGE).status_code == 403
    token = csrf_token(editor, "/staff/demo/")
    assert editor.post(PAGE, data={"csrf_token": token, "name": "X"}).status_code == 403
    with app.app_context():
        session = get_db(app).session()
        other = make_municipality(session)
        _row, _key = create_key(session, other, "Nabo", actor="test", now=utcnow())
        session.commit()
        other_id = session.scalars(select(Open311Key.id).where(Open311Key.name == "Nabo")).one()
        assert get_municipality(session, "demo") is not None
    admin = demo_staff_client(app, "admin311b@demo.test", Role.ADMIN)
    token = csrf_token(admin, PAGE)
    assert admin.post(f"{PAGE}/{other_id}/revoke", data={"csrf_token": token}).status_code == 404
    with app.app_context():
        row = get_db(app).session().get_one(Open311Key, other_id)
        assert row.revoked_at is None
