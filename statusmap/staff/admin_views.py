"""Administration of a municipality: the overview and the audit log (read-only, always)."""

from __future__ import annotations

from flask import render_template
from flask import request

from statusmap import db
from statusmap.audit_log import PAGE_SIZE
from statusmap.audit_log import audit_page
from statusmap.auth.access import membership_in
from statusmap.models import Role
from statusmap.staff.blueprint import bp


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
