"""Spatial indexes on both backends, from one declaration: `GeometryColumn(..., indexed=True)`.

PostGIS: a GiST index on the geometry column. SQLite: an R*Tree virtual table of bounding boxes,
kept in step by triggers that read the bounds from the geometry's WKB itself (through SQL
functions every statusmap connection registers), so every write path (ORM, Core bulk, migration,
raw SQL through statusmap) moves the index with the geometry, and there is nothing else to keep in
step. A plain sqlite3 shell without those functions cannot write geometries: it fails rather than
leaving the index behind.

Migrations create and drop an index with `statusmap.migrations.helpers`; queries reach the R*Tree
through `rtree_table`. The DDL below is part of the frozen schema of the migrations that call it:
change it only by adding a new version beside it (tests/unit/test_spatial_index.py pins it).
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from dataclasses import dataclass

import shapely
from sqlalchemy import MetaData
from sqlalchemy import TableClause
from sqlalchemy import column
from sqlalchemy import table

# The SQL function SQLite's triggers call: bbox(wkb, corner), corner 0..3 = min x, min y, max x,
# max y. Registered on every connection by statusmap.engine.
SQLITE_BBOX_FUNCTION = "statusmap_bbox"
RTREE_COLUMNS = ("id", "min_x", "max_x", "min_y", "max_y")


@dataclass(frozen=True)
class SpatialIndex:
    """The spatial index over one geometry column of one table (primary key `id`)."""

    table: str
    column: str

    @property
    def gist_name(self) -> str:
        """Name of the PostGIS GiST index."""
        return f"ix_{self.table}_{self.column}"

    @property
    def rtree_name(self) -> str:
        """Name of the SQLite R*Tree virtual table."""
        return f"{self.table}_{self.column}_rtree"

    def sqlite_create(self) -> list[str]:
        """SQLite DDL: the R*Tree, filled from the table, and the triggers that keep it."""
        t, c, rtree = self.table, self.column, self.rtree_name
        return [
            f"CREATE VIRTUAL TABLE {rtree} USING rtree({', '.join(RTREE_COLUMNS)})",
            f"INSERT INTO {rtree} SELECT id, {_box('', c)} FROM {t} WHERE {c} IS NOT NULL",
            f"""CREATE TRIGGER {rtree}_insert AFTER INSERT ON {t} WHEN new.{c} IS NOT NULL BEGIN
                  INSERT INTO {rtree} VALUES (new.id, {_box("new.", c)});
                END""",
            # Only when the geometry (or id) really changed: a re-import rewrites every row.
            f"""CREATE TRIGGER {rtree}_update AFTER UPDATE OF id, {c} ON {t}
                WHEN old.id IS NOT new.id OR old.{c} IS NOT new.{c} BEGIN
                  DELETE FROM {rtree} WHERE id = old.id;
                  INSERT INTO {rtree} SELECT new.id, {_box("new.", c)} WHERE new.{c} IS NOT NULL;
                END""",
            f"""CREATE TRIGGER {rtree}_delete AFTER DELETE ON {t} BEGIN
                  DELETE FROM {rtree} WHERE id = old.id;
                END""",
        ]

    def sqlite_drop(self) -> list[str]:
        """SQLite DDL that removes the R*Tree and its triggers."""
        rtree = self.rtree_name
        triggers = [f"DROP TRIGGER IF EXISTS {rtree}_{event}" for event in _EVENTS]
        return [*triggers, f"DROP TABLE IF EXISTS {rtree}"]


_EVENTS = ("insert", "update", "delete")


def _box(prefix: str, geometry: str) -> str:
    """The four R*Tree values (min x, max x, min y, max y) of a row's geometry, as SQL."""
    corners = (0, 2, 1, 3)  # R*Tree order: min_x, max_x, min_y, max_y
    return ", ".join(f"{SQLITE_BBOX_FUNCTION}({prefix}{geometry}, {i})" for i in corners)


def declared_spatial_indexes(metadata: MetaData) -> Iterator[SpatialIndex]:
    """Every spatial index the models declare (GeometryColumn(..., indexed=True))."""
    from statusmap.gis.storage import GeometryColumn

    for name, tbl in sorted(metadata.tables.items()):
        for col in tbl.columns:
            if isinstance(col.type, GeometryColumn) and col.type.indexed:
                yield SpatialIndex(name, col.name)


def rtree_table(index: SpatialIndex) -> TableClause:
    """The R*Tree of an index, for SQLite's query strategy."""
    return table(index.rtree_name, *(column(name) for name in RTREE_COLUMNS))


_POINT = struct.Struct("<BIdd")
# The last WKB seen and its bounds (a trigger asks for four corners of the same value). One tuple,
# replaced whole, so threads sharing it never see one geometry's bounds under another's WKB.
_last: tuple[bytes | None, tuple[float, ...]] = (None, ())


def _bounds(wkb: bytes) -> tuple[float, ...]:
    if len(wkb) == _POINT.size and wkb[0] == 1:  # a little-endian 2D point: no parsing needed
        _order, code, x, y = _POINT.unpack(wkb)
        if code == 1:
            return (x, y, x, y)
    return tuple(shapely.from_wkb(wkb).bounds)


def sqlite_bbox(wkb: bytes | None, corner: int) -> float | None:
    """SQL function for SQLite: one corner of a WKB geometry's bounding box (NULL if empty)."""
    global _last
    if wkb is None:
        return None
    cached = _last
    if cached[0] != wkb:
        cached = (bytes(wkb), _bounds(bytes(wkb)))
        _last = cached
    value = cached[1][corner]
    return None if value != value else float(value)  # NaN: an empty geometry has no box
