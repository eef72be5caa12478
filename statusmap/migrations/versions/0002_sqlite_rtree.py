"""SQLite only: R*Tree indexes over address points and incident bounding boxes.

SQLite has no spatial index of its own here; its built-in R*Tree module gives the same bounding-box
prefilter GiST gives PostGIS. Triggers keep the trees in step with the tables, so nothing in the
application writes them. PostGIS needs nothing here (its GiST indexes came with 0001).

A later migration that rebuilds `address` or `incident` on SQLite (Alembic batch mode copies the
table) drops these triggers with the old table and must create them again.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

UPGRADE = [
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

DOWNGRADE = [
    "DROP TRIGGER IF EXISTS incident_rtree_delete",
    "DROP TRIGGER IF EXISTS incident_rtree_update",
    "DROP TRIGGER IF EXISTS incident_rtree_insert",
    "DROP TABLE IF EXISTS incident_rtree",
    "DROP TRIGGER IF EXISTS address_rtree_delete",
    "DROP TRIGGER IF EXISTS address_rtree_update",
    "DROP TRIGGER IF EXISTS address_rtree_insert",
    "DROP TABLE IF EXISTS address_rtree",
]


# The plain B-tree indexes on the same columns served as the prefilter before; the R*Tree
# replaces them on SQLite and PostGIS never used them.
OLD_INDEXES = (
    ("ix_address_lon_lat", "address", ["lon", "lat"]),
    (
        "ix_incident_bbox",
        "incident",
        ["bbox_min_lon", "bbox_max_lon", "bbox_min_lat", "bbox_max_lat"],
    ),
)


def upgrade() -> None:
    for name, table, _columns in OLD_INDEXES:
        op.drop_index(name, table_name=table)
    if op.get_bind().dialect.name == "sqlite":
        for statement in UPGRADE:
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for statement in DOWNGRADE:
            op.execute(statement)
    for name, table, columns in OLD_INDEXES:
        op.create_index(name, table, columns)
