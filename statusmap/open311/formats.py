"""GeoReport v2 documents as bytes, JSON or XML as the specification shows them. No Flask.

A document is a root name and plain data: a list of items (services, service_requests, errors)
or one mapping (discovery, service_definition). XML names each list's items by `ITEM_NAMES`;
None is an empty element, booleans are `true`/`false`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any
from xml.etree import ElementTree as ET

FORMATS = {"json": "application/json", "xml": "text/xml"}
# The element of each list's items, by the list's element name.
ITEM_NAMES = {
    "services": "service",
    "service_requests": "request",
    "errors": "error",
    "endpoints": "endpoint",
    "formats": "format",
    "attributes": "attribute",
    "values": "value",
}


class Open311Error(Exception):
    """An answer in the specification's error format, with its HTTP status."""

    def __init__(self, code: int, description: str) -> None:
        super().__init__(description)
        self.code, self.description = code, description

    def items(self) -> list[dict[str, Any]]:
        """The error document's items."""
        return [{"code": self.code, "description": self.description}]


def render(root: str, data: list[dict[str, Any]] | dict[str, Any], fmt: str) -> bytes:
    """The document as JSON (the data itself) or XML (under `root`)."""
    if fmt == "json":
        return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
    element = ET.Element(root)
    _fill(element, root, data)
    return ET.tostring(element, encoding="utf-8", xml_declaration=True)


def _fill(element: ET.Element, name: str, value: Any) -> None:
    if isinstance(value, list):
        item_name = ITEM_NAMES[name]
        for item in value:
            _fill(ET.SubElement(element, item_name), item_name, item)
    elif isinstance(value, Mapping):
        for key, inner in value.items():
            _fill(ET.SubElement(element, key), key, inner)
    elif isinstance(value, bool):
        element.text = "true" if value else "false"
    elif value is not None:
        element.text = str(value)
