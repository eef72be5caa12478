"""Admins word their municipality's message texts per kind, over the built-in defaults."""

from __future__ import annotations

from flask import abort
from flask import flash
from flask import redirect
from flask import render_template
from flask import url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from statusmap import db
from statusmap.auth.access import membership_in
from statusmap.auth.accounts import actor_of
from statusmap.incidents.message_templates import TemplateError
from statusmap.incidents.placeholders import PLACEHOLDERS
from statusmap.incidents.template_store import customised_kinds
from statusmap.incidents.template_store import save_texts
from statusmap.incidents.template_store import texts_for
from statusmap.models import IncidentKind
from statusmap.models import Role
from statusmap.staff.blueprint import bp
from statusmap.staff.template_forms import TemplateForm
from statusmap.staff.user_forms import ConfirmForm


def _kind(value: str) -> IncidentKind:
    if value not in {k.value for k in IncidentKind}:
        abort(404)
    return IncidentKind(value)


@bp.get("/<slug>/admin/templates")
def templates(slug: str) -> str:
    """Every kind, and whether the municipality has its own texts for it."""
    _user, municipality = membership_in(slug, Role.ADMIN)
    own = customised_kinds(db.session(), municipality.id)
    return render_template(
        "staff/templates.html", municipality=municipality, kinds=list(IncidentKind), own=own
    )


@bp.route("/<slug>/admin/templates/<kind>", methods=["GET", "POST"])
def edit_template(slug: str, kind: str) -> Response | tuple[str, int]:
    """Edit one kind's texts; a text left as the default follows later changes to the default."""
    admin, municipality = membership_in(slug, Role.ADMIN)
    which = _kind(kind)
    session = db.session()
    form = TemplateForm()
    status = 200
    if form.validate_on_submit():
        try:
            save_texts(session, municipality, which, form.texts(), actor=actor_of(admin))
        except TemplateError as exc:
            session.rollback()
            flash(str(exc), "error")
            status = 400
        else:
            session.commit()
            flash(_("Malen er lagret."), "info")
            return redirect(url_for("staff.edit_template", slug=slug, kind=kind))
    elif form.errors:
        status = 400
    else:
        form.fill(texts_for(session, municipality.id, which))
    page = render_template(
        "staff/template_form.html",
        municipality=municipality,
        kind=which,
        form=form,
        placeholders=sorted(PLACEHOLDERS),
        reset=ConfirmForm(),
    )
    return page, status


@bp.post("/<slug>/admin/templates/<kind>/reset")
def reset_template(slug: str, kind: str) -> Response:
    """Go back to the built-in texts for a kind."""
    admin, municipality = membership_in(slug, Role.ADMIN)
    which = _kind(kind)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    session = db.session()
    save_texts(session, municipality, which, {}, actor=actor_of(admin))
    session.commit()
    flash(_("Malen bruker standardtekstene igjen."), "info")
    return redirect(url_for("staff.edit_template", slug=slug, kind=kind))
