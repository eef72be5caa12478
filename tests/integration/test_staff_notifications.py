"""Notifications through the staff pages: the audience chosen on publish/resolve/edit, the
preview before sending, the test to oneself, and the page of what was sent (counts, failures,
resending), for editors of the municipality only."""

from __future__ import annotations

import json
import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from shapely.geometry import box
from shapely.geometry import mapping
from sqlalchemy import select
from sqlalchemy import update

from statusmap.db import get_db
from statusmap.models import Audience
from statusmap.models import AuditEvent
from statusmap.models import EventKind
from statusmap.models import MessageStatus
from statusmap.models import NotificationEvent
from statusmap.models import OutboxMessage
from statusmap.models import Role
from statusmap.models import Variant
from statusmap.models import VulnerableCategory
from statusmap.municipalities import get_municipality
from statusmap.notify.expand import expand_pending
from tests.factories import make_address
from tests.factories import make_municipality
from tests.notify_factories import make_subscriber
from tests.staff_helpers import csrf_token
from tests.staff_helpers import log_in
from tests.staff_helpers import make_user

AREA = box(10.555, 60.36, 10.565, 60.365)
MOVED = box(10.560, 60.36, 10.575, 60.365)


@pytest.fixture
def editor(app: Flask) -> FlaskClient:
    with app.app_context():
        session = get_db(app).session()
        demo = get_municipality(session, "demo")
        make_user(session, "kari@demo.test", Role.EDITOR, demo)
        make_user(session, "vera@demo.test", Role.VIEWER, demo)
        other = make_municipality(session, slug="annenby", kommunenummer="4296")
        make_user(session, "per@annen.test", Role.EDITOR, other)
        west = make_address(session, demo, 10.557, 60.362, "staff-west")  # AREA only
        both = make_address(session, demo, 10.562, 60.362, "staff-both")  # both
        make_subscriber(
            session, demo, [west], phone="+4791100001", email="a@x.no", channels=("sms", "email")
        )
        make_subscriber(
            session,
            demo,
            [both],
            phone="+4791100002",
            channels=("voice",),
            vulnerable=VulnerableCategory.DIALYSIS,
        )
        session.commit()
    client = app.test_client()
    log_in(client, "kari@demo.test")
    return client


def _new_draft(client: FlaskClient) -> int:
    token = csrf_token(client, "/staff/demo/incidents/new")
    answer = client.post(
        "/staff/demo/incidents/new",
        data={
            "csrf_token": token,
            "kind": "boil_water",
            "title_nb": "Kokepåbud – «Storgata»",
            "summary_nb": "Kok vannet.",
            "area": json.dumps(mapping(AREA)),
        },
    )
    assert answer.status_code == 302, answer.get_data(as_text=True)[:2000]
    return int(answer.headers["Location"].rstrip("/").split("/")[-1])


def _version(client: FlaskClient, incident_id: int) -> str:
    page = client.get(f"/staff/demo/incidents/{incident_id}").get_data(as_text=True)
    found = re.search(r'name="version" type="hidden" value="(\d+)"', page)
    assert found
    return found.group(1)


def _events(app: Flask, incident_id: int) -> list[NotificationEvent]:
    with app.app_context():
        query = select(NotificationEvent).where(NotificationEvent.incident_id == incident_id)
        return list(get_db(app).session().scalars(query.order_by(NotificationEvent.id)))


def _expand(app: Flask) -> None:
    with app.app_context():
        session = get_db(app).session()
        while expand_pending(session, limit=5, base_url="https://vann.example.no"):
            pass


def _post(client: FlaskClient, incident_id: int, action: str, **data: str):  # type: ignore[no-untyped-def]
    token = csrf_token(client, f"/staff/demo/incidents/{incident_id}")
    fields = {"csrf_token": token, "version": _version(client, incident_id), **data}
    return client.post(f"/staff/demo/incidents/{incident_id}/{action}", data=fields)


def test_the_page_shows_the_reach_and_the_sms_before_publishing(editor: FlaskClient) -> None:
    incident_id = _new_draft(editor)
    page = editor.get(f"/staff/demo/incidents/{incident_id}").get_data(as_text=True)
    assert "Et varsel nå når 2 abonnenter i området, av dem 1 sårbare." in page
    assert "SMS: 1 (sårbare: 0)" in page and "Talemelding: 1 (sårbare: 1)" in page
    sms = re.search(r'<blockquote class="sms-preview" lang="nb"><p>(.*?)</p>', page, re.S)
    assert sms and f"/h/{incident_id}" in sms.group(1)
    assert "Kokepåbud - &#34;Storgata&#34;" in sms.group(1)  # no en dash or guillemets in an SMS
    assert "Avmeld: " in sms.group(1) and "/av/…" in sms.group(1)  # each one's own link
    assert "{" not in sms.group(1)
    assert "2 SMS-del(er), tegnsett GSM 03.38." in page


