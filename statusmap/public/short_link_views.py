"""The short link in SMS and e-mail: `/h/<incident id>` sends the reader to the incident's page.

Kept short for SMS (links.incident_short_path). It redirects (302, so a moved page can be
followed later) to the incident's page under its municipality; a draft or an unknown id is 404,
as on the page itself.
"""

from __future__ import annotations

from flask import abort
from flask import redirect
from flask import url_for
from werkzeug.wrappers import Response

from statusmap import db
from statusmap.incidents.queries import public_incident
from statusmap.models import Incident
from statusmap.public.blueprint import bp


@bp.get("/h/<int:incident_id>")
def incident_short_link(incident_id: int) -> Response:
    """302 to the incident's public page."""
    session = db.session()
    found = session.get(Incident, incident_id) or abort(404)
    incident = public_incident(session, found.municipality_id, incident_id) or abort(404)
    target = url_for(
        "public.incident_page", slug=incident.municipality.slug, incident_id=incident.id
    )
    response = redirect(target, code=302)
    response.headers["Cache-Control"] = "public, max-age=300"
    return response
