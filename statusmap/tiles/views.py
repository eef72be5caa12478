"""The tile route: /tiles/<layer>/<z>/<x>/<y>.png, answered by the app's TileProxy."""

from __future__ import annotations

import math
import time

from flask import Blueprint
from flask import Flask
from flask import Response
from flask import abort
from flask import current_app

from statusmap import db
from statusmap.municipalities import list_municipalities
from statusmap.tiles.proxy import BBox
from statusmap.tiles.proxy import TileProxy
from statusmap.tiles.settings import tile_settings

bp = Blueprint("tiles", __name__)
AREAS_SECONDS = 60  # how long the served municipalities' boxes are trusted before re-reading


def init_app(app: Flask) -> None:
    """Give the app its tile proxy (when tiles are configured) and the route."""
    settings = tile_settings(app.config)
    if settings is not None:
        margin = float(app.config["TILE_MARGIN_M"])
        app.extensions["statusmap_tiles"] = TileProxy(settings, _MunicipalityAreas(margin))
    app.register_blueprint(bp, url_prefix="/tiles")


@bp.get("/<layer>/<int:z>/<int:x>/<int:y>.png")
def tile(layer: str, z: int, x: int, y: int) -> Response:
    """One base-map tile, fetched upstream by us so the resident's browser talks only to us."""
    proxy: TileProxy | None = current_app.extensions.get("statusmap_tiles")
    if proxy is None:
        abort(404)
    answer = proxy.get(layer, z, x, y)
    response = Response(answer.body, status=answer.status, content_type=answer.content_type)
    if answer.status == 200:
        response.headers["Cache-Control"] = f"public, max-age={answer.max_age}"
    elif answer.status in (502, 503, 504):
        response.headers["Retry-After"] = str(proxy.settings.failure_seconds)
    return response


class _MunicipalityAreas:
    """The served municipalities' bounding boxes plus a margin, re-read every minute."""

    def __init__(self, margin_m: float) -> None:
        self.margin_m = margin_m
        self._boxes: list[BBox] = []
        self._read_at = -math.inf

    def __call__(self) -> list[BBox]:
        if time.monotonic() - self._read_at > AREAS_SECONDS:
            self._boxes = [
                _grow(m.boundary.bounds, self.margin_m) for m in list_municipalities(db.session())
            ]
            self._read_at = time.monotonic()
        return self._boxes


def _grow(bounds: tuple[float, ...], margin_m: float) -> BBox:
    min_lon, min_lat, max_lon, max_lat = bounds
    dlat = margin_m / 111_320
    dlon = margin_m / (111_320 * max(math.cos(math.radians(max(abs(min_lat), abs(max_lat)))), 0.1))
    return (min_lon - dlon, min_lat - dlat, max_lon + dlon, max_lat + dlat)
