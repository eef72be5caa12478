"""An incident's lifecycle from its staff page: publish, schedule, post updates, resolve, delete.

Every action names the version the editor saw; one made on an older version is refused with a
list of what changed since, and changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import flash
from flask import redirect
from flask import url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from statusmap import db
from statusmap.auth.access import membership_in
from statusmap.auth.accounts import actor_of
from statusmap.incidents.lifecycle import delete_draft
from statusmap.incidents.lifecycle import publish_incident
from statusmap.incidents.lifecycle import resolve_incident
from statusmap.incidents.lifecycle import schedule_incident
from statusmap.incidents.operations import IncidentError
from statusmap.incidents.operations import StaleEditError
from statusmap.incidents.operations import add_update
from statusmap.models import Incident
from statusmap.models import Municipality
from statusmap.models import Role
from statusmap.models.audit import Actor
from statusmap.notify.events import choose_audience
from statusmap.oslo_time import OsloTimeError
from statusmap.oslo_time import as_oslo
from statusmap.staff.blueprint import bp
from statusmap.staff.incident_forms import IncidentForm
from statusmap.staff.incident_page import render_incident_page
from statusmap.staff.incident_views import incident_in
from statusmap.staff.lifecycle_forms import PublishForm
from statusmap.staff.lifecycle_forms import ResolveForm
from statusmap.staff.lifecycle_forms import ScheduleForm
from statusmap.staff.lifecycle_forms import UpdateForm
from statusmap.staff.lifecycle_forms import VersionForm
from statusmap.staff.notification_forms import chosen_audience

Page = Response | tuple[str, int]
Step = Callable[[Incident, int, Actor], Any]


def _run(slug: str, incident_id: int, name: str, form: VersionForm, step: Step, done: str) -> Page:
    """Check the editor and the form, take the step, and answer with the page or a redirect."""
    user, municipality = membership_in(slug, Role.EDITOR)
    incident = incident_in(municipality, incident_id)
    if not form.validate_on_submit() or not (form.version.data or "").isdigit():
        return _page(municipality, incident, name, form, status=400)
    session = db.session()
    try:
        step(incident, int(form.version.data or 0), actor_of(user))
        session.commit()
    except StaleEditError as exc:
        session.rollback()
        return _page(municipality, incident, name, form, status=409, conflict=exc.changes)
    except (IncidentError, OsloTimeError) as exc:
        session.rollback()
        flash(str(exc), "error")
        return _page(municipality, incident, name, form, status=400)
    flash(done, "info")
    if name == "delete":
        return redirect(url_for("staff.dashboard", slug=slug))
    return redirect(url_for("staff.incident", slug=slug, incident_id=incident_id))


def _page(
    municipality: Municipality,
    incident: Incident,
    name: str,
    form: VersionForm,
    *,
    status: int,
    conflict: list[Any] | None = None,
) -> Page:
    db.session().refresh(incident)  # show what is stored now, not what the failed step set
    edit = IncidentForm(formdata=None)
    edit.fill_from(incident)
    return render_incident_page(
        municipality, incident, edit, forms={name: form}, conflict=conflict, status=status
    )


@bp.post("/<slug>/incidents/<int:incident_id>/publish")
def publish(slug: str, incident_id: int) -> Page:
    """Make the incident public and active now."""

    form = PublishForm()

    def step(incident: Incident, version: int, actor: Actor) -> None:
        publish_incident(db.session(), incident, expected_version=version, actor=actor)
        choose_audience(db.session(), incident, chosen_audience(form))

    return _run(slug, incident_id, "publish", form, step, _("Hendelsen er publisert."))


@bp.post("/<slug>/incidents/<int:incident_id>/schedule")
def schedule(slug: str, incident_id: int) -> Page:
    """Make the incident public as planned: it becomes active by itself when it starts."""
    form = ScheduleForm()

    def step(incident: Incident, version: int, actor: Actor) -> None:
        start, end = form.starts_at.data, form.expected_end.data
        schedule_incident(
            db.session(),
            incident,
            expected_version=version,
            actor=actor,
            starts_at=as_oslo(start) if start else None,
            expected_end=as_oslo(end) if end else None,
            auto_resolve=bool(form.auto_resolve.data),
        )
        choose_audience(db.session(), incident, chosen_audience(form))

    return _run(slug, incident_id, "schedule", form, step, _("Hendelsen er planlagt og publisert."))


@bp.post("/<slug>/incidents/<int:incident_id>/updates")
def post_update(slug: str, incident_id: int) -> Page:
    """Add an entry to the incident's public timeline."""
    form = UpdateForm()

    def step(incident: Incident, version: int, actor: Actor) -> None:
        add_update(db.session(), incident, form.texts(), expected_version=version, actor=actor)

    return _run(slug, incident_id, "post_update", form, step, _("Oppdateringen er publisert."))


@bp.post("/<slug>/incidents/<int:incident_id>/resolve")
def resolve(slug: str, incident_id: int) -> Page:
    """End the incident with a closing message."""
    form = ResolveForm()

    def step(incident: Incident, version: int, actor: Actor) -> None:
        resolve_incident(
            db.session(), incident, form.texts(), expected_version=version, actor=actor
        )
        choose_audience(db.session(), incident, chosen_audience(form))

    return _run(slug, incident_id, "resolve", form, step, _("Hendelsen er avsluttet."))


@bp.post("/<slug>/incidents/<int:incident_id>/delete")
def delete(slug: str, incident_id: int) -> Page:
    """Delete a draft (never a published incident: those are resolved)."""

    def step(incident: Incident, version: int, actor: Actor) -> None:
        delete_draft(db.session(), incident, expected_version=version, actor=actor)

    return _run(slug, incident_id, "delete", VersionForm(), step, _("Utkastet er slettet."))
