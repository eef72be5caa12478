"""CAP 1.2: one alert per incident (its current message) and an Atom index of current alerts."""

from __future__ import annotations

from flask import Response
from flask import abort
from flask import current_app
from flask_babel import gettext as _

from statusmap import db
from statusmap.api.blueprint import bp
from statusmap.api.blueprint import municipality_or_404
from statusmap.api.feed_views import atom_response
from statusmap.api.feed_views import authority
from statusmap.api.feed_views import labels_in
from statusmap.api.feed_views import page_url_of
from statusmap.api.feed_views import public_now
from statusmap.feeds.cap import CapLanguage
from statusmap.feeds.cap import CapSender
from statusmap.feeds.cap import cap_alert
from statusmap.feeds.cap_messages import CapMessage
from statusmap.feeds.cap_messages import message_history
from statusmap.feeds.cap_profile import CAP_MIMETYPE
from statusmap.feeds.cap_profile import alert_status
from statusmap.feeds.feed_entries import cap_index_entry
from statusmap.feeds.feed_entries import department_name
from statusmap.gis.queries.affected import street_names_in_area
from statusmap.i18n import current_language
from statusmap.incidents.placeholders import join_streets
from statusmap.incidents.public_history import public_versions
from statusmap.models import Incident
from statusmap.models import IncidentStatus
from statusmap.models import Municipality
from statusmap.models.base import utcnow
from statusmap.prepared import prepared
from statusmap.web import external_url

DEMO_NOTE = "Demo municipality with made-up incidents: a test message, not to be acted on."


def _prefix(slug: str) -> str:
    return str(current_app.config["CAP_IDENTIFIER_PREFIX"]) or f"statusmap.{authority(slug)}"


def _messages(incidents: list[Incident], slug: str) -> dict[int, list[CapMessage]]:
    versions = public_versions(db.session(), [i.id for i in incidents])
    return {i.id: message_history(i, versions[i.id], _prefix(slug)) for i in incidents}


def _sender(municipality: Municipality, incident: Incident) -> CapSender:
    contact = " / ".join(c for c in (municipality.contact_phone, municipality.contact_email) if c)
    return CapSender(
        # The sender's own address names it uniquely; without one, the host we publish from.
        sender=municipality.contact_email or authority(municipality.slug),
        status=alert_status(municipality.is_demo),
        web=page_url_of(incident),
        contact=contact,
        kommunenummer=municipality.kommunenummer,
        note=DEMO_NOTE if municipality.is_demo else "",
    )


def _languages(municipality: Municipality, incident: Incident) -> list[CapLanguage]:
    """An info per language the site publishes and the incident has its own title in."""
    streets = []
    if incident.area is not None:
        streets = street_names_in_area(db.session(), municipality.id, incident.area)
    found = []
    for language in current_app.config["LANGUAGES"]:
        if language != "nb" and not (incident.title.get(language) or "").strip():
            continue  # its texts would be bokmål under another language's name
        name = municipality.name_in(language)
        places = join_streets(streets, language)
        found.append(
            CapLanguage(
                language=language,
                event=labels_in(language).kinds[incident.kind.value],
                sender_name=department_name(municipality, language),
                area_desc=f"{places} ({name})" if places else name,
            )
        )
    return found


@bp.get("/<slug>/cap/<int:incident_id>.xml")
@prepared()
def cap_alert_xml(slug: str, incident_id: int) -> Response:
    """The incident's current CAP 1.2 message (Alert, Update or Cancel); drafts are 404."""
    municipality = municipality_or_404(slug)
    incident = db.session().get(Incident, incident_id)
    if (
        incident is None
        or incident.municipality_id != municipality.id
        or incident.status is IncidentStatus.DRAFT
    ):
        abort(404, f"No public incident {incident_id} in {slug!r}.")
    messages = _messages([incident], slug)[incident.id]
    body = cap_alert(
        incident, messages, _sender(municipality, incident), _languages(municipality, incident)
    )
    return Response(body, mimetype=CAP_MIMETYPE)


@bp.get("/<slug>/cap.atom")
@prepared()
def cap_index(slug: str) -> Response:
    """An Atom index of current CAP alerts: active, planned, and recently resolved (Cancel)."""
    municipality, now, language = municipality_or_404(slug), utcnow(), current_language()
    found = public_now(municipality, now)
    incidents = found.current + found.resolved
    messages = _messages(incidents, slug)
    host, labels = authority(slug), labels_in(language)
    entries = [
        cap_index_entry(
            i,
            messages[i.id][-1],
            host,
            external_url("api.cap_alert_xml", slug=slug, incident_id=i.id),
            labels,
        )
        for i in incidents
    ]
    return atom_response(municipality, language, "api.cap_index", _("CAP-varsler"), entries)
