"""Alembic migrations, run the same way on SQLite and PostGIS: `statusmap db upgrade`."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection

HERE = Path(__file__).parent


def alembic_config(url: str | None = None, connection: Connection | None = None) -> Config:
    """Build an Alembic config for this package, bound to a URL or an open connection."""
    config = Config()
    config.set_main_option("script_location", str(HERE))
    if url:
        # ConfigParser treats % as interpolation; escape it for passwords with %.
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def upgrade(connection: Connection, revision: str = "head") -> None:
    """Upgrade the schema on an open connection (the caller commits)."""
    command.upgrade(alembic_config(connection=connection), revision)


def downgrade(connection: Connection, revision: str) -> None:
    """Downgrade the schema on an open connection (the caller commits)."""
    command.downgrade(alembic_config(connection=connection), revision)
