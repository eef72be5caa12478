"""Shared fixtures: database backends (SQLite and a throwaway PostGIS database) and apps on them.

PostGIS is found from --postgis-url, then STATUSMAP_TEST_POSTGIS_URL, then the local server
(postgres@127.0.0.1:5432). Its tests skip when it cannot be reached, unless --require-postgis or
STATUSMAP_REQUIRE_POSTGIS=1 (CI) turns that into a failure.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from sqlalchemy.engine import make_url

from statusmap import create_app
from statusmap.db import get_db
from statusmap.db import make_engine
from statusmap.migrations import upgrade
from statusmap.models.base import utcnow

DATA = Path(__file__).parent / "data"
DEFAULT_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--postgis-url", help="admin URL of a PostgreSQL server with PostGIS")
    parser.addoption("--require-postgis", action="store_true", help="fail, not skip, without it")
    parser.addoption("--require-browser", action="store_true", help="fail, not skip, w/o Chromium")


def _flag(config: pytest.Config, option: str, env: str) -> bool:
    return bool(config.getoption(option)) or os.environ.get(env, "") in ("1", "true", "yes")


def skip_or_fail(config: pytest.Config, option: str, env: str, reason: str) -> None:
    """Skip, or fail when the environment requires the missing piece."""
    if _flag(config, option, env):
        pytest.fail(f"{reason} (required by {option} / {env})", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def postgis_url(request: pytest.FixtureRequest) -> Iterator[str]:
    """Create a throwaway database with PostGIS on the server, and drop it afterwards."""
    admin_url = (
        request.config.getoption("--postgis-url")
        or os.environ.get("STATUSMAP_TEST_POSTGIS_URL")
        or DEFAULT_ADMIN_URL
    )
    name = f"statusmap_test_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    except sa.exc.OperationalError as exc:
        admin.dispose()
        skip_or_fail(request.config, "--require-postgis", "STATUSMAP_REQUIRE_POSTGIS",
                     f"PostgreSQL not reachable at {make_url(admin_url).render_as_string()}: "
                     f"{exc.orig}")
    url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    try:
        engine = sa.create_engine(url)
        try:
            with engine.begin() as conn:
                conn.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS postgis")
        except sa.exc.DBAPIError as exc:
            skip_or_fail(request.config, "--require-postgis", "STATUSMAP_REQUIRE_POSTGIS",
                         f"PostGIS extension not available: {exc.orig}")
        finally:
            engine.dispose()
        yield url
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


def backend_url(request: pytest.FixtureRequest, backend: str, tmp_dir: Path) -> str:
    """Return a database URL for the backend: a fresh SQLite file, or the PostGIS database."""
    if backend == "sqlite":
        return f"sqlite:///{tmp_dir / 'statusmap.sqlite3'}"
    return str(request.getfixturevalue("postgis_url"))


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
    get_db(app).engine.dispose()  # type: ignore[union-attr]


@pytest.fixture(scope="session", params=["sqlite", "postgis"])
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A migrated database with the demo municipality, once per backend for the whole run."""
    tmp_dir = tmp_path_factory.mktemp(request.param)
    url = backend_url(request, request.param, tmp_dir)
    prepare_database(url)
    return url


@pytest.fixture
def app(database_url: str, tmp_path: Path) -> Iterator[Flask]:
    """An app on one backend; everything a test writes is rolled back afterwards."""
    flask_app = create_app({"DATABASE_URL": database_url, "TESTING": True, "SECRET_KEY": "test"})
    database = get_db(flask_app)
    assert database.engine is not None
    connection = database.engine.connect()
    transaction = connection.begin()
    database.factory.configure(bind=connection, join_transaction_mode="create_savepoint")
    try:
        yield flask_app
    finally:
        database.session.remove()
        transaction.rollback()
        connection.close()
        database.engine.dispose()


@pytest.fixture
def session(app: Flask) -> Iterator[sa.orm.Session]:
    """The app's session inside an app context."""
    with app.app_context():
        yield get_db(app).session()


@pytest.fixture
def client(app: Flask):  # type: ignore[no-untyped-def]
    """A test client for the app."""
    return app.test_client()


@pytest.fixture
def backend(database_url: str) -> str:
    """Name of the backend this test runs on."""
    return "postgis" if database_url.startswith("postgresql") else "sqlite"
