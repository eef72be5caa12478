"""Several schedulers at once (gunicorn workers, cron): each transition happens exactly once.

These need committed data that other connections see, so each test gets a database of its own,
on SQLite and on PostGIS, instead of the rolled-back session of the other tests.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter
from collections.abc import Callable
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from statusmap.engine import begin_writing
from statusmap.engine import make_engine
from statusmap.incidents.background import BackgroundScheduler
from statusmap.incidents.scheduler import Transition
from statusmap.incidents.scheduler import apply_due
from statusmap.incidents.scheduler import find_due
from statusmap.incidents.scheduler import tick
from statusmap.migrations import upgrade
from statusmap.models import AuditEvent
from statusmap.models import Incident
from statusmap.models import IncidentRevision
from statusmap.models import IncidentStatus
from statusmap.models import IncidentUpdate
from statusmap.models.base import utcnow
from tests.conftest import new_postgis_database
from tests.factories import make_municipality
from tests.integration.test_gunicorn import _environment
from tests.integration.test_gunicorn import _serving
from tests.integration.test_scheduler import planned

RUNNERS = 6
HOUR = timedelta(hours=1)


@pytest.fixture(params=["sqlite", "postgis"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of a new, migrated database of each backend."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'scheduler.sqlite3'}"
        _migrate(url)
        yield url
        return
    with new_postgis_database(request.getfixturevalue("postgis_server")) as url:
        _migrate(url)
        yield url


def _migrate(url: str) -> None:
    engine = make_engine(url)
    with engine.begin() as conn:
        upgrade(conn)
    engine.dispose()


def _due_incidents(url: str, activations: int, resolutions: int) -> list[int]:
    """Committed incidents: some whose start has passed, some past their expected end."""
    engine = make_engine(url)
    now = utcnow()
    with Session(engine) as session:
        town = make_municipality(session)
        made = [
            planned(session, town, IncidentStatus.SCHEDULED, now - HOUR) for _ in range(activations)
        ]
        made += [
            planned(session, town, IncidentStatus.ACTIVE, now - 3 * HOUR, now - HOUR, True)
            for _ in range(resolutions)
        ]
        session.commit()
        ids = [incident.id for incident in made]
    engine.dispose()
    return ids


def _at_once(url: str, work: Callable[[Session, threading.Barrier], list[Transition]]) -> list:
    """Run work in RUNNERS threads, each with an engine of its own, released together."""
    barrier = threading.Barrier(RUNNERS)
    results: list[Transition] = []
    errors: list[BaseException] = []

    def runner() -> None:
        engine = make_engine(url)
        try:
            with Session(engine) as session:
                results.extend(work(session, barrier))
        except BaseException as exc:  # reported by the test
            errors.append(exc)
        finally:
            engine.dispose()

    threads = [threading.Thread(target=runner) for _ in range(RUNNERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == [] and not any(thread.is_alive() for thread in threads)
    return results


def _counts(url: str, column: object, *where: object) -> Counter[int]:
    """How many rows there are for each value of an id column (as an int)."""
    engine = make_engine(url)
    with Session(engine) as session:
        found = Counter(int(value) for value in session.scalars(select(column).where(*where)))
    engine.dispose()
    return found


def _each_once(url: str, ids: list[int], action: str) -> None:
    """One audit row, one revision by the scheduler, per incident: nothing applied twice."""
    audit = _counts(url, AuditEvent.object_id, AuditEvent.action == action)
    saved = _counts(
        url,
        IncidentRevision.incident_id,
        IncidentRevision.action == action,
        IncidentRevision.actor == "scheduler",
    )
    assert audit == Counter(dict.fromkeys(ids, 1))
    assert saved == Counter(dict.fromkeys(ids, 1))


def test_runners_ticking_at_once_apply_each_transition_once(database: str) -> None:
    ids = _due_incidents(database, activations=4, resolutions=3)

    def work(session: Session, barrier: threading.Barrier) -> list[Transition]:
        barrier.wait()
        return tick(session, utcnow())

    done = _at_once(database, work)
    assert Counter(t.incident_id for t in done) == Counter(dict.fromkeys(ids, 1))
    _each_once(database, ids[:4], "activate")
    _each_once(database, ids[4:], "resolve")
    closings = _counts(database, IncidentUpdate.incident_id)
    assert closings == Counter(dict.fromkeys(ids[4:], 1))


def test_runners_that_all_found_the_same_work_apply_it_once(database: str) -> None:
    """Every runner reads the due list before any writes: the version guard alone decides."""
    ids = _due_incidents(database, activations=3, resolutions=2)

    def work(session: Session, barrier: threading.Barrier) -> list[Transition]:
        now = utcnow()
        due = find_due(session, now)
        session.rollback()
        barrier.wait()  # all have read; now all write the same list
        begin_writing(session)
        applied = [apply_due(session, item, now) for item in due]
        session.commit()
        return [transition for transition in applied if transition is not None]

    done = _at_once(database, work)
    assert sorted(t.incident_id for t in done) == sorted(ids)
    _each_once(database, ids[:3], "activate")
    _each_once(database, ids[3:], "resolve")


class _Seen(logging.Handler):
    """Sets an event when the scheduler logs the line an operator would look for."""

    def __init__(self, wanted: str) -> None:
        super().__init__()
        self.wanted, self.event = wanted, threading.Event()

    def emit(self, record: logging.LogRecord) -> None:
        if self.wanted in record.getMessage():
            self.event.set()


def test_the_background_scheduler_activates_an_incident_and_logs_it(database: str) -> None:
    (incident_id,) = _due_incidents(database, activations=1, resolutions=0)
    seen = _Seen(f"activated incident {incident_id} (Plan), version 2")
    logger = logging.getLogger("statusmap.scheduler")
    logger.addHandler(seen)
    logger.setLevel(logging.INFO)
    engine = make_engine(database)
    scheduler = BackgroundScheduler(engine, interval_s=0.05).start()
    try:
        assert seen.event.wait(timeout=30), "the scheduler never activated the incident"
    finally:
        scheduler.stop()
        logger.removeHandler(seen)
        logger.setLevel(logging.NOTSET)
    assert not scheduler.running
    with Session(engine) as session:
        assert session.get_one(Incident, incident_id).status is IncidentStatus.ACTIVE
    engine.dispose()


def test_a_failing_tick_is_logged_and_the_thread_carries_on(tmp_path: Path, caplog) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'no-schema.sqlite3'}")  # never migrated
    scheduler = BackgroundScheduler(engine, interval_s=60)
    with caplog.at_level(logging.ERROR, logger="statusmap.scheduler"):
        assert scheduler.tick_once() == []
    assert "Scheduler tick failed; trying again in 60 s." in caplog.text
    assert "no such table: incident" in caplog.text
    engine.dispose()


def _status(url: str, incident_id: int) -> IncidentStatus:
    engine = make_engine(url)
    with Session(engine) as session:
        status = session.get_one(Incident, incident_id).status
    engine.dispose()
    return status


def test_gunicorn_workers_activate_a_due_incident_once(database: str, tmp_path: Path) -> None:
    """Two workers, each with its scheduler ticking every second, as the Procfile runs them."""
    (incident_id,) = _due_incidents(database, activations=1, resolutions=0)
    env = _environment(database, STATUSMAP_SECRET_KEY="k", STATUSMAP_SCHEDULER_INTERVAL_S="1")
    log = tmp_path / "gunicorn.log"
    with _serving(log, env, workers=2):
        deadline = time.monotonic() + 30
        while _status(database, incident_id) is not IncidentStatus.ACTIVE:
            assert time.monotonic() < deadline, f"not activated by gunicorn:\n{log.read_text()}"
            time.sleep(0.1)  # polling the database for the outcome, not waiting for it to happen
    assert log.read_text().count("Booting worker") == 2
    _each_once(database, [incident_id], "activate")
