"""What Alembic's comparisons leave out: PostGIS' own tables, our GiST and R*Tree indexes."""

from __future__ import annotations

from geoalchemy2 import alembic_helpers

# GiST indexes exist on PostGIS only and are made by the migrations, not declared on the models.
SPATIAL_INDEXES = {"ix_municipality_boundary", "ix_incident_area", "ix_address_location"}


def include_object(
    obj: object, name: str | None, type_: str, reflected: bool, compare_to: object
) -> bool:
    """Leave PostGIS' own tables and our spatial indexes out of autogenerate comparisons."""
    if type_ == "index" and name in SPATIAL_INDEXES:
        return False
    # SQLite's R*Tree tables (migration 0002) and their shadow tables live outside the models.
    if type_ == "table" and name and "_rtree" in name:
        return False
    return bool(alembic_helpers.include_object(obj, name, type_, reflected, compare_to))
