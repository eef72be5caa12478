"""API routes: municipalities served, incidents as GeoJSON, incidents covering a point."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from flask import Response
from flask import abort
from flask import current_app
from flask import jsonify
from flask import request

from statusmap import db
from statusmap.api.blueprint import bp
from statusmap.api.blueprint import municipality_or_404
from statusmap.feeds.geojson import feature_collection
from statusmap.feeds.geojson import streets_collection
from statusmap.gis.queries.incidents import incidents_covering_point
from statusmap.gis.validation import GeometryError
from statusmap.gis.validation import check_point
from statusmap.i18n import KIND_LABELS
from statusmap.i18n import STATUS_LABELS
from statusmap.i18n import current_language
from statusmap.incidents.queries import public_incidents
from statusmap.models import Incident
from statusmap.models.base import utcnow
from statusmap.municipalities import list_municipalities
from statusmap.prepared import mark_prepared
from statusmap.prepared import prepared
from statusmap.prepared import public_stamp
from statusmap.streets.queries import streets_of
from statusmap.streets.queries import streets_version
from statusmap.web import external_url
from statusmap.web import incident_url


def _incident_url(incident: Incident) -> str:
    return incident_url(incident.municipality.slug, incident.id, external=True)


@bp.get("/municipalities")
def municipalities() -> Response:
    """List the municipalities this instance serves, with links to their page and feeds."""
    items = [
        {
            "slug": m.slug,
            "kommunenummer": m.kommunenummer,
            "names": dict(m.name),
            "is_demo": m.is_demo,
            "links": {
                "page": external_url("public.municipality_page", slug=m.slug),
                "incidents_geojson": external_url("api.incidents_geojson", slug=m.slug),
            },
        }
        for m in list_municipalities(db.session())
    ]
    return jsonify({"municipalities": items})


@bp.get("/<slug>/incidents.geojson")
@prepared(vary_args=("include",))
def incidents_geojson(slug: str) -> Response:
    """Active and scheduled incidents as RFC 7946 GeoJSON; ?include=resolved adds those."""
    municipality = municipality_or_404(slug)
    with_resolved = request.args.get("include") == "resolved"
    now = utcnow()
    found = public_incidents(
        db.session(),
        municipality.id,
        now=now,
        recent_days=current_app.config["RECENTLY_RESOLVED_DAYS"],
        include_resolved=with_resolved,
    )
    body = _collection(found.current + found.resolved, now)
    response = jsonify(body)
    response.mimetype = "application/geo+json"
    return response


@bp.get("/<slug>/streets.geojson")
def streets_geojson(slug: str) -> Response:
    """The municipality's street layer (names and centrelines), for maps without tiles."""
    municipality = municipality_or_404(slug)
    session = db.session()
    # Built once per import and kept with the app: a request costs one small query.
    version = streets_version(session, municipality.id)
    built: dict[int, tuple[object, bytes]] = current_app.extensions.setdefault("streets", {})
    cached = built.get(municipality.id)
    if cached is None or cached[0] != version:
        collection = streets_collection(streets_of(session, municipality.id))
        body = json.dumps(collection, ensure_ascii=False, separators=(",", ":")).encode()
        built[municipality.id] = cached = (version, body)
    response = Response(cached[1], mimetype="application/geo+json")
    # Changes only on import: browsers revalidate after five minutes and get a 304 if unchanged.
    response.headers["Cache-Control"] = "public, max-age=300"
    response.add_etag()
    response.make_conditional(request)
    return response


@bp.get("/<slug>/incidents/at")
def incidents_at(slug: str) -> Response:
    """Active incidents covering a point given as ?lon=&lat= (EPSG:4326)."""
    municipality = municipality_or_404(slug)
    try:
        lon, lat = float(request.args["lon"]), float(request.args["lat"])
    except (KeyError, ValueError):
        abort(400, "Give the point as ?lon=<longitude>&lat=<latitude> in decimal degrees.")
    try:
        point = check_point(lon, lat)
    except GeometryError as exc:
        abort(400, str(exc))
    now = utcnow()
    found = incidents_covering_point(db.session(), municipality.id, point, now=now)
    return jsonify({"affected": bool(found), **_collection(found, now)})


def _collection(incidents: list[Incident], now: datetime) -> dict[str, Any]:
    language = current_language()
    return feature_collection(
        incidents,
        language,
        now=now,
        url_for=_incident_url,
        kind_label=lambda i: str(KIND_LABELS[i.kind]),
        status_label=lambda status: str(STATUS_LABELS[status]),
    )


@bp.get("/<slug>/changes")
def changes(slug: str) -> Response:
    """The change stamp open pages poll: tiny, and cacheable for a few seconds by anyone."""
    found = public_stamp(slug) or abort(404, f"No municipality {slug!r}.")
    response = jsonify(found[1].to_json())
    response.set_etag(f"serial-{found[1].serial}")
    mark_prepared(slug, found[1].serial)
    maximum = current_app.config["CHANGES_MAX_AGE_S"]
    response.headers["Cache-Control"] = (
        f"public, max-age={maximum}, stale-while-revalidate={maximum}"
    )
    return response
