"""An admin's management of the municipality's staff: add, change role, remove, reset password.

A new or reset password is shown once, in the answer to the admin's request, never in a cookie.
"""

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
from statusmap.auth.accounts import AccountError
from statusmap.auth.accounts import actor_of
from statusmap.auth.accounts import create_user
from statusmap.auth.accounts import find_user
from statusmap.auth.accounts import grant_role
from statusmap.auth.accounts import members_of
from statusmap.auth.accounts import revoke_role
from statusmap.auth.accounts import set_password
from statusmap.auth.passwords import generate_password
from statusmap.models import Municipality
from statusmap.models import Role
from statusmap.models import User
from statusmap.staff.blueprint import bp
from statusmap.staff.user_forms import ROLE_CHOICES
from statusmap.staff.user_forms import AddUserForm
from statusmap.staff.user_forms import ConfirmForm
from statusmap.staff.user_forms import RoleForm

Page = Response | str | tuple[str, int]


def _page(
    municipality: Municipality, form: AddUserForm, status: int = 200, **shown: object
) -> Page:
    page = render_template(
        "staff/users.html",
        municipality=municipality,
        members=members_of(db.session(), municipality.id),
        form=form,
        role_choices=ROLE_CHOICES,
        confirm=ConfirmForm(),
        **shown,
    )
    return page, status


def _member(municipality: Municipality, user_id: int) -> User:
    """A member of this municipality; 404 for anyone else, as for no one."""
    user = db.session().get(User, user_id)
    if user is None or user.role_in(municipality.id) is None:
        abort(404)
    return user


@bp.get("/<slug>/admin/users")
def users(slug: str) -> Page:
    """The staff list and the form to add someone."""
    _admin, municipality = membership_in(slug, Role.ADMIN)
    return _page(municipality, AddUserForm())


@bp.post("/<slug>/admin/users")
def add_user(slug: str) -> Page:
    """Give a person a role: a new account gets a generated password, shown once."""
    admin, municipality = membership_in(slug, Role.ADMIN)
    form = AddUserForm()
    if not form.validate_on_submit():
        return _page(municipality, form, 400)
    session = db.session()
    actor = actor_of(admin)
    password = None
    try:
        user = find_user(session, form.email.data or "")
        if user is None:
            password = generate_password()
            user = create_user(
                session,
                email=form.email.data or "",
                password=password,
                actor=actor,
                name=form.name.data or "",
            )
        grant_role(session, user, municipality, Role(form.role.data), actor=actor)
        session.commit()
    except AccountError as exc:
        session.rollback()
        form.email.errors = [str(exc)]
        return _page(municipality, form, 400)
    return _page(municipality, AddUserForm(formdata=None), shown_user=user, shown_password=password)


@bp.post("/<slug>/admin/users/<int:user_id>/role")
def change_role(slug: str, user_id: int) -> Page:
    """Give a member another role here."""
    admin, municipality = membership_in(slug, Role.ADMIN)
    user = _member(municipality, user_id)
    form = RoleForm()
    if not form.validate_on_submit():
        abort(400)
    session = db.session()
    try:
        if Role(form.role.data) is not Role.ADMIN and user.role_in(municipality.id) is Role.ADMIN:
            revoke_role(session, user, municipality, actor=actor_of(admin))  # keeps the last admin
        grant_role(session, user, municipality, Role(form.role.data), actor=actor_of(admin))
        session.commit()
    except AccountError as exc:
        session.rollback()
        flash(str(exc), "error")
        return redirect(url_for("staff.users", slug=slug))
    flash(_("Rollen til %(email)s er endret.", email=user.email), "info")
    return redirect(url_for("staff.users", slug=slug))


@bp.post("/<slug>/admin/users/<int:user_id>/remove")
def remove_user(slug: str, user_id: int) -> Page:
    """Take a member's role here away (the account stays, for its other municipalities)."""
    admin, municipality = membership_in(slug, Role.ADMIN)
    user = _member(municipality, user_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    session = db.session()
    try:
        revoke_role(session, user, municipality, actor=actor_of(admin))
        session.commit()
    except AccountError as exc:
        session.rollback()
        flash(str(exc), "error")
        return redirect(url_for("staff.users", slug=slug))
    flash(_("%(email)s har ikke lenger tilgang til kommunen.", email=user.email), "info")
    return redirect(url_for("staff.users", slug=slug))


@bp.post("/<slug>/admin/users/<int:user_id>/password")
def reset_password(slug: str, user_id: int) -> Page:
    """A new generated password for a member, shown once; all their sessions end."""
    admin, municipality = membership_in(slug, Role.ADMIN)
    user = _member(municipality, user_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    elsewhere = [m for m in user.memberships if admin.role_in(m.municipality_id) is not Role.ADMIN]
    if elsewhere:
        # The account works for a municipality this admin does not manage.
        flash(_("Denne brukeren har tilgang til andre kommuner. Be en administrator der."), "error")
        return redirect(url_for("staff.users", slug=slug))
    password = generate_password()
    set_password(db.session(), user, password, actor=actor_of(admin), action="reset_password")
    db.session().commit()
    return _page(municipality, AddUserForm(formdata=None), shown_user=user, shown_password=password)
