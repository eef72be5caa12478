"""The outbox's state changes: claim, record a send's outcome, release, recover, what is left.

Every change is one guarded UPDATE, so of any number of workers exactly one moves a message:

- claim: due queued messages, vulnerable subscribers (priority 0) first, then by due time and
  id, locked with FOR UPDATE SKIP LOCKED (PostgreSQL: workers claim disjoint rows at once;
  SQLite ignores it, and the worker's BEGIN IMMEDIATE lets one claim at a time) and set to
  sending with a lease, the worker's id and one more attempt.
- record: only while the message is still this worker's claim (`claimed_by`). Accepted: sent.
  Transient: queued again after a backoff, or failed when out of attempts. Permanent: failed.
  Uncertain: an idempotent channel's message is queued again with the same idempotency key
  (the provider drops the repeat); any other becomes uncertain, never repeated automatically.
- recover: a message still sending after its lease (its worker died) is, by the same rule,
  queued again (idempotent channel) or uncertain. Never a blind repeat.

Callers commit (the worker does, before it sends what it claimed).
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from datetime import timedelta
from typing import Any
from typing import cast

from sqlalchemy import CursorResult
from sqlalchemy import and_
from sqlalchemy import case
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy import update
from sqlalchemy.orm import Session

from statusmap.models import MessageStatus
from statusmap.models import NotificationEvent
from statusmap.models import OutboxMessage
from statusmap.models.notification import EventStatus
from statusmap.notify.channels.base import Accepted
from statusmap.notify.channels.base import PermanentError
from statusmap.notify.channels.base import TransientError
from statusmap.notify.channels.base import UncertainError

QUEUED, SENDING = MessageStatus.QUEUED, MessageStatus.SENDING
RECOVERED = "its worker stopped during the send"


@dataclass(frozen=True)
class RetryPolicy:
    """Attempts per message, and the backoff between them (seconds, doubling, with jitter)."""

    max_attempts: int = 6
    backoff_s: float = 30.0
    backoff_max_s: float = 3600.0

    def delay(self, attempts: int) -> timedelta:
        """The wait before the next attempt: half fixed, half random, so retries spread out."""
        full = min(self.backoff_max_s, self.backoff_s * 2 ** max(attempts - 1, 0))
        return timedelta(seconds=full / 2 + random.uniform(0, full / 2))


@dataclass(frozen=True)
class Backlog:
    """What is left: due and later queued messages, those being sent (by live leases), and the
    events not yet expanded into messages (another worker may be expanding one right now)."""

    due: int
    waiting: int
    next_due_at: datetime | None
    sending: int
    expired: int
    events: int = 0

    @property
    def open(self) -> int:
        return self.due + self.waiting + self.sending + self.events


def claim_due(
    session: Session, worker: str, limit: int, lease_s: float, now: datetime
) -> list[OutboxMessage]:
    """Claim up to `limit` due queued messages for `worker` (see the module's docstring)."""
    order = (OutboxMessage.priority, OutboxMessage.next_attempt_at, OutboxMessage.id)
    ids = session.scalars(
        select(OutboxMessage.id)
        .where(OutboxMessage.status == QUEUED, OutboxMessage.next_attempt_at <= now)
        .order_by(*order)
        .limit(limit)
        .with_for_update(skip_locked=True)
    ).all()
    if not ids:
        return []
    rows = session.scalars(
        update(OutboxMessage)
        .where(OutboxMessage.id.in_(ids), OutboxMessage.status == QUEUED)
        .values(
            status=SENDING,
            lease_until=now + timedelta(seconds=lease_s),
            claimed_by=worker,
            attempts=OutboxMessage.attempts + 1,
            updated_at=now,
        )
        .returning(OutboxMessage),
        execution_options={"synchronize_session": False, "populate_existing": True},
    ).all()
    return sorted(rows, key=lambda m: (m.priority, m.next_attempt_at, m.id))


def _error_text(error: BaseException) -> str:
    """What is kept of a failure: the channel's own words (never personal data), or its type."""
    if isinstance(error, TransientError | PermanentError | UncertainError):
        return str(error)[:500] or type(error).__name__
    return f"unexpected {type(error).__name__} in the channel"


def outcome_values(
    outcome: Accepted | BaseException,
    attempts: int,
    idempotent: bool,
    policy: RetryPolicy,
    now: datetime,
) -> dict:
    """The columns a send's outcome sets (pure: the decision table of the module docstring)."""
    if isinstance(outcome, Accepted):
        ref = outcome.provider_ref[:100] if outcome.provider_ref else None
        return {"status": MessageStatus.SENT, "provider_ref": ref, "sent_at": now}
    error, later = _error_text(outcome), now + policy.delay(attempts)
    retry_after = getattr(outcome, "retry_after", False)
    if isinstance(outcome, TransientError) and retry_after is not False:
        # Rate limited: nothing went out, so the attempt does not count.
        wait = timedelta(seconds=retry_after) if retry_after is not None else later - now
        return {"status": QUEUED, "next_attempt_at": now + wait, "attempts": attempts - 1}
    if isinstance(outcome, PermanentError):
        return {"status": MessageStatus.FAILED, "last_error": error}
    if isinstance(outcome, TransientError):
        if attempts >= policy.max_attempts:
            return {"status": MessageStatus.FAILED, "last_error": error}
        return {"status": QUEUED, "next_attempt_at": later, "last_error": error}
    # Uncertain (or an unexpected error): it may have gone out.
    if idempotent and attempts < policy.max_attempts:
        return {"status": QUEUED, "next_attempt_at": later, "last_error": error}
    return {"status": MessageStatus.UNCERTAIN, "last_error": error}


def record_outcome(
    session: Session, message_id: int, worker: str, values: dict, now: datetime
) -> bool:
    """Write an outcome while the message is still `worker`'s claim; False if it is not."""
    if values["status"] == MessageStatus.SENT:
        return bool(record_sent(session, {message_id: values}, worker, now))
    return bool(_guarded(session, [message_id], worker, (SENDING,), values, now))


def record_sent(session: Session, sent: dict[int, dict], worker: str, now: datetime) -> set[int]:
    """Write acceptances (values by message id) in one statement; the ids written.

    Written also when recovery moved a message on meanwhile (queued again or uncertain) but
    nobody claimed it since: the provider did take it.
    """
    if not sent:
        return set()
    refs = {key: values.get("provider_ref") for key, values in sent.items()}
    values = {
        "status": MessageStatus.SENT,
        "sent_at": now,
        "provider_ref": case(refs, value=OutboxMessage.id),
    }
    statuses = (SENDING, QUEUED, MessageStatus.UNCERTAIN)
    return _guarded(session, list(sent), worker, statuses, values, now)


def _guarded(
    session: Session,
    ids: list[int],
    worker: str,
    statuses: tuple[MessageStatus, ...],
    values: dict,
    now: datetime,
) -> set[int]:
    written = session.scalars(
        update(OutboxMessage)
        .where(
            OutboxMessage.id.in_(ids),
            OutboxMessage.claimed_by == worker,
            OutboxMessage.status.in_(statuses),
        )
        .values(lease_until=None, updated_at=now, **values)
        .returning(OutboxMessage.id)
        .execution_options(synchronize_session=False)
    )
    return set(written)


def release(session: Session, message_ids: Iterable[int], worker: str) -> int:
    """Give back claimed messages this worker never started: queued, the attempt undone."""
    ids = list(message_ids)
    if not ids:
        return 0
    result = session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.id.in_(ids),
            OutboxMessage.claimed_by == worker,
            OutboxMessage.status == SENDING,
        )
        .values(status=QUEUED, lease_until=None, attempts=OutboxMessage.attempts - 1)
        .execution_options(synchronize_session=False)
    )
    return int(cast(CursorResult[Any], result).rowcount)


