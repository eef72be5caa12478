"""The web app's engine (ping_only_idle): a pooled PostgreSQL connection the server has dropped
(a restart, a firewall's idle timeout) is found out before a request uses it, once it has sat
idle; one in steady use is not pinged. Every other engine pings at each checkout."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from statusmap import engine as engines
from statusmap.engine import make_engine


def _dropped_by_the_server(engine: sa.Engine, admin_url: str) -> int:
    """Check a connection out and back in, then have the server end it; its backend's pid."""
    with engine.connect() as conn:
        pid = int(conn.execute(sa.text("SELECT pg_backend_pid()")).scalar_one())
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    admin.dispose()
    return pid


def test_an_idle_connection_the_server_dropped_is_replaced(
    postgis_url: str, postgis_server: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(engines, "PING_AFTER_IDLE_S", 0.0)  # "idle long enough" at once
    engine = make_engine(postgis_url, ping_only_idle=True)
    try:
        dropped = _dropped_by_the_server(engine, postgis_server)
        with engine.connect() as conn:  # the ping fails, the pool connects anew
            pid = conn.execute(sa.text("SELECT pg_backend_pid()")).scalar_one()
        assert pid != dropped
    finally:
        engine.dispose()


def test_a_connection_in_steady_use_is_not_pinged(
    postgis_url: str, postgis_server: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The other side of the trade: a connection checked in moments ago is used as it is (no
    round trip per request), so a drop in that moment fails the one statement, and only it."""
    monkeypatch.setattr(engines, "PING_AFTER_IDLE_S", 3600.0)
    engine = make_engine(postgis_url, ping_only_idle=True)
    try:
        _dropped_by_the_server(engine, postgis_server)
        with pytest.raises(sa.exc.OperationalError), engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
        with engine.connect() as conn:  # SQLAlchemy saw the disconnect and replaced the pool
            assert conn.execute(sa.text("SELECT 1")).scalar_one() == 1
    finally:
        engine.dispose()


def test_other_engines_ping_at_every_checkout(postgis_url: str, postgis_server: str) -> None:
    """The worker and the CLI keep pool_pre_ping: a drop moments ago costs them nothing."""
    engine = make_engine(postgis_url)
    try:
        dropped = _dropped_by_the_server(engine, postgis_server)
        with engine.connect() as conn:
            assert conn.execute(sa.text("SELECT pg_backend_pid()")).scalar_one() != dropped
    finally:
        engine.dispose()
