"""The resident's report page /<slug>/meld-fra and its confirmation /<slug>/meld-fra/<ref>.

Never prepared or shared: the form carries a per-visitor CSRF token (session cookie), and
reports do not move the public change stamp. Every answer here is no-store.
"""

from __future__ import annotations

import secrets
from datetime import datetime

from flask import abort
from flask import current_app
from flask import make_response
from flask import redirect
from flask import render_template
from flask import request
from flask import session
from flask import url_for
from sqlalchemy import select
from werkzeug.wrappers import Response

from statusmap import db
from statusmap.extensions import limited_reports
from statusmap.incidents.queries import public_incident
from statusmap.maps.report_form_map import build_report_map
from statusmap.models import Incident
from statusmap.models import Municipality
from statusmap.models import Report
from statusmap.models import ReportKind
from statusmap.models.base import utcnow
from statusmap.municipalities import get_municipality
from statusmap.public.blueprint import bp
from statusmap.public.report_forms import REPORT_KIND_LABELS
from statusmap.public.report_forms import ReportForm
from statusmap.reports.intake import refusals_beside
from statusmap.reports.intake import report_input
from statusmap.reports.submission import REFERENCE_ALPHABET
from statusmap.reports.submission import ReportRefused
from statusmap.reports.submission import client_key
from statusmap.reports.submission import shown_reference
from statusmap.reports.submission import submit_report
from statusmap.web_maps import base_map_for

DECOY = "report_decoy"  # the session key of the honeypot's answer


@bp.route("/<slug>/meld-fra", methods=["GET", "POST"])
@limited_reports
def report_page(slug: str) -> Response:
    """The form; a POST stores the report and sends the reporter to its confirmation."""
    municipality = get_municipality(db.session(), slug) or abort(404)
    form = ReportForm()
    status = 200
    if form.validate_on_submit():
        if form.website.data:  # the honeypot: answered as a report taken, stores nothing
            decoy = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))
            session[DECOY] = {"reference": decoy, "kind": form.kind.data or ""}
            return redirect(url_for(".report_done", slug=slug, reference=decoy), 303)
        try:
            reference = _take(municipality, form)
        except ReportRefused as refused:
            db.session().rollback()
            form.refuse(refused)
            for other in refusals_beside(form.typed(), utcnow()):  # all at once, not one a try
                if other.code != refused.code:
                    form.refuse(other)
            status = 422
        else:
            return redirect(url_for(".report_done", slug=slug, reference=reference), 303)
    elif request.method == "POST":
        status = 400
    page = render_template(
        "public/report.html",
        m=municipality,
        form=form,
        report_map=build_report_map(municipality.boundary, base_map_for(municipality)),
        base=base_map_for(municipality),
    )
    return _no_store(page, status)


def _take(municipality: Municipality, form: ReportForm) -> str:
    session, now = db.session(), utcnow()
    config = current_app.config
    data = report_input(
        session,
        municipality,
        form.typed(),
        now=now,
        client_key=client_key(config["SECRET_KEY"], request.remote_addr or ""),
    )
    done = submit_report(
        session, municipality, data, now=now, tolerance_m=config["BOUNDARY_TOLERANCE_M"]
    )
    session.commit()
    return done.report.reference


@bp.get("/<slug>/meld-fra/<reference>")
def report_done(slug: str, reference: str) -> Response:
    """The confirmation: the reference, what was reported, and the incident that explains it.
    Nothing personal: no text, contact or point (the reference is unguessable anyway)."""
    municipality = get_municipality(db.session(), slug) or abort(404)
    report = db.session().scalar(
        select(Report).where(
            Report.municipality_id == municipality.id,
            Report.reference == reference.replace("-", "").upper(),
        )
    )
    if report is None:
        return _decoy_page(municipality, reference)
    # Staff may link a report to a draft they are preparing: the public sees only what is public.
    linked = report.incident_id
    incident = public_incident(db.session(), municipality.id, linked) if linked else None
    shown = shown_reference(report.reference)
    page = _done_page(municipality, shown, report.kind, report.created_at, incident)
    return _no_store(page, 200)


def _decoy_page(municipality: Municipality, reference: str) -> Response:
    """The honeypot's confirmation, only to the client that filled it (its session says so):
    like a real one, so a robot learns nothing; anyone else gets the 404 of an unknown one."""
    decoy = session.get(DECOY) or {}
    if decoy.get("reference") != reference.replace("-", "").upper():
        abort(404)
    kind = next((k for k in REPORT_KIND_LABELS if k.value == decoy.get("kind")), None)
    page = _done_page(municipality, shown_reference(decoy["reference"]), kind, utcnow(), None)
    return _no_store(page, 200)


def _done_page(
    municipality: Municipality,
    reference: str,
    kind: ReportKind | None,
    received_at: datetime,
    incident: Incident | None,
) -> str:
    return render_template(
        "public/report_done.html",
        m=municipality,
        reference=reference,
        kind_label=REPORT_KIND_LABELS[kind] if kind else None,
        received_at=received_at,
        incident=incident,
    )


def _no_store(page: str, status: int) -> Response:
    response = make_response(page, status)
    response.headers["Cache-Control"] = "no-store"
    return response
