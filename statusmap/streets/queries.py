"""Reads of the street layer."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func
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


def streets_version(session: Session, municipality_id: int) -> tuple[int, datetime | None]:
    """What changes whenever the municipality's streets do (an import replaces them all)."""
    row = session.execute(
        select(func.count(Street.id), func.max(Street.imported_at)).where(
            Street.municipality_id == municipality_id
        )
    ).one()
    return int(row[0]), row[1]
