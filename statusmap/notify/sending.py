"""From claimed outbox rows to `Outgoing` messages: the text, personalised, and the sender.

An event's message takes its text from its `NotificationContent`; a one-off message (a
confirmation code, a staff test) carries its own subject and body. The subscriber's unsubscribe
link goes in place of links.UNSUBSCRIBE (PUBLIC_BASE_URL + their token); the sender is the
municipality's department in the message's language.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from statusmap.models import Municipality
from statusmap.models import NotificationContent
from statusmap.models import OutboxMessage
from statusmap.models import Subscriber
from statusmap.models.base import localized
from statusmap.notify.channels.base import Outgoing
from statusmap.notify.links import personalise


@dataclass(frozen=True)
class Text:
    subject: str
    body: str
    html: str | None


@dataclass(frozen=True)
class Sender:
    slug: str
    department: dict[str, str]


def _by_id(session: Session, columns: tuple, ids: set[int]) -> dict[int, tuple]:
    if not ids:
        return {}
    rows = session.execute(select(*columns).where(columns[0].in_(ids)))
    return {row[0]: tuple(row[1:]) for row in rows}


class Lookups:
    """What batches share: texts (fixed once composed) and senders (re-read after a minute)."""

    def __init__(self, senders_for_s: float = 60.0) -> None:
        self.texts: dict[int, Text] = {}
        self.senders: dict[int, Sender] = {}
        self._senders_for_s, self._senders_since = senders_for_s, time.monotonic()

    def texts_for(self, session: Session, messages: Sequence[OutboxMessage]) -> dict[int, Text]:
        ids = {m.content_id for m in messages if m.content_id is not None} - set(self.texts)
        columns = (
            NotificationContent.id,
            NotificationContent.subject,
            NotificationContent.body,
            NotificationContent.html,
        )
        self.texts.update({k: Text(*row) for k, row in _by_id(session, columns, ids).items()})
        if len(self.texts) > 1000:  # events come and go; keep the newest only
            self.texts = dict(list(self.texts.items())[-500:])
        return self.texts

    def senders_for(self, session: Session, messages: Sequence[OutboxMessage]) -> dict[int, Sender]:
        if time.monotonic() - self._senders_since > self._senders_for_s:
            self.senders, self._senders_since = {}, time.monotonic()
        ids = {m.municipality_id for m in messages} - set(self.senders)
        columns = (Municipality.id, Municipality.slug, Municipality.department)
        self.senders.update({k: Sender(*row) for k, row in _by_id(session, columns, ids).items()})
        return self.senders


def _tokens(session: Session, messages: Sequence[OutboxMessage]) -> dict[int, str]:
    ids = {m.subscriber_id for m in messages if m.subscriber_id is not None}
    columns = (Subscriber.id, Subscriber.token)
    return {key: row[0] for key, row in _by_id(session, columns, ids).items()}


def compose(
    message: OutboxMessage, text: Text, sender: Sender, token: str | None, base_url: str
) -> Outgoing:
    """One message ready for its channel (pure: everything it needs is passed in)."""

    def filled(value: str) -> str:
        return personalise(value, base_url, sender.slug, token)

    return Outgoing(
        message_id=message.id,
        channel=message.channel,
        recipient=message.recipient,
        language=message.language,
        subject=filled(text.subject),
        body=filled(text.body),
        html=filled(text.html) if text.html is not None else None,
        idempotency_key=message.idempotency_key,
        sender=localized(sender.department, message.language),
    )


def outgoing_for(
    session: Session,
    messages: Sequence[OutboxMessage],
    base_url: str,
    lookups: Lookups | None = None,
) -> list[Outgoing]:
    """The claimed messages as `Outgoing`, in the same order (`lookups` kept across batches)."""
    known = lookups or Lookups()
    texts, senders = known.texts_for(session, messages), known.senders_for(session, messages)
    tokens = _tokens(session, messages)
    made = []
    for message in messages:
        own = Text(message.subject or "", message.body or "", None)
        text = texts.get(message.content_id, own) if message.content_id is not None else own
        token = tokens.get(message.subscriber_id) if message.subscriber_id is not None else None
        made.append(compose(message, text, senders[message.municipality_id], token, base_url))
    return made
