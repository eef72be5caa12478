"""Staff actions on a selection of reports: hide, mark as spam, restore, link to an incident,
or make a draft incident around them (which opens in the map editor). Editors only; audited.
"""

from __future__ import annotations

from typing import Any

from flask import flash
from flask import redirect
from flask import request
from flask import url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from werkzeug.wrappers import Response

from statusmap import db
from statusmap.auth.access import membership_in
from statusmap.auth.accounts import actor_of
from statusmap.gis.validation import GeometryError
from statusmap.incidents.operations import IncidentError
from statusmap.models import Incident
from statusmap.models import Municipality
from statusmap.models import Role
from statusmap.reports.staff_actions import Moderation
from statusmap.reports.staff_actions import ReportActionError
from statusmap.reports.staff_actions import draft_from_reports
from statusmap.reports.staff_actions import link_reports
from statusmap.reports.staff_actions import moderate
from statusmap.reports.staff_actions import selected_reports
from statusmap.staff.blueprint import bp
from statusmap.staff.incident_views import incident_in
from statusmap.staff.incident_views import limits


def _refusals() -> dict[str, str]:
    return {
        "nothing_selected": _("Velg minst én melding først."),
        "too_many": _("Velg færre meldinger om gangen."),
        "unknown_report": _("En av de valgte meldingene finnes ikke her."),
        "unknown_incident": _("Velg en hendelse å knytte meldingene til."),
        "spam_selected": _(
            "Gjenopprett meldinger merket som spam før du knytter dem til en hendelse."
        ),
    }


def _selected_ids() -> list[int]:
    return [int(value) for value in request.form.getlist("report_ids") if value.isdigit()]


def _back(slug: str) -> Response:
    target = request.form.get("back_report", "")
    if target.isdigit():
        return redirect(url_for("staff.report_details", slug=slug, report_id=int(target)))
    kept: dict[str, Any] = {
        name: request.form.get(name, "") or None for name in ("window", "kinds", "statuses")
    }
    return redirect(url_for("staff.reports_page", slug=slug, **kept))


def _chosen_incident(municipality: Municipality) -> Incident:
    """The incident the form names to link the reports to (this municipality's only)."""
    incident_id = request.form.get("incident_id", "")
    if not incident_id.isdigit():
        raise ReportActionError("unknown_incident", "No incident chosen.")
    return incident_in(municipality, int(incident_id))


@bp.post("/<slug>/reports/actions")
def report_actions(slug: str) -> Response:
    """Do the chosen action (the pressed button's `action`) to the selected reports."""
    user, municipality = membership_in(slug, Role.EDITOR)
    session, actor, action = db.session(), actor_of(user), request.form.get("action", "")
    try:
        reports = selected_reports(session, municipality, _selected_ids())
        if action == "draft":
            incident = draft_from_reports(
                session, municipality, reports, actor=actor, limits=limits()
            )
            session.commit()
            flash(
                _("Utkastet er laget av de valgte meldingene. Juster området og teksten."), "info"
            )
            return redirect(url_for("staff.incident", slug=slug, incident_id=incident.id))
        if action == "link":
            link_reports(
                session, municipality, reports, _chosen_incident(municipality), actor=actor
            )
        elif action in {m.value for m in Moderation}:
            moderate(session, municipality, reports, Moderation(action), actor=actor)
        else:
            flash(_("Velg hva som skal gjøres med meldingene."), "error")
            return _back(slug)
        session.commit()
    except ReportActionError as exc:
        session.rollback()
        flash(_refusals().get(exc.code, str(exc)), "error")
        return _back(slug)
    except (IncidentError, GeometryError) as exc:
        session.rollback()
        flash(str(exc), "error")
        return _back(slug)
    done = ngettext("%(num)d melding er endret.", "%(num)d meldinger er endret.", len(reports))
    flash(done, "info")
    return _back(slug)
