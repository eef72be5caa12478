"""1,000 reports sent at once from several processes (threads in each) to gunicorn with two
workers: every one stored exactly once, with its own kind and text, and no 5xx; SQLite and
PostGIS each on a database of its own."""

from __future__ import annotations

import time
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from statusmap.engine import make_engine
from statusmap.models import Report
from tests.factories import make_municipality
from tests.integration.report_clients import report_body
from tests.integration.report_clients import send_reports
from tests.integration.test_gunicorn import _environment
from tests.integration.test_gunicorn import _serving
from tests.integration.test_scheduler_concurrency import database  # noqa: F401  (a fixture)

REPORTS = 1000
HERE = (8.07, 58.14)  # inside the Kristiansand test box


def _with_a_municipality(url: str) -> None:
    engine = make_engine(url)
    with Session(engine) as session:
        make_municipality(session)
        session.commit()
    engine.dispose()


def _stored(url: str) -> list[tuple[str, str, int]]:
    engine = make_engine(url)
    with Session(engine) as session:
        rows = [(r.text, r.kind.value, r.repeats) for r in session.scalars(select(Report))]
    engine.dispose()
    return rows


def test_a_thousand_concurrent_reports_are_each_stored_once(
    database: str,  # noqa: F811
    tmp_path: Path,
) -> None:
    _with_a_municipality(database)
    env = _environment(
        database,
        STATUSMAP_SECRET_KEY="the same on every host",
        STATUSMAP_PROXY_COUNT="1",
        STATUSMAP_REPORT_LIMIT_PER_CLIENT="1000/minute",
        STATUSMAP_REPORT_LIMIT_PER_AREA="100000/minute",
    )
    started = time.monotonic()
    with _serving(tmp_path / "gunicorn.log", env, workers=2) as address:
        url = f"{address}/api/v1/kristiansand/reports"
        statuses = send_reports(url, REPORTS, *HERE, processes=4, threads=8)
    assert time.monotonic() - started < 240, "bounded in time"
    assert statuses == {201: REPORTS}, statuses
    rows = _stored(database)
    assert len(rows) == REPORTS
    expected = {
        str(report_body(n, *HERE)["text"]): str(report_body(n, *HERE)["kind"])
        for n in range(REPORTS)
    }
    assert {text: kind for text, kind, _ in rows} == expected
    assert all(repeats == 0 for *_, repeats in rows)
