"""What staff read about an incident's notifications: before sending (who it reaches, the SMS
as it will go out) and after (per event and channel, how many messages are in each status;
the failures, recipients masked). No Flask; counts are SQL aggregates, never rows."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from dataclasses import field
from datetime import datetime

from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy.orm import Session

from statusmap.gis.queries.subscriber_targets import Reach
from statusmap.gis.queries.subscriber_targets import reach_of
from statusmap.models import Incident
from statusmap.models import MessageStatus
from statusmap.models import NotificationEvent
from statusmap.models import OutboxMessage
from statusmap.models import Variant
from statusmap.notify.compose import facts_of
from statusmap.notify.compose import sms_of
from statusmap.notify.compose_sms import SmsSize
from statusmap.notify.compose_sms import sms_size
from statusmap.notify.links import UNSUBSCRIBE_SHORT
from statusmap.notify.links import absolute
from statusmap.notify.links import short_unsubscribe_path

SHOWN_STATUSES = (
    MessageStatus.QUEUED,
    MessageStatus.SENDING,
    MessageStatus.SENT,
    MessageStatus.DELIVERED,
    MessageStatus.FAILED,
    MessageStatus.UNCERTAIN,
    MessageStatus.CANCELLED,
)
PROBLEMS = (MessageStatus.FAILED, MessageStatus.UNCERTAIN)


@dataclass(frozen=True)
class Preview:
    """What an announcement would do now: whom it reaches, and its SMS in bokmål."""

    reach: Reach
    vulnerable_reach: Reach
    sms: str
    size: SmsSize
    variant: Variant


def preview(session: Session, incident: Incident, variant: Variant, base_url: str) -> Preview:
    """The reach of the incident's current area (all, and vulnerable only) and the SMS text."""
    area = incident.area
    everyone = reach_of(session, incident.municipality_id, area)
    vulnerable = reach_of(session, incident.municipality_id, area, vulnerable_only=True)
    text = sms_of(facts_of(incident, "nb", base_url), variant, "nb")
    # As a recipient sees it: their own short unsubscribe link where the placeholder stands.
    shown = text.replace(UNSUBSCRIBE_SHORT, absolute(base_url, short_unsubscribe_path("…")))
    return Preview(everyone, vulnerable, shown, sms_size(text), variant)


@dataclass
class EventCounts:
    """One event and how many of its messages are in each status, per channel."""

    event: NotificationEvent
    by_channel: dict[str, dict[MessageStatus, int]] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(sum(counts.values()) for counts in self.by_channel.values())

    def count(self, status: MessageStatus) -> int:
        return sum(counts.get(status, 0) for counts in self.by_channel.values())


def event_counts(session: Session, incident_id: int) -> list[EventCounts]:
    """The incident's events, newest first, with their messages counted by channel and status."""
    query = select(NotificationEvent).where(NotificationEvent.incident_id == incident_id)
    events = list(session.scalars(query.order_by(NotificationEvent.id.desc())))
    counted: dict[int, dict[str, dict[MessageStatus, int]]] = defaultdict(dict)
    rows = session.execute(
        select(OutboxMessage.event_id, OutboxMessage.channel, OutboxMessage.status, func.count())
        .where(OutboxMessage.incident_id == incident_id, OutboxMessage.event_id.is_not(None))
        .group_by(OutboxMessage.event_id, OutboxMessage.channel, OutboxMessage.status)
    )
    for event_id, channel, status, number in rows:
        counted[event_id or 0].setdefault(channel, {})[status] = int(number)
    return [EventCounts(event, dict(sorted(counted[event.id].items()))) for event in events]


@dataclass(frozen=True)
class Failure:
    """A message that did not arrive, as staff may see it (the recipient masked)."""

    event_id: int | None
    channel: str
    recipient: str
    status: MessageStatus
    attempts: int
    last_error: str
    updated_at: datetime


def mask(recipient: str) -> str:
    """A phone number or e-mail address with most of it hidden: '+47******67', 'k***@gran.no'."""
    if "@" in recipient:
        local, _, domain = recipient.partition("@")
        return f"{local[:1]}***@{domain}"
    if len(recipient) <= 5:
        return "*" * len(recipient)
    return recipient[:3] + "*" * (len(recipient) - 5) + recipient[-2:]


def failures(session: Session, incident_id: int, limit: int = 200) -> list[Failure]:
    """The incident's failed and uncertain messages, newest first (at most `limit`)."""
    query = (
        select(OutboxMessage)
        .where(OutboxMessage.incident_id == incident_id, OutboxMessage.status.in_(PROBLEMS))
        .order_by(OutboxMessage.updated_at.desc(), OutboxMessage.id.desc())
        .limit(limit)
    )
    return [
        Failure(
            m.event_id,
            m.channel,
            mask(m.recipient),
            m.status,
            m.attempts,
            m.last_error,
            m.updated_at,
        )
        for m in session.scalars(query)
    ]
