"""One outgoing e-mail as MIME: plain text and HTML alternatives in UTF-8, with the headers that
let mail systems and people handle it well.

- Message-ID comes from the idempotency key, the same on every attempt: a receiving system
  can spot a repeat.
- List-Unsubscribe (the subscriber's own link, the first URL in the text that contains
  "/varsel/av/") with List-Unsubscribe-Post: List-Unsubscribe=One-Click (RFC 8058).
- Auto-Submitted: auto-generated (RFC 3834), so out-of-office robots do not answer.
- From: the sending department's name (the message's sender) at STATUSMAP_MAIL_FROM's address.
"""

from __future__ import annotations

import re
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import formatdate

from statusmap.notify.channels.base import Outgoing

UNSUBSCRIBE_MARK = "/varsel/av/"
URL = re.compile(r"https?://[^\s<>\"')\]]+")


def unsubscribe_link(text: str) -> str | None:
    """The first link in the text that leads to an unsubscribe page."""
    for match in URL.finditer(text):
        link = match.group(0).rstrip(".,;:!?")
        if UNSUBSCRIBE_MARK in link:
            return link
    return None


def message_id(idempotency_key: str, domain: str) -> str:
    """The Message-ID every attempt of one message carries."""
    return f"<{idempotency_key}@{domain}>"


def build_email(message: Outgoing, sender: Address) -> EmailMessage:
    """The MIME message for one Outgoing e-mail."""
    email = EmailMessage(policy=SMTP)
    email["From"] = Address(
        display_name=message.sender or sender.display_name,
        username=sender.username,
        domain=sender.domain,
    )
    email["To"] = message.recipient
    email["Subject"] = message.subject
    email["Date"] = formatdate(usegmt=True)
    email["Message-ID"] = message_id(message.idempotency_key, sender.domain)
    email["Auto-Submitted"] = "auto-generated"
    link = unsubscribe_link(message.body)
    if link:
        email["List-Unsubscribe"] = f"<{link}>"
        email["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    email.set_content(message.body, charset="utf-8")
    if message.html:
        email.add_alternative(message.html, subtype="html", charset="utf-8")
    return email
