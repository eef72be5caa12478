"""The geometry column refuses what PostGIS would refuse, also for pre-encoded WKB on SQLite."""

from __future__ import annotations

import pytest
import shapely
from shapely.geometry import Point
from shapely.geometry import box
from sqlalchemy.dialects import postgresql
from sqlalchemy.dialects import sqlite

from statusmap.gis.storage import GeometryColumn

DIALECT = sqlite.dialect()


def test_wkb_of_the_right_type_passes_through() -> None:
    wkb = shapely.to_wkb(Point(10.5, 60.3))
    assert GeometryColumn("POINT").process_bind_param(wkb, DIALECT) == wkb


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (shapely.to_wkb(box(0, 0, 1, 1)), "type code 3"),
        (
            shapely.to_wkb(shapely.set_srid(Point(10.5, 60.3), 25833), include_srid=True),
            "type code",
        ),
        (shapely.to_wkb(Point(10.5, 60.3, 5.0)), "type code|21 bytes"),
        (b"garbage", "byte-order"),
    ],
)
def test_wrong_wkb_is_refused(value: bytes, message: str) -> None:
    with pytest.raises(TypeError, match=message):
        GeometryColumn("POINT").process_bind_param(value, DIALECT)


def test_wrong_shapely_type_is_refused() -> None:
    with pytest.raises(TypeError, match="Polygon cannot be stored in a MULTIPOLYGON column"):
        GeometryColumn("MULTIPOLYGON").process_bind_param(box(0, 0, 1, 1), DIALECT)


@pytest.mark.parametrize("dialect", [sqlite.dialect(), postgresql.dialect()], ids=["sqlite", "pg"])
def test_3d_geometries_are_refused_alike_on_both_backends(dialect) -> None:
    """PostGIS refuses Z in a 2D column; SQLite would have stored it. Now both refuse it."""
    with pytest.raises(TypeError, match="3D geometry"):
        GeometryColumn("POINT").process_bind_param(Point(10.5, 60.3, 212.0), dialect)


def test_sqlite_index_reads_bounds_from_the_wkb() -> None:
    """The R*Tree triggers' SQL function: corners of points and of polygons, NULL for NULL."""
    from statusmap.gis.spatial_index import sqlite_bbox

    point = shapely.to_wkb(Point(10.5, 60.3))
    assert [sqlite_bbox(point, corner) for corner in range(4)] == [10.5, 60.3, 10.5, 60.3]
    square = shapely.to_wkb(box(10.0, 60.0, 10.2, 60.1))
    assert [sqlite_bbox(square, corner) for corner in range(4)] == [10.0, 60.0, 10.2, 60.1]
    assert sqlite_bbox(point, 0) == 10.5, "a cached box never answers for another geometry"
    assert sqlite_bbox(None, 0) is None
