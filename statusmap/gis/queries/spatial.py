"""The two strategies of each spatial predicate, for any table with an indexed geometry column.

Callers pass an ordinary SELECT and the model's geometry attribute; they get the rows that
satisfy the predicate, in the SELECT's order. PostGIS filters in SQL (GiST). SQLite selects the
candidates whose R*Tree box meets the other geometry's box (a superset: boxes are rounded
outwards), reads their WKB raw and decides the exact predicate in shapely in one vectorised call.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from typing import Any

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry
from sqlalchemy import ColumnElement
from sqlalchemy import LargeBinary
from sqlalchemy import Select
from sqlalchemy import bindparam
from sqlalchemy import cast
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy import type_coerce
from sqlalchemy.orm import InstrumentedAttribute
from sqlalchemy.orm import Session
from sqlalchemy.types import NullType
from sqlalchemy.types import UserDefinedType

from statusmap.engine import is_postgis
from statusmap.gis.spatial_index import SpatialIndex
from statusmap.gis.spatial_index import rtree_table
from statusmap.gis.storage import SRID
from statusmap.gis.storage import GeometryColumn

BBox = tuple[float, float, float, float]  # min_lon, min_lat, max_lon, max_lat
AnySelect = Select[*tuple[Any, ...]]  # a SELECT of any columns or entities


class Predicate(enum.Enum):
    """How a row's geometry must relate to the other geometry."""

    COVERED_BY = "covered_by"  # the row's geometry lies inside the other (edges included)
    COVERS = "covers"  # the row's geometry contains the other (edges included)
    INTERSECTS = "intersects"


def postgis(session: Session) -> bool:
    """Whether the session runs on PostGIS."""
    return is_postgis(session.get_bind())


def spatial_index_of(attribute: InstrumentedAttribute[Any]) -> SpatialIndex:
    """The spatial index of a model's geometry attribute; refuse an unindexed column."""
    col = attribute.property.columns[0]
    if not (isinstance(col.type, GeometryColumn) and col.type.indexed):
        raise TypeError(f"{attribute} is not an indexed geometry column")
    return SpatialIndex(col.table.name, col.name)


def rtree_candidates(attribute: InstrumentedAttribute[Any], bbox: BBox) -> ColumnElement[bool]:
    """SQLite: the row's id is in its R*Tree with a box meeting bbox.

    As `id IN (subquery)` SQLite drives the search from the tree; as a join its planner may scan
    the table and probe the tree row by row (docs/benchmarks.md).
    """
    index = spatial_index_of(attribute)
    rtree = rtree_table(index)
    min_x, min_y, max_x, max_y = bbox
    inside = select(rtree.c.id).where(
        rtree.c.max_x >= min_x,
        rtree.c.min_x <= max_x,
        rtree.c.max_y >= min_y,
        rtree.c.min_y <= max_y,
    )
    id_column = attribute.class_.__table__.c.id
    return id_column.in_(inside)


class _PlainGeometry(UserDefinedType[Any]):
    """PostGIS' `geometry` type with no type modifier (so a cast to it adds no per-row check)."""

    cache_ok = True

    def get_col_spec(self, **kw: Any) -> str:
        return "geometry"


def postgis_value(other: BaseGeometry) -> ColumnElement[Any]:
    """PostGIS: a geometry as a parameter of type geometry, decoded once per execution.

    psycopg prepares a statement run repeatedly, and PostgreSQL may then use a generic plan; in
    one, `ST_GeomFromWKB(:param)` is evaluated again for every row it filters (the whole zone
    parsed per address), while a parameter typed `geometry` is decoded once, when bound.
    """
    ewkb = shapely.to_wkb(shapely.set_srid(other, SRID), hex=True, include_srid=True)
    # NullType: no `::VARCHAR` on the parameter, so its type is inferred from the cast.
    return cast(bindparam(None, ewkb, type_=NullType()), _PlainGeometry())


def postgis_condition(
    attribute: InstrumentedAttribute[Any], predicate: Predicate, other: BaseGeometry
) -> ColumnElement[bool]:
    """PostGIS: the SQL condition of a predicate (for aggregates matching_rows cannot do)."""
    value = postgis_value(other)
    if predicate is Predicate.COVERED_BY:
        return func.ST_Covers(value, attribute)
    if predicate is Predicate.COVERS:
        return func.ST_Covers(attribute, value)
    return func.ST_Intersects(attribute, value)


