"""The outbox's state changes on both backends: claim order and leases, each outcome's new
status, the claim guard, recovery after a worker died, and the text a recipient gets."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy import update
from sqlalchemy.orm import Session

from statusmap.models import MessageStatus
from statusmap.models import Municipality
from statusmap.models import OutboxMessage
from statusmap.models import Subscriber
from statusmap.models import Variant
from statusmap.models.base import utcnow
from statusmap.notify import outbox
from statusmap.notify.channels.base import Accepted
from statusmap.notify.channels.base import PermanentError
from statusmap.notify.channels.base import TransientError
from statusmap.notify.channels.base import UncertainError
from statusmap.notify.channels.generic_json import RateLimited
from statusmap.notify.sending import outgoing_for
from tests.fakes.outbox_seed import seed_outbox

POLICY = outbox.RetryPolicy(max_attempts=3, backoff_s=10, backoff_max_s=60)
LEASE = 60


def _rows(session: Session, event_id: int) -> list[OutboxMessage]:
    query = select(OutboxMessage).where(OutboxMessage.event_id == event_id)
    return list(session.scalars(query.order_by(OutboxMessage.id)))


def _one(session: Session, worker: str = "w1") -> OutboxMessage:
    """A single queued message, claimed by `worker`."""
    seeded = seed_outbox(session, inside=1, outside=0)
    [claimed] = outbox.claim_due(session, worker, 10, LEASE, utcnow())
    assert claimed.event_id == seeded.event_id
    return claimed


def _expire(session: Session, claimed: list[OutboxMessage]) -> None:
    """The claims' lease ran out a second ago (their worker died)."""
    for message in claimed:
        message.lease_until = utcnow() - timedelta(seconds=1)
    session.flush()


def _outcome(session: Session, message: OutboxMessage, outcome, idempotent: bool = True):
    now = utcnow()
    values = outbox.outcome_values(outcome, message.attempts, idempotent, POLICY, now)
    assert outbox.record_outcome(session, message.id, "w1", values, now)
    session.expire_all()
    return session.get(OutboxMessage, message.id)


def test_claims_vulnerable_first_then_by_due_time_and_never_twice(session: Session) -> None:
    seeded = seed_outbox(session, inside=30, outside=0, vulnerable_every=10)
    rows = _rows(session, seeded.event_id)
    later = rows[5]
    later.next_attempt_at = utcnow() + timedelta(minutes=5)
    session.flush()
    now = utcnow()

    first = outbox.claim_due(session, "w1", 5, LEASE, now)
    assert [m.recipient for m in first[:3]] == [
        seeded.inside[0],
        seeded.inside[10],
        seeded.inside[20],
    ]
    assert [m.priority for m in first] == [0, 0, 0, 1, 1]
    second = outbox.claim_due(session, "w2", 100, LEASE, now)
    assert {m.id for m in first}.isdisjoint({m.id for m in second})
    assert len(first) + len(second) == 29, "the one not yet due stays queued"
    assert later.id not in {m.id for m in first + second}
    for message in first:
        assert message.status is MessageStatus.SENDING
        assert (message.claimed_by, message.attempts) == ("w1", 1)
        assert message.lease_until == now + timedelta(seconds=LEASE)
    assert outbox.claim_due(session, "w3", 100, LEASE, now) == []


def test_an_accepted_message_is_sent_with_the_providers_reference(session: Session) -> None:
    message = _one(session)
    done = _outcome(session, message, Accepted(provider_ref="gw-17"))
    assert (done.status, done.provider_ref, done.lease_until) == ("sent", "gw-17", None)
    assert done.sent_at is not None


def test_a_transient_error_retries_later_and_fails_when_out_of_attempts(session: Session) -> None:
    message = _one(session)
    done = _outcome(session, message, TransientError("sms gateway: HTTP 503"))
    assert done.status is MessageStatus.QUEUED
    assert done.last_error == "sms gateway: HTTP 503"
    assert timedelta(seconds=5) <= done.next_attempt_at - utcnow() <= timedelta(seconds=10)
    session.execute(update(OutboxMessage).values(attempts=POLICY.max_attempts - 1))
    done.next_attempt_at = utcnow()
    session.flush()
    [again] = outbox.claim_due(session, "w1", 10, LEASE, utcnow())
    assert again.attempts == POLICY.max_attempts
    assert _outcome(session, again, TransientError("HTTP 503")).status is MessageStatus.FAILED


def test_the_backoff_doubles_with_jitter_up_to_its_cap() -> None:
    for attempts, full in ((1, 10), (2, 20), (3, 40), (4, 60), (9, 60)):
        waits = [POLICY.delay(attempts).total_seconds() for _ in range(50)]
        assert all(full / 2 <= w <= full for w in waits)
        assert len(set(waits)) > 1, "jittered"


def test_a_rate_limited_attempt_waits_as_told_and_does_not_count(session: Session) -> None:
    message = _one(session)
    done = _outcome(session, message, RateLimited("sms gateway: HTTP 429", 2.0))
    assert (done.status, done.attempts) == (MessageStatus.QUEUED, 0)
    assert timedelta(seconds=1.5) <= done.next_attempt_at - utcnow() <= timedelta(seconds=2)


