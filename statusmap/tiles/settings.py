"""The tile proxy's settings (TILE_*): defaults and the checks that refuse what cannot work."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from statusmap.tiles.proxy import TileSettings

# Kartverket's open cache (CC BY 4.0, "© Kartverket"): row ({y}) before column ({x}).
KARTVERKET = "https://cache.kartverket.no/v1/wmts/1.0.0/{layer}/default/webmercator/{z}/{y}/{x}.png"

TILE_DEFAULTS: dict[str, Any] = {
    # Fetched by our server, never by residents' browsers (who would tell it their IP address).
    "TILE_UPSTREAM": KARTVERKET,
    # Layers offered, the first shown first; [] turns tiles off (the street layer remains).
    "TILE_LAYERS": ["topograatone", "topo"],
    "TILE_ATTRIBUTION": "© Kartverket",
    "TILE_MIN_ZOOM": 5,
    "TILE_MAX_ZOOM": 18,
    # Kartverket's data at zoom 12+ includes Geovekst data: pass through, keep briefly, in memory.
    "TILE_CACHE_SECONDS": 3600,
    "TILE_CACHE_MB": 64,
    "TILE_TIMEOUT_SECONDS": 3.0,
    "TILE_MAX_UPSTREAM": 4,
    "TILE_FAILURE_SECONDS": 30,
    # Tiles are served for each municipality's area plus this margin, and nowhere else.
    "TILE_MARGIN_M": 5000,
}


# The widest view any map offers (a region around the municipality).
MAP_MIN_ZOOM = 8


class TileConfigError(ValueError):
    """A TILE_* setting that cannot work; the message names it."""


def tile_settings(config: Mapping[str, Any]) -> TileSettings | None:
    """The proxy's settings from configuration, or None when no layer is configured."""
    if config.get("TILE_URL_TEMPLATE"):
        raise TileConfigError(
            "STATUSMAP_TILE_URL_TEMPLATE is gone: browsers no longer fetch tiles from another "
            "host. Put the tile server's URL template in STATUSMAP_TILE_UPSTREAM (with {layer}, "
            "{z}, {x}, {y}) and its layers in STATUSMAP_TILE_LAYERS; statusmap fetches them."
        )
    layers = config["TILE_LAYERS"]
    if not isinstance(layers, list | tuple) or not all(
        isinstance(layer, str) and layer.replace("_", "").replace("-", "").isalnum()
        for layer in layers
    ):
        raise TileConfigError(
            "STATUSMAP_TILE_LAYERS must be a JSON list of layer names (letters, digits, - and _)"
        )
    if not layers:
        return None
    _check_upstream(str(config["TILE_UPSTREAM"]), len(layers))
    if not config["TILE_ATTRIBUTION"]:
        raise TileConfigError("STATUSMAP_TILE_ATTRIBUTION is required with tiles (their licence)")
    numbers = _numbers(config)
    return TileSettings(
        upstream=str(config["TILE_UPSTREAM"]),
        layers=tuple(layers),
        min_zoom=int(numbers["TILE_MIN_ZOOM"]),
        max_zoom=int(numbers["TILE_MAX_ZOOM"]),
        timeout_s=float(numbers["TILE_TIMEOUT_SECONDS"]),
        cache_seconds=int(numbers["TILE_CACHE_SECONDS"]),
        cache_bytes=int(numbers["TILE_CACHE_MB"] * 1_000_000),
        max_upstream=int(numbers["TILE_MAX_UPSTREAM"]),
        failure_seconds=int(numbers["TILE_FAILURE_SECONDS"]),
    )


_NUMBERS = (
    "TILE_MIN_ZOOM",
    "TILE_MAX_ZOOM",
    "TILE_CACHE_SECONDS",
    "TILE_CACHE_MB",
    "TILE_TIMEOUT_SECONDS",
    "TILE_MAX_UPSTREAM",
    "TILE_FAILURE_SECONDS",
    "TILE_MARGIN_M",
)


def _numbers(config: Mapping[str, Any]) -> dict[str, float]:
    """The numeric TILE_* settings, each checked, and checked against each other."""
    numbers = {name: _number(config, name) for name in _NUMBERS}
    if not 0 <= numbers["TILE_MIN_ZOOM"] <= numbers["TILE_MAX_ZOOM"] <= 22:
        raise TileConfigError("STATUSMAP_TILE_MIN_ZOOM/MAX_ZOOM must satisfy 0 <= min <= max <= 22")
    if numbers["TILE_MAX_ZOOM"] < MAP_MIN_ZOOM:
        raise TileConfigError(
            f"STATUSMAP_TILE_MAX_ZOOM must be at least {MAP_MIN_ZOOM}: maps never zoom out further"
        )
    if numbers["TILE_TIMEOUT_SECONDS"] <= 0 or numbers["TILE_MAX_UPSTREAM"] < 1:
        raise TileConfigError(
            "STATUSMAP_TILE_TIMEOUT_SECONDS must be above 0 and STATUSMAP_TILE_MAX_UPSTREAM "
            "at least 1"
        )
    return numbers


def _number(config: Mapping[str, Any], name: str) -> float:
    value = config[name]
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise TileConfigError(f"STATUSMAP_{name} must be a number >= 0, got {value!r}")
    return float(value)


def _check_upstream(template: str, layers: int) -> None:
    """The upstream must be an absolute http(s) URL template with the tile's place in it."""
    parts = urlsplit(template)
    if parts.scheme not in ("https", "http") or not parts.netloc:
        raise TileConfigError(
            "STATUSMAP_TILE_UPSTREAM must be an absolute http(s):// URL template (our server "
            f"fetches it; protocol-relative //host and paths are refused), got {template!r}"
        )
    needed = ["{z}", "{x}", "{y}"] + (["{layer}"] if layers > 1 else [])
    missing = [part for part in needed if part not in template]
    if missing:
        raise TileConfigError(
            f"STATUSMAP_TILE_UPSTREAM lacks {', '.join(missing)} (got {template!r})"
        )
    try:
        template.format(layer="topo", z=1, x=1, y=1)
    except (KeyError, IndexError, ValueError) as exc:
        raise TileConfigError(
            "STATUSMAP_TILE_UPSTREAM may hold only {layer}, {z}, {x} and {y} in braces "
            f"(got {template!r})"
        ) from exc
