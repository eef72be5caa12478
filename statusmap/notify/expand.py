"""Expanding pending notification events into one outbox message per recipient and channel.

The worker calls `expand_pending` in every loop. An event is claimed with `FOR UPDATE SKIP
LOCKED` (PostgreSQL: several workers each take another event; SQLite: the writer's lock makes
it one at a time), its texts are composed (compose.py), and all its messages are written by one
`INSERT ... SELECT ... ON CONFLICT DO NOTHING` from the subscribers inside the area of THAT
version (gis/queries/subscriber_targets.py) joined with the channels each chose: no Python loop
over recipients, and a repeated expansion adds nothing (the unique recipient per event and
channel, and an idempotency key made of the same three: `e<event>-<channel>-<subscriber>`).

Who gets what: PUBLISHED -> NEW, UPDATED -> UPDATE and RESOLVED -> RESOLVED to those inside;
AREA_CHANGED compares the area of the version announced before (previous_version): newly
covered -> NEW, still covered -> UPDATE, no longer covered -> NO_LONGER. One message per person
and channel however many of their addresses lie inside; vulnerable subscribers get priority 0
(the worker sends them first), and alone when the audience is VULNERABLE_ONLY. A RESEND repeats
a vulnerable-only event to everyone inside who got nothing from it.
"""

from __future__ import annotations

import os
from typing import Any

from shapely.geometry.base import BaseGeometry
from sqlalchemy import Select
from sqlalchemy import String
from sqlalchemy import and_
from sqlalchemy import case
from sqlalchemy import cast
from sqlalchemy import exists
from sqlalchemy import literal
from sqlalchemy import or_
from sqlalchemy import select
from sqlalchemy import true
from sqlalchemy import union_all
from sqlalchemy.dialects import postgresql
from sqlalchemy.dialects import sqlite
from sqlalchemy.orm import Session
from sqlalchemy.orm import aliased

from statusmap.engine import begin_writing
from statusmap.gis.queries.subscriber_targets import subscribers_inside
from statusmap.models import Audience
from statusmap.models import EventKind
from statusmap.models import Incident
from statusmap.models import IncidentRevision
from statusmap.models import MessageStatus
from statusmap.models import NotificationContent
from statusmap.models import NotificationEvent
from statusmap.models import OutboxMessage
from statusmap.models import Subscriber
from statusmap.models import Variant
from statusmap.models.base import UTCDateTime
from statusmap.models.base import utcnow
from statusmap.models.notification import EventStatus
from statusmap.notify.compose import CHANNELS
from statusmap.notify.compose import compose_event

# The variant everyone inside gets, per kind (AREA_CHANGED has three: see area_targets).
PLAIN_VARIANT = {
    EventKind.PUBLISHED: Variant.NEW,
    EventKind.UPDATED: Variant.UPDATE,
    EventKind.RESOLVED: Variant.RESOLVED,
}
AREA_VARIANTS = (Variant.NEW, Variant.UPDATE, Variant.NO_LONGER)
_COLUMNS = (
    "event_id",
    "content_id",
    "municipality_id",
    "incident_id",
    "subscriber_id",
    "channel",
    "recipient",
    "language",
    "variant",
    "priority",
    "status",
    "attempts",
    "next_attempt_at",
    "idempotency_key",
    "last_error",
    "created_at",
    "updated_at",
)


