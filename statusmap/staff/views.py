"""Staff entry points: the list of one's municipalities and each municipality's dashboard."""

from __future__ import annotations

from flask import redirect
from flask import render_template
from flask import url_for
from sqlalchemy import select
from werkzeug.wrappers import Response

from statusmap import db
from statusmap.auth.access import membership_in
from statusmap.auth.access import staff_user
from statusmap.models import Incident
from statusmap.models import Role
from statusmap.models.base import utcnow
from statusmap.staff.blueprint import bp


@bp.get("/")
def index() -> Response | str:
    """The municipalities the user works for; straight to the dashboard when there is one."""
    user = staff_user()
    memberships = sorted(user.memberships, key=lambda m: m.municipality.slug)
    if len(memberships) == 1:
        return redirect(url_for("staff.dashboard", slug=memberships[0].municipality.slug))
    return render_template("staff/index.html", memberships=memberships)


@bp.get("/<slug>/")
def dashboard(slug: str) -> str:
    """Every incident of the municipality, newest first, drafts included."""
    _user, municipality = membership_in(slug, Role.VIEWER)
    incidents = db.session().scalars(
        select(Incident)
        .where(Incident.municipality_id == municipality.id)
        .order_by(Incident.created_at.desc(), Incident.id.desc())
    )
    return render_template(
        "staff/dashboard.html",
        municipality=municipality,
        incidents=list(incidents),
        now=utcnow(),
    )
