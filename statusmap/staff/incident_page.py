"""The staff page of one incident: facts, affected addresses, the edit form and the next steps."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask import render_template
from flask import request

from statusmap import db
from statusmap.gis.queries.addresses import count_addresses_in_area
from statusmap.gis.queries.affected import vulnerable_in_area
from statusmap.incidents.affected import AffectedSummary
from statusmap.incidents.history import area_history
from statusmap.models import Incident
from statusmap.models import Municipality
from statusmap.models.base import utcnow
from statusmap.staff.incident_forms import IncidentForm
from statusmap.staff.lifecycle_forms import ResolveForm
from statusmap.staff.lifecycle_forms import ScheduleForm
from statusmap.staff.lifecycle_forms import UpdateForm
from statusmap.staff.lifecycle_forms import VersionForm


def affected_summary(incident: Incident | None) -> AffectedSummary | None:
    """The addresses, dwellings and vulnerable subscribers in the incident's area, if it has one."""
    if incident is None or incident.area is None:
        return None
    session = db.session()
    count = count_addresses_in_area(session, incident.municipality_id, incident.area)
    vulnerable = vulnerable_in_area(session, incident.municipality_id, incident.area)
    return AffectedSummary.build(count, vulnerable)


def action_forms(incident: Incident | None, **given: Any) -> dict[str, Any]:
    """The lifecycle forms, each carrying the version shown (the ones given keep their input)."""
    if incident is None:
        return {}
    version = str(incident.version)
    forms: dict[str, Any] = {
        "publish": VersionForm(formdata=None, version=version),
        "schedule": ScheduleForm(formdata=None, version=version),
        "post_update": UpdateForm(formdata=None, version=version),
        "resolve": ResolveForm(formdata=None, version=version),
        "delete": VersionForm(formdata=None, version=version),
    }
    schedule = forms["schedule"]
    schedule.auto_resolve.data = incident.auto_resolve
    edit = IncidentForm(formdata=None)
    edit.fill_from(incident)
    schedule.starts_at.data = edit.starts_at.data
    schedule.expected_end.data = edit.expected_end.data
    forms.update(given)
    return forms


def render_incident_page(
    municipality: Municipality,
    incident: Incident | None,
    form: IncidentForm,
    *,
    problem: tuple[float, float] | None = None,
    forms: dict[str, Any] | None = None,
    conflict: Sequence[Any] | None = None,
    status: int | None = None,
) -> tuple[str, int]:
    """The page, with the status code its state calls for."""
    failed = bool(form.errors) or (request.method == "POST" and "fill_template" not in request.form)
    page = render_template(
        "staff/incident_form.html",
        form=form,
        municipality=municipality,
        incident=incident,
        problem=problem,
        now=utcnow(),
        affected=affected_summary(incident),
        actions=action_forms(incident, **(forms or {})),
        conflict=conflict,
        area_versions=area_history(db.session(), incident.id) if incident else [],
    )
    return page, status or (400 if failed else 200)
