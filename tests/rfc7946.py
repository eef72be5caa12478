"""An independent checker for RFC 7946 GeoJSON, used by the tests (not by the app)."""

from __future__ import annotations

from typing import Any


def _signed_area(ring: list[list[float]]) -> float:
    return (
        sum(x1 * y2 - x2 * y1 for (x1, y1, *_), (x2, y2, *_) in zip(ring, ring[1:], strict=False))
        / 2
    )


def _check_position(position: Any, where: str) -> list[str]:
    if not isinstance(position, list) or len(position) not in (2, 3):
        return [f"{where}: a position must be [lon, lat] or [lon, lat, alt]"]
    lon, lat = position[0], position[1]
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        return [f"{where}: {position} is not lon/lat in range"]
    return []


def _check_polygon(rings: list[Any], where: str) -> list[str]:
    problems: list[str] = []
    for index, ring in enumerate(rings):
        for position in ring:
            problems += _check_position(position, where)
        if len(ring) < 4 or ring[0] != ring[-1]:
            problems.append(f"{where} ring {index}: not a closed linear ring of >= 4 positions")
            continue
        area = _signed_area(ring)
        if index == 0 and area <= 0:
            problems.append(f"{where}: exterior ring is not counter-clockwise (right-hand rule)")
        if index > 0 and area >= 0:
            problems.append(f"{where}: hole {index} is not clockwise (right-hand rule)")
    return problems


def _check_line(positions: list[Any], where: str) -> list[str]:
    if not isinstance(positions, list) or len(positions) < 2:
        return [f"{where}: a line needs two or more positions"]
    return [p for position in positions for p in _check_position(position, where)]


def check_geometry(geometry: Any, where: str) -> list[str]:
    """Return the RFC 7946 problems of one geometry object."""
    if geometry is None:
        return []
    if "crs" in geometry:
        return [f"{where}: has a crs member (RFC 7946 removed it)"]
    kind, coordinates = geometry.get("type"), geometry.get("coordinates")
    if kind == "Point":
        return _check_position(coordinates, where)
    if kind == "LineString":
        return _check_line(coordinates, where)
    if kind == "MultiLineString":
        return [p for i, line in enumerate(coordinates) for p in _check_line(line, f"{where}.{i}")]
    if kind == "Polygon":
        return _check_polygon(coordinates, where)
    if kind == "MultiPolygon":
        return [
            p for i, poly in enumerate(coordinates) for p in _check_polygon(poly, f"{where}.{i}")
        ]
    return [f"{where}: unexpected geometry type {kind!r}"]


def check_feature_collection(document: Any) -> list[str]:
    """Return every RFC 7946 problem of a FeatureCollection; empty means valid."""
    if document.get("type") != "FeatureCollection":
        return ["top level is not a FeatureCollection"]
    problems = ["top level has a crs member"] if "crs" in document else []
    for index, feature in enumerate(document.get("features", [])):
        where = f"feature {index}"
        if feature.get("type") != "Feature" or "properties" not in feature:
            problems.append(f"{where}: not a Feature with properties")
        if "crs" in feature:
            problems.append(f"{where}: has a crs member")
        if "id" in feature and not isinstance(feature["id"], str | int):
            problems.append(f"{where}: id must be a string or number")
        problems += check_geometry(feature.get("geometry"), where)
    return problems
