"""Import road centrelines from any line file (any CRS) as a municipality's street layer.

Kartverket's or the road authority's road data and OpenStreetMap extracts all work: the file is
read with geopandas, reprojected, clipped to the municipality (plus a margin), merged into one
geometry per street name, simplified for the web, and replaces the municipality's streets as a
whole. A file that cannot be used changes nothing; the caller commits.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely
from shapely.geometry import LineString
from shapely.geometry import MultiLineString
from shapely.geometry.base import BaseGeometry
from sqlalchemy import delete
from sqlalchemy import insert
from sqlalchemy.orm import Session

from statusmap.changes import bump
from statusmap.gis.crs import to_utm
from statusmap.gis.crs import to_wgs84
from statusmap.gis.validation import Z_DROPPED
from statusmap.models import Municipality
from statusmap.models import Street
from statusmap.models.audit import record


class StreetFileError(ValueError):
    """The file cannot be used as a street layer; nothing was imported."""


# Name columns in the files people have: OpenStreetMap, Kartverket/NVDB, our demo, and others.
NAME_FIELDS = ("name", "navn", "adressenavn", "gatenavn", "vegnavn", "gatenamn", "vegnamn")
SIMPLIFY_M = 2.0  # finer than a street line is drawn at any zoom a resident uses
NAME_LIMIT = 200  # the column's width


@dataclass
class StreetSummary:
    """What an import did."""

    read: int = 0
    not_lines: int = 0  # points, polygons, empty geometries: skipped
    outside: int = 0  # wholly outside the municipality and its margin
    streets: int = 0  # stored, one per name (unnamed roads one each)
    notes: list[str] = field(default_factory=list)


@dataclass
class PreparedStreets:
    """A read, clipped and simplified street file, ready to store; no database touched yet."""

    path: Path
    rows: list[dict[str, object]]
    summary: StreetSummary


def prepare_streets(
    municipality: Municipality,
    path: Path,
    *,
    name_field: str | None = None,
    crs: int | None = None,
    margin_m: float = 2000.0,
) -> PreparedStreets:
    """Read a line file into streets for the municipality (no database); StreetFileError if not."""
    frame = _read(path, crs)
    summary = StreetSummary(read=len(frame))
    column = _name_column(frame, name_field, path)
    names = frame[column].fillna("").astype(str).str.strip() if column else None
    kept = _lines_inside(frame.geometry, municipality, margin_m, summary)
    rows = _streets(kept, None if names is None else names[kept.index], municipality)
    if not rows:
        raise StreetFileError(
            f"{path.name} has no line inside {municipality.name_in('nb')} or within "
            f"{margin_m:.0f} m of it: is it the right file and coordinate system?"
        )
    summary.streets = len(rows)
    return PreparedStreets(path, rows, summary)


def replace_streets(
    session: Session,
    municipality: Municipality,
    prepared: PreparedStreets,
    *,
    actor: str,
    attribution: str | None = None,
) -> StreetSummary:
    """Replace the municipality's streets with the prepared ones, as a whole, with an audit row."""
    session.execute(delete(Street).where(Street.municipality_id == municipality.id))
    session.execute(insert(Street), prepared.rows)
    bump(session, [municipality.id])  # the maps and the share images draw the streets
    if attribution is not None:
        municipality.streets_attribution = attribution.strip()
    record(
        session,
        actor=actor,
        action="import_streets",
        obj=municipality,
        municipality_id=municipality.id,
        file=prepared.path.name,
        read=prepared.summary.read,
        streets=prepared.summary.streets,
    )
    return prepared.summary


def import_streets(
    session: Session,
    municipality: Municipality,
    path: Path,
    *,
    actor: str,
    name_field: str | None = None,
    crs: int | None = None,
    margin_m: float = 2000.0,
    attribution: str | None = None,
) -> StreetSummary:
    """Read a line file and replace the municipality's streets with it, in one go."""
    prepared = prepare_streets(
        municipality, path, name_field=name_field, crs=crs, margin_m=margin_m
    )
    return replace_streets(session, municipality, prepared, actor=actor, attribution=attribution)


