"""POST /api/v1/<slug>/reports: a crowd report as JSON, for apps and other sites.

Open to every origin and without CSRF token: the view never reads the session or a cookie, so
a cross-site request can do nothing a direct one could not. Limited like the form.
"""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask import request

from statusmap import db
from statusmap.api.blueprint import bp
from statusmap.api.blueprint import report_place_or_404
from statusmap.extensions import csrf
from statusmap.extensions import limited_reports
from statusmap.i18n import current_language
from statusmap.models import Incident
from statusmap.models.base import utcnow
from statusmap.reports.intake import SINCE_NOW
from statusmap.reports.intake import SINCE_TIME
from statusmap.reports.intake import TypedReport
from statusmap.reports.intake import report_input
from statusmap.reports.submission import ReportRefused
from statusmap.reports.submission import client_key
from statusmap.reports.submission import shown_reference
from statusmap.reports.submission import submit_report
from statusmap.web import incident_url

# Codes answered 400 (the request is malformed); every other refusal is 422.
MALFORMED = {"body_invalid", "kind_invalid", "location_invalid", "text_invalid"}


@bp.post("/<slug>/reports")
@csrf.exempt
@limited_reports
def submit_report_json(slug: str) -> tuple[dict[str, Any], int]:
    """Take one report; 201 with its reference (and the incident that explains it, if any)."""
    place = report_place_or_404(slug)
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        return _refused(ReportRefused("body_invalid", "body", "The body must be a JSON object."))
    session, now = db.session(), utcnow()
    try:
        data = report_input(
            session,
            place,
            _typed(body),
            now=now,
            client_key=client_key(current_app.config["SECRET_KEY"], request.remote_addr or ""),
            source="api",
        )
        done = submit_report(
            session,
            place,
            data,
            now=now,
            tolerance_m=current_app.config["BOUNDARY_TOLERANCE_M"],
        )
    except ReportRefused as refused:
        session.rollback()
        return _refused(refused)
    answer: dict[str, Any] = {
        "reference": shown_reference(done.report.reference),
        "kind": done.report.kind.value,
        "repeated": done.repeated,
        "incident": _incident(slug, done.incident) if done.incident else None,
    }
    session.commit()
    return answer, 201


def _typed(body: dict[str, Any]) -> TypedReport:
    since = body.get("observed_since")
    return TypedReport(
        kind=body.get("kind"),  # type: ignore[arg-type]
        lat=body.get("lat"),
        lon=body.get("lon"),
        address=body.get("address", ""),
        since=SINCE_NOW if since is None else SINCE_TIME,
        since_time=since,  # type: ignore[arg-type]
        text=body.get("text", ""),
        contact=body.get("contact", ""),
        consent=body.get("consent") is True,
    )


def _incident(slug: str, incident: Incident) -> dict[str, Any]:
    language = current_language()
    return {
        "id": incident.id,
        "title": incident.text("title", language),
        "advice": incident.text("advice", language),
        "url": incident_url(slug, incident.id, external=True),
    }


def _refused(refused: ReportRefused) -> tuple[dict[str, Any], int]:
    status = 400 if refused.code in MALFORMED else 422
    answer = {"error": "Bad Request" if status == 400 else "Unprocessable Content"}
    return {**answer, "code": refused.code, "field": refused.field, "message": str(refused)}, status
