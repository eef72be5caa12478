"""Engines for the two storage backends, embedded SQLite and PostgreSQL + PostGIS. No Flask here."""

from __future__ import annotations

import time
from typing import Any

from sqlalchemy import Connection
from sqlalchemy import Engine
from sqlalchemy import create_engine
from sqlalchemy import event
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import Session

from statusmap.gis.spatial_index import SQLITE_BBOX_FUNCTION
from statusmap.gis.spatial_index import sqlite_bbox

# Execution option read when SQLite begins a transaction: "IMMEDIATE" for writers.
SQLITE_BEGIN = "statusmap_sqlite_begin"
WRITING = {SQLITE_BEGIN: "IMMEDIATE"}
# A pooled PostgreSQL connection idle this long is pinged before use (the server may have gone).
PING_AFTER_IDLE_S = 10.0


def is_postgis(bind: Engine | Any) -> bool:
    """Tell whether a bind (engine, connection or session bind) talks to PostgreSQL."""
    return bool(bind.dialect.name == "postgresql")


def make_engine(url: str, *, ping_only_idle: bool = False, **kwargs: Any) -> Engine:
    """Create an engine for either backend with the settings each needs.

    Every process that opens the database through here (the app, the CLI, scripts, tests) moves
    the public change stamp on its writes: the listener is the same for all of them.

    PostgreSQL connections are pinged at every checkout (pool_pre_ping), so that a restarted
    server costs a long-running process (the notification worker, a CLI job) nothing. The web
    app passes `ping_only_idle`: a ping per request is a round trip per request, so it pings
    only a connection that sat idle for PING_AFTER_IDLE_S (see _ping_if_idle).
    """
    from statusmap.changes import track_public_changes

    track_public_changes()
    if url.startswith("sqlite"):
        engine = create_engine(url, **kwargs)
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    if not ping_only_idle:
        return create_engine(url, plugins=["geoalchemy2"], pool_pre_ping=True, **kwargs)
    engine = create_engine(url, plugins=["geoalchemy2"], **kwargs)
    event.listen(engine, "checkin", _idle_from_now)
    event.listen(engine, "checkout", _ping_if_idle(engine))
    return engine


def _idle_from_now(_dbapi_connection: Any, record: Any) -> None:
    record.info["idle_since"] = time.monotonic()


def _ping_if_idle(engine: Engine) -> Any:
    """A checkout hook: ping a connection that sat idle in the pool, not every one.

    pool_pre_ping would cost a round trip per request; a connection in steady use has just
    proved itself. One that sat idle (a restart or a network timeout may have cut it) is pinged,
    and if the ping fails the pool drops it and connects anew (DisconnectionError). A server that
    goes away under steady traffic fails the statements in flight once; SQLAlchemy then sees the
    disconnect and replaces every pooled connection.
    """

    def check(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        idle_since = record.info.get("idle_since")
        if idle_since is None or time.monotonic() - idle_since < PING_AFTER_IDLE_S:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except Exception as exc:
            raise DisconnectionError("the pooled connection did not answer a ping") from exc

    return check


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
