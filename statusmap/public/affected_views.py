"""The resident's "Er adressen din berørt?" page: the answer for an address or a position."""

from __future__ import annotations

from flask import abort
from flask import render_template
from flask import request
from flask import url_for

from statusmap import db
from statusmap.addresses.affected import AddressLookup
from statusmap.addresses.affected import affected_address
from statusmap.addresses.affected import affected_at
from statusmap.addresses.affected import point_in_municipality
from statusmap.addresses.search import CANDIDATES
from statusmap.addresses.search import MAX_QUERY
from statusmap.addresses.search import address_label
from statusmap.gis.validation import GeometryError
from statusmap.i18n import KIND_LABELS
from statusmap.i18n import STATUS_LABELS
from statusmap.models import Municipality
from statusmap.models.base import utcnow
from statusmap.municipalities import get_municipality
from statusmap.prepared import prepared
from statusmap.public.blueprint import bp
from statusmap.web import external_url


@bp.get("/<slug>/berort")
@prepared(vary_args=("adresse", "lat", "lon"))
def affected_page(slug: str) -> tuple[str, int]:
    """Whether ?adresse= (or ?lat=&lon=) is affected: by what, what to do, what is planned."""
    municipality = get_municipality(db.session(), slug) or abort(404)
    text = request.args.get("adresse", "")[:MAX_QUERY].strip()
    if text:
        lookup = affected_address(db.session(), municipality, text, now=utcnow())
        # No such address: 404, with the form again and how to write one.
        status = 200 if lookup.answer or lookup.candidates else 404
        return _render(municipality, text, lookup), status
    if "lat" in request.args or "lon" in request.args:
        return _position_page(municipality)
    return _render(municipality, "", AddressLookup(None, [])), 200


def _position_page(municipality: Municipality) -> tuple[str, int]:
    try:
        lat, lon = float(request.args["lat"]), float(request.args["lon"])
        point = point_in_municipality(municipality, lon, lat)
    except (KeyError, ValueError, GeometryError):
        return _render(municipality, "", AddressLookup(None, []), position_refused=True), 400
    answer = affected_at(db.session(), municipality, point, now=utcnow())
    return _render(municipality, "", AddressLookup(answer, [])), 200


def _render(
    municipality: Municipality, text: str, lookup: AddressLookup, *, position_refused: bool = False
) -> str:
    answer = lookup.answer
    share = None
    if answer is not None:
        where = (
            {"adresse": address_label(answer.address)}
            if answer.address
            else {"lat": f"{answer.point.y:.6f}", "lon": f"{answer.point.x:.6f}"}
        )
        share = external_url("public.affected_page", slug=municipality.slug, **where)
    return render_template(
        "public/affected.html",
        m=municipality,
        query=text,
        lookup=lookup,
        answer=answer,
        share_url=share,
        position_refused=position_refused,
        address_label=address_label,
        max_candidates=CANDIDATES,
        choose_url=lambda a: url_for(
            "public.affected_page", slug=municipality.slug, adresse=address_label(a)
        ),
        kind_labels=KIND_LABELS,
        status_labels=STATUS_LABELS,
        now=utcnow(),
    )
