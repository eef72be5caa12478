"""The incident lifecycle through the staff pages, as an editor clicks through it."""

from __future__ import annotations

import json
import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from shapely.geometry import box
from shapely.geometry import mapping
from sqlalchemy import select

from statusmap.db import get_db
from statusmap.models import AuditEvent
from statusmap.models import Incident
from statusmap.models import IncidentStatus
from statusmap.models import Role
from statusmap.municipalities import get_municipality
from tests.staff_helpers import csrf_token
from tests.staff_helpers import log_in
from tests.staff_helpers import make_user

# Inside the demo municipality (Gran, Hadeland), away from its edges.
AREA = box(10.555, 60.36, 10.565, 60.365)


@pytest.fixture
def editor(app: Flask) -> FlaskClient:
    with app.app_context():
        session = get_db(app).session()
        demo = get_municipality(session, "demo")
        make_user(session, "kari@demo.test", Role.EDITOR, demo)
        make_user(session, "ola@demo.test", Role.EDITOR, demo)
        session.commit()
    client = app.test_client()
    log_in(client, "kari@demo.test")
    return client


def _new_draft(client: FlaskClient, title: str = "Vannlekkasje i Storgata") -> int:
    token = csrf_token(client, "/staff/demo/incidents/new")
    answer = client.post(
        "/staff/demo/incidents/new",
        data={
            "csrf_token": token,
            "kind": "shutdown",
            "title_nb": title,
            "summary_nb": "Vannet er stengt.",
            "area": json.dumps(mapping(AREA)),
        },
    )
    assert answer.status_code == 302, answer.get_data(as_text=True)[:2000]
    return int(answer.headers["Location"].rstrip("/").split("/")[-1])


def _version(client: FlaskClient, incident_id: int) -> str:
    page = client.get(f"/staff/demo/incidents/{incident_id}").get_data(as_text=True)
    found = re.search(r'name="version" type="hidden" value="(\d+)"', page)
    assert found, "no version on the page"
    return found.group(1)


def _stored(app: Flask, incident_id: int) -> Incident:
    with app.app_context():
        incident = get_db(app).session().get(Incident, incident_id)
        assert incident is not None
        return incident


def test_draft_publish_update_resolve(app: Flask, editor: FlaskClient) -> None:
    incident_id = _new_draft(editor)
    assert _stored(app, incident_id).status is IncidentStatus.DRAFT
    public = app.test_client().get("/api/v1/demo/incidents.geojson").get_json()
    assert incident_id not in [f["id"] for f in public["features"]]  # a draft is never public

    token = csrf_token(editor, f"/staff/demo/incidents/{incident_id}")
    answer = editor.post(
        f"/staff/demo/incidents/{incident_id}/publish",
        data={"csrf_token": token, "version": _version(editor, incident_id)},
    )
    assert answer.status_code == 302
    assert _stored(app, incident_id).status is IncidentStatus.ACTIVE
    public = app.test_client().get("/api/v1/demo/incidents.geojson").get_json()
    assert incident_id in [f["id"] for f in public["features"]]

    update = {"csrf_token": token, "version": _version(editor, incident_id)}
    update |= {"body_nb": "Reparasjonen er i gang.", "body_en": "Repairs have started."}
    assert (
        editor.post(f"/staff/demo/incidents/{incident_id}/updates", data=update).status_code == 302
    )
    page = app.test_client().get("/demo/?lang=en").get_data(as_text=True)
    assert "Repairs have started." in page

    closing = {"csrf_token": token, "version": _version(editor, incident_id)}
    closing |= {"body_nb": "Vannet er tilbake. Tapp kaldt vann til det er klart."}
    assert (
        editor.post(f"/staff/demo/incidents/{incident_id}/resolve", data=closing).status_code == 302
    )
    stored = _stored(app, incident_id)
    assert stored.status is IncidentStatus.RESOLVED and stored.resolved_at is not None
    with app.app_context():
        actions = (
            get_db(app)
            .session()
            .scalars(
                select(AuditEvent.action).where(
                    AuditEvent.object_type == "incident", AuditEvent.object_id == str(incident_id)
                )
            )
            .all()
        )
    assert {"create", "publish", "resolve"} <= set(actions)


