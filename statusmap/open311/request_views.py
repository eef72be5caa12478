"""Open311 service requests: read (generalised, never a report's exact point), sent, by token."""

from __future__ import annotations

from flask import Response
from flask import current_app
from flask import request
from flask_babel import gettext as _

from statusmap import db
from statusmap.extensions import limited_reports
from statusmap.i18n import current_language
from statusmap.models import Municipality
from statusmap.models.base import utcnow
from statusmap.open311.blueprint import answer
from statusmap.open311.blueprint import bp
from statusmap.open311.blueprint import jurisdiction
from statusmap.open311.blueprint import service_names
from statusmap.open311.formats import Open311Error
from statusmap.open311.keys import trusted_client
from statusmap.open311.posting import Sender
from statusmap.open311.posting import post_request
from statusmap.open311.requests import Labels
from statusmap.open311.requests import find_request
from statusmap.open311.requests import find_requests
from statusmap.open311.requests import parse_filter
from statusmap.open311.requests import request_item
from statusmap.open311.requests import shown_points
from statusmap.reports.submission import Submitted
from statusmap.web import incident_url


def _labels(municipality: Municipality) -> Labels:
    language = current_language()
    return Labels(service_names(), municipality.department_in(language), language)


@bp.get("/requests.<fmt>")
def requests_list(fmt: str) -> Response:
    """Public requests by the spec's filters: at most 1000, at most 90 days."""
    municipality = jurisdiction()
    now = utcnow()
    wanted = parse_filter(request.args, now)
    session = db.session()
    found = find_requests(session, municipality, wanted, now)
    points = shown_points(session, municipality, now)
    labels = _labels(municipality)
    items = [request_item(r, labels, points.get(r.id), now) for r in found]
    return answer("service_requests", items, fmt)


@bp.get("/requests/<request_id>.<fmt>")
def request_one(request_id: str, fmt: str) -> Response:
    """One public request by its id (the report's reference)."""
    municipality = jurisdiction()
    now = utcnow()
    session = db.session()
    report = find_request(session, municipality, request_id)
    if report is None:
        raise Open311Error(404, f"service_request_id {request_id!r} was not found.")
    point = shown_points(session, municipality, now).get(report.id)
    item = request_item(report, _labels(municipality), point, now)
    return answer("service_requests", [item], fmt)


@bp.get("/tokens/<token>.<fmt>")
def token(token: str, fmt: str) -> Response:
    """A token's request: requests are stored at once, so a token is the request's own id."""
    municipality = jurisdiction()
    report = find_request(db.session(), municipality, token)
    if report is None:
        raise Open311Error(404, f"token {token!r} was not found.")
    item = {"service_request_id": report.reference, "token": token}
    return answer("service_requests", [item], fmt)


@bp.post("/requests.<fmt>")
@limited_reports
def requests_post(fmt: str) -> Response:
    """Send a request; an api_key, when given, must be valid (403) and lets contacts be kept."""
    municipality = jurisdiction()
    session = db.session()
    key = request.form.get("api_key", "").strip()
    client = trusted_client(session, municipality, key) if key else None
    if key and client is None:
        raise Open311Error(403, "Invalid api_key.")
    config = current_app.config
    now = utcnow()
    sender = Sender(client, request.remote_addr or "unknown")
    done = post_request(
        session, municipality, request.form, sender,
        secret=config["SECRET_KEY"], now=now, tolerance_m=config["BOUNDARY_TOLERANCE_M"],
    )  # fmt: skip
    session.commit()
    notice = _notice(done, municipality)
    item = {"service_request_id": done.report.reference, "service_notice": notice,
            "account_id": None}  # fmt: skip
    return answer("service_requests", [item], fmt)


def _notice(done: Submitted, municipality: Municipality) -> str | None:
    """What the resident should hear: the known incident that explains it, or a repeat."""
    if done.incident is not None:
        return _(
            "Vi kjenner til dette: %(title)s. Les mer og se råd: %(url)s",
            title=done.incident.text("title", current_language()),
            url=incident_url(municipality.slug, done.incident.id, external=True),
        )
    if done.repeated:
        return _("Vi har allerede fått denne meldingen fra deg.")
    return None
