"""The development channel: one log line per message, without the message's personal parts.

The default when no provider is configured. The recipient is masked (+47*****567,
k***@example.no) and each subscriber's secret unsubscribe token is cut from the text, so the log
holds what was said and to roughly whom, never a number, an address or a token in full.
"""

from __future__ import annotations

import logging
import re

from statusmap.notify.channels.base import Accepted
from statusmap.notify.channels.base import Outgoing

log = logging.getLogger("statusmap.notify.log")

_TOKEN = re.compile(r"(/varsel/av/)[^\s/?#]+")


def mask_recipient(recipient: str) -> str:
    """A recipient shortened so a developer can tell messages apart but not contact anyone."""
    if "@" in recipient:
        local, _, domain = recipient.partition("@")
        return f"{local[:1]}***@{domain}"
    if recipient.startswith(("http://", "https://")):
        return recipient.split("?", 1)[0]
    return f"{recipient[:3]}{'*' * max(len(recipient) - 6, 0)}{recipient[-3:]}"


def without_tokens(text: str) -> str:
    """The text on one line, with every unsubscribe token replaced by an ellipsis."""
    return " / ".join(_TOKEN.sub(r"\1…", text).splitlines())


class LogChannel:
    """Writes each message to the log (logger statusmap.notify.log) and accepts it."""

    idempotent = True  # writing a line twice sends nothing to anyone

    def __init__(self, name: str = "log") -> None:
        self.name = name

    def send(self, message: Outgoing) -> Accepted:
        subject = f" [{without_tokens(message.subject)}]" if message.subject else ""
        log.info(
            "%s #%d to %s from %s (%s)%s: %s",
            message.channel,
            message.message_id,
            mask_recipient(message.recipient),
            message.sender,
            message.language,
            subject,
            without_tokens(message.body),
        )
        return Accepted(provider_ref=f"log-{message.message_id}")
