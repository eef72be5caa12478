"""Workers claiming at the same moment never get the same message: six claimers, each with an
engine of its own, released together over 600 committed messages, on SQLite and on PostGIS."""

from __future__ import annotations

import threading
from collections import Counter

from sqlalchemy.orm import Session

from statusmap.engine import begin_writing
from statusmap.engine import make_engine
from statusmap.models.base import utcnow
from statusmap.notify import outbox
from tests.fakes.outbox_seed import seed_outbox
from tests.integration.test_scheduler_concurrency import database  # noqa: F401  (a fixture)

CLAIMERS = 6
MESSAGES = 600


def _claim_all(url: str, name: str, barrier: threading.Barrier, claimed: list[int]) -> None:
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            barrier.wait()
            while True:
                begin_writing(session)
                rows = outbox.claim_due(session, name, 7, 60, utcnow())
                ids = [row.id for row in rows]
                session.commit()
                if not ids:
                    return
                claimed.extend(ids)
    finally:
        engine.dispose()


def test_claimers_at_once_each_get_disjoint_messages(database: str) -> None:  # noqa: F811
    engine = make_engine(database)
    with Session(engine) as session:
        seed_outbox(session, inside=MESSAGES, outside=0)
        session.commit()
    engine.dispose()
    barrier = threading.Barrier(CLAIMERS)
    claims: dict[str, list[int]] = {f"w{n}": [] for n in range(CLAIMERS)}
    threads = [
        threading.Thread(target=_claim_all, args=(database, name, barrier, ids))
        for name, ids in claims.items()
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    every = Counter(i for ids in claims.values() for i in ids)
    assert len(every) == MESSAGES and set(every.values()) == {1}, "each claimed exactly once"
    assert sum(1 for ids in claims.values() if ids) > 1, "the claimers shared the work"
