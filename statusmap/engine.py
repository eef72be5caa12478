"""Engines for the two storage backends, embedded SQLite and PostgreSQL + PostGIS. No Flask here."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection
from sqlalchemy import Engine
from sqlalchemy import create_engine
from sqlalchemy import event
from sqlalchemy.orm import Session

from statusmap.gis.spatial_index import SQLITE_BBOX_FUNCTION
from statusmap.gis.spatial_index import sqlite_bbox

# Execution option read when SQLite begins a transaction: "IMMEDIATE" for writers.
SQLITE_BEGIN = "statusmap_sqlite_begin"
WRITING = {SQLITE_BEGIN: "IMMEDIATE"}


def is_postgis(bind: Engine | Any) -> bool:
    """Tell whether a bind (engine, connection or session bind) talks to PostgreSQL."""
    return bool(bind.dialect.name == "postgresql")


def make_engine(url: str, **kwargs: Any) -> Engine:
    """Create an engine for either backend with the settings each needs.

    Every process that opens the database through here (the app, the CLI, scripts, tests) moves
    the public change stamp on its writes: the listener is the same for all of them.
    """
    from statusmap.changes import track_public_changes

    track_public_changes()
    if url.startswith("sqlite"):
        engine = create_engine(url, **kwargs)
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    return create_engine(url, plugins=["geoalchemy2"], pool_pre_ping=True, **kwargs)


def begin_writing(session: Session) -> None:
    """Start the session's transaction as a writer, before its first query.

    On SQLite a plain BEGIN makes a read-then-write transaction fail at once ("database is
    locked", whatever the busy timeout) when another connection wrote in between; BEGIN IMMEDIATE
    takes the write lock up front, so concurrent writers wait their turn. PostgreSQL needs nothing.
    A session bound to a connection whose transaction someone else began (tests) is left as it is.
    """
    if isinstance(session.get_bind(), Connection):
        return
    if session.in_transaction():
        raise RuntimeError("begin_writing() must come before the session's first statement")
    session.connection(execution_options=WRITING)


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy, not the sqlite3 module, decide when transactions begin, so that
    # SAVEPOINTs and transactional DDL (migrations) work as on PostgreSQL.
    dbapi_connection.isolation_level = None
    # The spatial-index triggers read bounding boxes from WKB through this function.
    dbapi_connection.create_function(SQLITE_BBOX_FUNCTION, 2, sqlite_bbox, deterministic=True)
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def _sqlite_begin(connection: Any) -> None:
    mode = connection.get_execution_options().get(SQLITE_BEGIN, "DEFERRED")
    connection.exec_driver_sql(f"BEGIN {'IMMEDIATE' if mode == 'IMMEDIATE' else 'DEFERRED'}")