def expand_pending(session: Session, *, limit: int = 1, base_url: str | None = None) -> int:
    """Expand up to `limit` pending events (claimed safely among workers); how many. Commits.

    `base_url` is PUBLIC_BASE_URL (the start of the links in messages); when not given it is
    read from the environment (STATUSMAP_PUBLIC_BASE_URL), as the worker's settings are.
    """
    if base_url is None:
        base_url = os.environ.get("STATUSMAP_PUBLIC_BASE_URL", "")
    if not session.in_transaction():
        begin_writing(session)
    # One incident's events in their order: an event waits while an earlier one of the same
    # incident is pending (perhaps being expanded by another worker right now), so nobody's
    # "resolved" is queued before their "published".
    earlier = aliased(NotificationEvent)
    claim = (
        select(NotificationEvent)
        .where(
            NotificationEvent.status == EventStatus.PENDING,
            ~exists().where(
                earlier.incident_id == NotificationEvent.incident_id,
                earlier.status == EventStatus.PENDING,
                earlier.id < NotificationEvent.id,
            ),
        )
        .order_by(NotificationEvent.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    events = list(session.scalars(claim))
    for event in events:
        expand_event(session, event, base_url)
    session.commit()
    return len(events)


def _revision(session: Session, incident_id: int, version: int | None) -> IncidentRevision | None:
    if version is None:
        return None
    query = select(IncidentRevision).where(
        IncidentRevision.incident_id == incident_id, IncidentRevision.version == version
    )
    return session.scalars(query).first()


def original_of(session: Session, event: NotificationEvent) -> NotificationEvent:
    """The event a RESEND repeats (itself for any other event)."""
    if event.kind is not EventKind.RESEND:
        return event
    query = select(NotificationEvent).where(
        NotificationEvent.incident_id == event.incident_id,
        NotificationEvent.version == event.version,
        NotificationEvent.kind != EventKind.RESEND,
    )
    return session.scalars(query.order_by(NotificationEvent.id)).one()


def expand_event(session: Session, event: NotificationEvent, base_url: str) -> int:
    """Compose the event's texts and write its messages; how many were new. Marks it expanded."""
    original = original_of(session, event)
    incident = session.get_one(Incident, event.incident_id)
    revision = _revision(session, event.incident_id, event.version)
    area = revision.area if revision else incident.area
    if original.kind is EventKind.AREA_CHANGED:
        before = _revision(session, event.incident_id, event.previous_version)
        old_area = before.area if before else None
        targets = area_targets(session, event.municipality_id, area, old_area)
        variants: tuple[Variant, ...] = AREA_VARIANTS
    else:
        variant = PLAIN_VARIANT[original.kind]
        targets = plain_targets(session, event.municipality_id, area, variant)
        variants = (variant,)
    snapshot = dict(revision.snapshot) if revision else None
    compose_event(session, event, incident, variants, base_url, snapshot)
    skip = original.id if original is not event else None
    written = insert_messages(session, event, targets, already_in=skip)
    event.status, event.expanded_at = EventStatus.EXPANDED, utcnow()
    session.flush()
    return written


def _variant(variant: Variant) -> Any:
    return cast(literal(variant.value), String(20)).label("variant")


def plain_targets(
    session: Session, municipality_id: int, area: BaseGeometry | None, variant: Variant
) -> Select[Any]:
    """Everyone inside the area, with one variant."""
    inside = subscribers_inside(session, municipality_id, area).subquery("inside")
    return select(inside.c.subscriber_id, inside.c.vulnerable, _variant(variant))


def area_targets(
    session: Session,
    municipality_id: int,
    area: BaseGeometry | None,
    before: BaseGeometry | None,
) -> Any:
    """Newly covered (NEW), still covered (UPDATE) and no longer covered (NO_LONGER).

    Each side's subscribers are found once (a CTE), then compared by id.
    """
    new = subscribers_inside(session, municipality_id, area).cte("inside_new")
    old = subscribers_inside(session, municipality_id, before).cte("inside_old")
    fresh = (
        select(new.c.subscriber_id, new.c.vulnerable, _variant(Variant.NEW))
        .outerjoin(old, old.c.subscriber_id == new.c.subscriber_id)
        .where(old.c.subscriber_id.is_(None))
    )
    still = select(new.c.subscriber_id, new.c.vulnerable, _variant(Variant.UPDATE)).join(
        old, old.c.subscriber_id == new.c.subscriber_id
    )
    gone = (
        select(old.c.subscriber_id, old.c.vulnerable, _variant(Variant.NO_LONGER))
        .outerjoin(new, new.c.subscriber_id == old.c.subscriber_id)
        .where(new.c.subscriber_id.is_(None))
    )
    return union_all(fresh, still, gone)


def _channels() -> Any:
    """The channels as rows (one column, `channel`), to join each target with what they chose."""
    rows = [select(cast(literal(name), String(10)).label("channel")) for name in CHANNELS]
    return union_all(*rows).subquery("chosen")


def _chose(channel: Any) -> Any:
    """Whether the subscriber chose this channel and has the address it needs."""
    return or_(
        and_(channel == "sms", Subscriber.wants_sms.is_(True), Subscriber.phone.is_not(None)),
        and_(channel == "voice", Subscriber.wants_voice.is_(True), Subscriber.phone.is_not(None)),
        and_(channel == "email", Subscriber.wants_email.is_(True), Subscriber.email.is_not(None)),
    )


def _row_values(event: NotificationEvent, target: Any, channel: Any) -> list[Any]:
    """The values of one new outbox row, in the order of _COLUMNS."""
    now = literal(utcnow(), UTCDateTime())
    return [
        literal(event.id),
        NotificationContent.id,
        literal(event.municipality_id),
        literal(event.incident_id),
        Subscriber.id,
        channel,
        case((channel == "email", Subscriber.email), else_=Subscriber.phone),
        Subscriber.language,
        target.c.variant,
        case((target.c.vulnerable == 1, 0), else_=1),
        cast(literal(MessageStatus.QUEUED.value), String(20)),
        literal(0),
        now,
        literal(f"e{event.id}-") + channel + "-" + cast(Subscriber.id, String),
        cast(literal(""), String(500)),
        now,
        now,
    ]


def _message_rows(event: NotificationEvent, targets: Any, already_in: int | None) -> Select[Any]:
    """The SELECT of the event's new outbox rows: one per target and channel they chose."""
    target = targets.subquery("target")
    chosen = _channels()
    channel = chosen.c.channel
    content = NotificationContent
    query = (
        select(*_row_values(event, target, channel))
        .select_from(target)
        .join(Subscriber, Subscriber.id == target.c.subscriber_id)
        .join(chosen, _chose(channel))
        .join(
            content,
            and_(
                content.event_id == event.id,
                cast(content.variant, String(20)) == target.c.variant,
                content.language == Subscriber.language,
                content.channel == channel,
            ),
        )
    )
    if event.audience is Audience.VULNERABLE_ONLY:
        query = query.where(target.c.vulnerable == 1)
    if already_in is not None:
        got = exists().where(
            OutboxMessage.event_id == already_in, OutboxMessage.subscriber_id == Subscriber.id
        )
        query = query.where(~got)
    return query.where(true())  # SQLite: a WHERE before ON CONFLICT, or it parses as a join's


def insert_messages(
    session: Session, event: NotificationEvent, targets: Any, *, already_in: int | None
) -> int:
    """Write all the event's messages in one statement; how many were new."""
    rows = _message_rows(event, targets, already_in)
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(OutboxMessage).from_select(list(_COLUMNS), rows).on_conflict_do_nothing()
    result = session.execute(statement)
    return max(int(getattr(result, "rowcount", 0) or 0), 0)
