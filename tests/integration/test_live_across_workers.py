"""A change made anywhere (another host, the command line) reaches every gunicorn worker within
the change stamp's lifetime, though each worker keeps its public answers: the stamp lives in the
database, and each worker reads it again at least once a second."""

from __future__ import annotations

import json
import time
import urllib.request
from pathlib import Path

from shapely.geometry import box
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from statusmap.engine import make_engine
from statusmap.municipalities import get_municipality
from tests.factories import make_incident
from tests.factories import make_municipality
from tests.integration.test_gunicorn import _environment
from tests.integration.test_gunicorn import _serving
from tests.integration.test_scheduler_concurrency import database  # noqa: F401  (a fixture)

TITLE = "Stengt vann i Arbeidergata (fra en annen vert)"


def _get(url: str) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=30) as answer:
        return answer.status, answer.read().decode()


def _serials(address: str, slug: str, times: int) -> set[int]:
    return {json.loads(_get(f"{address}/api/v1/{slug}/changes")[1])["serial"] for _ in range(times)}


def test_a_change_elsewhere_reaches_every_worker_within_seconds(
    database: str,  # noqa: F811
    tmp_path: Path,
) -> None:
    engine = make_engine(database)
    try:
        _change_while_serving(engine, database, tmp_path)
    finally:
        engine.dispose()


def _change_while_serving(engine: Engine, url: str, tmp_path: Path) -> None:
    with Session(engine) as session:
        slug = make_municipality(session).slug
        session.commit()
    env = _environment(url, STATUSMAP_SECRET_KEY="k", STATUSMAP_SCHEDULER_INTERVAL_S="0")
    with _serving(tmp_path / "gunicorn.log", env, workers=2) as address:
        page = f"{address}/{slug}/"
        for _ in range(40):  # both workers keep the page and the stamp
            assert _get(page)[0] == 200
        (before,) = _serials(address, slug, 20)
        with Session(engine) as session:  # as another host writes: not through these workers
            town = get_municipality(session, slug)
            assert town is not None
            make_incident(session, town, box(8.06, 58.13, 8.07, 58.14), title=TITLE)
            session.commit()
        deadline = time.monotonic() + 5
        while not all(TITLE in _get(page)[1] for _ in range(20)):
            assert time.monotonic() < deadline, "a worker still hands out the old page"
            time.sleep(0.2)
        # A worker may have rebuilt its page on the old stamp's last second (a kept answer also
        # expires on its own); its stamp is then read again within PUBLIC_STAMP_TTL_S.
        while _serials(address, slug, 20) != {before + 1}:
            assert time.monotonic() < deadline, "a worker still tells the old stamp"
            time.sleep(0.2)
