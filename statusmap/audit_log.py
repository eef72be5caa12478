"""What an admin may read of the audit log: their municipality's changes, their staff's logins."""

from __future__ import annotations

from sqlalchemy import and_
from sqlalchemy import or_
from sqlalchemy import select
from sqlalchemy.orm import Session

from statusmap.models import AuditEvent
from statusmap.models import Membership

PAGE_SIZE = 50


def audit_page(
    session: Session, municipality_id: int, *, before_id: int | None = None
) -> list[AuditEvent]:
    """The newest events (older than before_id, when given) for a municipality's admins.

    Logins and account changes belong to no municipality; an admin sees those of the accounts
    that have a role in theirs.
    """
    own_accounts = and_(
        AuditEvent.municipality_id.is_(None),
        AuditEvent.object_type == "user",
        AuditEvent.object_id.in_(
            select(Membership.user_id.cast(AuditEvent.object_id.type)).where(
                Membership.municipality_id == municipality_id
            )
        ),
    )
    query = select(AuditEvent).where(
        or_(AuditEvent.municipality_id == municipality_id, own_accounts)
    )
    if before_id is not None:
        query = query.where(AuditEvent.id < before_id)
    return list(session.scalars(query.order_by(AuditEvent.id.desc()).limit(PAGE_SIZE)))
