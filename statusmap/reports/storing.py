"""Writing a new report row: in one statement when the client has no recent report of its kind.

Most reports are a client's first of their kind within the repeat window. For those, asking
"any earlier ones?" and inserting are one INSERT ... SELECT ... WHERE NOT EXISTS with RETURNING:
one round trip, no unit of work. Only when the client has such reports does the caller ask which
lie close enough to be repeats (in Python, the same on both backends), then insert or merge.

The row is inserted by SQLAlchemy Core and then attached to the session as the persistent
Report it is, so callers read it as any loaded report (no query to read it back).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import Table
from sqlalchemy import bindparam
from sqlalchemy import exists
from sqlalchemy import insert
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm import make_transient_to_detached
from sqlalchemy.sql.expression import Executable

from statusmap.engine import begin_writing
from statusmap.models import Report

REFERENCE_ATTEMPTS = 5
_TABLE: Table = Report.__table__  # type: ignore[assignment]
# The columns' own scalar defaults (repeats 0, ...): what a new row holds where it names nothing.
_DEFAULTS = {
    column.key: column.default.arg  # type: ignore[attr-defined]
    for column in _TABLE.c
    if column.default is not None and column.default.is_scalar
}
_PLAIN = insert(_TABLE).returning(_TABLE.c.id)  # the values come with each execution


def insert_unless_recent(
    session: Session, make: Callable[[], dict[str, Any]], *, since: datetime
) -> Report | None:
    """Insert the row `make()` gives unless its client has a report of its kind made since
    `since` in its municipality; the stored Report, or None (nothing written)."""

    def run(values: dict[str, Any]) -> Any:
        given = {f"new_{k}": v for k, v in values.items()} | {"since": since}
        given |= {f"earlier_{k}": values[k] for k in ("municipality_id", "client_key", "kind")}
        return session.connection().execute(_unless_recent(tuple(values)), given)

    return _with_free_reference(session, make, run)


@functools.lru_cache(maxsize=16)
def _unless_recent(columns: tuple[str, ...]) -> Executable:
    """INSERT ... SELECT ... WHERE NOT EXISTS for rows naming `columns`, built once and then
    only executed with new values (SQLAlchemy compiles it once per backend)."""

    def given(prefix: str, name: str) -> Any:
        return bindparam(f"{prefix}_{name}", type_=_TABLE.c[name].type)

    earlier = exists().where(  # parameters of their own: PostgreSQL types each use apart
        *(
            _TABLE.c[name] == given("earlier", name)
            for name in ("municipality_id", "client_key", "kind")
        ),
        _TABLE.c.created_at >= bindparam("since", type_=_TABLE.c.created_at.type),
    )
    row = select(*(given("new", name) for name in columns)).where(~earlier)
    return insert(_TABLE).from_select(list(columns), row).returning(_TABLE.c.id)


def insert_report(session: Session, make: Callable[[], dict[str, Any]]) -> Report:
    """Insert the row `make()` gives; the stored Report."""
    stored = _with_free_reference(
        session, make, lambda values: session.connection().execute(_PLAIN, values)
    )
    assert stored is not None  # a plain INSERT always returns its row
    return stored


def _with_free_reference(
    session: Session, make: Callable[[], dict[str, Any]], run: Callable[[dict[str, Any]], Any]
) -> Report | None:
    """Run the insert on `make()`'s values; on a clash of references, roll back and try a new one.

    The unique constraint is the check (no query per report to ask whether a reference exists),
    so the caller must have written nothing before in this transaction.
    """
    for _attempt in range(REFERENCE_ATTEMPTS):
        values = make()
        try:
            found = run(values).scalar_one_or_none()
        except IntegrityError as exc:
            if "reference" not in str(exc.orig):
                raise
            session.rollback()
            begin_writing(session)  # SQLite: as a writer again, as the request began
            continue
        return None if found is None else _attached(session, found, values)
    raise RuntimeError(f"No free report reference in {REFERENCE_ATTEMPTS} attempts.")


def _attached(session: Session, report_id: int, values: dict[str, Any]) -> Report:
    """The stored row as a persistent Report in the session, built from what was written
    (with the columns' own defaults for what the row did not name)."""
    report = Report(id=report_id, **(_DEFAULTS | values))
    make_transient_to_detached(report)
    session.add(report)
    return report
