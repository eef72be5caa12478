"""Atom (RFC 4287) documents through feedgen: a feed of entries, each with a stable id.

Plain data in, bytes out: feed_entries.py turns incidents (or their CAP messages) into entries.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field
from datetime import UTC
from datetime import datetime

from feedgen.feed import FeedGenerator

ATOM_MIMETYPE = "application/atom+xml"


@dataclass(frozen=True)
class AtomEntry:
    """One entry: id (a tag: URI), texts in the feed's language, and the link it stands for."""

    id: str
    title: str
    updated: datetime
    link: str
    link_type: str = "text/html"
    published: datetime | None = None
    summary: str = ""
    content: str = ""
    categories: tuple[tuple[str, str], ...] = ()  # (term, label)


@dataclass(frozen=True)
class AtomFeed:
    """A feed: its own id and links, who writes it, and its entries, newest change first."""

    id: str
    title: str
    language: str
    self_url: str
    page_url: str
    author: str
    fallback_updated: datetime  # when there are no entries (a stable time, never "now")
    entries: list[AtomEntry] = field(default_factory=list)
    subtitle: str = ""


def atom_document(feed: AtomFeed) -> bytes:
    """The feed as UTF-8 Atom XML; `updated` is the latest entry's (stable bytes per change)."""
    generator = FeedGenerator()
    generator.id(feed.id)
    generator.title(feed.title)
    if feed.subtitle:
        generator.subtitle(feed.subtitle)
    generator.language(feed.language)
    generator.author({"name": feed.author})
    generator.link(href=feed.self_url, rel="self", type=ATOM_MIMETYPE)
    generator.link(href=feed.page_url, rel="alternate", type="text/html")
    generator.generator("statusmap")
    times = [entry.updated for entry in feed.entries] or [feed.fallback_updated]
    generator.updated(_utc(max(times)))
    entries = sorted(feed.entries, key=lambda e: e.updated, reverse=True)
    for entry in entries:
        _add_entry(generator, entry, feed.author)
    document: bytes = generator.atom_str(pretty=True, encoding="UTF-8", xml_declaration=True)
    return document


def _add_entry(generator: FeedGenerator, entry: AtomEntry, author: str) -> None:
    item = generator.add_entry(order="append")
    item.id(entry.id)
    item.title(entry.title)
    item.updated(_utc(entry.updated))
    if entry.published:
        item.published(_utc(entry.published))
    item.author({"name": author})
    item.link(href=entry.link, rel="alternate", type=entry.link_type)
    if entry.summary:
        item.summary(entry.summary)
    if entry.content:
        item.content(entry.content, type="text")
    for term, label in entry.categories:
        item.category(term=term, label=label)


def _utc(value: datetime) -> datetime:
    return value.astimezone(UTC).replace(microsecond=0)


def tag_uri(authority: str, minted: datetime, specific: str) -> str:
    """A tag: URI (RFC 4151): the host, the date the name was minted, and the thing's name."""
    return f"tag:{authority},{minted.astimezone(UTC):%Y-%m-%d}:{specific}"
