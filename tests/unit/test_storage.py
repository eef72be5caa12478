"""The geometry column refuses what PostGIS would refuse, also for pre-encoded WKB on SQLite."""

from __future__ import annotations

import pytest
import shapely
from shapely.geometry import Point
from shapely.geometry import box
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
