"""The map editor's calls while an area is drawn: count what it holds, read an uploaded file,
and the address points of the map's view. Editors only; answers are JSON, errors 422 with the
place of the fault where there is one.
"""

from __future__ import annotations

import math
from typing import Any

import shapely
from flask import current_app
from flask import jsonify
from flask import request
from flask_babel import gettext as _
from shapely.geometry import mapping
from shapely.geometry.base import BaseGeometry
from werkzeug.wrappers import Response

from statusmap import db
from statusmap.auth.access import membership_in
from statusmap.db import reads_only
from statusmap.gis.queries.addresses import addresses_in_bbox
from statusmap.gis.queries.addresses import count_addresses_in_area
from statusmap.gis.queries.affected import vulnerable_in_area
from statusmap.gis.queries.subscriber_targets import reach_of
from statusmap.gis.validation import GeometryError
from statusmap.gis.validation import parse_geojson
from statusmap.i18n import current_language
from statusmap.incidents.affected import AffectedSummary
from statusmap.incidents.operations import checked_area
from statusmap.models import Address
from statusmap.models import Municipality
from statusmap.models import Role
from statusmap.staff.area_input import read_upload
from statusmap.staff.blueprint import bp
from statusmap.staff.incident_views import limits

ADDRESS_POINTS_LIMIT = 2000  # per view; the map asks the user to zoom in beyond that


def _refused(message: str, location: tuple[float, float] | None = None) -> tuple[Response, int]:
    return jsonify({"error": message, "location": list(location) if location else None}), 422


def _checked(geometry: BaseGeometry, municipality: Municipality) -> BaseGeometry:
    """The checks an incident's area gets when saved: the same answer now as at saving."""
    area = checked_area(geometry, municipality, limits())
    assert area is not None  # a geometry in, a geometry out
    return area


def _too_big() -> bool:
    return (request.content_length or 0) > current_app.config["MAX_GEOMETRY_BYTES"] + 4096


@bp.post("/<slug>/area/count")
@reads_only
def count_area(slug: str) -> Response | tuple[Response, int]:
    """Addresses, dwellings, vulnerable subscribers and the warning's reach inside
    {"area": <GeoJSON geometry>}."""
    _user, municipality = membership_in(slug, Role.EDITOR)
    if _too_big():
        limit = current_app.config["MAX_GEOMETRY_BYTES"]
        return _refused(_("Området er større enn %(n)d byte.", n=limit))
    payload = request.get_json(silent=True)
    if not isinstance(payload, dict) or not isinstance(payload.get("area"), dict):
        return _refused(_('Området må sendes som JSON: {"area": <GeoJSON-geometri>}.'))
    try:
        max_bytes = current_app.config["MAX_GEOMETRY_BYTES"]
        area = _checked(parse_geojson(payload["area"], max_bytes=max_bytes), municipality)
    except GeometryError as exc:
        return _refused(str(exc), exc.location)
    session = db.session()
    count = count_addresses_in_area(session, municipality.id, area)
    vulnerable = vulnerable_in_area(session, municipality.id, area)
    answer = AffectedSummary.build(count, vulnerable).to_json(current_language())
    # Whom a warning to this area would reach now, before anything is saved or sent.
    reach = reach_of(session, municipality.id, area)
    answer["subscribers"] = {
        "total": reach.subscribers, "vulnerable": reach.vulnerable,
        "sms": reach.sms, "voice": reach.voice, "email": reach.email,
    }  # fmt: skip
    return jsonify(answer)


@bp.post("/<slug>/area/upload")
@reads_only
def upload_area(slug: str) -> Response | tuple[Response, int]:
    """An uploaded area file (field `file`) as one checked MultiPolygon, with notes."""
    _user, municipality = membership_in(slug, Role.EDITOR)
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return _refused(_("Velg en fil å laste opp."))
    notes: list[str] = []
    try:  # the same reading as a file sent with the form (no JavaScript)
        area = _checked(read_upload(upload, notes), municipality)
    except GeometryError as exc:  # PolygonFileError is one too
        return _refused(str(exc), exc.location)
    return jsonify({"area": mapping(area), "notes": notes})


@bp.get("/<slug>/area/addresses.geojson")
def address_points(slug: str) -> Response | tuple[Response, int]:
    """The current addresses in ?bbox=minlon,minlat,maxlon,maxlat (at most ADDRESS_POINTS_LIMIT)."""
    _user, municipality = membership_in(slug, Role.EDITOR)
    bbox = _bbox(request.args.get("bbox", ""))
    if bbox is None:
        return _refused(_("Oppgi utsnittet som ?bbox=minlon,minlat,maxlon,maxlat i grader."))
    found = addresses_in_bbox(db.session(), municipality.id, bbox, limit=ADDRESS_POINTS_LIMIT + 1)
    features = [_point(a) for a in found[:ADDRESS_POINTS_LIMIT]]
    capped = len(found) > ADDRESS_POINTS_LIMIT
    return jsonify({"type": "FeatureCollection", "features": features, "capped": capped})


def _point(address: Address) -> dict[str, Any]:
    (lon, lat), *_ = shapely.get_coordinates(address.location).tolist()
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [round(lon, 7), round(lat, 7)]},
        "properties": {
            "label": address.label,
            "vulnerable": address.vulnerable_category is not None,
        },
    }


def _bbox(text: str) -> tuple[float, float, float, float] | None:
    try:
        values = [float(part) for part in text.split(",")]
    except ValueError:
        return None
    if len(values) != 4 or not all(math.isfinite(v) for v in values):
        return None
    min_lon, min_lat, max_lon, max_lat = values
    if not (-180 <= min_lon < max_lon <= 180 and -90 <= min_lat < max_lat <= 90):
        return None
    return min_lon, min_lat, max_lon, max_lat
