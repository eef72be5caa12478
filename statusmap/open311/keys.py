"""Trusted Open311 clients' API keys: made (shown once), listed, revoked, checked. No Flask."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from statusmap.models import Municipality
from statusmap.models import Open311Key
from statusmap.models.audit import Actor
from statusmap.models.audit import record
from statusmap.models.open311_key import KEY_NAME_MAX

KEY_PREFIX = "o311_"


class KeyRefused(ValueError):
    """A key that cannot be made or revoked (name taken or invalid, unknown)."""


def key_hash(key: str) -> str:
    """The stored form of a key: keys are long and random, so a plain SHA-256 suffices."""
    return hashlib.sha256(key.encode()).hexdigest()


def create_key(
    session: Session, municipality: Municipality, name: str, *, actor: str | Actor, now: datetime
) -> tuple[Open311Key, str]:
    """A new key for a named client; returns the row and the key, which is never stored."""
    name = name.strip()
    if not name or len(name) > KEY_NAME_MAX or ":" in name:
        raise KeyRefused(f"A client name needs 1 to {KEY_NAME_MAX} characters and no ':'.")
    if _named(session, municipality, name) is not None:
        raise KeyRefused(f"{municipality.slug} already has a client named {name!r}.")
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    row = Open311Key(
        municipality_id=municipality.id, name=name, key_hash=key_hash(key), created_at=now
    )
    session.add(row)
    session.flush()
    record(session, actor=actor, action="open311_key_create", obj=row,
           municipality_id=municipality.id, name=name)  # fmt: skip
    return row, key


def list_keys(session: Session, municipality: Municipality) -> list[Open311Key]:
    """The municipality's clients, revoked ones included, by name."""
    query = select(Open311Key).where(Open311Key.municipality_id == municipality.id)
    return list(session.scalars(query.order_by(Open311Key.name)))


def revoke_key(
    session: Session, municipality: Municipality, name: str, *, actor: str | Actor, now: datetime
) -> Open311Key:
    """Revoke the named client's key; it is refused from then on."""
    row = _named(session, municipality, name)
    if row is None or row.revoked_at is not None:
        raise KeyRefused(f"{municipality.slug} has no active client named {name!r}.")
    row.revoked_at = now
    session.flush()
    record(session, actor=actor, action="open311_key_revoke", obj=row,
           municipality_id=municipality.id, name=name)  # fmt: skip
    return row


def trusted_client(session: Session, municipality: Municipality, key: str) -> Open311Key | None:
    """The active client this key belongs to in this municipality, or None."""
    query = select(Open311Key).where(
        Open311Key.key_hash == key_hash(key),
        Open311Key.municipality_id == municipality.id,
        Open311Key.revoked_at.is_(None),
    )
    return session.scalars(query).first()


def _named(session: Session, municipality: Municipality, name: str) -> Open311Key | None:
    query = select(Open311Key).where(
        Open311Key.municipality_id == municipality.id, Open311Key.name == name
    )
    return session.scalars(query).first()
