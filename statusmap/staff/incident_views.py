"""Creating and editing incidents: the form with its map editor. Thin: the domain decides."""

from __future__ import annotations

from typing import Any

from flask import abort
from flask import current_app
from flask import flash
from flask import redirect
from flask import request
from flask import url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from statusmap import db
from statusmap.auth.access import membership_in
from statusmap.auth.accounts import actor_of
from statusmap.gis.validation import GeometryError
from statusmap.incidents.operations import GeometryLimits
from statusmap.incidents.operations import IncidentError
from statusmap.incidents.operations import IncidentInput
from statusmap.incidents.operations import StaleEditError
from statusmap.incidents.operations import create_incident
from statusmap.incidents.operations import edit_incident
from statusmap.incidents.placeholders import PlaceholderValues
from statusmap.incidents.template_store import filled_texts
from statusmap.models import Incident
from statusmap.models import IncidentKind
from statusmap.models import IncidentStatus
from statusmap.models import Municipality
from statusmap.models import Role
from statusmap.notify.events import choose_audience
from statusmap.staff.area_input import read_area
from statusmap.staff.blueprint import bp
from statusmap.staff.incident_forms import IncidentForm
from statusmap.staff.incident_page import render_incident_page
from statusmap.staff.notification_forms import chosen_audience
from statusmap.web import external_url

Page = Response | str | tuple[str, int]


def limits() -> GeometryLimits:
    """The configured limits on incoming areas."""
    config = current_app.config
    return GeometryLimits(config["MAX_GEOMETRY_VERTICES"], config["BOUNDARY_TOLERANCE_M"])


def incident_in(municipality: Municipality, incident_id: int) -> Incident:
    """The municipality's incident with this id; 404 for another municipality's, as for none."""
    incident = db.session().get(Incident, incident_id)
    if incident is None or incident.municipality_id != municipality.id:
        abort(404)
    return incident


def _input(form: IncidentForm, status: IncidentStatus, area: Any) -> IncidentInput:
    return IncidentInput(
        kind=IncidentKind(form.kind.data),
        status=status,
        title=form.texts("title"),
        summary=form.texts("summary"),
        advice=form.texts("advice"),
        area=area,
        starts_at=form.aware_time("starts_at"),
        expected_end=form.aware_time("expected_end"),
    )


@bp.route("/<slug>/incidents/new", methods=["GET", "POST"])
def new_incident(slug: str) -> Page:
    """A new incident, saved as a draft (published from its page)."""
    user, municipality = membership_in(slug, Role.EDITOR)
    form = IncidentForm()
    if request.method == "GET" and request.args.get("kind") in {k.value for k in IncidentKind}:
        form.kind.data = request.args["kind"]
    problem = None
    if request.method == "POST" and "fill_template" in request.form:
        problem = fill_from_template(form, municipality, None)
    elif form.validate_on_submit():
        session = db.session()
        try:
            area = read_area(form, current_app.config["MAX_GEOMETRY_BYTES"])
            data = _input(form, IncidentStatus.DRAFT, area)
            if not form.errors:
                incident = create_incident(
                    session, municipality, data, actor=actor_of(user), limits=limits()
                )
                session.commit()
                flash(
                    _("Utkastet er lagret. Kontroller det, og publiser når det er klart."), "info"
                )
                return redirect(url_for("staff.incident", slug=slug, incident_id=incident.id))
        except GeometryError as exc:
            form.area.errors = [*form.area.errors, str(exc)]
            problem = exc.location
        except IncidentError as exc:
            flash(str(exc), "error")
        session.rollback()
    return _form_page(form, municipality, None, problem)


def fill_from_template(
    form: IncidentForm, municipality: Municipality, stored_area: Any
) -> tuple[float, float] | None:
    """Put the kind's texts, filled in, into the form (nothing is saved); where the area is bad."""
    problem = None
    try:
        area = read_area(form, current_app.config["MAX_GEOMETRY_BYTES"], keep=stored_area)
    except GeometryError as exc:
        area, problem = stored_area, exc.location
    values = PlaceholderValues(
        start=form.aware_time("starts_at"),
        expected_end=form.aware_time("expected_end"),
        link=external_url("public.municipality_page", slug=municipality.slug),
    )
    texts = filled_texts(
        db.session(), municipality, IncidentKind(form.kind.data), area=area, values=values
    )
    for name, by_language in texts.items():
        for language, text in by_language.items():
            form[f"{name}_{language}"].data = text
    flash(_("Tekstene er fylt inn fra malen. Les dem, rett det som trengs, og lagre."), "info")
    return problem


def _form_page(
    form: IncidentForm,
    municipality: Municipality,
    incident: Incident | None,
    problem: tuple[float, float] | None,
    status: int | None = None,
    conflict: list[Any] | None = None,
) -> tuple[str, int]:
    return render_incident_page(
        municipality, incident, form, problem=problem, status=status, conflict=conflict
    )


@bp.get("/<slug>/incidents/<int:incident_id>")
def incident(slug: str, incident_id: int) -> Page:
    """An incident's page: its facts, the affected addresses, the form to change it."""
    _user, municipality = membership_in(slug, Role.VIEWER)
    found = incident_in(municipality, incident_id)
    form = IncidentForm(formdata=None)
    form.fill_from(found)
    return _form_page(form, municipality, found, None, status=200)


@bp.post("/<slug>/incidents/<int:incident_id>")
def save_incident(slug: str, incident_id: int) -> Page:
    """Save an editor's changes; refused if someone saved another version meanwhile."""
    user, municipality = membership_in(slug, Role.EDITOR)
    found = incident_in(municipality, incident_id)
    form = IncidentForm()
    problem = None
    session = db.session()
    if "fill_template" in request.form:
        problem = fill_from_template(form, municipality, found.area)
    elif form.validate_on_submit():
        try:
            area = read_area(form, current_app.config["MAX_GEOMETRY_BYTES"], keep=found.area)
            data = _input(form, found.status, area)
            data.resolved_at = found.resolved_at
            if not form.errors:
                edit_incident(
                    session,
                    found,
                    data,
                    expected_version=_version(form),
                    actor=actor_of(user),
                    limits=limits(),
                )
                choose_audience(session, found, chosen_audience(form))
                session.commit()
                flash(_("Endringene er lagret."), "info")
                return redirect(url_for("staff.incident", slug=slug, incident_id=found.id))
        except StaleEditError as exc:
            session.rollback()
            return _form_page(form, municipality, found, None, status=409, conflict=exc.changes)
        except GeometryError as exc:
            form.area.errors = [*form.area.errors, str(exc)]
            problem = exc.location
        except IncidentError as exc:
            flash(str(exc), "error")
        session.rollback()
    return _form_page(form, municipality, found, problem)


def _version(form: IncidentForm) -> int:
    value = form.version.data or ""
    if not value.isdigit():
        abort(400)
    return int(value)
