"""Delivery receipts: a provider's word on what became of a message it accepted.

A receipt finds its message by the provider's reference (or our idempotency key echoed back),
among the messages of the channels that provider serves, and moves it:

- delivered: to `delivered` (delivered_at) from any state but delivered; a queued or uncertain
  message that a receipt proves arrived is never sent again;
- failed: from `sent` or `uncertain` to `failed`, keeping the provider's code as last_error;
- anything in between (queued at the operator, sent to the handset): nothing.

Repeats change nothing (providers retry their callbacks), `delivered` is never left, and an
unknown reference is ignored: a receipt can only ever say something about our own messages.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import or_
from sqlalchemy import select
from sqlalchemy.orm import Session

from statusmap.models.notification import MessageStatus
from statusmap.models.notification import OutboxMessage

# The message kinds each receipt endpoint's provider delivers.
PROVIDER_CHANNELS: dict[str, tuple[str, ...]] = {
    "target365": ("sms",),
    "link_mobility": ("sms",),
    "generic_json": ("sms", "voice"),
    "voice": ("voice",),
}
FAILABLE = (MessageStatus.SENT, MessageStatus.UNCERTAIN)


class Outcome(StrEnum):
    DELIVERED = "delivered"
    FAILED = "failed"
    PENDING = "pending"  # an interim report: nothing to record


@dataclass(frozen=True)
class Receipt:
    """One report, in our words."""

    reference: str | None  # the provider's id for the message (or our key, where it is that)
    key: str | None  # our idempotency key, when the provider echoes it (TransactionId, refId)
    outcome: Outcome
    code: str = ""  # the provider's status code, kept on failure


def find_message(session: Session, provider: str, receipt: Receipt) -> OutboxMessage | None:
    """The message a receipt speaks of, among that provider's channels; None if unknown."""
    matches = [OutboxMessage.provider_ref == ref for ref in (receipt.reference, receipt.key) if ref]
    if receipt.key:
        matches.append(OutboxMessage.idempotency_key == receipt.key)
    if not matches:
        return None
    query = (
        select(OutboxMessage)
        .where(or_(*matches), OutboxMessage.channel.in_(PROVIDER_CHANNELS[provider]))
        .order_by(OutboxMessage.id)
        .limit(1)
        .with_for_update()
    )
    return session.scalars(query).first()


def apply_receipt(session: Session, provider: str, receipt: Receipt, *, now: datetime) -> str:
    """Record one receipt; what it did: delivered, failed, unchanged or unknown. Caller commits."""
    if receipt.outcome is Outcome.PENDING:
        return "unchanged"
    message = find_message(session, provider, receipt)
    if message is None:
        return "unknown"
    if message.status is MessageStatus.DELIVERED:
        return "unchanged"
    if receipt.outcome is Outcome.DELIVERED:
        message.status = MessageStatus.DELIVERED
        message.delivered_at = now
        message.lease_until = None
        return "delivered"
    if message.status not in FAILABLE:
        return "unchanged"
    message.status = MessageStatus.FAILED
    message.last_error = f"{provider} receipt: {receipt.code or 'failed'}"[:500]
    return "failed"
