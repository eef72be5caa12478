"""A short text for a social media post about an incident, in one language.

At most MAX_LENGTH characters with the link written out in full (the tightest networks count it
so), times in Europe/Oslo with the zone as the pages show them. What does not fit is left out
in this order: the streets, then the end of the title (marked with an ellipsis); the link stays.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from statusmap.incidents.placeholders import format_time
from statusmap.incidents.placeholders import join_streets
from statusmap.models import Incident
from statusmap.models import IncidentStatus

MAX_LENGTH = 280
_WORDS = {
    "nb": {
        "streets": "Gjelder {streets}.",
        "start": "Starter {time}.",
        "end": "Forventet ferdig {time}.",
        "resolved": "Løst {time}.",
    },
    "nn": {
        "streets": "Gjeld {streets}.",
        "start": "Startar {time}.",
        "end": "Venta ferdig {time}.",
        "resolved": "Løyst {time}.",
    },
    "en": {
        "streets": "Affects {streets}.",
        "start": "Starts {time}.",
        "end": "Expected to end {time}.",
        "resolved": "Resolved {time}.",
    },
}


def share_text(
    incident: Incident,
    *,
    language: str,
    kind_label: str,
    url: str,
    now: datetime,
    streets: Sequence[str] = (),
) -> str:
    """Kind and title, when it starts, ends or ended, the streets it reaches, and the link."""
    words = _WORDS[language]
    when = " ".join(_times(incident, words, language, now))
    places = join_streets(streets, language)
    place = words["streets"].format(streets=places) if places else ""
    head = _headline(kind_label, incident.text("title", language))
    for middle in ([when, place], [when]):
        text = _joined(head, *middle, url)
        if len(text) <= MAX_LENGTH:
            return text
    room = MAX_LENGTH - len(_joined("", when, url)) - 1
    return _joined(_shortened(head, room), when, url)


def _headline(kind_label: str, title: str) -> str:
    """'Kokepålegg: Nord for Elvegata.', without the kind twice when the title starts with it."""
    title = title.strip()
    if not title:
        return f"{kind_label}."
    head = title if title.casefold().startswith(kind_label.casefold()) else f"{kind_label}: {title}"
    return head if head.endswith((".", "!", "?", "…")) else f"{head}."


def _times(incident: Incident, words: dict[str, str], language: str, now: datetime) -> list[str]:
    status = incident.status_at(now)
    if status is IncidentStatus.RESOLVED:
        ended = incident.resolved_at
        return [words["resolved"].format(time=format_time(ended, language))] if ended else []
    parts = []
    if status is IncidentStatus.SCHEDULED and incident.starts_at is not None:
        parts.append(words["start"].format(time=format_time(incident.starts_at, language)))
    if incident.expected_end is not None:
        parts.append(words["end"].format(time=format_time(incident.expected_end, language)))
    return parts


def _joined(*parts: str) -> str:
    return " ".join(part for part in parts if part)


def _shortened(text: str, room: int) -> str:
    if len(text) <= room:
        return text
    return text[: max(room - 1, 0)].rstrip() + "…"
