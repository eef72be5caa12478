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
