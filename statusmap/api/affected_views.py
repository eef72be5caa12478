"""API for "am I affected?": address suggestions, the answer for an address or a position, and
one incident with its reach."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import Response
from flask import abort
from flask import jsonify
from flask import request

from statusmap import db
from statusmap.addresses.affected import AffectedAnswer
from statusmap.addresses.affected import affected_address
from statusmap.addresses.affected import affected_at
from statusmap.addresses.affected import point_in_municipality
from statusmap.addresses.search import MAX_QUERY
from statusmap.addresses.search import address_label
from statusmap.addresses.search import suggest_addresses
from statusmap.api.blueprint import bp
from statusmap.api.blueprint import municipality_or_404
from statusmap.feeds.geojson import incident_feature
from statusmap.gis.queries.addresses import count_addresses_in_area
from statusmap.gis.validation import GeometryError
from statusmap.i18n import KIND_LABELS
from statusmap.i18n import STATUS_LABELS
from statusmap.i18n import current_language
from statusmap.models import Address
from statusmap.models import Incident
from statusmap.models import IncidentStatus
from statusmap.models import Municipality
from statusmap.models.base import utcnow
from statusmap.prepared import prepared
from statusmap.web import incident_url


def _address(address: Address) -> dict[str, Any]:
    point = address.location
    return {
        "id": address.id,
        "label": address_label(address),
        "lat": round(point.y, 6),  # type: ignore[attr-defined]
        "lon": round(point.x, 6),  # type: ignore[attr-defined]
    }


def _feature(incident: Incident, now: datetime) -> dict[str, Any]:
    status = incident.status_at(now)
    return incident_feature(
        incident,
        current_language(),
        incident_url(incident.municipality.slug, incident.id, external=True),
        str(KIND_LABELS[incident.kind]),
        str(STATUS_LABELS[status]),
        now,
    )


@bp.get("/<slug>/addresses")
@prepared(vary_args=("q",))
def address_suggestions(slug: str) -> Response:
    """Up to ten addresses of the municipality that ?q= (being typed) may become."""
    municipality = municipality_or_404(slug)
    text = request.args.get("q", "")[:MAX_QUERY]
    found = suggest_addresses(db.session(), municipality.id, text) if text.strip() else []
    return jsonify({"addresses": [_address(a) for a in found]})


@bp.get("/<slug>/affected")
@prepared(vary_args=("address", "lat", "lon"))
def affected(slug: str) -> Response | tuple[Response, int]:
    """Whether an address (?address=) or a position (?lat=&lon=) is affected, and by what."""
    municipality = municipality_or_404(slug)
    now = utcnow()
    text = request.args.get("address", "")[:MAX_QUERY].strip()
    if not text:
        return jsonify(_answer(_at_position(municipality, now), now))
    lookup = affected_address(db.session(), municipality, text, now=now)
    if lookup.answer is not None:
        return jsonify(_answer(lookup.answer, now))
    if not lookup.candidates:
        abort(
            404,
            f"No address {text!r} in {municipality.name_in('en')}. Give the street and number "
            "as on the letterbox, for example 'Storgata 12B'.",
        )
    body = {
        "error": "Multiple Choices",
        "message": f"{text!r} matches several addresses: choose one of the candidates.",
        "candidates": [_address(a) for a in lookup.candidates],
    }
    return jsonify(body), 300


def _at_position(municipality: Municipality, now: datetime) -> AffectedAnswer:
    try:
        lat, lon = float(request.args["lat"]), float(request.args["lon"])
    except (KeyError, ValueError):
        abort(400, "Give ?address=<street and number>, or ?lat=&lon= in decimal degrees.")
    try:
        point = point_in_municipality(municipality, lon, lat)
    except GeometryError as exc:
        abort(400, str(exc))
    return affected_at(db.session(), municipality, point, now=now)


def _answer(answer: AffectedAnswer, now: datetime) -> dict[str, Any]:
    return {
        "affected": answer.affected,
        "address": _address(answer.address) if answer.address else None,
        "position": {"lat": round(answer.point.y, 6), "lon": round(answer.point.x, 6)},
        "incidents": [_feature(i, now) for i in answer.active],
        "planned": [_feature(i, now) for i in answer.planned],
    }


@bp.get("/<slug>/incidents/<int:incident_id>.json")
@prepared()
def incident_json(slug: str, incident_id: int) -> Response:
    """One public incident as a feature, with how many addresses and dwellings it covers."""
    municipality = municipality_or_404(slug)
    session = db.session()
    incident = session.get(Incident, incident_id)
    now = utcnow()
    if (
        incident is None
        or incident.municipality_id != municipality.id
        or incident.status_at(now) is IncidentStatus.DRAFT
    ):
        abort(404, f"No public incident {incident_id} in {municipality.name_in('en')}.")
    feature = _feature(incident, now)
    if incident.area is not None:
        reach = count_addresses_in_area(session, municipality.id, incident.area)
        feature["affected_addresses"] = reach.addresses
        # null when the register does not say how many dwellings every address has
        feature["affected_dwellings"] = reach.dwellings if reach.dwellings_known else None
    else:
        feature["affected_addresses"] = feature["affected_dwellings"] = None
    return jsonify(feature)
