"""Public route: one incident's own page, at a stable URL (resolved ones stay: the archive)."""

from __future__ import annotations

from flask import abort
from flask import render_template

from statusmap import db
from statusmap.i18n import FALLBACK_NOTES
from statusmap.i18n import KIND_LABELS
from statusmap.i18n import STATUS_LABELS
from statusmap.i18n import current_language
from statusmap.i18n import kind_label_texts
from statusmap.i18n import status_label_texts
from statusmap.incidents.queries import public_incident
from statusmap.kinds import KIND_STYLES
from statusmap.models import Incident
from statusmap.models.base import utcnow
from statusmap.municipalities import get_municipality
from statusmap.prepared import prepared
from statusmap.public.blueprint import bp
from statusmap.public.incident_page import build_incident_page
from statusmap.public.share_views import share_image_url
from statusmap.public.share_views import share_post_text
from statusmap.web import incident_url
from statusmap.web_maps import base_map_for


@bp.get("/<slug>/hendelse/<int:incident_id>")
@prepared()
def incident_page(slug: str, incident_id: int) -> str:
    """An incident's page: what, where, since and until when, what to do, and its updates."""
    session = db.session()
    municipality = get_municipality(session, slug) or abort(404)
    incident = public_incident(session, municipality.id, incident_id) or abort(404)
    page = build_incident_page(
        session,
        incident,
        now=utcnow(),
        language=current_language(),
        kind_label=kind_label_texts(),
        status_label=status_label_texts(),
        base=base_map_for(municipality),
    )
    return render_template(
        "public/incident.html",
        page=page,
        kind_labels=KIND_LABELS,
        status_labels=STATUS_LABELS,
        kind_styles=KIND_STYLES,
        fallback_notes=FALLBACK_NOTES,
        share=_share(incident),
    )


def _share(incident: Incident) -> dict[str, str]:
    """The link preview's page and picture URLs and the text of a social post, all absolute."""
    page_url = incident_url(incident.municipality.slug, incident.id, external=True)
    return {
        "page_url": page_url,
        "image_url": share_image_url(incident),
        "text": share_post_text(incident, page_url),
    }
