"""Sharing an incident: its picture for link previews, and the helpers the share tags use."""

from __future__ import annotations

from flask import abort
from flask import request
from werkzeug.wrappers import Response

from statusmap import db
from statusmap.i18n import KIND_LABELS
from statusmap.i18n import STATUS_LABELS
from statusmap.i18n import current_language
from statusmap.incidents.queries import public_incident
from statusmap.maps.share_banner import ShareTexts
from statusmap.models import Incident
from statusmap.models.base import utcnow
from statusmap.municipalities import get_municipality
from statusmap.prepared import prepared
from statusmap.public.blueprint import bp
from statusmap.public.share import incident_share_image
from statusmap.public.share import incident_share_text
from statusmap.web import external_url

# Link previews are fetched by crawlers, and kept by them: a minute fresh, then revalidated.
IMAGE_CACHE_CONTROL = "public, max-age=60, stale-while-revalidate=60"


@bp.get("/<slug>/hendelse/<int:incident_id>.png")
@prepared()
def incident_image(slug: str, incident_id: int) -> Response:
    """The incident's area over the street layer, with kind, status and title: 1200x630 PNG."""
    session = db.session()
    municipality = get_municipality(session, slug) or abort(404)
    incident = public_incident(session, municipality.id, incident_id) or abort(404)
    language = current_language()
    labels = share_labels(incident)
    texts = ShareTexts(
        kind=labels["kind"],
        status=labels["status"],
        title=incident.text("title", language),
        municipality=municipality.name_in(language),
    )
    response = Response(
        incident_share_image(session, municipality, incident, texts), mimetype="image/png"
    )
    response.headers["Cache-Control"] = IMAGE_CACHE_CONTROL
    response.add_etag()
    return response.make_conditional(request)


@bp.app_template_global()
def share_labels(incident: Incident) -> dict[str, str]:
    """The incident's kind and its status now, in words in the page's language."""
    status = incident.status_at(utcnow())
    return {"kind": str(KIND_LABELS[incident.kind]), "status": str(STATUS_LABELS[status])}


@bp.app_template_global()
def share_image_url(incident: Incident) -> str:
    """The absolute URL of the incident's picture, in the page's language."""
    return external_url(
        "public.incident_image",
        slug=incident.municipality.slug,
        incident_id=incident.id,
        lang=current_language(),
    )


@bp.app_template_global()
def share_post_text(incident: Incident, page_url: str) -> str:
    """The text of a social media post about the incident, linking to page_url."""
    return incident_share_text(
        db.session(),
        incident,
        language=current_language(),
        kind_label=share_labels(incident)["kind"],
        url=page_url,
        now=utcnow(),
    )
