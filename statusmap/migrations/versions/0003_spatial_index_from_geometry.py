"""Spatial indexes read the geometry itself; addresses can be retired.

Before: SQLite's R*Trees (0002) were fed from shadow columns (address.lon/lat, incident.bbox_*)
that only the ORM kept in step, so a Core UPDATE of a geometry moved it on PostGIS and not on
SQLite. Now the triggers read the bounding box from the geometry's WKB, the shadow columns are
gone on both backends, and every geometry column declared `indexed=True` gets its index through
`migrations.helpers`. `address.retired_at` marks addresses that left the register.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from statusmap.migrations.helpers import create_spatial_index
from statusmap.migrations.helpers import drop_spatial_index

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

INDEXED = (("municipality", "boundary"), ("incident", "area"), ("address", "location"))
SHADOW_COLUMNS = {
    "address": ("lon", "lat"),
    "incident": ("bbox_min_lon", "bbox_min_lat", "bbox_max_lon", "bbox_max_lat"),
}
# 0002's R*Trees and triggers, frozen here for the way back.
OLD_RTREES = ("address_rtree", "incident_rtree")
OLD_TRIGGERS = ("insert", "update", "delete")
OLD_SQLITE = [
    "CREATE VIRTUAL TABLE address_rtree USING rtree(id, min_lon, max_lon, min_lat, max_lat)",
    "INSERT INTO address_rtree SELECT id, lon, lon, lat, lat FROM address",
    """CREATE TRIGGER address_rtree_insert AFTER INSERT ON address BEGIN
         INSERT INTO address_rtree VALUES (new.id, new.lon, new.lon, new.lat, new.lat);
       END""",
    """CREATE TRIGGER address_rtree_update AFTER UPDATE OF lon, lat ON address BEGIN
         UPDATE address_rtree SET min_lon = new.lon, max_lon = new.lon,
                                  min_lat = new.lat, max_lat = new.lat WHERE id = new.id;
       END""",
    """CREATE TRIGGER address_rtree_delete AFTER DELETE ON address BEGIN
         DELETE FROM address_rtree WHERE id = old.id;
       END""",
    "CREATE VIRTUAL TABLE incident_rtree USING rtree(id, min_lon, max_lon, min_lat, max_lat)",
    """INSERT INTO incident_rtree
         SELECT id, bbox_min_lon, bbox_max_lon, bbox_min_lat, bbox_max_lat FROM incident
         WHERE bbox_min_lon IS NOT NULL""",
    """CREATE TRIGGER incident_rtree_insert AFTER INSERT ON incident
         WHEN new.bbox_min_lon IS NOT NULL BEGIN
         INSERT INTO incident_rtree VALUES
           (new.id, new.bbox_min_lon, new.bbox_max_lon, new.bbox_min_lat, new.bbox_max_lat);
       END""",
    """CREATE TRIGGER incident_rtree_update AFTER UPDATE OF
         bbox_min_lon, bbox_max_lon, bbox_min_lat, bbox_max_lat ON incident BEGIN
         DELETE FROM incident_rtree WHERE id = old.id;
         INSERT INTO incident_rtree SELECT new.id, new.bbox_min_lon, new.bbox_max_lon,
           new.bbox_min_lat, new.bbox_max_lat WHERE new.bbox_min_lon IS NOT NULL;
       END""",
    """CREATE TRIGGER incident_rtree_delete AFTER DELETE ON incident BEGIN
         DELETE FROM incident_rtree WHERE id = old.id;
       END""",
]


def _sqlite() -> bool:
    return bool(op.get_bind().dialect.name == "sqlite")


def upgrade() -> None:
    if _sqlite():
        for name in OLD_RTREES:
            for event in OLD_TRIGGERS:
                op.execute(f"DROP TRIGGER IF EXISTS {name}_{event}")
            op.execute(f"DROP TABLE IF EXISTS {name}")
    for table, columns in SHADOW_COLUMNS.items():
        for name in columns:
            # SQLite 3.35+ drops a column in place (no table copy, so no trigger is lost).
            op.execute(f"ALTER TABLE {table} DROP COLUMN {name}")
    op.add_column("address", sa.Column("retired_at", sa.DateTime(timezone=True), nullable=True))
    if _sqlite():  # PostGIS has had its GiST indexes since 0001
        for table, column in INDEXED:
            create_spatial_index(table, column)


# How the way back recomputes the shadow columns from the geometry, per backend.
_POSTGIS_BOX = ("ST_XMin({g})", "ST_YMin({g})", "ST_XMax({g})", "ST_YMax({g})")
_SQLITE_BOX = tuple(f"statusmap_bbox({{g}}, {corner})" for corner in range(4))


def downgrade() -> None:
    sqlite = _sqlite()
    if sqlite:
        for table, column in INDEXED:
            drop_spatial_index(table, column)
    op.drop_column("address", "retired_at")
    box = _SQLITE_BOX if sqlite else _POSTGIS_BOX
    for table, geometry in (("address", "location"), ("incident", "area")):
        columns = SHADOW_COLUMNS[table]
        for name in columns:
            default = " NOT NULL DEFAULT 0" if table == "address" and sqlite else ""
            op.execute(f"ALTER TABLE {table} ADD COLUMN {name} DOUBLE PRECISION{default}")
        corners = box if table == "incident" else box[:2]
        assignments = ", ".join(
            f"{name} = {corner.format(g=geometry)}"
            for name, corner in zip(columns, corners, strict=True)
        )
        op.execute(f"UPDATE {table} SET {assignments} WHERE {geometry} IS NOT NULL")
    if sqlite:
        for statement in OLD_SQLITE:
            op.execute(statement)
    else:
        for name in SHADOW_COLUMNS["address"]:
            op.alter_column("address", name, nullable=False)
