"""The texts of an event: one `NotificationContent` per variant, language and channel.

An event's texts are composed once, when it is expanded, from the incident as that version left
it: its own title, summary and advice (filled in from the kind's message templates when staff
wrote it), the municipality's department and contact, the expected end in Europe/Oslo with the
zone, and the short link `PUBLIC_BASE_URL + links.incident_short_path`. Only the personal part
(the unsubscribe link, `links.UNSUBSCRIBE`) is left for the worker.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from statusmap.incidents.placeholders import format_time
from statusmap.models import Incident
from statusmap.models import NotificationContent
from statusmap.models import NotificationEvent
from statusmap.models import Variant
from statusmap.models.base import LANGUAGES
from statusmap.models.base import localized
from statusmap.notify.compose_email import MessageFacts
from statusmap.notify.compose_email import email_html
from statusmap.notify.compose_email import email_subject
from statusmap.notify.compose_email import email_text
from statusmap.notify.compose_email import voice_script
from statusmap.notify.compose_sms import SmsFacts
from statusmap.notify.compose_sms import compose_sms
from statusmap.notify.links import absolute
from statusmap.notify.links import incident_short_path

CHANNELS = ("sms", "voice", "email")


def sender_of(incident: Incident, language: str) -> str:
    """The sending department as recipients should see it, with the municipality's name."""
    municipality = incident.municipality
    department = localized(municipality.department, language).strip()
    name = localized(municipality.name, language).strip()
    if not department:
        return name
    return department if name.lower() in department.lower() else f"{department}, {name}"


def short_link(base_url: str, incident_id: int) -> str:
    """The absolute short link to the incident's public page."""
    return absolute(base_url, incident_short_path(incident_id))


def facts_of(
    incident: Incident, language: str, base_url: str, snapshot: dict[str, Any] | None = None
) -> MessageFacts:
    """What the incident's messages in one language may say: as the version's revision
    `snapshot` has them when given (the version announced), else as the incident is now."""
    closing = incident.updates[0].body_in(language) if incident.updates else ""
    if snapshot is None:
        snapshot = {name: getattr(incident, name) for name in ("title", "summary", "advice")}
        snapshot["expected_end"] = incident.expected_end
    end = snapshot.get("expected_end")
    if isinstance(end, str):
        end = datetime.fromisoformat(end)
    return MessageFacts(
        sender=sender_of(incident, language),
        title=localized(snapshot.get("title"), language),
        summary=localized(snapshot.get("summary"), language),
        advice=localized(snapshot.get("advice"), language),
        closing=closing,
        expected_end=format_time(end, language) if end else "",
        link=short_link(base_url, incident.id),
        phone=incident.municipality.contact_phone,
        email=incident.municipality.contact_email,
    )


def sms_of(facts: MessageFacts, variant: Variant, language: str) -> str:
    """The SMS of one variant."""
    sms = SmsFacts(facts.sender, facts.title, facts.summary, facts.expected_end, facts.link)
    return compose_sms(sms, variant, language)


def content_for(
    facts: MessageFacts, variant: Variant, language: str, channel: str
) -> tuple[str, str, str | None]:
    """(subject, body, html) of one variant in one language for one channel."""
    if channel == "sms":
        return "", sms_of(facts, variant, language), None
    if channel == "voice":
        return "", voice_script(facts, variant, language), None
    return (
        email_subject(facts, variant, language),
        email_text(facts, variant, language),
        email_html(facts, variant, language),
    )


def compose_event(
    session: Session,
    event: NotificationEvent,
    incident: Incident,
    variants: Iterable[Variant],
    base_url: str,
    snapshot: dict[str, Any] | None = None,
) -> None:
    """Add the event's missing texts for these variants, in every language and channel."""
    query = select(
        NotificationContent.variant, NotificationContent.language, NotificationContent.channel
    ).where(NotificationContent.event_id == event.id)
    existing = {tuple(row) for row in session.execute(query)}
    for language in LANGUAGES:
        facts = facts_of(incident, language, base_url, snapshot)
        for variant in variants:
            for channel in CHANNELS:
                if (variant, language, channel) in existing:
                    continue
                subject, body, html = content_for(facts, variant, language, channel)
                session.add(
                    NotificationContent(
                        event_id=event.id,
                        variant=variant,
                        language=language,
                        channel=channel,
                        subject=subject,
                        body=body,
                        html=html,
                    )
                )
    session.flush()
