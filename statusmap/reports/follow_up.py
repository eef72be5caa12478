"""Reporters who left a contact are told when their incident is resolved.

Resolving marks them (`notify_pending`, in the resolving transaction); the notification worker
then queues their messages and clears the mark (`send_follow_ups`), so the resolve itself needs
no site address and sends nothing. Hidden and spam reports are never told anything.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy import update
from sqlalchemy.orm import Session

from statusmap.models import Incident
from statusmap.models import IncidentStatus
from statusmap.models import OutboxMessage
from statusmap.models import Report
from statusmap.models import Variant
from statusmap.models.report import PUBLIC_REPORT_STATUSES
from statusmap.notify.compose import sender_of
from statusmap.notify.compose import short_link
from statusmap.notify.compose_sms import gsm_only
from statusmap.notify.phone import ContactError
from statusmap.notify.phone import normalise_email
from statusmap.notify.phone import normalise_phone
from statusmap.reports.submission import shown_reference


def mark_reporters_to_notify(session: Session, incident_id: int) -> int:
    """Mark the incident's reports with a kept contact as to be told; how many were marked."""
    marked = session.execute(
        update(Report)
        .where(
            Report.incident_id == incident_id,
            Report.contact.is_not(None),
            Report.contact_consent.is_(True),
            Report.status.in_(PUBLIC_REPORT_STATUSES),
            Report.notify_pending.is_(False),
        )
        .values(notify_pending=True)
        .execution_options(synchronize_session="fetch")
    )
    return int(getattr(marked, "rowcount", 0) or 0)


def send_follow_ups(session: Session, *, base_url: str, limit: int = 500) -> int:
    """Queue one message to each reporter marked to be told, and clear the mark; how many.

    By e-mail or SMS as the contact they left is, in bokmål (a report keeps no language), naming
    the sender, the incident, the report's reference and the short link. Several workers may
    call it at once: rows are claimed with SKIP LOCKED, and each report's message has a fixed
    idempotency key, so nobody is told twice. The caller commits.
    """
    query = (
        select(Report, Incident)
        .join(Incident, Incident.id == Report.incident_id)
        .where(Report.notify_pending.is_(True), Incident.status == IncidentStatus.RESOLVED)
        .order_by(Report.id)
        .limit(limit)
        .with_for_update(skip_locked=True, of=Report)
    )
    told = 0
    for report, incident in session.execute(query).all():
        report.notify_pending = False
        route = _route(report.contact or "")
        if route is None or not report.contact_consent:
            continue  # nothing usable to send to (purged, or not a phone or e-mail)
        session.add(_message(report, incident, *route, base_url))
        told += 1
    session.flush()
    return told


def _message(
    report: Report, incident: Incident, channel: str, recipient: str, base_url: str
) -> OutboxMessage:
    """The one-off message telling this reporter (its key: once per report, ever)."""
    subject, body = _follow_up_text(report, incident, base_url, channel)
    return OutboxMessage(
        event_id=None,
        municipality_id=incident.municipality_id,
        incident_id=incident.id,
        channel=channel,
        recipient=recipient,
        language="nb",
        variant=Variant.RESOLVED,
        priority=1,
        subject=subject,
        body=body,
        idempotency_key=f"report-{report.id}-resolved",
    )


def _route(contact: str) -> tuple[str, str] | None:
    """(channel, recipient) for a contact as typed, or None if it is neither."""
    try:
        if "@" in contact:
            return "email", normalise_email(contact)
        return "sms", normalise_phone(contact)
    except ContactError:
        return None


def _follow_up_text(
    report: Report, incident: Incident, base_url: str, channel: str
) -> tuple[str, str]:
    sender = sender_of(incident, "nb")
    title = incident.text("title", "nb")
    link = short_link(base_url, incident.id)
    reference = shown_reference(report.reference)
    text = f"{sender}: {title} er avsluttet. Takk for meldingen din ({reference}). Les mer: {link}"
    subject = f"Avsluttet: {title}"
    return subject, gsm_only(text) if channel == "sms" else text
