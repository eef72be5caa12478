"""Helpers for migrations: a spatial index on both backends in one call.

`create_spatial_index("report", "location")` makes the GiST index on PostGIS, or the R*Tree and
its triggers on SQLite (gis/spatial_index.py). A migration that rebuilds a table on SQLite (batch
mode copies it) drops the table's triggers with it: drop the index first, create it again after.
"""

from __future__ import annotations

from alembic import op

from statusmap.gis.spatial_index import SpatialIndex


def create_spatial_index(table: str, column: str) -> None:
    """Create the spatial index of table.column on whichever backend runs."""
    index = SpatialIndex(table, column)
    if op.get_bind().dialect.name == "postgresql":
        op.create_index(index.gist_name, table, [column], postgresql_using="gist")
        return
    for statement in index.sqlite_create():
        op.execute(statement)


def drop_spatial_index(table: str, column: str) -> None:
    """Drop the spatial index of table.column on whichever backend runs."""
    index = SpatialIndex(table, column)
    if op.get_bind().dialect.name == "postgresql":
        op.drop_index(index.gist_name, table_name=table)
        return
    for statement in index.sqlite_drop():
        op.execute(statement)