def test_a_second_editor_on_an_old_version_is_refused_and_shown_what_changed(
    app: Flask, editor: FlaskClient
) -> None:
    incident_id = _new_draft(editor)
    other = app.test_client()
    log_in(other, "ola@demo.test")
    seen = _version(other, incident_id)  # both have version 1 open
    token = csrf_token(editor, f"/staff/demo/incidents/{incident_id}")
    first = {
        "csrf_token": token,
        "version": seen,
        "kind": "shutdown",
        "title_nb": "Vannlekkasje i Storgata: stengt til kl. 14",
        "area": json.dumps(mapping(AREA)),
    }
    assert editor.post(f"/staff/demo/incidents/{incident_id}", data=first).status_code == 302
    other_token = csrf_token(other, f"/staff/demo/incidents/{incident_id}")
    second = {**first, "csrf_token": other_token, "title_nb": "Lekkasje: Ola sin tekst"}
    answer = other.post(f"/staff/demo/incidents/{incident_id}", data=second)
    assert answer.status_code == 409
    page = answer.get_data(as_text=True)
    assert "Noen andre har endret hendelsen" in page
    assert "kari@demo.test" in page and "Tittel (bokmål)" in page
    assert "stengt til kl. 14" in page  # what Kari saved, shown in the list of changes
    assert "Lekkasje: Ola sin tekst" in page  # and Ola's text is still in his form
    assert _stored(app, incident_id).title["nb"] == "Vannlekkasje i Storgata: stengt til kl. 14"


def test_a_bad_area_is_explained_and_nothing_is_stored(app: Flask, editor: FlaskClient) -> None:
    bow_tie = {
        "type": "Polygon",
        "coordinates": [
            [[10.55, 60.36], [10.56, 60.37], [10.56, 60.36], [10.55, 60.37], [10.55, 60.36]]
        ],
    }
    token = csrf_token(editor, "/staff/demo/incidents/new")
    answer = editor.post(
        "/staff/demo/incidents/new",
        data={
            "csrf_token": token,
            "kind": "shutdown",
            "title_nb": "Feil",
            "area": json.dumps(bow_tie),
        },
    )
    assert answer.status_code == 400
    assert "crosses itself" in answer.get_data(as_text=True)
    with app.app_context():
        titles = (
            get_db(app)
            .session()
            .scalars(select(Incident.id).where(Incident.title["nb"].as_string() == "Feil"))
            .all()
        )
    assert titles == []


def test_the_template_fills_the_texts_without_saving(app: Flask, editor: FlaskClient) -> None:
    token = csrf_token(editor, "/staff/demo/incidents/new")
    answer = editor.post(
        "/staff/demo/incidents/new",
        data={
            "csrf_token": token,
            "kind": "boil_water",
            "fill_template": "1",
            "area": json.dumps(mapping(AREA)),
        },
    )
    assert answer.status_code == 200
    page = answer.get_data(as_text=True)
    assert "kok" in page.lower() and "{streets}" not in page
    with app.app_context():
        assert (
            get_db(app)
            .session()
            .scalars(select(Incident).where(Incident.status == IncidentStatus.DRAFT))
            .all()
            == []
        )


def test_the_address_list_downloads_for_excel(app: Flask, editor: FlaskClient) -> None:
    incident_id = _new_draft(editor)
    answer = editor.get(f"/staff/demo/incidents/{incident_id}/addresses.csv")
    assert answer.status_code == 200
    assert answer.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert answer.data.startswith(b"\xef\xbb\xbf")
    assert "attachment" in answer.headers["Content-Disposition"]
    assert answer.headers["Cache-Control"] == "no-store"
