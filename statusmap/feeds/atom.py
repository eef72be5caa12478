"""Atom (RFC 4287) documents: a feed of entries, each with a stable id.

Plain data in, bytes out: feed_entries.py turns incidents (or their CAP messages) into entries.
Written with ElementTree: feedgen 1.0 drops every entry link's rel and type (a shadowed loop
variable), and the CAP index needs its links typed application/cap+xml.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from dataclasses import field
from datetime import UTC
from datetime import datetime

ATOM = "http://www.w3.org/2005/Atom"
ATOM_MIMETYPE = "application/atom+xml"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


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
    # Plain names under an xmlns attribute: ElementTree's default_namespace refuses the
    # unqualified attributes (href, rel, term) Atom uses.
    root = ET.Element("feed", {"xmlns": ATOM, XML_LANG: feed.language})
    _add(root, "id", feed.id)
    _add(root, "title", feed.title)
    _add(root, "subtitle", feed.subtitle)
    times = [entry.updated for entry in feed.entries] or [feed.fallback_updated]
    _add(root, "updated", _time(max(times)))
    _author(root, feed.author)
    _link(root, feed.self_url, "self", ATOM_MIMETYPE)
    _link(root, feed.page_url, "alternate", "text/html")
    _add(root, "generator", "statusmap")
    for entry in sorted(feed.entries, key=lambda e: e.updated, reverse=True):
        _entry(root, entry, feed.author)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def _entry(root: ET.Element, entry: AtomEntry, author: str) -> None:
    item = ET.SubElement(root, _tag("entry"))
    _add(item, "id", entry.id)
    _add(item, "title", entry.title)
    _add(item, "updated", _time(entry.updated))
    _add(item, "published", _time(entry.published) if entry.published else "")
    _author(item, author)
    _link(item, entry.link, "alternate", entry.link_type)
    _add(item, "summary", entry.summary)
    _add(item, "content", entry.content)
    for term, label in entry.categories:
        ET.SubElement(item, _tag("category"), {"term": term, "label": label})


def _author(parent: ET.Element, name: str) -> None:
    _add(ET.SubElement(parent, _tag("author")), "name", name)


def _link(parent: ET.Element, href: str, rel: str, mimetype: str) -> None:
    ET.SubElement(parent, _tag("link"), {"href": href, "rel": rel, "type": mimetype})


def _add(parent: ET.Element, name: str, text: str) -> None:
    """A text construct (type text, the default) or other element; empty ones are left out."""
    if text:
        ET.SubElement(parent, _tag(name)).text = text


def _tag(name: str) -> str:
    return name


def _time(value: datetime) -> str:
    """RFC 3339 in UTC to the second."""
    return value.astimezone(UTC).isoformat(timespec="seconds")


def tag_uri(authority: str, minted: datetime, specific: str) -> str:
    """A tag: URI (RFC 4151): the host, the date the name was minted, and the thing's name."""
    return f"tag:{authority},{minted.astimezone(UTC):%Y-%m-%d}:{specific}"
