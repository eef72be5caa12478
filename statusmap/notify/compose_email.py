"""E-mail (subject, plain text, HTML) and voice-call scripts of one variant in one language.

Every text a person typed is escaped in the HTML part (stdlib `html.escape`); both parts carry
the placeholder `links.UNSUBSCRIBE` where the recipient's own unsubscribe link goes (the worker
fills it in). A voice script never reads a link aloud: it names the sender and says whom to call.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape

from statusmap.models import Variant
from statusmap.notify.compose_words import lead
from statusmap.notify.compose_words import word
from statusmap.notify.links import UNSUBSCRIBE

_URL = re.compile(r"https?://\S+|www\.\S+", re.IGNORECASE)


@dataclass(frozen=True)
class MessageFacts:
    """What a message may say, already in the recipient's language (plain text)."""

    sender: str  # the sending department ("Vann og avløp, Gran kommune")
    title: str
    summary: str
    advice: str
    closing: str  # the latest timeline entry (the closing message once resolved), or ""
    expected_end: str  # formatted in Europe/Oslo with the zone, or ""
    link: str  # absolute short link to the incident's page
    phone: str
    email: str


def _clean(text: str) -> str:
    """A typed text as a message may carry it: no stray unsubscribe placeholder."""
    return text.replace(UNSUBSCRIBE, "").strip()


def email_subject(facts: MessageFacts, variant: Variant, language: str) -> str:
    return f"{lead(language, variant)}{_clean(facts.title)} – {facts.sender}"[:300]


def _paragraphs(facts: MessageFacts, variant: Variant, language: str) -> list[str]:
    """The body's paragraphs as plain text, in order."""
    found: list[str] = []
    if variant is Variant.TEST:
        found.append(word(language, "test"))
    if variant is Variant.NO_LONGER:
        found.append(word(language, "no_longer"))
    if variant is Variant.RESOLVED:
        found += [word(language, "resolved"), _clean(facts.closing)]
    else:
        if variant is Variant.UPDATE:
            found.append(_clean(facts.closing))
        found += [_clean(facts.summary), _clean(facts.advice)]
        if facts.expected_end and variant is not Variant.NO_LONGER:
            found.append(word(language, "expected_end", time=facts.expected_end))
    return [paragraph for paragraph in found if paragraph]


def _contact(facts: MessageFacts) -> str:
    return " · ".join(part for part in (facts.phone, facts.email) if part)


def email_text(facts: MessageFacts, variant: Variant, language: str) -> str:
    """The plain-text part."""
    parts = [f"{lead(language, variant)}{_clean(facts.title)}"]
    parts += _paragraphs(facts, variant, language)
    parts.append(word(language, "more", link=facts.link))
    parts.append(
        "\n".join(p for p in (word(language, "regards"), facts.sender, _contact(facts)) if p)
    )
    parts.append(f"{word(language, 'why')}\n{word(language, 'stop')} {UNSUBSCRIBE}")
    return "\n\n".join(parts) + "\n"


def _html_paragraph(text: str) -> str:
    return "<p>" + escape(text).replace("\n", "<br>\n") + "</p>"


def email_html(facts: MessageFacts, variant: Variant, language: str) -> str:
    """The HTML part: the same content, every typed text escaped."""
    link = escape(facts.link, quote=True)
    body = [f"<h1>{escape(lead(language, variant) + _clean(facts.title))}</h1>"]
    body += [_html_paragraph(paragraph) for paragraph in _paragraphs(facts, variant, language)]
    more = escape(word(language, "more", link="")).strip()
    body.append(f'<p>{more} <a href="{link}">{link}</a></p>')
    signature = [word(language, "regards"), facts.sender, _contact(facts)]
    body.append(_html_paragraph("\n".join(part for part in signature if part)))
    stop = escape(word(language, "stop"))
    body.append(
        f"<p><small>{escape(word(language, 'why'))} "
        f'<a href="{UNSUBSCRIBE}">{stop.rstrip(":")}</a></small></p>'
    )
    return (
        f'<!DOCTYPE html>\n<html lang="{escape(language)}"><head><meta charset="utf-8">'
        f"<title>{escape(email_subject(facts, variant, language))}</title></head>\n<body>\n"
        + "\n".join(body)
        + "\n</body></html>\n"
    )


def _spoken(text: str) -> str:
    """A text as it may be read aloud: links taken out."""
    return re.sub(r"\s+", " ", _URL.sub("", _clean(text))).strip()


def voice_script(facts: MessageFacts, variant: Variant, language: str) -> str:
    """What the call says: who calls, what happened, whom to call; then it once more."""
    said = [f"{lead(language, variant)}{_spoken(facts.title)}".rstrip(".") + "."]
    if variant is Variant.NO_LONGER:
        said.append(word(language, "no_longer"))
    elif variant is Variant.RESOLVED:
        said += [word(language, "resolved"), _spoken(facts.closing)]
    else:
        said.append(_spoken(facts.summary))
        if facts.expected_end:
            said.append(word(language, "expected_end", time=facts.expected_end))
    message = " ".join(part for part in said if part)
    call = word(language, "call", phone=facts.phone) if facts.phone else ""
    opening = word(language, "from", sender=facts.sender)
    # A call carries no link: it says whom to call to stop them (staff end it in one step).
    stop = word(language, "voice_stop", phone=facts.phone) if facts.phone else ""
    parts = (opening, message, call, word(language, "again"), message, stop)
    return " ".join(p for p in parts if p)
