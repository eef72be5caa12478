"""Expanding pending notification events into one outbox message per recipient and channel.

Placeholder until the targeting lands: nothing is expanded yet.
"""

from __future__ import annotations

from sqlalchemy.orm import Session


def expand_pending(session: Session, *, limit: int = 1) -> int:
    """Expand up to `limit` pending events (claimed safely among workers); how many. Commits."""
    return 0
