"""Polygon files (GeoJSON, GeoPackage, Shapefile; any CRS) as one EPSG:4326 MultiPolygon.

For a municipality's boundary (picked by kommunenummer from a file of many) and for an uploaded
incident area. Read from a path, or from uploaded bytes and their file name (polygon_reader).
Heights are dropped and said; nothing is repaired: an invalid polygon is refused with the place
where it is wrong, so whoever drew it can mend it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import shapely
from shapely.geometry import MultiPolygon
from shapely.geometry import Polygon
from shapely.geometry.base import BaseGeometry

from statusmap.gis.polygon_reader import ACCEPTED as ACCEPTED
from statusmap.gis.polygon_reader import PolygonFileError as PolygonFileError
from statusmap.gis.polygon_reader import read_polygon_file as read_polygon_file
from statusmap.gis.validation import invalid_reason

# A national file of every municipality at full resolution is some tens of MB.
BOUNDARY_MAX_BYTES = 500_000_000
# Property names that hold the municipality number: Kartverket's, its Shapefile's 10-character
# cut, and what other exports call it. Compared case-insensitively.
KOMMUNENUMMER_FIELDS = ("kommunenummer", "kommunenum", "kommunenr", "komm", "knr", "kommune_nr")
NAME_FIELDS = ("kommunenavn", "navn", "name")
# EUREF89 UTM zones used in Norway and their central meridians. Kartverket: "sonene 32, 33 og 35
# skal brukast til kartlegging i Noreg" (kartverket.no, Kartprojeksjonar); zone 34 was dropped and
# 33 and 35 widened to cover its ground (the national report to EUREF, at crs.bkg.bund.de).
UTM_CENTRAL_MERIDIANS = {25832: 9.0, 25833: 15.0, 25835: 27.0}


@dataclass
class FileArea:
    """All the polygons of a file merged into one area, and what was done on the way."""

    geometry: MultiPolygon
    notes: list[str]


@dataclass
class FileBoundary:
    """One municipality's boundary picked from a file, with its name there (if any)."""

    geometry: MultiPolygon
    name: str | None
    notes: list[str]


def area_from_file(
    source: Path | str | bytes, *, max_bytes: int, filename: str | None = None
) -> FileArea:
    """Merge every polygon feature of the file into one EPSG:4326 MultiPolygon."""
    frame, notes, shown = read_polygon_file(source, max_bytes=max_bytes, filename=filename)
    return FileArea(_merged(frame, shown, notes), notes)


def boundary_from_file(
    source: Path | str | bytes,
    kommunenummer: str | int,
    *,
    max_bytes: int = BOUNDARY_MAX_BYTES,
    filename: str | None = None,
) -> FileBoundary:
    """Pick one municipality's boundary by kommunenummer from a file of one or many."""
    frame, notes, shown = read_polygon_file(source, max_bytes=max_bytes, filename=filename)
    wanted = normal_kommunenummer(kommunenummer)
    column = _column(frame, KOMMUNENUMMER_FIELDS)
    if column is None:
        polygons = int(_polygon_mask(frame).sum())
        if polygons > 1:  # one is the municipality's own file; none is said by _merged
            raise PolygonFileError(
                f"{shown} has {polygons} polygon features and no property saying their "
                "kommunenummer "
                f"(looked for {', '.join(KOMMUNENUMMER_FIELDS)}; it has "
                f"{_properties(frame)}): cannot tell which one is {wanted}."
            )
        picked = frame
    else:
        numbers = frame[column].map(normal_kommunenummer)
        picked = frame[numbers == wanted]
        if picked.empty:
            raise PolygonFileError(_no_match(shown, column, wanted, numbers))
    names = _column(picked, NAME_FIELDS)
    name = _text(picked[names].iloc[0]) if names else None
    return FileBoundary(_merged(picked, shown, notes), name, notes)


def choose_utm_zone(boundary: BaseGeometry) -> int:
    """The EUREF89 UTM zone (EPSG code) whose central meridian is nearest the boundary's centre.

    Nearest meridian, because the scale error that distorts measured metres grows with the
    distance from it: west of 12°E zone 32, 12-21°E zone 33, east of 21°E zone 35. Geonorge
    recommends 32 for data up to Trøndelag, 35 for Troms and Finnmark and 33 for the whole
    country; by this rule most of Troms (Tromsø, ~19°E) measures in 33, nearer its meridian.
    """
    lon = boundary.centroid.x
    return min(UTM_CENTRAL_MERIDIANS, key=lambda epsg: abs(UTM_CENTRAL_MERIDIANS[epsg] - lon))


