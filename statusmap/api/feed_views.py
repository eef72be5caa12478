"""The open feeds: Atom of incidents and iCalendar of planned works (CAP is in cap_views).

Thin views: they gather the request's language, labels and URLs and hand the incidents to the
builders in statusmap/feeds/, which know nothing of Flask.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from flask import Response
from flask import current_app
from flask import url_for
from flask_babel import force_locale
from flask_babel import gettext as _

from statusmap import db
from statusmap.api.blueprint import bp
from statusmap.api.blueprint import municipality_or_404
from statusmap.feeds.atom import ATOM_MIMETYPE
from statusmap.feeds.atom import AtomEntry
from statusmap.feeds.atom import AtomFeed
from statusmap.feeds.atom import atom_document
from statusmap.feeds.atom import tag_uri
from statusmap.feeds.feed_entries import EntryLabels
from statusmap.feeds.feed_entries import department_name
from statusmap.feeds.feed_entries import incident_entries
from statusmap.feeds.ical import ICAL_MIMETYPE
from statusmap.feeds.ical import CalendarSource
from statusmap.feeds.ical import calendar
from statusmap.feeds.ical import is_planned
from statusmap.i18n import KIND_LABELS
from statusmap.i18n import STATUS_LABELS
from statusmap.i18n import current_language
from statusmap.incidents.queries import PublicIncidents
from statusmap.incidents.queries import public_incidents
from statusmap.models import Incident
from statusmap.models import IncidentKind
from statusmap.models import IncidentStatus
from statusmap.models import Municipality
from statusmap.models.base import utcnow
from statusmap.prepared import prepared
from statusmap.web import external_url
from statusmap.web import incident_url


def public_now(municipality: Municipality, now: datetime) -> PublicIncidents:
    """What the public sees now: active, scheduled and recently resolved incidents."""
    days = current_app.config["RECENTLY_RESOLVED_DAYS"]
    return public_incidents(db.session(), municipality.id, now=now, recent_days=days)


def labels_in(language: str) -> EntryLabels:
    """Kind and status labels in a language (not necessarily the request's)."""
    with force_locale(language):
        kinds = {k.value: str(KIND_LABELS[k]) for k in IncidentKind}
        statuses = {s.value: str(STATUS_LABELS[s]) for s in IncidentStatus}
    return EntryLabels(language, kinds, statuses)


def authority(slug: str) -> str:
    """The host name our links start with: the naming authority of tag: URIs and UIDs."""
    return urlsplit(external_url("public.municipality_page", slug=slug)).hostname or "localhost"


def page_url_of(incident: Incident) -> str:
    """The incident's page (one helper for every feed: web.incident_url)."""
    return incident_url(incident.municipality.slug, incident.id, external=True)


def atom_response(
    municipality: Municipality, language: str, endpoint: str, title: str, entries: list[AtomEntry]
) -> Response:
    """One of the municipality's Atom feeds, served by `endpoint` (its id names it too)."""
    slug, name = municipality.slug, endpoint.removeprefix("api.")
    feed = AtomFeed(
        id=tag_uri(authority(slug), municipality.created_at, f"statusmap:{slug}:{name}"),
        title=f"{title} – {municipality.name_in(language)}",
        language=language,
        self_url=external_url(endpoint, slug=slug, lang=language),
        page_url=external_url("public.municipality_page", slug=slug, lang=language),
        author=department_name(municipality, language),
        fallback_updated=municipality.created_at,
        entries=entries,
    )
    return Response(atom_document(feed), mimetype=ATOM_MIMETYPE)


@dataclass(frozen=True)
class FeedLink:
    """A feed as the page links to it: in the head (rel=alternate) and in the footer."""

    title: str
    mimetype: str
    url: str


@bp.app_template_global("open_feeds")
def open_feeds(slug: str, language: str) -> list[FeedLink]:
    """The municipality's open feeds in a language, for the public page's links."""
    feeds = [
        (_("Driftsmeldinger (Atom)"), ATOM_MIMETYPE, "api.incidents_atom"),
        (_("CAP-varsler"), ATOM_MIMETYPE, "api.cap_index"),
        (_("Planlagt arbeid (iCalendar)"), ICAL_MIMETYPE, "api.planned_ics"),
        ("GeoJSON", "application/geo+json", "api.incidents_geojson"),
    ]
    return [
        FeedLink(title, mimetype, url_for(endpoint, slug=slug, lang=language))
        for title, mimetype, endpoint in feeds
    ]


@bp.get("/<slug>/incidents.atom")
@prepared()
def incidents_atom(slug: str) -> Response:
    """Active, planned and recently resolved incidents as Atom, in the request's language."""
    municipality, now, language = municipality_or_404(slug), utcnow(), current_language()
    found = public_now(municipality, now)
    entries = incident_entries(
        found.current + found.resolved, authority(slug), page_url_of, labels_in(language), now
    )
    title = _("Driftsmeldinger for vann og avløp")
    return atom_response(municipality, language, "api.incidents_atom", title, entries)


@bp.get("/<slug>/planned.ics")
@prepared()
def planned_ics(slug: str) -> Response:
    """Planned works (and other incidents announced ahead) as an iCalendar file."""
    municipality, now, language = municipality_or_404(slug), utcnow(), current_language()
    found = public_now(municipality, now)
    planned = [i for i in found.current + found.resolved if is_planned(i, now)]
    name = municipality.name_in(language)
    source = CalendarSource(
        name=f"{_('Planlagt arbeid')} – {name}",
        language=language,
        authority=authority(slug),
        location=name,
    )
    body = calendar(planned, source, page_url_of, labels_in(language).kinds)
    response = Response(body, mimetype=ICAL_MIMETYPE)
    response.headers["Content-Disposition"] = f'inline; filename="{slug}-planned.ics"'
    return response
