"""What Alembic's comparisons leave out: PostGIS' own tables, our GiST and R*Tree indexes."""

from __future__ import annotations

from geoalchemy2 import alembic_helpers

from statusmap.gis.spatial_index import declared_spatial_indexes
from statusmap.models import Base

# Spatial indexes are declared on the geometry column (indexed=True) and made by the
# migrations' helpers, not declared as Index objects on the models.
SPATIAL_INDEXES = {index.gist_name for index in declared_spatial_indexes(Base.metadata)}


def include_object(
    obj: object, name: str | None, type_: str, reflected: bool, compare_to: object
) -> bool:
    """Leave PostGIS' own tables and our spatial indexes out of autogenerate comparisons."""
    if type_ == "index" and name in SPATIAL_INDEXES:
        return False
    # SQLite's R*Tree tables and their shadow tables live outside the models.
    if type_ == "table" and name and "_rtree" in name:
        return False
    return bool(alembic_helpers.include_object(obj, name, type_, reflected, compare_to))
