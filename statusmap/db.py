"""The Flask side of the database: one engine and request-scoped session per app."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from typing import TypeVar

from flask import Flask
from flask import current_app
from sqlalchemy import Engine
from sqlalchemy.orm import Session
from sqlalchemy.orm import scoped_session
from sqlalchemy.orm import sessionmaker

from statusmap.engine import begin_writing
from statusmap.engine import make_engine

F = TypeVar("F", bound=Callable[..., Any])
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def _app_ctx_id() -> int:
    from flask import g

    return id(g._get_current_object())


class Database:
    """The application's engine and request-scoped session, bound by init_app."""

    def __init__(self) -> None:
        self.engine: Engine | None = None
        self.factory = sessionmaker(expire_on_commit=False)
        # Scoped to the app context, not the thread, so each request and CLI command gets its own.
        self.session: scoped_session[Session] = scoped_session(self.factory, scopefunc=_app_ctx_id)

    def init_app(self, app: Flask) -> None:
        """Create the engine from DATABASE_URL and remove the session after each request."""
        # Requests come often enough that only an idle connection needs a ping (engine.py).
        self.engine = make_engine(app.config["DATABASE_URL"], ping_only_idle=True)
        self.factory.configure(bind=self.engine)
        app.extensions["statusmap_db"] = self
        app.before_request(self._begin_writers)
        app.teardown_appcontext(self._remove_session)

    def _begin_writers(self) -> None:
        """A request that may write starts its transaction as a writer (see begin_writing)."""
        from flask import request

        # Only a request that reached a view may write; a POST to nowhere (404, 405) must not
        # take SQLite's write lock and wait behind an import.
        if request.method not in SAFE_METHODS and request.url_rule is not None:
            view = current_app.view_functions.get(request.endpoint or "")
            if not getattr(view, "reads_only", False):
                begin_writing(self.session())

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


def reads_only(view: F) -> F:
    """Mark a POST view that only reads (the map editor's count): it takes no write lock."""
    view.reads_only = True  # type: ignore[attr-defined]
    return view
