"""The staff page of one incident: facts, affected addresses, the edit form and the next steps."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask import current_app
from flask import g
from flask import render_template
from flask import request

from statusmap import db
from statusmap.gis.queries.addresses import count_addresses_in_area
from statusmap.gis.queries.affected import vulnerable_in_area
from statusmap.gis.validation import GeometryError
from statusmap.gis.validation import parse_geojson
from statusmap.incidents.affected import AffectedSummary
from statusmap.incidents.history import area_history
from statusmap.incidents.queries import public_incidents
from statusmap.maps.editor_map import EditorMap
from statusmap.models import Incident
from statusmap.models import IncidentStatus
from statusmap.models import Municipality
from statusmap.models import Role
from statusmap.models import Variant
from statusmap.models.base import utcnow
from statusmap.notify.staff_reads import Preview
from statusmap.notify.staff_reads import preview
from statusmap.staff.incident_forms import IncidentForm
from statusmap.staff.lifecycle_forms import PublishForm
from statusmap.staff.lifecycle_forms import ResolveForm
from statusmap.staff.lifecycle_forms import ScheduleForm
from statusmap.staff.lifecycle_forms import UpdateForm
from statusmap.staff.lifecycle_forms import VersionForm
from statusmap.web_maps import editor_map_for


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
        "publish": PublishForm(formdata=None, version=version),
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
        notify_preview=notify_preview(incident),
        conflict=conflict,
        area_versions=area_history(db.session(), incident.id) if incident else [],
        editor_map=editor_map(municipality, incident, form),
    )
    return page, status or (400 if failed else 200)


def notify_preview(incident: Incident | None) -> Preview | None:
    """For editors: whom an announcement of the incident reaches now, and its SMS."""
    role = g.get("staff_role")
    if incident is None or role is None or not role.includes(Role.EDITOR):
        return None
    if incident.status is IncidentStatus.RESOLVED:
        return None
    variant = Variant.RESOLVED if incident.status is IncidentStatus.ACTIVE else Variant.NEW
    base_url = current_app.config["PUBLIC_BASE_URL"] or request.host_url
    return preview(db.session(), incident, variant, base_url)


# --- The map editor's map (statusmap/maps/editor_map.py, static/js/area-editor.js) -----------


def editor_map(
    municipality: Municipality, incident: Incident | None, form: IncidentForm
) -> EditorMap | None:
    """Editors' map: the other current incidents, and the area the form's text field holds."""
    role = g.get("staff_role")
    if role is None or not role.includes(Role.EDITOR):
        return None
    current = public_incidents(
        db.session(), municipality.id, now=utcnow(), recent_days=0, include_resolved=False
    ).current
    others = [i for i in current if incident is None or i.id != incident.id]
    text = (form.area.data or "").strip()
    try:  # shown even if it would be refused, so the editor can see and mend it
        limit = current_app.config["MAX_GEOMETRY_BYTES"]
        area = parse_geojson(text, max_bytes=limit) if text else None
    except GeometryError:
        area = None  # unreadable text: the form's own error says why
    return editor_map_for(municipality, others, area)
