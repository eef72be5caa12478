"""Administration of a municipality: overview, its details, and the audit log (read-only)."""

from __future__ import annotations

from flask import flash
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from statusmap import db
from statusmap.audit_log import PAGE_SIZE
from statusmap.audit_log import audit_page
from statusmap.auth.access import membership_in
from statusmap.auth.accounts import actor_of
from statusmap.models import Role
from statusmap.municipalities import update_municipality
from statusmap.staff.blueprint import bp
from statusmap.staff.settings_forms import SettingsForm


@bp.get("/<slug>/admin/")
def admin_overview(slug: str) -> str:
    """What an admin can manage."""
    _user, municipality = membership_in(slug, Role.ADMIN)
    return render_template("staff/admin.html", municipality=municipality)


@bp.get("/<slug>/admin/audit")
def audit_log(slug: str) -> str:
    """Who did what, newest first, a page at a time. There is no way to change or delete it."""
    _user, municipality = membership_in(slug, Role.ADMIN)
    before = request.args.get("before", "")
    events = audit_page(
        db.session(), municipality.id, before_id=int(before) if before.isdigit() else None
    )
    older = events[-1].id if len(events) == PAGE_SIZE else None
    return render_template(
        "staff/audit.html", municipality=municipality, events=events, older=older
    )


@bp.route("/<slug>/admin/settings", methods=["GET", "POST"])
def municipality_settings(slug: str) -> Response | tuple[str, int]:
    """The municipality's names, sender and contact details, as the public pages show them."""
    admin, municipality = membership_in(slug, Role.ADMIN)
    form = SettingsForm()
    status = 200
    if form.validate_on_submit():
        session = db.session()
        try:
            changed = update_municipality(
                session, municipality, actor=actor_of(admin), **form.changes()
            )
        except ValueError as exc:  # GeometryError included; the message names the field
            session.rollback()
            flash(str(exc), "error")
            status = 400
        else:
            session.commit()
            flash(_("Opplysningene er lagret.") if changed else _("Ingenting var endret."), "info")
            return redirect(url_for("staff.municipality_settings", slug=slug))
    elif form.errors:
        status = 400
    else:
        form.fill_from(municipality)
    page = render_template("staff/settings.html", municipality=municipality, form=form)
    return page, status
