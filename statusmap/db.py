"""Engine and sessions for the two storage backends: embedded SQLite and PostgreSQL + PostGIS."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask import current_app
from sqlalchemy import Engine
from sqlalchemy import create_engine
from sqlalchemy import event
from sqlalchemy.orm import Session
from sqlalchemy.orm import scoped_session
from sqlalchemy.orm import sessionmaker


def is_postgis(bind: Engine | Any) -> bool:
    """Tell whether a bind (engine, connection or session bind) talks to PostgreSQL."""
    return bool(bind.dialect.name == "postgresql")


def make_engine(url: str, **kwargs: Any) -> Engine:
    """Create an engine for either backend with the settings each needs."""
    if url.startswith("sqlite"):
        engine = create_engine(url, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    return create_engine(url, plugins=["geoalchemy2"], pool_pre_ping=True, **kwargs)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy, not the sqlite3 module, decide when transactions begin, so that
    # SAVEPOINTs and transactional DDL (migrations) work as on PostgreSQL.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def _app_ctx_id() -> int:
    from flask import g

    return id(g._get_current_object())


def _sqlite_begin(connection: Any) -> None:
    connection.exec_driver_sql("BEGIN")


class Database:
    """The application's engine and request-scoped session, bound by init_app."""

    def __init__(self) -> None:
        self.engine: Engine | None = None
        self.factory = sessionmaker(expire_on_commit=False)
        # Scoped to the app context, not the thread, so each request and CLI command gets its own.
        self.session: scoped_session[Session] = scoped_session(self.factory, scopefunc=_app_ctx_id)

    def init_app(self, app: Flask) -> None:
        """Create the engine from DATABASE_URL and remove the session after each request."""
        self.engine = make_engine(app.config["DATABASE_URL"])
        self.factory.configure(bind=self.engine)
        app.extensions["statusmap_db"] = self
        app.teardown_appcontext(self._remove_session)

    def _remove_session(self, _exc: BaseException | None) -> None:
        self.session.remove()


def init_db(app: Flask) -> Database:
    """Give the app its own Database (apps never share engines, so tests can run both backends)."""
    database = Database()
    database.init_app(app)
    return database


def get_db(app: Flask | None = None) -> Database:
    """Return the Database of the given or the current app."""
    database: Database = (app or current_app).extensions["statusmap_db"]
    return database


def session() -> Session:
    """Return the current app's request-scoped session; views own the commit."""
    return get_db().session()
