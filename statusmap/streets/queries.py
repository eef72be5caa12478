"""Reads of the street layer."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from statusmap.models import Street


def streets_of(session: Session, municipality_id: int) -> list[Street]:
    """The municipality's streets, by name (unnamed roads last)."""
    query = (
        select(Street)
        .where(Street.municipality_id == municipality_id)
        .order_by(Street.name == "", Street.name, Street.id)
    )
    return list(session.scalars(query))
