"""Reporters who left a contact are told when their incident is resolved.

Until the notification channels exist this only marks them (`notify_pending`); the channels
will send and clear the mark. Hidden and spam reports are never told anything.
"""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.orm import Session

from statusmap.models import Report
from statusmap.models.report import PUBLIC_REPORT_STATUSES


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
