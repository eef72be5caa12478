"""Public routes: the entry point and each municipality's status page."""

from __future__ import annotations

from flask import abort
from flask import current_app
from flask import redirect
from flask import render_template
from flask import url_for
from werkzeug.wrappers import Response

from statusmap import db
from statusmap.changes import ChangeStamp
from statusmap.i18n import FALLBACK_NOTES
from statusmap.i18n import KIND_LABELS
from statusmap.i18n import STATUS_LABELS
from statusmap.i18n import current_language
from statusmap.i18n import kind_label_texts
from statusmap.i18n import status_label_texts
from statusmap.kinds import KIND_STYLES
from statusmap.kinds import kind_styles_json
from statusmap.kinds import severity_rank
from statusmap.models.base import utcnow
from statusmap.municipalities import get_municipality
from statusmap.municipalities import list_municipalities
from statusmap.prepared import prepared
from statusmap.prepared import public_stamp
from statusmap.public.blueprint import bp
from statusmap.public.page import build_public_page
from statusmap.web_maps import base_map_for


@bp.get("/")
def index() -> Response | str:
    """Send a visitor to the only municipality's page, or let them choose one."""
    municipalities = list_municipalities(db.session())
    if len(municipalities) == 1:
        return redirect(url_for("public.municipality_page", slug=municipalities[0].slug))
    return render_template("public/index.html", municipalities=municipalities)


@bp.get("/<slug>/")
@prepared()
def municipality_page(slug: str) -> str:
    """The public status page: map and text list of the municipality's incidents."""
    municipality = get_municipality(db.session(), slug) or abort(404)
    config = current_app.config
    page = build_public_page(
        db.session(),
        municipality,
        now=utcnow(),
        language=current_language(),
        kind_label=kind_label_texts(),
        status_label=status_label_texts(),
        base=base_map_for(municipality),
        recent_days=config["RECENTLY_RESOLVED_DAYS"],
    )
    stamp = public_stamp(slug)
    legend_kinds = sorted({i.kind for i in page.incidents.current}, key=severity_rank)
    return render_template(
        "public/municipality.html",
        page=page,
        kind_labels=KIND_LABELS,
        status_labels=STATUS_LABELS,
        kind_styles=KIND_STYLES,
        legend_kinds=legend_kinds,
        zone_styles=kind_styles_json(),
        live=_live_settings(slug, stamp[1] if stamp else None),
        fallback_notes=FALLBACK_NOTES,
    )


def _live_settings(slug: str, stamp: ChangeStamp | None) -> dict[str, object]:
    """What the page's live-update script needs: where to poll, how often, the serial shown."""
    return {
        "changes_url": url_for("api.changes", slug=slug),
        "geojson_url": url_for("api.incidents_geojson", slug=slug),
        "interval_s": current_app.config["LIVE_POLL_INTERVAL_S"],
        "serial": stamp.serial if stamp else 0,
        "changed_at": stamp.changed_at if stamp and stamp.serial else utcnow(),
    }
