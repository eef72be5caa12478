"""Staff's subscriber page: counts, an exact search, the vulnerable flag, export and delete, each
audited with masked contacts; viewers and other municipalities' staff are refused."""

from __future__ import annotations

import json

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from statusmap.models import AuditEvent
from statusmap.models import Role
from statusmap.models import Subscriber
from statusmap.models.address import VulnerableCategory
from statusmap.models.base import utcnow
from statusmap.municipalities import get_municipality
from statusmap.notify.subscriber_import import import_subscribers
from tests.factories import make_municipality
from tests.html_tree import parse
from tests.integration.subscription_helpers import db_session
from tests.staff_helpers import csrf_token
from tests.staff_helpers import demo_staff_client
from tests.staff_helpers import log_in
from tests.staff_helpers import make_user

PAGE = "/staff/demo/abonnenter"
LIST = (
    "address;phone;email;channels;vulnerable;note\n"
    "Møllegata 5;91234567;;sms,voice;;\n"
    "Møllegata 7;;kari@example.no;email;nursing_home;Gran sjukeheim\n"
    "Møllegata 9;41234567;ola@example.no;sms,email;;\n"
)


@pytest.fixture
def listed(app: Flask) -> dict[str, int]:
    """Three imported subscribers in demo, one in another municipality; their ids."""
    with db_session(app) as session:
        demo = get_municipality(session, "demo")
        assert demo is not None
        import_subscribers(session, demo.id, LIST.encode(), actor="test", now=utcnow())
        other = make_municipality(session, slug="annen", kommunenummer="4215")
        stranger = Subscriber(municipality_id=other.id, phone="+4799999999", token="t-annen")
        session.add(stranger)
        make_user(session, "editor@annen.test", Role.EDITOR, other)
        session.commit()
        ids = {s.phone or s.email or "": s.id for s in session.scalars(select(Subscriber))}
        return ids


def _search(client: FlaskClient, typed: str):  # type: ignore[no-untyped-def]
    return client.post(PAGE, data={"csrf_token": csrf_token(client, PAGE), "kontakt": typed})


def _audit(app: Flask, action: str) -> list[AuditEvent]:
    with db_session(app) as session:
        rows = list(session.scalars(select(AuditEvent).where(AuditEvent.action == action)))
        session.expunge_all()
        return rows


def test_counts_and_an_exact_search_show_one_subscriber_masked(
    app: Flask, listed: dict[str, int]
) -> None:
    client = demo_staff_client(app, "editor@demo.test", Role.EDITOR)
    page = parse(client.get(PAGE).get_data(as_text=True))
    counts = {
        dd.attrs["data-count"]: dd.text() for dd in page.find_all("dd") if "data-count" in dd.attrs
    }
    assert counts == {
        "confirmed": "3",
        "pending": "0",
        "sms": "2",
        "voice": "1",
        "email": "2",
        "vulnerable": "1",
        "addresses": "3",
    }
    assert _search(client, "4123456").status_code == 200  # not the whole number: nothing
    found = _search(client, "412 34 567")
    assert found.status_code == 303
    assert "91234567" not in found.headers["Location"] and "abonnent=" in found.headers["Location"]
    shown = client.get(found.headers["Location"]).get_data(as_text=True)
    assert "Møllegata 9, 2750 Gran" in shown and "+47 4••• ••67" in shown
    assert "o•••@example.no" in shown and "Møllegata 5" not in shown


def test_an_editor_flags_and_exports_and_only_an_admin_deletes(
    app: Flask, listed: dict[str, int]
) -> None:
    editor = demo_staff_client(app, "editor@demo.test", Role.EDITOR)
    ola = {"subscriber_id": str(listed["+4741234567"])}
    token = csrf_token(editor, PAGE)
    flagged = editor.post(
        f"{PAGE}/sarbar",
        data={"csrf_token": token, **ola, "category": "dialysis", "note": "Dialyse"},
    )
    assert flagged.status_code == 303
    exported = editor.post(f"{PAGE}/eksport", data={"csrf_token": token, **ola})
    assert exported.headers["Content-Disposition"].startswith("attachment")
    data = json.loads(exported.get_data(as_text=True))
    assert data["phone"] == "+4741234567" and data["vulnerable_category"] == "dialysis"
    assert editor.post(f"{PAGE}/slett", data={"csrf_token": token, **ola}).status_code == 403
    admin = demo_staff_client(app, "admin@demo.test", Role.ADMIN)
    deleted = admin.post(f"{PAGE}/slett", data={"csrf_token": csrf_token(admin, PAGE), **ola})
    assert deleted.status_code == 303
    with db_session(app) as session:
        assert session.get(Subscriber, listed["+4741234567"]) is None
    rows = [*_audit(app, "flag_vulnerable"), *_audit(app, "export_subscriber")]
    rows += _audit(app, "delete_subscriber")
    assert [r.details["phone"] for r in rows] == ["+47 4••• ••67"] * 3
    assert all("41234567" not in json.dumps(r.details) for r in rows)
    assert rows[0].details["category"] == VulnerableCategory.DIALYSIS.value


def test_viewers_and_other_municipalities_are_refused(app: Flask, listed: dict[str, int]) -> None:
    viewer = demo_staff_client(app, "viewer@demo.test", Role.VIEWER)
    assert viewer.get(PAGE).status_code == 403
    other = app.test_client()
    log_in(other, "editor@annen.test")
    assert other.get(PAGE).status_code == 404
    token = csrf_token(other, "/staff/annen/abonnenter")
    demo_one = {"csrf_token": token, "subscriber_id": str(listed["+4791234567"])}
    # Their own page with demo's subscriber: not theirs either.
    assert other.get(f"/staff/annen/abonnenter?abonnent={listed['+4791234567']}").status_code == 404
    answer = other.post("/staff/annen/abonnenter/eksport", data=demo_one)
    assert answer.status_code == 404
    demo_search = {"csrf_token": token, "kontakt": "91234567"}
    assert other.post(PAGE, data=demo_search).status_code == 404  # demo's page
    mine = other.post("/staff/annen/abonnenter", data={"csrf_token": token, "kontakt": "91234567"})
    assert mine.status_code == 200 and "Ingen abonnent" in mine.get_data(as_text=True)
    assert _audit(app, "export_subscriber") == []