def matching_rows(
    session: Session,
    query: AnySelect,
    attribute: InstrumentedAttribute[Any],
    predicate: Predicate,
    other: BaseGeometry,
    *,
    limit: int | None = None,
) -> list[tuple[Any, ...]]:
    """Rows of query whose geometry stands in `predicate` to other, in the query's order."""
    if postgis(session):
        filtered = query.where(postgis_condition(attribute, predicate, other))
        return list(session.execute(filtered if limit is None else filtered.limit(limit)))
    candidates = session.execute(_with_raw_wkb(query, attribute, other)).all()
    keep = _shapely_mask(predicate, other, [row[-1] for row in candidates])
    rows = [row for row, kept in zip(candidates, keep.tolist(), strict=True) if kept]
    return [tuple(row)[:-1] for row in rows[:limit]]


def sqlite_matching_columns(
    session: Session,
    query: AnySelect,
    attribute: InstrumentedAttribute[Any],
    predicate: Predicate,
    other: BaseGeometry,
) -> list[np.ndarray]:
    """SQLite: each column of a query of columns over the rows that match (for aggregates)."""
    if session.autoflush:
        session.flush()  # as session.execute would: pending rows count too
    # Run as Core: the ORM's per-row loading of plain columns costs more than the query itself.
    candidates = session.connection().execute(_with_raw_wkb(query, attribute, other)).all()
    width = len(query.selected_columns) + 1
    *columns, blobs = list(zip(*candidates, strict=True)) or [()] * width
    keep = _shapely_mask(predicate, other, blobs)
    # fromiter: one element per value, where np.array would nest values that are sequences.
    return [np.fromiter(column, dtype=object, count=len(column))[keep] for column in columns]


def _with_raw_wkb(
    query: AnySelect, attribute: InstrumentedAttribute[Any], other: BaseGeometry
) -> AnySelect:
    """SQLite: the query's rows whose R*Tree box meets other's, each with its raw WKB last."""
    raw = type_coerce(attribute, LargeBinary).label("raw_wkb")
    return query.add_columns(raw).where(rtree_candidates(attribute, other.bounds))


def matching(
    session: Session,
    query: AnySelect,
    attribute: InstrumentedAttribute[Any],
    predicate: Predicate,
    other: BaseGeometry,
    *,
    limit: int | None = None,
) -> list[Any]:
    """Like matching_rows for a query of one entity or column: the first element of each row."""
    return [
        row[0] for row in matching_rows(session, query, attribute, predicate, other, limit=limit)
    ]


def _shapely_mask(predicate: Predicate, other: BaseGeometry, blobs: Sequence[bytes]) -> np.ndarray:
    """Which WKB geometries stand in `predicate` to other (one vectorised shapely call)."""
    if not blobs:
        return np.zeros(0, dtype=bool)
    shapely.prepare(other)
    points = _points(blobs)
    if points is not None and predicate is not Predicate.COVERS:
        # A point is covered by an area exactly when they intersect.
        return np.asarray(shapely.intersects_xy(other, points["x"], points["y"]), dtype=bool)
    geometries = shapely.from_wkb(np.array(blobs, dtype=object))
    if predicate is Predicate.COVERED_BY:
        return np.asarray(shapely.covers(other, geometries), dtype=bool)
    if predicate is Predicate.COVERS:
        return np.asarray(shapely.covers(geometries, other), dtype=bool)
    return np.asarray(shapely.intersects(geometries, other), dtype=bool)


_POINT_WKB = np.dtype([("order", "u1"), ("code", "<u4"), ("x", "<f8"), ("y", "<f8")])


def _points(blobs: Sequence[bytes]) -> np.ndarray | None:
    """2D little-endian WKB points read straight from the bytes (fields x, y); None otherwise."""
    if set(map(len, blobs)) != {_POINT_WKB.itemsize}:
        return None
    parsed = np.frombuffer(b"".join(blobs), dtype=_POINT_WKB)
    if not ((parsed["order"] == 1).all() and (parsed["code"] == 1).all()):
        return None
    return parsed
