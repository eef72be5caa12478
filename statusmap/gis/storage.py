"""The geometry column type: shapely objects in Python, PostGIS geometry or WKB bytes in the DB.

PostGIS stores a real `geometry(<type>, 4326)`. Python's sqlite3 cannot load SpatiaLite here, so
on SQLite the same column stores WKB in a BLOB and spatial predicates run in shapely
(gis/queries.py).
Either way the models hand out shapely geometries, so nothing above this layer knows the backend.
"""

from __future__ import annotations

from typing import Any

import shapely
from geoalchemy2 import Geometry
from geoalchemy2 import WKBElement
from geoalchemy2.shape import from_shape
from geoalchemy2.shape import to_shape
from shapely.geometry.base import BaseGeometry
from sqlalchemy import LargeBinary
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator
from sqlalchemy.types import TypeEngine

SRID = 4326


# ISO WKB type codes of the 2D geometry types we store.
WKB_TYPES = {
    "POINT": 1,
    "LINESTRING": 2,
    "POLYGON": 3,
    "MULTIPOINT": 4,
    "MULTILINESTRING": 5,
    "MULTIPOLYGON": 6,
}


def _check_wkb_header(value: bytes, geometry_type: str) -> None:
    """Refuse WKB that is not plain 2D WKB of the column's type (no EWKB SRID, no Z)."""
    if len(value) < 5 or value[0] not in (0, 1):
        raise TypeError("not WKB: bad byte-order marker")
    code = int.from_bytes(value[1:5], "little" if value[0] == 1 else "big")
    expected = WKB_TYPES.get(geometry_type)
    if expected is not None and code != expected:
        raise TypeError(f"WKB of type code {code} cannot go in a {geometry_type} column")
    if geometry_type == "POINT" and len(value) != 21:
        raise TypeError("a 2D WKB point is 21 bytes")


class GeometryColumn(TypeDecorator[BaseGeometry]):
    """A geometry column in EPSG:4326 that reads and writes shapely geometries on both backends.

    `indexed=True` declares a spatial index: GiST on PostGIS, an R*Tree fed by triggers on SQLite
    (gis/spatial_index.py); the migration that adds the column creates it with
    `migrations.helpers.create_spatial_index`.
    """

    impl = LargeBinary
    cache_ok = True
    # Read by geoalchemy2's DDL hooks: our migrations create the GiST indexes themselves.
    spatial_index = False
    use_N_D_index = False

    def __init__(self, geometry_type: str, *, indexed: bool = False) -> None:
        super().__init__()
        self.geometry_type = geometry_type.upper()
        self.indexed = indexed

    def load_dialect_impl(self, dialect: Dialect | None) -> TypeEngine[Any]:
        # geoalchemy2's DDL hooks ask with dialect=None; they only care whether this is spatial.
        # Spatial indexes are created explicitly by the migrations, hence spatial_index=False.
        geometry = Geometry(self.geometry_type, srid=SRID, spatial_index=False)
        if dialect is None:
            return geometry
        if dialect.name == "postgresql":
            return dialect.type_descriptor(geometry)
        return dialect.type_descriptor(LargeBinary())

    def process_bind_param(self, value: BaseGeometry | bytes | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if isinstance(value, bytes):
            # WKB already encoded in EPSG:4326 by a bulk writer (the address importer encodes a
            # whole column at once): its header is checked, not the whole geometry parsed.
            _check_wkb_header(value, self.geometry_type)
            return WKBElement(value, srid=SRID) if dialect.name == "postgresql" else value
        # PostGIS refuses 3D input in a 2D column; SQLite would store it. Refuse it on both:
        # every input path drops heights, saying so (gis.validation.drop_z).
        if shapely.has_z(value):
            raise TypeError("a 3D geometry cannot be stored: drop its Z coordinates first")
        # PostGIS refuses a Polygon in a MultiPolygon column; make SQLite refuse it too.
        if self.geometry_type != "GEOMETRY" and value.geom_type.upper() != self.geometry_type:
            raise TypeError(
                f"a {value.geom_type} cannot be stored in a {self.geometry_type} column"
            )
        if dialect.name == "postgresql":
            return from_shape(value, srid=SRID)
        return shapely.to_wkb(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> BaseGeometry | None:
        if value is None:
            return None
        if isinstance(value, WKBElement):
            return to_shape(value)
        return shapely.from_wkb(bytes(value))
