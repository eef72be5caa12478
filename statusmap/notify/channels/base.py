"""The one interface every channel implements, and the three ways a send can go wrong.

A channel gets an `Outgoing` (the message with its text filled in) and either returns
`Accepted` (the provider took it; its reference, if any, matches later delivery receipts) or
raises one of:

- `TransientError`: nothing went out (connection refused, 429, 5xx before acceptance); the
  worker tries again later with backoff.
- `PermanentError`: it never will (an invalid number, a rejected address); the message fails.
- `UncertainError`: it may have gone out (a timeout after the request was sent). A channel whose
  provider takes an idempotency key (`idempotent = True`) is tried again with the same key, so
  the provider drops the repeat; any other channel's message becomes `uncertain` and is never
  repeated without a person deciding to.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Outgoing:
    """One message, ready to hand to a provider."""

    message_id: int
    channel: str
    recipient: str  # E.164 phone number, e-mail address or URL
    language: str
    subject: str
    body: str  # SMS text, e-mail plain text, voice script or webhook JSON
    html: str | None
    idempotency_key: str  # the same on every attempt of this message
    sender: str  # the sending department, as the recipient should see it


@dataclass(frozen=True)
class Accepted:
    """The provider took the message; `provider_ref` ties its delivery receipts to it."""

    provider_ref: str | None = None


class ChannelError(Exception):
    """A send that did not end in Accepted; the text is kept as the message's last error."""


class TransientError(ChannelError):
    """Nothing went out; try again later."""


class PermanentError(ChannelError):
    """It will never go out; give up."""


class UncertainError(ChannelError):
    """It may have gone out; repeat only with the same idempotency key."""


class Channel(Protocol):
    """Delivers messages of one kind (sms, voice, email, webhook, log)."""

    name: str
    # True when repeating an attempt with the same idempotency key never delivers twice.
    idempotent: bool

    def send(self, message: Outgoing) -> Accepted: ...
