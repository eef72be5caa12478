"""Shared fixtures: database backends (SQLite and a throwaway PostGIS database) and apps on them.

PostGIS is found from --postgis-url, then STATUSMAP_TEST_POSTGIS_URL, then the local server
(postgres@127.0.0.1:5432, else the local socket as this OS user, as scripts/provision sets up).
Its tests skip when it cannot be reached, unless --require-postgis or STATUSMAP_REQUIRE_POSTGIS=1
(CI) turns that into a failure; tests/setup_summary.py counts such skips at the end of the run.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NoReturn

import pytest
import sqlalchemy as sa
from flask import Flask
from sqlalchemy.engine import make_url

from statusmap import create_app
from statusmap.db import get_db
from statusmap.engine import make_engine
from statusmap.migrations import upgrade
from statusmap.models.base import utcnow

DATA = Path(__file__).parent / "data"
DEFAULT_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
# Debian's default: peer authentication on the socket, for a role named after the OS user.
SOCKET_ADMIN_URL = "postgresql+psycopg:///postgres?host=/var/run/postgresql"

pytest_plugins = ["tests.setup_summary"]


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--postgis-url", help="admin URL of a PostgreSQL server with PostGIS")
    parser.addoption("--require-postgis", action="store_true", help="fail, not skip, without it")
    parser.addoption("--require-browser", action="store_true", help="fail, not skip, w/o Chromium")


def _flag(config: pytest.Config, option: str, env: str) -> bool:
    return bool(config.getoption(option)) or os.environ.get(env, "") in ("1", "true", "yes")


def skip_or_fail(
    config: pytest.Config, option: str, env: str, reason: str, *, missing: str
) -> NoReturn:
    """Skip (counted as missing set-up), or fail when the environment requires the piece."""
    if _flag(config, option, env):
        pytest.fail(f"{reason} (required by {option} / {env})", pytrace=False)
    # Imported here: pytest_plugins above must import it first, for pytest's assertion rewriting.
    from tests.setup_summary import skip_missing

    skip_missing(reason, missing)


@contextmanager
def new_postgis_database(admin_url: str) -> Iterator[str]:
    """Create a throwaway database with the PostGIS extension; drop it afterwards."""
    name = f"statusmap_test_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    try:
        engine = sa.create_engine(url)
        with engine.begin() as conn:
            conn.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS postgis")
        engine.dispose()
        yield url
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


def _admin_urls(config: pytest.Config) -> list[str]:
    """The server URLs to try, in order: the one given, else TCP as postgres, then the socket."""
    given = config.getoption("--postgis-url") or os.environ.get("STATUSMAP_TEST_POSTGIS_URL")
    return [given] if given else [DEFAULT_ADMIN_URL, SOCKET_ADMIN_URL]


def _has_postgis(admin_url: str) -> bool:
    """Whether the server offers the PostGIS extension; OperationalError if it is unreachable."""
    engine = sa.create_engine(admin_url)
    try:
        with engine.connect() as conn:
            return bool(
                conn.exec_driver_sql(
                    "SELECT count(*) FROM pg_available_extensions WHERE name = 'postgis'"
                ).scalar()
            )
    finally:
        engine.dispose()


@pytest.fixture(scope="session")
def postgis_server(request: pytest.FixtureRequest) -> str:
    """Admin URL of a PostgreSQL server with PostGIS available, or skip (or fail, if required)."""
    urls = _admin_urls(request.config)
    shown = " or ".join(make_url(url).render_as_string() for url in urls)
    errors = []
    for admin_url in urls:
        try:
            available = _has_postgis(admin_url)
        except sa.exc.OperationalError as exc:
            errors.append(str(exc.orig).strip())
            continue
        if available:
            return admin_url
        shown = make_url(admin_url).render_as_string()
        skip_or_fail(
            request.config,
            "--require-postgis",
            "STATUSMAP_REQUIRE_POSTGIS",
            f"the PostGIS extension is not installed on {shown}",
            missing=f"PostGIS not installed on {shown}",
        )
    skip_or_fail(
        request.config,
        "--require-postgis",
        "STATUSMAP_REQUIRE_POSTGIS",
        f"PostgreSQL not reachable at {shown}: {'; '.join(errors)}",
        missing=f"PostGIS not reachable at {shown}",
    )


@pytest.fixture(scope="session")
def postgis_url(postgis_server: str) -> Iterator[str]:
    """A throwaway PostGIS database for the whole run."""
    with new_postgis_database(postgis_server) as url:
        yield url


def prepare_database(url: str) -> None:
    """Migrate a database and load the demo municipality into it, committed."""
    from statusmap.demo import load_demo

    engine = make_engine(url)
    with engine.begin() as conn:
        upgrade(conn)
    engine.dispose()
    app = create_app({"DATABASE_URL": url, "TESTING": True, "SECRET_KEY": "test"})
    with app.app_context():
        session = get_db(app).session()
        load_demo(session, now=utcnow())
        session.commit()
    get_db(app).engine.dispose()


@pytest.fixture(scope="session")
def sqlite_database(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A migrated SQLite database with the demo municipality, for the whole run."""
    url = f"sqlite:///{tmp_path_factory.mktemp('sqlite') / 'statusmap.sqlite3'}"
    prepare_database(url)
    return url


@pytest.fixture(scope="session")
def postgis_database(postgis_url: str) -> str:
    """A migrated PostGIS database with the demo municipality, for the whole run."""
    prepare_database(postgis_url)
    return postgis_url


@pytest.fixture(scope="session", params=["sqlite", "postgis"])
def database_url(request: pytest.FixtureRequest) -> str:
    """Each backend in turn: tests that use it run on SQLite and on PostGIS."""
    return str(request.getfixturevalue(f"{request.param}_database"))


@contextmanager
def rolled_back_app(database_url: str, **config: object) -> Iterator[Flask]:
    """An app (with extra settings) whose every write is rolled back when the block ends."""
    flask_app = create_app(
        {"DATABASE_URL": database_url, "TESTING": True, "SECRET_KEY": "test", **config}
    )
    database = get_db(flask_app)
    assert database.engine is not None
    connection = database.engine.connect()
    transaction = connection.begin()
    database.factory.configure(bind=connection, join_transaction_mode="create_savepoint")
    try:
        yield flask_app
    finally:
        transaction.rollback()
        connection.close()
        database.engine.dispose()


@pytest.fixture
def app(database_url: str) -> Iterator[Flask]:
    """An app on one backend; everything a test writes is rolled back afterwards."""
    with rolled_back_app(database_url) as flask_app:
        yield flask_app


@pytest.fixture
def session(app: Flask) -> Iterator[sa.orm.Session]:
    """The app's session inside an app context."""
    with app.app_context():
        yield get_db(app).session()


@pytest.fixture
def client(app: Flask):
    """A test client for the app."""
    return app.test_client()


@pytest.fixture
def backend(database_url: str) -> str:
    """Name of the backend this test runs on."""
    return "postgis" if database_url.startswith("postgresql") else "sqlite"