def _lines_inside(
    lines: gpd.GeoSeries, municipality: Municipality, margin_m: float, summary: StreetSummary
) -> gpd.GeoSeries:
    """The lines, in the municipality's UTM zone, 2D, clipped to it plus the margin."""
    if lines.has_z.any():
        summary.notes.append(Z_DROPPED)
    local = lines.to_crs(municipality.utm_epsg).force_2d()
    is_line = local.geom_type.isin(["LineString", "MultiLineString"]) & ~local.is_empty
    summary.not_lines = int((~is_line).sum())
    area = to_utm(municipality.boundary, municipality.utm_epsg).buffer(margin_m)
    clipped = local[is_line].intersection(area)
    kept = clipped[~clipped.is_empty]
    summary.outside = int(is_line.sum()) - len(kept)
    return kept


def _read(path: Path, crs: int | None) -> gpd.GeoDataFrame:
    if not path.is_file():
        raise StreetFileError(f"No such file: {path}")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # GDAL's chatter about odd files; errors still raise
            frame = gpd.read_file(path)
    except Exception as exc:  # pyogrio raises several unrelated types for unreadable files
        raise StreetFileError(f"{path.name} could not be read as a GIS file: {exc}") from exc
    if frame.empty:
        raise StreetFileError(f"{path.name} holds no features.")
    if crs is not None:
        frame = frame.set_crs(crs, allow_override=True)
    elif frame.crs is None:
        raise StreetFileError(
            f"{path.name} does not say its coordinate system; give it with --crs (e.g. 25832)."
        )
    return frame


def _name_column(frame: gpd.GeoDataFrame, wanted: str | None, path: Path) -> str | None:
    """The column holding street names: the one asked for, else the first known name column."""
    if wanted:
        if wanted not in frame.columns:
            columns = ", ".join(c for c in frame.columns if c != frame.geometry.name)
            raise StreetFileError(f"{path.name} has no column {wanted!r} (it has: {columns}).")
        return wanted
    by_lower = {str(c).lower(): str(c) for c in frame.columns}
    return next((by_lower[n] for n in NAME_FIELDS if n in by_lower), None)


def _streets(
    lines: gpd.GeoSeries, names: pd.Series | None, municipality: Municipality
) -> list[dict[str, object]]:
    """One row per street name (its pieces merged), unnamed roads one row each, in EPSG:4326."""
    groups: dict[str, list[BaseGeometry]] = {}
    unnamed: list[BaseGeometry] = []
    labels = [""] * len(lines) if names is None else names.tolist()
    for geometry, label in zip(lines, labels, strict=True):
        name = str(label)[:NAME_LIMIT]
        (groups.setdefault(name, []) if name else unnamed).append(geometry)
    pieces: list[tuple[str, BaseGeometry]] = [
        (name, shapely.line_merge(shapely.union_all(parts))) for name, parts in groups.items()
    ]
    pieces += [("", geometry) for geometry in unnamed]
    rows = []
    for name, geometry in sorted(pieces, key=lambda p: p[0]):
        web = _for_the_web(geometry, municipality.utm_epsg)
        if web is not None:
            rows.append({"municipality_id": municipality.id, "name": name, "geometry": web})
    return rows


def _line_parts(geometry: BaseGeometry) -> list[LineString]:
    """The LineStrings in a geometry, however nested (clipping can make collections)."""
    if isinstance(geometry, LineString):
        return [] if geometry.is_empty or geometry.length == 0 else [geometry]
    if hasattr(geometry, "geoms"):
        return [line for part in geometry.geoms for line in _line_parts(part)]
    return []  # a point where a road only touches the margin


def _for_the_web(geometry: BaseGeometry, utm_epsg: int) -> MultiLineString | None:
    """Simplify in metres, keep only the lines, and round to six decimals in EPSG:4326."""
    parts = _line_parts(geometry.simplify(SIMPLIFY_M, preserve_topology=False))
    if not parts:
        return None
    lonlat = to_wgs84(MultiLineString(parts), utm_epsg)
    rounded = shapely.set_precision(lonlat, 1e-6, mode="pointwise")
    if rounded.is_empty:
        return None
    if isinstance(rounded, LineString):
        return MultiLineString([rounded])
    return rounded if isinstance(rounded, MultiLineString) else None
