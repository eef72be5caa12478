"""The links in messages: the short link to an incident and a subscriber's unsubscribe link.

Messages are sent by the worker, outside any request, so links start with PUBLIC_BASE_URL
(required for sending; see README). Composed texts carry the placeholder UNSUBSCRIBE where a
subscriber's own link goes (UNSUBSCRIBE_SHORT in SMS); the worker fills it in per recipient
(`personalise`), so every message, SMS included, ends a subscription in one step.
"""

from __future__ import annotations

UNSUBSCRIBE = "{unsubscribe_url}"
# The short form for SMS (/av/<token>, which redirects to the unsubscribe page).
UNSUBSCRIBE_SHORT = "{unsubscribe_short_url}"


def incident_short_path(incident_id: int) -> str:
    """The short path that redirects to an incident's public page (kept short for SMS)."""
    return f"/h/{incident_id}"


def unsubscribe_path(slug: str, token: str) -> str:
    """The one-step unsubscribe page of one subscriber (their secret token in the path)."""
    return f"/{slug}/varsel/av/{token}"


def short_unsubscribe_path(token: str) -> str:
    """The short path to a subscriber's unsubscribe page (for SMS, where every sign counts)."""
    return f"/av/{token}"


def absolute(base_url: str, path: str) -> str:
    """`path` under the site's public base URL (which may itself have a path)."""
    return base_url.rstrip("/") + path


def personalise(text: str, base_url: str, slug: str, token: str | None) -> str:
    """The text with the subscriber's unsubscribe link in place of UNSUBSCRIBE (and its short
    form in place of UNSUBSCRIBE_SHORT)."""
    if UNSUBSCRIBE in text:
        link = absolute(base_url, unsubscribe_path(slug, token)) if token else ""
        text = text.replace(UNSUBSCRIBE, link)
    if UNSUBSCRIBE_SHORT in text:
        short = absolute(base_url, short_unsubscribe_path(token)) if token else ""
        text = text.replace(UNSUBSCRIBE_SHORT, short)
    return text.rstrip()
