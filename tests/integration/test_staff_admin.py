"""What a municipality's admin does: its details, its staff, its message texts, the audit log."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient

from statusmap.db import get_db
from statusmap.models import Role
from statusmap.municipalities import get_municipality
from tests.staff_helpers import csrf_token
from tests.staff_helpers import demo_staff_client
from tests.staff_helpers import log_in


@pytest.fixture
def admin(app: Flask) -> FlaskClient:
    return demo_staff_client(app, "admin@demo.test", Role.ADMIN)


def _settings(client: FlaskClient, **changes: str) -> dict[str, str]:
    page = client.get("/staff/demo/admin/settings").get_data(as_text=True)
    data = dict(re.findall(r'<input[^>]*name="([a-z_]+)"[^>]*value="([^"]*)"', page))
    data = {key: value.replace("&#39;", "'").replace("&amp;", "&") for key, value in data.items()}
    data.update(changes)
    return data


def test_the_admin_changes_the_contact_line_of_the_public_page(
    app: Flask, admin: FlaskClient
) -> None:
    data = _settings(admin, contact_phone="+47 61 33 00 00", name_en="Demo Municipality")
    assert admin.post("/staff/demo/admin/settings", data=data).status_code == 302
    assert "+47 61 33 00 00" in app.test_client().get("/demo/").get_data(as_text=True)
    refused = admin.post(
        "/staff/demo/admin/settings", data=_settings(admin, contact_email="not an address")
    )
    assert refused.status_code == 400
    assert "not an address" in refused.get_data(as_text=True)
    audit = admin.get("/staff/demo/admin/audit").get_data(as_text=True)
    assert "contact_phone" in audit and "admin@demo.test" in audit


def test_a_new_colleague_gets_a_password_shown_once_and_can_log_in(
    app: Flask, admin: FlaskClient
) -> None:
    token = csrf_token(admin, "/staff/demo/admin/users")
    answer = admin.post(
        "/staff/demo/admin/users",
        data={"csrf_token": token, "email": "ny@demo.test", "name": "Ny Kollega", "role": "editor"},
    )
    assert answer.status_code == 200
    password = re.search(r'<code class="password">([^<]+)</code>', answer.get_data(as_text=True))
    assert password
    assert (
        "Set-Cookie" not in answer.headers or password.group(1) not in answer.headers["Set-Cookie"]
    )
    log_in(app.test_client(), "ny@demo.test", password.group(1))
    again = admin.get("/staff/demo/admin/users").get_data(as_text=True)
    assert password.group(1) not in again  # shown once


def test_the_last_admin_cannot_be_removed(app: Flask, admin: FlaskClient) -> None:
    with app.app_context():
        session = get_db(app).session()
        demo = get_municipality(session, "demo")
        own = [m.user for m in demo_members(session, demo.id) if m.user.email == "admin@demo.test"]
    token = csrf_token(admin, "/staff/demo/admin/users")
    answer = admin.post(f"/staff/demo/admin/users/{own[0].id}/remove", data={"csrf_token": token})
    assert answer.status_code == 302
    shown = admin.get("/staff/demo/admin/users").get_data(as_text=True)
    assert "must keep at least one admin" in shown
    assert admin.get("/staff/demo/admin/").status_code == 200  # still admin


def demo_members(session, municipality_id):  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from statusmap.models import Membership

    return session.scalars(select(Membership).where(Membership.municipality_id == municipality_id))


def test_the_municipality_words_its_own_boil_water_notice(app: Flask, admin: FlaskClient) -> None:
    page = admin.get("/staff/demo/admin/templates/boil_water")
    assert page.status_code == 200
    token = csrf_token(admin, "/staff/demo/admin/templates/boil_water")
    fields = dict(
        re.findall(
            r'<textarea[^>]*name="([a-z_]+)"[^>]*>\n?([^<]*)</textarea>',
            page.get_data(as_text=True),
        )
    )
    fields = {
        k: v.replace("&#39;", "'").replace("&#34;", '"').replace("&amp;", "&")
        for k, v in fields.items()
    }
    fields["title_nb"] = "Kokevarsel for {streets}"
    fields["csrf_token"] = token
    assert admin.post("/staff/demo/admin/templates/boil_water", data=fields).status_code == 302
    filled = admin.post(
        "/staff/demo/incidents/new",
        data={"csrf_token": token, "kind": "boil_water", "fill_template": "1"},
    )
    assert 'value="Kokevarsel for ' in filled.get_data(as_text=True)
    bad = {**fields, "title_nb": "Kokevarsel for {gate}"}
    refused = admin.post("/staff/demo/admin/templates/boil_water", data=bad)
    assert refused.status_code == 400 and "gate" in refused.get_data(as_text=True)
    assert "Kokevarsel for {streets}" in admin.get(
        "/staff/demo/admin/templates/boil_water"
    ).get_data(as_text=True)