def test_a_viewer_sees_no_preview_and_no_notifications_page(
    app: Flask, editor: FlaskClient
) -> None:
    incident_id = _new_draft(editor)
    viewer = app.test_client()
    log_in(viewer, "vera@demo.test")
    page = viewer.get(f"/staff/demo/incidents/{incident_id}").get_data(as_text=True)
    assert "Varsling av abonnenter" not in page
    assert viewer.get(f"/staff/demo/incidents/{incident_id}/varsler").status_code == 403
    outsider = app.test_client()
    log_in(outsider, "per@annen.test")
    assert outsider.get(f"/staff/demo/incidents/{incident_id}/varsler").status_code == 404
    token = csrf_token(outsider, "/staff/annenby/")
    answer = outsider.post(
        f"/staff/demo/incidents/{incident_id}/varsler/send-igjen", data={"csrf_token": token}
    )
    assert answer.status_code == 404


def test_publish_to_vulnerable_only_then_the_rest(app: Flask, editor: FlaskClient) -> None:
    incident_id = _new_draft(editor)
    assert _post(editor, incident_id, "publish", audience="vulnerable_only").status_code == 302
    [event] = _events(app, incident_id)
    assert event.kind is EventKind.PUBLISHED and event.audience is Audience.VULNERABLE_ONLY
    _expand(app)
    page = editor.get(f"/staff/demo/incidents/{incident_id}/varsler").get_data(as_text=True)
    assert "bare sårbare abonnenter" in page and "1 meldinger." in page
    token = csrf_token(editor, f"/staff/demo/incidents/{incident_id}/varsler")
    answer = editor.post(
        f"/staff/demo/incidents/{incident_id}/varsler/resten",
        data={"csrf_token": token, "event_id": str(event.id)},
    )
    assert answer.status_code == 302
    _expand(app)
    rest = _events(app, incident_id)[-1]
    assert rest.kind is EventKind.RESEND
    with app.app_context():
        got = (
            get_db(app)
            .session()
            .scalars(select(OutboxMessage.recipient).where(OutboxMessage.event_id == rest.id))
        )
        assert sorted(got) == ["+4791100001", "a@x.no"]
    page = editor.get(f"/staff/demo/incidents/{incident_id}/varsler").get_data(as_text=True)
    assert "Send varselet til resten av abonnentene" not in page  # once only


def _move(editor: FlaskClient, incident_id: int):  # type: ignore[no-untyped-def]
    """Save the edit form with the area moved to MOVED (and everything else as it was)."""
    token = csrf_token(editor, f"/staff/demo/incidents/{incident_id}")
    page = editor.get(f"/staff/demo/incidents/{incident_id}").get_data(as_text=True)
    start = re.search(r'name="starts_at" type="datetime-local" value="([^"]+)"', page)
    assert start
    edit = {
        "starts_at": start.group(1),
        "csrf_token": token,
        "version": _version(editor, incident_id),
        "kind": "boil_water",
        "title_nb": "Kokepåbud – «Storgata»",
        "summary_nb": "Kok vannet.",
        "area": json.dumps(mapping(MOVED)),
        "audience": "all",
    }
    return editor.post(f"/staff/demo/incidents/{incident_id}", data=edit)


def test_resolve_and_area_change_from_the_forms_are_announced(
    app: Flask, editor: FlaskClient
) -> None:
    incident_id = _new_draft(editor)
    assert _post(editor, incident_id, "publish").status_code == 302
    assert _move(editor, incident_id).status_code == 302
    closing = {"body_nb": "Vannet er trygt igjen.", "audience": "vulnerable_only"}
    assert _post(editor, incident_id, "resolve", **closing).status_code == 302
    kinds = [(e.kind, e.audience) for e in _events(app, incident_id)]
    assert kinds == [
        (EventKind.PUBLISHED, Audience.ALL),
        (EventKind.AREA_CHANGED, Audience.ALL),
        (EventKind.RESOLVED, Audience.VULNERABLE_ONLY),
    ]
    _expand(app)
    with app.app_context():
        rows = (
            get_db(app)
            .session()
            .execute(
                select(OutboxMessage.recipient, OutboxMessage.variant).where(
                    OutboxMessage.incident_id == incident_id
                )
            )
        )
        assert sorted((r, v.value) for r, v in rows) == sorted(
            [
                ("+4791100001", "new"),
                ("a@x.no", "new"),
                ("+4791100002", "new"),
                ("+4791100001", "no_longer"),
                ("a@x.no", "no_longer"),
                ("+4791100002", "update"),
                ("+4791100002", "resolved"),
            ]
        )


