"""Address search: each address gets the search key of its street, computed in Python.

SQL's lower() cannot make the key (PostgreSQL's leaves Æ, Ø, Å alone under a C ctype, SQLite's
folds ASCII only, and neither knows that "Kirkevn." is "Kirkevegen"), so the key is computed by
statusmap.norwegian.street_key for the stored rows here, and by the importer and the model after.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-09
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from statusmap.norwegian import street_key

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

BATCH = 2000


def upgrade() -> None:
    op.add_column(
        "address",
        sa.Column("search_key", sa.String(200), nullable=False, server_default=""),
    )
    _fill_keys()
    op.create_index(
        "ix_address_search",
        "address",
        ["municipality_id", "search_key", "number"],
        postgresql_ops={"search_key": "varchar_pattern_ops"},
    )


def _fill_keys() -> None:
    """One UPDATE per street name (a municipality has hundreds of streets, not 100,000s)."""
    address = sa.table("address", sa.column("street"), sa.column("search_key"))
    bind = op.get_bind()
    streets = bind.execute(sa.select(address.c.street).distinct()).scalars().all()
    update = (
        sa.update(address)
        .where(address.c.street == sa.bindparam("name"))
        .values(search_key=sa.bindparam("key"))
    )
    pairs = [{"name": street, "key": street_key(street)} for street in streets]
    for start in range(0, len(pairs), BATCH):
        bind.execute(update, pairs[start : start + BATCH])


def downgrade() -> None:
    op.drop_index("ix_address_search", table_name="address")
    op.drop_column("address", "search_key")
