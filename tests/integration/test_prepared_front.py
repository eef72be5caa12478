"""The front of prepared reads (statusmap/prepared_front.py): a repeated public read is answered
before Flask, with the bytes Flask gave the same request, until the change stamp moves on; a
staff session, a write or another language never gets someone else's answer."""

from __future__ import annotations

import gzip
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from flask import Flask
from flask import request_started
from shapely.geometry import box

from statusmap.db import get_db
from statusmap.models import Role
from statusmap.municipalities import get_municipality
from tests.conftest import rolled_back_app
from tests.factories import make_incident
from tests.integration.test_staff_admin import _settings
from tests.staff_helpers import demo_staff_client

PAGE = "/demo/"
AREA = box(10.56, 60.35, 10.57, 60.36)


@contextmanager
def _fronted(database_url: str, ttl_s: float) -> Iterator[tuple[Flask, list[str]]]:
    with rolled_back_app(database_url, PUBLIC_STAMP_TTL_S=ttl_s) as app:
        reached: list[str] = []

        def seen(sender: Flask, **_extra: object) -> None:
            from flask import request

            reached.append(request.path)

        request_started.connect(seen, app)
        try:
            yield app, reached
        finally:
            request_started.disconnect(seen, app)


@pytest.fixture
def fronted(database_url: str) -> Iterator[tuple[Flask, list[str]]]:
    """An app whose workers read the stamp at most every 0.5 s, and the paths Flask handled."""
    with _fronted(database_url, 0.5) as made:
        yield made


@pytest.fixture
def patient(database_url: str) -> Iterator[tuple[Flask, list[str]]]:
    """The same with a stamp read at most every 60 s: only a forget makes a worker look again
    (however slowly a busy machine runs the test)."""
    with _fronted(database_url, 60) as made:
        yield made


def _publish(app: Flask, title: str) -> None:
    with app.app_context():
        session = get_db(app).session()
        municipality = get_municipality(session, "demo")
        assert municipality is not None
        make_incident(session, municipality, AREA, title=title)
        session.commit()


def test_a_repeated_read_is_answered_before_flask(fronted) -> None:
    app, reached = fronted
    client = app.test_client()
    for url in (PAGE, "/api/v1/demo/incidents.geojson", "/api/v1/demo/changes"):
        first = client.get(url)
        reached.clear()
        again = [client.get(url) for _ in range(5)]
        assert reached == [], f"{url} reached Flask again"
        assert all(a.data == first.data and a.headers == first.headers for a in again)
        head = client.head(url)
        assert head.status_code == 200 and head.data == b"" and reached == []


def test_a_client_holding_the_copy_gets_304_from_the_front(fronted) -> None:
    app, reached = fronted
    client = app.test_client()
    first = client.get(PAGE, headers={"Accept-Encoding": "gzip"})
    reached.clear()
    again = client.get(
        PAGE, headers={"Accept-Encoding": "gzip", "If-None-Match": first.headers["ETag"]}
    )
    assert again.status_code == 304 and again.data == b"" and reached == []
    assert again.headers["ETag"] == first.headers["ETag"]
    assert again.headers["Cache-Control"] == first.headers["Cache-Control"]


def test_languages_and_encodings_each_get_their_own_answer(fronted) -> None:
    app, _reached = fronted
    client = app.test_client()
    asked = [
        ({}, "nb"),
        ({"Accept-Language": "en-GB,en;q=0.8"}, "en"),
        ({"Accept-Language": "nn"}, "nn"),
    ]
    for _round in range(2):  # the second round comes from the front
        for headers, language in asked:
            assert f'<html lang="{language}">' in client.get(PAGE, headers=headers).text
        client.set_cookie("statusmap_lang", "en")
        assert '<html lang="en">' in client.get(PAGE, headers={"Accept-Language": "nn"}).text
        client.delete_cookie("statusmap_lang")
        packed = client.get(PAGE, headers={"Accept-Encoding": "gzip"})
        assert packed.headers["Content-Encoding"] == "gzip"
        assert '<html lang="nb">' in gzip.decompress(packed.data).decode()
        assert "Content-Encoding" not in client.get(PAGE).headers


def test_a_staff_session_always_reaches_flask(fronted) -> None:
    app, reached = fronted
    client = app.test_client()
    client.get(PAGE)
    client.set_cookie("statusmap_session", "anything")
    reached.clear()
    client.get(PAGE)
    client.get(PAGE)
    assert reached == [PAGE, PAGE]


def test_a_change_shows_once_the_stamp_is_read_again(fronted) -> None:
    app, reached = fronted
    client = app.test_client()
    client.get(PAGE)
    _publish(app, "Stengt i Fronttestgata")
    time.sleep(0.6)  # every worker reads the stamp again within PUBLIC_STAMP_TTL_S
    assert "Stengt i Fronttestgata" in client.get(PAGE).text
    reached.clear()
    assert "Stengt i Fronttestgata" in client.get(PAGE).text
    assert reached == []


def test_a_write_through_this_worker_shows_at_once(patient) -> None:
    """A change answered by this worker (an admin's new phone number for the page) forgets its
    stamps, so the next read anywhere shows it; a resident's report, which changes no public
    answer, does not, and the page is still answered before Flask."""
    app, reached = patient
    resident = app.test_client()
    resident.get(PAGE)
    sent = resident.post(
        "/api/v1/demo/reports", json={"kind": "leak_seen", "lat": 60.345, "lon": 10.52}
    )
    assert sent.status_code == 201
    reached.clear()
    assert resident.get(PAGE).status_code == 200 and reached == []
    admin = demo_staff_client(app, "admin@front.test", Role.ADMIN)
    changed = admin.post(
        "/staff/demo/admin/settings", data=_settings(admin, contact_phone="+47 61 33 99 99")
    )
    assert changed.status_code == 302
    assert "+47 61 33 99 99" in resident.get(PAGE).text
