"""Public reads are prepared once per change: a repeated read costs one small query (or none
within the stamp's lifetime), and every public write moves the change stamp so that the next
read is fresh, in every worker."""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

import flask_compress.flask_compress as flask_compress_module
import pytest
from flask import Flask
from shapely.geometry import box
from sqlalchemy import event

from statusmap.changes import read_stamp
from statusmap.db import get_db
from statusmap.incidents.lifecycle import resolve_incident
from statusmap.incidents.operations import add_update
from statusmap.incidents.scheduler import run_due
from statusmap.models import Incident
from statusmap.models import IncidentStatus
from statusmap.models.base import utcnow
from statusmap.municipalities import get_municipality
from statusmap.municipalities import update_municipality
from tests.conftest import rolled_back_app
from tests.factories import make_incident

PAGE = "/demo/"
GEOJSON = "/api/v1/demo/incidents.geojson"
AREA = box(10.56, 60.35, 10.57, 60.36)


@contextmanager
def counted(app: Flask) -> Iterator[list[str]]:
    """The SQL statements the app runs inside the block."""
    statements: list[str] = []
    engine = get_db(app).engine

    def seen(_conn, _cursor, statement, _params, _context, _many) -> None:  # type: ignore[no-untyped-def]
        if not statement.startswith(("SAVEPOINT", "RELEASE", "ROLLBACK")):  # the test's own
            statements.append(statement)

    event.listen(engine, "before_cursor_execute", seen)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", seen)


def _serial(app: Flask) -> int:
    with app.app_context():
        session = get_db(app).session()
        municipality = get_municipality(session, "demo")
        assert municipality is not None
        return read_stamp(session, municipality.id).serial


def _write(app: Flask, change) -> None:  # type: ignore[no-untyped-def]
    with app.app_context():
        session = get_db(app).session()
        municipality = get_municipality(session, "demo")
        assert municipality is not None
        change(session, municipality)
        session.commit()


def test_a_repeated_read_costs_one_query_and_no_rendering(app: Flask) -> None:
    client = app.test_client()
    for url in (PAGE, GEOJSON):
        first = client.get(url)
        with counted(app) as statements:
            again = client.get(url)
        assert again.data == first.data and again.headers["ETag"] == first.headers["ETag"]
        assert len(statements) == 1 and "public_change" in statements[0], statements


@pytest.mark.parametrize("ttl", [30.0])
def test_a_worker_reads_the_stamp_once_per_lifetime(database_url: str, ttl: float) -> None:
    with rolled_back_app(database_url, PUBLIC_STAMP_TTL_S=ttl) as app:
        client = app.test_client()
        client.get(PAGE)
        with counted(app) as statements:
            for _ in range(5):
                assert client.get(PAGE).status_code == 200
        assert statements == []


def test_every_public_write_moves_the_stamp_and_the_next_read_shows_it(app: Flask) -> None:
    client = app.test_client()
    start = _serial(app)
    made: list[Incident] = []
    _write(app, lambda s, m: made.append(make_incident(s, m, AREA, title="Ny stenging")))
    assert _serial(app) == start + 1
    assert "Ny stenging" in client.get(PAGE).get_data(as_text=True)
    incident_id = made[0].id

    def update(session, _m) -> None:  # type: ignore[no-untyped-def]
        incident = session.get_one(Incident, incident_id)
        add_update(
            session,
            incident,
            {"nb": "Graving pågår"},
            expected_version=incident.version,
            actor="test",
        )

    _write(app, update)
    assert _serial(app) == start + 2
    assert "Graving pågår" in client.get(PAGE).get_data(as_text=True)

    def resolve(session, _m) -> None:  # type: ignore[no-untyped-def]
        incident = session.get_one(Incident, incident_id)
        resolve_incident(
            session,
            incident,
            {"nb": "Vannet er tilbake"},
            expected_version=incident.version,
            actor="test",
        )

    _write(app, resolve)
    assert _serial(app) == start + 3
    features = client.get(GEOJSON).get_json()["features"]
    assert incident_id not in [f["id"] for f in features]
    _write(app, lambda s, m: update_municipality(s, m, actor="test", contact_phone="12 34 56 78"))
    assert _serial(app) == start + 4
    assert "12 34 56 78" in client.get(PAGE).get_data(as_text=True)


def test_the_scheduler_moves_the_stamp_when_it_starts_an_incident(app: Flask) -> None:
    made: list[Incident] = []

    def planned(session, municipality) -> None:  # type: ignore[no-untyped-def]
        incident = make_incident(session, municipality, AREA, status=IncidentStatus.SCHEDULED)
        incident.starts_at = utcnow() + timedelta(minutes=5)
        made.append(incident)

    _write(app, planned)
    before = _serial(app)
    _write(app, lambda s, _m: run_due(s, utcnow() + timedelta(minutes=10)))
    assert _serial(app) == before + 1


def test_reading_does_not_move_the_stamp(app: Flask) -> None:
    client = app.test_client()
    before = _serial(app)
    client.get(PAGE)
    client.get(GEOJSON)
    client.get("/api/v1/demo/changes")
    assert _serial(app) == before


def test_the_change_endpoint_is_tiny_and_cacheable(app: Flask) -> None:
    client = app.test_client()
    answer = client.get("/api/v1/demo/changes")
    assert answer.get_json()["serial"] == _serial(app)
    assert len(answer.data) < 100
    assert answer.headers["Cache-Control"] == "public, max-age=3, stale-while-revalidate=3"
    assert (
        client.get(
            "/api/v1/demo/changes", headers={"If-None-Match": answer.headers["ETag"]}
        ).status_code
        == 304
    )
    _write(app, lambda s, m: make_incident(s, m, AREA))
    moved = client.get("/api/v1/demo/changes", headers={"If-None-Match": answer.headers["ETag"]})
    assert moved.status_code == 200 and moved.get_json()["serial"] == _serial(app)
    assert client.get("/api/v1/nowhere/changes").status_code == 404


def test_a_kept_page_is_compressed_once(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    original = flask_compress_module._compress_data

    def counting(app_, data, algorithm):  # type: ignore[no-untyped-def]
        calls.append(algorithm)
        return original(app_, data, algorithm)

    monkeypatch.setattr(flask_compress_module, "_compress_data", counting)
    client = app.test_client()
    bodies = [client.get(PAGE, headers={"Accept-Encoding": "gzip"}).data for _ in range(3)]
    assert calls == ["gzip"]
    assert bodies[0] == bodies[2] and b"Demo" in gzip.decompress(bodies[2])
