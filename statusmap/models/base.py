"""Declarative base, shared column types and helpers for every model."""

from __future__ import annotations

import enum
from datetime import UTC
from datetime import datetime
from typing import Any

from sqlalchemy import JSON
from sqlalchemy import DateTime
from sqlalchemy import Enum
from sqlalchemy import MetaData
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.mutable import MutableDict
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeDecorator

# Stable constraint names, so Alembic can alter them on SQLite (batch mode) and PostgreSQL alike.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

LANGUAGES = ("nb", "nn", "en")


class Base(DeclarativeBase):
    """Base class of all statusmap models."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def utcnow() -> datetime:
    """Return the current time, timezone-aware in UTC."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp stored in UTC and always handed back timezone-aware (SQLite forgets zones)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: statusmap stores only timezone-aware times")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


# Text in several languages: {"nb": "...", "nn": "...", "en": "..."}.
LocalizedJSON: Any = MutableDict.as_mutable(JSON())


def string_enum(cls: type[enum.StrEnum], name: str) -> Enum:
    """A StrEnum stored as its values in a VARCHAR with a CHECK constraint, on both backends."""
    return Enum(
        cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=20,
        values_callable=lambda members: [m.value for m in members],
    )


def localized(texts: dict[str, str] | None, language: str) -> str:
    """Pick a text in the wanted language, falling back to bokmål, then any language at all."""
    source = localized_language(texts, language)
    return texts[source] if texts and source else ""


def localized_language(texts: dict[str, str] | None, language: str) -> str | None:
    """The language `localized` takes its text from (None when there is no text at all):
    `language` itself, or the fallback shown in its place."""
    for candidate in (language, "nb", "nn", "en"):
        if texts and texts.get(candidate):
            return candidate
    return None
