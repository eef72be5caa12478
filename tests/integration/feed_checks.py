"""Real parsers for the feed tests: feedparser for Atom, the OASIS CAP 1.2 XSD through lxml."""

from __future__ import annotations

from functools import cache

import feedparser
from lxml import etree

from tests.conftest import DATA

CAP = {"cap": "urn:oasis:names:tc:emergency:cap:1.2"}


@cache
def cap_schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(DATA / "cap" / "CAP-v1.2.xsd")))


def parse_atom(client, path: str):  # type: ignore[no-untyped-def]
    """GET an Atom feed and parse it; feedparser must find nothing wrong (bozo 0)."""
    response = client.get(path)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "application/atom+xml"
    feed = feedparser.parse(response.data)
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert feed.version == "atom10"
    return feed


def valid_cap(client, path: str) -> etree._Element:
    """GET a CAP alert, validate it against the OASIS schema, and return its root element."""
    response = client.get(path)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "application/cap+xml"
    alert = etree.fromstring(response.data)
    schema = cap_schema()
    assert schema.validate(alert), schema.error_log
    return alert


def text(element: etree._Element, path: str) -> str | None:
    """The text of the first element at a CAP path ("cap:msgType"), or None."""
    found = element.find(path, CAP)
    return None if found is None else found.text