def recover_expired(
    session: Session, idempotent: Sequence[str], policy: RetryPolicy, now: datetime
) -> tuple[int, int]:
    """Messages whose worker's lease ran out: (queued again, made uncertain)."""
    rows = session.execute(
        select(OutboxMessage.id, OutboxMessage.channel, OutboxMessage.attempts)
        .where(OutboxMessage.status == SENDING, OutboxMessage.lease_until < now)
        .with_for_update(skip_locked=True)
    ).all()
    again = [r.id for r in rows if r.channel in idempotent and r.attempts < policy.max_attempts]
    unsure = [r.id for r in rows if r.id not in set(again)]
    for ids, values in (
        (again, {"status": QUEUED, "next_attempt_at": now}),
        (unsure, {"status": MessageStatus.UNCERTAIN}),
    ):
        if ids:
            session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id.in_(ids), OutboxMessage.status == SENDING)
                .values(lease_until=None, last_error=RECOVERED, updated_at=now, **values)
                .execution_options(synchronize_session=False)
            )
    return len(again), len(unsure)


def backlog(session: Session, now: datetime) -> Backlog:
    """How many messages are still to send, and when the next waiting one is due."""
    queued, sending = OutboxMessage.status == QUEUED, OutboxMessage.status == SENDING
    due = OutboxMessage.next_attempt_at <= now

    def counted(*where: Any) -> Any:
        return func.coalesce(func.sum(case((and_(*where), 1), else_=0)), 0)

    row = session.execute(
        select(
            counted(queued, due),
            counted(queued, ~due),
            counted(sending),
            counted(sending, OutboxMessage.lease_until < now),
        ).where(OutboxMessage.status.in_((QUEUED, SENDING)))
    ).one()
    first = session.scalar(select(func.min(OutboxMessage.next_attempt_at)).where(queued, ~due))
    events = session.scalar(
        select(func.count()).where(NotificationEvent.status == EventStatus.PENDING)
    )
    return Backlog(int(row[0]), int(row[1]), first, int(row[2]), int(row[3]), int(events or 0))
