"""Staff's second tries: failed messages queued again, uncertain ones only when asked; a test
of an announcement's e-mail to the staff member themselves. Audited; the caller commits.

A failed message never went out, so it is queued with a new idempotency key (a provider that
refused the old key would refuse it again). An uncertain one may have arrived: it is queued
only on an explicit confirmation, and keeps its key, so a provider that takes keys still drops
it if the first attempt did arrive.
"""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy import update
from sqlalchemy.orm import Session

from statusmap.models import Incident
from statusmap.models import MessageStatus
from statusmap.models import OutboxMessage
from statusmap.models import Variant
from statusmap.models.audit import Actor
from statusmap.models.audit import record
from statusmap.models.base import utcnow
from statusmap.notify.compose import facts_of
from statusmap.notify.compose_email import email_subject
from statusmap.notify.compose_email import email_text
from statusmap.notify.links import UNSUBSCRIBE


def resend_failed(
    session: Session, incident: Incident, *, include_uncertain: bool, actor: str | Actor
) -> dict[str, int]:
    """Queue the incident's failed (and, if asked, uncertain) messages again; how many each."""
    now = utcnow()
    base = OutboxMessage.incident_id == incident.id
    failed = list(
        session.scalars(
            select(OutboxMessage.id).where(base, OutboxMessage.status == MessageStatus.FAILED)
        )
    )
    again = {"next_attempt_at": now, "attempts": 0, "last_error": "", "lease_until": None}
    if failed:
        session.execute(
            update(OutboxMessage),
            [
                {"id": id_, "status": MessageStatus.QUEUED, **again, "idempotency_key": _key()}
                for id_ in failed
            ],
        )
    uncertain = 0
    if include_uncertain:
        result = session.execute(
            update(OutboxMessage)
            .where(base, OutboxMessage.status == MessageStatus.UNCERTAIN)
            .values(status=MessageStatus.QUEUED, **again)
            .execution_options(synchronize_session=False)
        )
        uncertain = int(getattr(result, "rowcount", 0) or 0)
    counts = {"failed": len(failed), "uncertain": uncertain}
    record(
        session,
        actor=actor,
        action="notify_resend",
        obj=incident,
        municipality_id=incident.municipality_id,
        **counts,
    )
    return counts


def _key() -> str:
    return str(uuid.uuid4())


def send_test(
    session: Session, incident: Incident, email: str, base_url: str, *, actor: str | Actor
) -> OutboxMessage:
    """A one-off e-mail of the announcement to a staff member (variant TEST, no event)."""
    facts = facts_of(incident, "nb", base_url)
    message = OutboxMessage(
        event_id=None,
        municipality_id=incident.municipality_id,
        incident_id=incident.id,
        channel="email",
        recipient=email,
        language="nb",
        variant=Variant.TEST,
        priority=0,
        subject=email_subject(facts, Variant.TEST, "nb"),
        body=email_text(facts, Variant.TEST, "nb").replace(UNSUBSCRIBE, "(…)"),
        idempotency_key=_key(),
    )
    session.add(message)
    session.flush()
    record(
        session,
        actor=actor,
        action="notify_test",
        obj=incident,
        municipality_id=incident.municipality_id,
    )
    return message
