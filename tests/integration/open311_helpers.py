"""What the Open311 tests share: reports placed at chosen spots of the UTM grid, and parsing."""

from __future__ import annotations

import json
from datetime import timedelta

from lxml import etree
from pyproj import Transformer

from statusmap.models import Municipality
from statusmap.models import ReportKind
from statusmap.models.base import utcnow
from statusmap.reports.submission import ReportInput
from statusmap.reports.submission import client_key
from statusmap.reports.submission import submit_report

UTM = 25832  # the Kristiansand test municipality's zone
TO_UTM = Transformer.from_crs(4326, UTM, always_xy=True)
TO_WGS = Transformer.from_crs(UTM, 4326, always_xy=True)
# A 100 m cell inside the test box (8.05-8.12, 58.12-58.17), by its south-west corner.
CELL = (445_800.0, 6_445_200.0)


def lonlat(east: float, north: float) -> tuple[float, float]:
    """WGS 84 of a UTM position."""
    lon, lat = TO_WGS.transform(east, north)
    return lon, lat


def add_report(session, town: Municipality, east: float, north: float, n: int, **changes):  # type: ignore[no-untyped-def]
    """A report at a UTM position from its own client (so none is merged)."""
    lon, lat = lonlat(east, north)
    values: dict[str, object] = {
        "kind": ReportKind.NO_WATER,
        "lon": lon,
        "lat": lat,
        "observed_since": utcnow() - timedelta(minutes=10),
        "client_key": client_key("test", f"192.0.2.{n}"),
        "text": f"Hjemme i Testveien {n}",
    }
    data = ReportInput(**{**values, **changes})  # type: ignore[arg-type]
    return submit_report(session, town, data, now=utcnow(), tolerance_m=2000).report


def parsed(response, fmt: str):  # type: ignore[no-untyped-def]
    """The body by a real parser: json, or lxml (an element tree)."""
    if fmt == "json":
        assert response.mimetype == "application/json"
        return json.loads(response.get_data(as_text=True))
    assert response.mimetype == "text/xml"
    return etree.fromstring(response.get_data())
