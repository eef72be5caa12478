"""The staff blueprint object; the view modules of statusmap/staff/ attach their routes to it."""

from __future__ import annotations

from typing import Any

from flask import Blueprint
from flask import Response
from flask import g

from statusmap.i18n import AUDIT_ACTION_LABELS
from statusmap.i18n import KIND_LABELS
from statusmap.i18n import ROLE_LABELS
from statusmap.i18n import STATUS_LABELS
from statusmap.incidents.affected import category_label
from statusmap.models import Role
from statusmap.staff.change_labels import change_label
from statusmap.staff.change_labels import change_value

bp = Blueprint("staff", __name__)


@bp.after_request
def _private(response: Response) -> Response:
    """Staff pages hold personal data and drafts: no shared or browser cache keeps them."""
    response.headers["Cache-Control"] = "no-store"
    response.vary.add("Cookie")
    return response


@bp.context_processor
def _labels() -> dict[str, Any]:
    role = g.get("staff_role")
    return {
        "Role": Role,
        "audit_action_labels": AUDIT_ACTION_LABELS,
        "role_labels": ROLE_LABELS,
        "kind_labels": KIND_LABELS,
        "status_labels": STATUS_LABELS,
        "category_label": category_label,
        "change_label": change_label,
        "change_value": change_value,
        "can_edit": role is not None and role.includes(Role.EDITOR),
        "is_admin": role is Role.ADMIN,
    }
