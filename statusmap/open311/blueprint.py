"""The Open311 blueprint (mounted at /open311/v2): jurisdictions, answers and errors in the
specification's formats, and the words of services in the request's language."""

from __future__ import annotations

from typing import Any

from flask import Blueprint
from flask import Response
from flask import current_app
from flask import request
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException

from statusmap import db
from statusmap.extensions import csrf
from statusmap.models import Municipality
from statusmap.models import ReportKind
from statusmap.municipalities import get_municipality
from statusmap.municipalities import list_municipalities
from statusmap.open311.formats import FORMATS
from statusmap.open311.formats import Open311Error
from statusmap.open311.formats import render

bp = Blueprint("open311", __name__)
csrf.exempt(bp)  # machine clients; a POST authenticates by api_key, never by a cookie

SERVICE_NAMES = {
    ReportKind.NO_WATER: _l("Ikke vann"),
    ReportKind.LOW_PRESSURE: _l("Lavt vanntrykk"),
    ReportKind.DISCOLOURED_WATER: _l("Misfarget vann"),
    ReportKind.LEAK_SEEN: _l("Vann i gaten / lekkasje"),
    ReportKind.SEWER: _l("Avløpsproblem eller lukt"),
    ReportKind.WATER_OK: _l("Vannet mitt er i orden"),
}
SERVICE_DESCRIPTIONS = {
    ReportKind.NO_WATER: _l("Det kommer ikke vann fra kranen."),
    ReportKind.LOW_PRESSURE: _l("Vannet renner, men svakere enn vanlig."),
    ReportKind.DISCOLOURED_WATER: _l("Vannet er brunt, gult eller grumsete."),
    ReportKind.LEAK_SEEN: _l("Vann renner i gaten eller fra bakken: en mulig lekkasje."),
    ReportKind.SEWER: _l("Tett avløp, tilbakeslag eller lukt av kloakk."),
    ReportKind.WATER_OK: _l("Vannet mitt virker som normalt (hjelper oss å finne feilen)."),
}
SERVICE_KEYWORDS = {
    ReportKind.NO_WATER: _l("vannstans,tørr kran"),
    ReportKind.LOW_PRESSURE: _l("trykk,svakt vann"),
    ReportKind.DISCOLOURED_WATER: _l("brunt vann,farge"),
    ReportKind.LEAK_SEEN: _l("lekkasje,vannlekkasje,rørbrudd"),
    ReportKind.SEWER: _l("kloakk,lukt,tett avløp"),
    ReportKind.WATER_OK: _l("normalt,i orden"),
}
GROUP_WATER = _l("Vann")
GROUP_SEWER = _l("Avløp")


def service_names() -> dict[str, str]:
    """Each service's name in this request's language, by service_code."""
    return {kind.value: str(name) for kind, name in SERVICE_NAMES.items()}


def jurisdiction() -> Municipality:
    """The municipality `jurisdiction_id` names; optional only when the instance serves one."""
    session = db.session()
    slug = (request.values.get("jurisdiction_id") or "").strip()
    if slug:
        found = get_municipality(session, slug)
        if found is None:
            raise Open311Error(404, f"jurisdiction_id {slug!r} was not found.")
        return found
    served = list_municipalities(session)
    if len(served) != 1:
        raise Open311Error(400, "jurisdiction_id was not provided (the municipality's slug).")
    return served[0]


def answer(root: str, data: list[dict[str, Any]] | dict[str, Any], fmt: str) -> Response:
    """A document in the format asked for; GETs may be kept briefly and read from any origin."""
    if fmt not in FORMATS:
        raise Open311Error(404, f"Unknown format {fmt!r}: json or xml.")
    response = Response(render(root, data, fmt), mimetype=FORMATS[fmt])
    response.headers["Access-Control-Allow-Origin"] = "*"
    if request.method in ("GET", "HEAD"):
        age = current_app.config["OPEN311_MAX_AGE_S"]
        response.headers["Cache-Control"] = f"public, max-age={age}"
    else:
        response.headers["Cache-Control"] = "no-store"
    return response


def _asked_format() -> str:
    suffix = request.path.rsplit(".", 1)[-1] if "." in request.path.rsplit("/", 1)[-1] else ""
    return "xml" if suffix == "xml" else "json"


@bp.errorhandler(Open311Error)
def _open311_error(error: Open311Error) -> Response:
    fmt = _asked_format()
    response = Response(render("errors", error.items(), fmt), mimetype=FORMATS[fmt])
    response.status_code = error.code
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@bp.errorhandler(HTTPException)
def _http_error(error: HTTPException) -> Response:
    return _open311_error(Open311Error(error.code or 500, error.description or error.name))


@bp.route("/<path:rest>", methods=["GET", "POST"])
def unknown(rest: str) -> Response:
    """Anything else under /open311/v2 is a 404 in the specification's format."""
    raise Open311Error(404, f"No such Open311 resource: {rest!r}.")
