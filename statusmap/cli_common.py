"""What the `statusmap` commands share: the writing session and the municipality they act on."""

from __future__ import annotations

import click
from sqlalchemy.orm import Session

from statusmap import db
from statusmap.engine import begin_writing
from statusmap.models import Municipality
from statusmap.municipalities import get_municipality


def municipality_for(slug: str) -> tuple[Session, Municipality]:
    """The session and the municipality with this slug, the read finished and no lock held.

    For commands that read a big file before they write: they call begin_writing() after, so
    SQLite's write lock is held only while writing, not while pandas parses.
    """
    session = db.session()
    municipality = get_municipality(session, slug)
    if municipality is None:
        raise click.ClickException(f"No municipality with slug {slug!r}.")
    session.commit()  # ends the read; the session keeps the loaded municipality
    return session, municipality


def writing_session_for(slug: str) -> tuple[Session, Municipality]:
    """A session begun as a writer, and the municipality with this slug (or a clear error)."""
    session = db.session()
    begin_writing(session)
    municipality = get_municipality(session, slug)
    if municipality is None:
        raise click.ClickException(f"No municipality with slug {slug!r}.")
    return session, municipality
