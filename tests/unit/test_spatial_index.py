"""The spatial-index DDL is part of the frozen schema: migrations 0003 and 0004 run it.

A change here would give databases migrated before and after it different triggers. If the DDL
must change, add a new version beside the old one (and a migration that moves to it), then
extend this test; never edit what existing migrations call.
"""

from __future__ import annotations

from statusmap.gis.spatial_index import SpatialIndex

BOX = (
    "statusmap_bbox({g}, 0), statusmap_bbox({g}, 2), statusmap_bbox({g}, 1), statusmap_bbox({g}, 3)"
)
FROZEN = [
    "CREATE VIRTUAL TABLE t_g_rtree USING rtree(id, min_x, max_x, min_y, max_y)",
    f"INSERT INTO t_g_rtree SELECT id, {BOX.format(g='g')} FROM t WHERE g IS NOT NULL",
    "CREATE TRIGGER t_g_rtree_insert AFTER INSERT ON t WHEN new.g IS NOT NULL BEGIN"
    f" INSERT INTO t_g_rtree VALUES (new.id, {BOX.format(g='new.g')}); END",
    "CREATE TRIGGER t_g_rtree_update AFTER UPDATE OF id, g ON t"
    " WHEN old.id IS NOT new.id OR old.g IS NOT new.g BEGIN"
    " DELETE FROM t_g_rtree WHERE id = old.id;"
    f" INSERT INTO t_g_rtree SELECT new.id, {BOX.format(g='new.g')} WHERE new.g IS NOT NULL; END",
    "CREATE TRIGGER t_g_rtree_delete AFTER DELETE ON t BEGIN"
    " DELETE FROM t_g_rtree WHERE id = old.id; END",
]


def _flat(statement: str) -> str:
    return " ".join(statement.split())


def test_the_sqlite_index_ddl_is_frozen() -> None:
    assert [_flat(s) for s in SpatialIndex("t", "g").sqlite_create()] == FROZEN


def test_names_follow_the_table_and_column() -> None:
    index = SpatialIndex("address", "location")
    assert (index.gist_name, index.rtree_name) == ("ix_address_location", "address_location_rtree")
    assert index.sqlite_drop()[-1] == "DROP TABLE IF EXISTS address_location_rtree"