def test_a_permanent_error_fails_at_once(session: Session) -> None:
    message = _one(session)
    done = _outcome(session, message, PermanentError("refused: HTTP 400"))
    assert (done.status, done.last_error) == (MessageStatus.FAILED, "refused: HTTP 400")


def test_an_uncertain_send_repeats_with_the_same_key_only_where_that_is_safe(
    session: Session,
) -> None:
    message = _one(session)
    key = message.idempotency_key
    again = _outcome(session, message, UncertainError("no answer"), idempotent=True)
    assert (again.status, again.idempotency_key) == (MessageStatus.QUEUED, key)

    other = _one(session, worker="w1")
    unsure = _outcome(session, other, UncertainError("no answer"), idempotent=False)
    assert unsure.status is MessageStatus.UNCERTAIN
    assert outbox.claim_due(session, "w1", 10, LEASE, utcnow() + timedelta(days=1)) != [unsure]


def test_an_unexpected_error_keeps_no_text_of_it(session: Session) -> None:
    message = _one(session)
    done = _outcome(session, message, ValueError("+4791234567 went wrong"), idempotent=False)
    assert done.status is MessageStatus.UNCERTAIN
    assert "+47" not in done.last_error and "ValueError" in done.last_error


def test_an_outcome_is_written_only_by_the_worker_holding_the_claim(session: Session) -> None:
    message = _one(session, worker="w1")
    session.execute(update(OutboxMessage).values(claimed_by="w2"))  # recovered and re-claimed
    now = utcnow()
    values = outbox.outcome_values(PermanentError("x"), 1, True, POLICY, now)
    assert not outbox.record_outcome(session, message.id, "w1", values, now)
    session.expire_all()
    assert session.get(OutboxMessage, message.id).status is MessageStatus.SENDING


@pytest.mark.parametrize(("idempotent", "becomes"), [(True, "queued"), (False, "uncertain")])
def test_an_expired_claim_is_recovered_never_blindly_repeated(
    session: Session, idempotent: bool, becomes: str
) -> None:
    seeded = seed_outbox(session, inside=4, outside=0)
    now = utcnow()
    dead = outbox.claim_due(session, "dead", 2, LEASE, now)
    _expire(session, dead)
    live = outbox.claim_due(session, "live", 2, LEASE, now)
    keys = {m.id: m.idempotency_key for m in dead}
    channels = ("sms",) if idempotent else ()

    assert outbox.recover_expired(session, channels, POLICY, now) == (
        (2, 0) if idempotent else (0, 2)
    )
    session.expire_all()
    rows = {m.id: m for m in _rows(session, seeded.event_id)}
    assert {rows[m.id].status for m in dead} == {becomes}
    assert {rows[m.id].idempotency_key for m in dead} == set(keys.values())
    assert {rows[m.id].status for m in live} == {"sending"}
    assert outbox.recover_expired(session, channels, POLICY, now) == (0, 0)


def test_release_gives_back_unstarted_claims_with_the_attempt_undone(session: Session) -> None:
    message = _one(session)
    assert outbox.release(session, [message.id], "w1") == 1
    session.expire_all()
    back = session.get(OutboxMessage, message.id)
    assert (back.status, back.attempts, back.lease_until) == (MessageStatus.QUEUED, 0, None)


def test_the_backlog_tells_due_waiting_and_sending(session: Session) -> None:
    seeded = seed_outbox(session, inside=5, outside=0)
    now = utcnow()
    rows = _rows(session, seeded.event_id)
    rows[0].next_attempt_at = now + timedelta(minutes=1)
    session.flush()
    outbox.claim_due(session, "w1", 1, LEASE, now)
    _expire(session, outbox.claim_due(session, "w2", 1, LEASE, now))
    left = outbox.backlog(session, now)
    assert (left.due, left.waiting, left.sending, left.expired, left.open) == (2, 1, 2, 1, 5)
    assert left.next_due_at == rows[0].next_attempt_at


def test_the_text_names_the_department_and_carries_the_own_unsubscribe_link(
    session: Session,
) -> None:
    seeded = seed_outbox(session, inside=2, outside=0)
    town = session.get(Municipality, seeded.municipality_id)
    town.department = {"nb": "Vann og avløp", "nn": "Vatn og avløp"}
    rows = _rows(session, seeded.event_id)
    rows[1].language = "nn"
    session.flush()
    first, second = outgoing_for(session, rows, "https://vann.example.no/")
    tokens = [session.get(Subscriber, m.subscriber_id).token for m in rows]
    assert first.body.endswith(f"Avmeld: https://vann.example.no/av/{tokens[0]}")
    assert second.body.endswith(f"https://vann.example.no/av/{tokens[1]}")
    assert (first.sender, second.sender) == ("Vann og avløp", "Vatn og avløp")
    assert (first.recipient, first.idempotency_key) == (rows[0].recipient, rows[0].idempotency_key)


def test_a_one_off_message_carries_its_own_text(session: Session) -> None:
    seeded = seed_outbox(session, inside=1, outside=0)
    [row] = _rows(session, seeded.event_id)
    row.content_id, row.event_id, row.subscriber_id = None, None, None
    row.subject, row.body, row.variant = "Kode", "Koden din er 123456", Variant.CONFIRM
    session.flush()
    [message] = outgoing_for(session, [row], "https://vann.example.no")
    assert (message.subject, message.body, message.html) == ("Kode", "Koden din er 123456", None)
