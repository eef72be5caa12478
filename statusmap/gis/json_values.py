"""JSON values in words, for the messages of GeoJSON input: "a string ('abc')", "NaN"."""

from __future__ import annotations

import math
import numbers

# The GeoJSON object types (RFC 7946 section 1.4), named as such in messages.
GEOJSON_TYPES = frozenset(
    {
        "Feature",
        "FeatureCollection",
        "Point",
        "MultiPoint",
        "LineString",
        "MultiLineString",
        "Polygon",
        "MultiPolygon",
        "GeometryCollection",
    }
)


def finite(value: object) -> float | None:
    """The value as a finite float, or None if it is not a finite number (bool is not one)."""
    if not isinstance(value, numbers.Real) or isinstance(value, bool):
        return None
    try:
        number = float(value)
    except OverflowError:
        return None
    return number if math.isfinite(number) else None


def describe(value: object) -> str:
    """What a JSON value is, in words for a message: "a string ('abc')", "null", "NaN"."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"a boolean ({str(value).lower()})"
    if isinstance(value, numbers.Real):
        number = finite(value)
        if number is not None:
            return f"a number ({number:g})"
        return _nonfinite(value)
    if isinstance(value, str):
        return f"a string ({_short(value)})"
    if isinstance(value, list | tuple):
        return f"a list of {len(value)} item{'' if len(value) == 1 else 's'}"
    if isinstance(value, dict):
        kind = value.get("type")
        if isinstance(kind, str) and kind in GEOJSON_TYPES:
            return f"a {kind} object"
        return "an object without a GeoJSON type"
    return f"a Python {type(value).__name__}"


def _nonfinite(value: numbers.Real) -> str:
    try:
        number = float(value)
    except OverflowError:
        return "a number too large to be a coordinate"
    return "NaN" if math.isnan(number) else ("Infinity" if number > 0 else "-Infinity")


def _short(text: str) -> str:
    shown = repr(text)
    return shown if len(shown) <= 40 else shown[:36] + "...'"
