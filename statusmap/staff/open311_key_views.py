"""An admin's Open311 clients: the trusted apps and partners whose key lets them send contacts.

A new key is shown once, in the answer to the admin's request (never in a cookie or the log);
only its hash is kept. Revoking is at once and for good. Both are audited (open311/keys.py).
"""

from __future__ import annotations

from flask import abort
from flask import flash
from flask import redirect
from flask import render_template
from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import StringField
from wtforms.validators import DataRequired
from wtforms.validators import Length

from statusmap import db
from statusmap.auth.access import membership_in
from statusmap.auth.accounts import actor_of
from statusmap.models import Municipality
from statusmap.models import Open311Key
from statusmap.models.base import utcnow
from statusmap.models.open311_key import KEY_NAME_MAX
from statusmap.models.user import Role
from statusmap.open311.keys import KeyRefused
from statusmap.open311.keys import create_key
from statusmap.open311.keys import list_keys
from statusmap.open311.keys import revoke_key
from statusmap.staff.blueprint import bp
from statusmap.staff.user_forms import ConfirmForm

Page = Response | str | tuple[str, int]


class KeyForm(FlaskForm):
    """Name a new trusted client (its reports are marked open311:<name>)."""

    name = StringField(
        _l("Navn på klienten"), validators=[DataRequired(), Length(max=KEY_NAME_MAX)]
    )


def _page(municipality: Municipality, form: KeyForm, status: int = 200, **shown: object) -> Page:
    page = render_template(
        "staff/open311_keys.html",
        municipality=municipality,
        keys=list_keys(db.session(), municipality),
        form=form,
        confirm=ConfirmForm(),
        **shown,
    )
    return page, status


@bp.get("/<slug>/admin/open311")
def open311_keys(slug: str) -> Page:
    """The municipality's Open311 clients and the form to add one."""
    _admin, municipality = membership_in(slug, Role.ADMIN)
    return _page(municipality, KeyForm())


@bp.post("/<slug>/admin/open311")
def add_open311_key(slug: str) -> Page:
    """Make a key for a named client; it is shown in this answer only."""
    admin, municipality = membership_in(slug, Role.ADMIN)
    form = KeyForm()
    if not form.validate_on_submit():
        return _page(municipality, form, 400)
    session = db.session()
    try:
        row, key = create_key(
            session, municipality, form.name.data or "", actor=actor_of(admin), now=utcnow()
        )
    except KeyRefused as exc:
        session.rollback()
        form.name.errors = [str(exc)]
        return _page(municipality, form, 400)
    session.commit()
    return _page(municipality, KeyForm(formdata=None), shown_name=row.name, shown_key=key)


@bp.post("/<slug>/admin/open311/<int:key_id>/revoke")
def revoke_open311_key(slug: str, key_id: int) -> Response:
    """Revoke a client's key: refused from now on."""
    admin, municipality = membership_in(slug, Role.ADMIN)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    session = db.session()
    row = session.get(Open311Key, key_id)
    if row is None or row.municipality_id != municipality.id:
        abort(404)
    try:
        revoke_key(session, municipality, row.name, actor=actor_of(admin), now=utcnow())
    except KeyRefused:
        session.rollback()
        flash(_("Nøkkelen til %(name)s var allerede trukket tilbake.", name=row.name), "info")
    else:
        session.commit()
        flash(_("Nøkkelen til %(name)s er trukket tilbake.", name=row.name), "info")
    return redirect(url_for("staff.open311_keys", slug=slug))
