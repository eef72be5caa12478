"""SQLite writers queue for the write lock instead of failing with "database is locked"."""

from __future__ import annotations

import threading
from pathlib import Path

from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from statusmap.engine import begin_writing
from statusmap.engine import make_engine
from statusmap.migrations import upgrade
from statusmap.models import AuditEvent


def test_a_reader_that_then_writes_waits_for_the_other_writer(tmp_path: Path) -> None:
    """A reads, B writes meanwhile, A writes: with a plain BEGIN, A fails at once.

    BEGIN IMMEDIATE (begin_writing) makes B wait for A's commit instead, and both writes land.
    """
    engine = make_engine(f"sqlite:///{tmp_path / 'c.sqlite3'}")
    with engine.begin() as conn:
        upgrade(conn)
    sessions = sessionmaker(engine)
    errors: list[BaseException] = []
    b_done = threading.Event()

    def other_writer() -> None:
        try:
            with sessions() as b:
                begin_writing(b)
                b.add(AuditEvent(actor="b", action="test", object_type="t", details={}))
                b.commit()
        except BaseException as exc:  # reported to the test below
            errors.append(exc)
        finally:
            b_done.set()

    with sessions() as a:
        begin_writing(a)
        seen = a.scalar(select(func.count(AuditEvent.id)))
        writer = threading.Thread(target=other_writer)
        writer.start()
        b_done.wait(timeout=1.0)  # with a plain BEGIN, B commits here; else it waits for A
        a.add(AuditEvent(actor="a", action="test", object_type="t", details={"seen": seen}))
        a.commit()
    writer.join(timeout=10)
    assert errors == []
    with sessions() as check:
        actors = sorted(check.scalars(select(AuditEvent.actor)))
    assert actors == ["a", "b"]
    engine.dispose()


def test_an_import_holds_the_write_lock_only_while_it_writes(tmp_path: Path, monkeypatch) -> None:
    """Reading and checking a big file takes minutes; other writers must not wait for that."""
    import sqlite3

    import statusmap.addresses.importer as importer
    from statusmap import create_app
    from tests.conftest import DATA
    from tests.factories import make_municipality

    path = tmp_path / "lock.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        upgrade(conn)
    with sessionmaker(engine)() as setup:
        make_municipality(setup)
        setup.commit()
    engine.dispose()
    free_while_reading: list[bool] = []
    prepare = importer.prepare_addresses

    def probing(*args, **kwargs):  # type: ignore[no-untyped-def]
        other = sqlite3.connect(path, timeout=0, isolation_level=None)
        try:
            other.execute("BEGIN IMMEDIATE")
            other.execute("ROLLBACK")
            free_while_reading.append(True)
        except sqlite3.OperationalError:
            free_while_reading.append(False)
        finally:
            other.close()
        return prepare(*args, **kwargs)

    monkeypatch.setattr(importer, "prepare_addresses", probing)
    app = create_app({"DATABASE_URL": f"sqlite:///{path}", "SECRET_KEY": "t", "TESTING": True})
    args = ["import-addresses", str(DATA / "matrikkelen-adresse-sample.csv")]
    result = app.test_cli_runner().invoke(args=[*args, "--municipality", "kristiansand"])
    assert result.exit_code == 0, result.output
    assert free_while_reading == [True], "no write lock while the file is read"