def test_counts_failures_and_resending(app: Flask, editor: FlaskClient) -> None:
    incident_id = _new_draft(editor)
    assert _post(editor, incident_id, "publish").status_code == 302
    _expand(app)
    with app.app_context():
        session = get_db(app).session()
        base = OutboxMessage.incident_id == incident_id
        for channel, status in (("sms", "failed"), ("voice", "uncertain"), ("email", "delivered")):
            session.execute(
                update(OutboxMessage)
                .where(base, OutboxMessage.channel == channel)
                .values(status=status, attempts=3, last_error=f"{channel} gikk galt")
            )
        session.commit()
    page = editor.get(f"/staff/demo/incidents/{incident_id}/varsler").get_data(as_text=True)
    assert "+47******01" in page and "+4791100001" not in page  # masked
    assert "sms gikk galt" in page and "Feilet" in page and "Usikker" in page
    assert re.search(r"<th scope=\"row\">E-post</th>(<td>0</td>){3}<td>1</td>", page)
    token = csrf_token(editor, f"/staff/demo/incidents/{incident_id}/varsler")
    url = f"/staff/demo/incidents/{incident_id}/varsler/send-igjen"
    assert editor.post(url, data={"csrf_token": token}).status_code == 302
    statuses = _statuses(app, incident_id)
    assert statuses == {"sms": ("queued", 0), "voice": ("uncertain", 3), "email": ("delivered", 3)}
    answer = editor.post(url, data={"csrf_token": token, "include_uncertain": "y"})
    assert answer.status_code == 302
    assert _statuses(app, incident_id)["voice"] == ("queued", 0)
    with app.app_context():
        actions = (
            get_db(app)
            .session()
            .scalars(select(AuditEvent.action).where(AuditEvent.action == "notify_resend"))
        )
        assert len(list(actions)) == 2


def _statuses(app: Flask, incident_id: int) -> dict[str, tuple[str, int]]:
    with app.app_context():
        rows = (
            get_db(app)
            .session()
            .execute(
                select(OutboxMessage.channel, OutboxMessage.status, OutboxMessage.attempts).where(
                    OutboxMessage.incident_id == incident_id
                )
            )
        )
        return {c: (s.value, a) for c, s, a in rows}


def test_a_test_to_myself_goes_to_my_address_only(app: Flask, editor: FlaskClient) -> None:
    incident_id = _new_draft(editor)
    token = csrf_token(editor, f"/staff/demo/incidents/{incident_id}")
    answer = editor.post(
        f"/staff/demo/incidents/{incident_id}/varsler/test", data={"csrf_token": token}
    )
    assert answer.status_code == 302
    with app.app_context():
        [message] = (
            get_db(app)
            .session()
            .scalars(select(OutboxMessage).where(OutboxMessage.incident_id == incident_id))
        )
        assert (message.recipient, message.event_id, message.variant) == (
            "kari@demo.test",
            None,
            Variant.TEST,
        )
        assert message.status is MessageStatus.QUEUED
        assert message.subject and message.subject.startswith("TEST: Kokepåbud")
        assert message.body and f"/h/{incident_id}" in message.body
    assert _events(app, incident_id) == []  # a draft: nothing announced
    csrfless = editor.post(f"/staff/demo/incidents/{incident_id}/varsler/test")
    assert csrfless.status_code == 400


def test_the_live_count_while_drawing_says_whom_a_warning_would_reach(
    editor: FlaskClient,
) -> None:
    """Before anything is saved: the map editor's count of an area drawn (or changed) includes
    the subscribers a warning to it would reach, and their messages by channel."""
    token = csrf_token(editor, "/staff/demo/incidents/new")
    answer = editor.post(
        "/staff/demo/area/count",
        json={"area": mapping(AREA)},
        headers={"X-CSRFToken": token},
    )
    assert answer.status_code == 200, answer.get_data(as_text=True)
    assert answer.get_json()["subscribers"] == {
        "total": 2, "vulnerable": 1, "sms": 1, "voice": 1, "email": 1,
    }  # fmt: skip
    west_only = box(10.556, 60.361, 10.558, 60.363)
    answer = editor.post(
        "/staff/demo/area/count", json={"area": mapping(west_only)}, headers={"X-CSRFToken": token}
    )
    assert answer.get_json()["subscribers"]["total"] == 1
