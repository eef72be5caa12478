"""Migrations run on both backends, up and down, and match the models exactly."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from statusmap.engine import make_engine
from statusmap.migrations import downgrade
from statusmap.migrations import upgrade
from tests.conftest import new_postgis_database

TABLES = {"municipality", "incident", "incident_update", "address", "audit_event"}


def test_postgis_cycle(postgis_server: str) -> None:
    """Up, down to nothing, up again, on a fresh PostGIS database."""
    with new_postgis_database(postgis_server) as url:
        engine = make_engine(url)
        with engine.begin() as conn:
            _cycle(conn)
        engine.dispose()


def _cycle(conn: sa.Connection) -> None:
    upgrade(conn)
    assert set(sa.inspect(conn).get_table_names()) >= TABLES
    downgrade(conn, "base")
    assert not TABLES & set(sa.inspect(conn).get_table_names())
    upgrade(conn)
    assert set(sa.inspect(conn).get_table_names()) >= TABLES


def test_fresh_sqlite_cycle(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'm.sqlite3'}")
    with engine.begin() as conn:
        _cycle(conn)
    engine.dispose()