def normal_kommunenummer(value: Any) -> str | None:
    """A kommunenummer as four-digit text: "0301", "301" and 301 are all "0301"."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text.zfill(4) if text.isascii() and text.isdigit() else text or None


def _polygon_mask(frame: gpd.GeoDataFrame) -> Any:
    return frame.geom_type.isin(["Polygon", "MultiPolygon"]) & ~frame.geometry.is_empty


def _merged(frame: gpd.GeoDataFrame, shown: str, notes: list[str]) -> MultiPolygon:
    """The union of the frame's polygons, each checked valid first; other features noted."""
    is_polygon = _polygon_mask(frame)
    if not is_polygon.any():
        kinds = sorted({str(t) for t in frame.geom_type.dropna()}) or ["no geometry"]
        raise PolygonFileError(
            f"{shown} has {_features(len(frame))} but no polygons: {', '.join(kinds)}."
        )
    polygons = frame.geometry[is_polygon]
    for number, geometry in zip(polygons.index, polygons, strict=True):
        _check_valid(geometry, f"{shown}: feature {number + 1}", notes)
    ignored = int((~is_polygon).sum())
    if ignored:
        kinds = sorted({str(t) for t in frame.geom_type[~is_polygon].dropna()}) or ["empty"]
        notes.append(f"{_features(ignored)} not polygons, ignored ({', '.join(kinds)}).")
    if len(polygons) > 1:
        notes.append(f"{len(polygons)} polygon features merged into one area.")
    merged = shapely.union_all(polygons.to_numpy())
    if isinstance(merged, Polygon):
        return MultiPolygon([merged])
    assert isinstance(merged, MultiPolygon), merged.geom_type  # a union of valid polygons
    return merged


def _check_valid(geometry: BaseGeometry, label: str, notes: list[str]) -> None:
    """Refuse an invalid polygon, saying where; parts that overlap each other are only noted.

    Every part is checked on its own: a ring that crosses itself has no one meaning, and is
    refused. Valid parts that overlap (generalised national boundaries have them) cover a clear
    area, which the union below keeps, so that is said, not refused.
    """
    for part in shapely.get_parts(geometry):
        if not part.is_valid:
            what, place = invalid_reason(part)
            crosses = what.lower() == "self-intersection"
            fault = "has an outline that crosses itself" if crosses else "is not a valid polygon"
            raise PolygonFileError(
                f"{label} {fault} ({what}){_near(place)}. Mend it in your GIS and export it again.",
                location=place,
            )
    if not geometry.is_valid:
        what, place = invalid_reason(geometry)
        notes.append(
            f"{label.split(': ')[-1].capitalize()} has parts that overlap ({what.lower()}"
            f"{_near(place)}); the area they cover is kept as one."
        )


def _features(count: int) -> str:
    return f"{count} feature" if count == 1 else f"{count} features"


def _near(place: tuple[float, float] | None) -> str:
    return f" near longitude {place[0]:.6f}, latitude {place[1]:.6f}" if place else ""


def _column(frame: gpd.GeoDataFrame, candidates: tuple[str, ...]) -> str | None:
    by_lower = {str(c).lower(): str(c) for c in frame.columns if c != frame.geometry.name}
    return next((by_lower[c] for c in candidates if c in by_lower), None)


def _properties(frame: gpd.GeoDataFrame) -> str:
    names = [str(c) for c in frame.columns if c != frame.geometry.name]
    return ", ".join(names) if names else "no properties"


def _no_match(shown: str, column: str, wanted: str | None, numbers: Any) -> str:
    present = sorted({n for n in numbers if n})
    listed = ", ".join(present[:10]) + (
        f" and {len(present) - 10} more" if len(present) > 10 else ""
    )
    return (
        f"{shown} has no feature with kommunenummer {wanted} (read from its property "
        f"{column!r}); it has {listed or 'none'}."
    )


def _text(value: Any) -> str | None:
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None
