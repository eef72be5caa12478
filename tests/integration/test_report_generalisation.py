"""The public report layer never gives a report's place away (issue 9, must-show).

Many seeded random reports, some hidden or spam, some too old; the layer is read as a client
reads it (GET /api/v1/<slug>/reports.geojson) and every published cell is checked against the
stored points: its corners are grid points of the municipality's UTM grid, it holds at least 3
public reports of the window whose points lie inside it (and exactly the counts it says), and
every cell of the grid with 3 or more such reports is published.
"""

from __future__ import annotations

import json
import math
import random
from collections import Counter
from datetime import datetime
from datetime import timedelta

from openapi_schema_validator import OAS31Validator
from pyproj import Transformer

from statusmap.models import ReportKind
from statusmap.models import ReportStatus
from statusmap.models.base import utcnow
from tests.factories import make_municipality
from tests.report_factories import make_report
from tests.rfc7946 import check_feature_collection

UTM = 25832
CELL = 100
TO_UTM = Transformer.from_crs(4326, UTM, always_xy=True)
PUBLIC = (ReportStatus.NEW, ReportStatus.LINKED)
CORNER_TOLERANCE_M = 0.05  # 7 decimals of a degree are about a centimetre
DAY_PART = timedelta(hours=2)


def _layer(client, slug: str = "kristiansand") -> dict:  # type: ignore[type-arg]
    response = client.get(f"/api/v1/{slug}/reports.geojson")
    assert response.status_code == 200 and response.mimetype == "application/geo+json"
    document = json.loads(response.get_data(as_text=True))
    assert check_feature_collection(document) == []
    api = client.get("/api/v1/openapi.json").get_json()
    answer = api["paths"]["/{slug}/reports.geojson"]["get"]["responses"]["200"]
    schema = answer["content"]["application/geo+json"]["schema"]
    OAS31Validator({**schema, "components": api["components"]}).validate(document)
    return document


def _random_reports(session, town, rng: random.Random, now) -> list[tuple]:  # type: ignore[no-untyped-def]
    """A few hundred reports bunched around some centres; returns (kind, status, at, lon, lat)."""
    centres = [(rng.uniform(8.06, 8.11), rng.uniform(58.13, 58.16)) for _ in range(8)]
    made = []
    for _ in range(400):
        lon0, lat0 = rng.choice(centres)
        lon, lat = lon0 + rng.gauss(0, 0.0015), lat0 + rng.gauss(0, 0.0008)
        kind = rng.choice(list(ReportKind))
        status = rng.choices(list(ReportStatus), weights=[5, 2, 2, 2])[0]
        at = now - timedelta(minutes=rng.uniform(2, 30 * 60))  # some older than the day
        make_report(session, town, lon, lat, at=at, kind=kind, status=status)
        made.append((kind, status, at, lon, lat))
    session.commit()
    return made


def _on_grid(value: float) -> int:
    """The grid line a published coordinate (metres, UTM) lies on; fails if it lies on none."""
    line = round(value / CELL)
    assert abs(value - line * CELL) < CORNER_TOLERANCE_M, f"{value} is not on the {CELL} m grid"
    return line


def _cell_of(feature: dict) -> tuple[int, int]:  # type: ignore[type-arg]
    """The grid cell a published square is: all its vertices are corners of that one cell."""
    ring = feature["geometry"]["coordinates"][0]
    assert feature["geometry"]["type"] == "Polygon" and len(ring) == 5
    corners = {(_on_grid(e), _on_grid(n)) for e, n in (TO_UTM.transform(*p) for p in ring)}
    west, south = min(c[0] for c in corners), min(c[1] for c in corners)
    assert corners == {(west, south), (west + 1, south), (west + 1, south + 1), (west, south + 1)}
    return west, south


def _expected_cells(made, start, end) -> dict[tuple[int, int], Counter]:  # type: ignore[no-untyped-def, type-arg]
    cells: dict[tuple[int, int], Counter] = {}  # type: ignore[type-arg]
    for kind, status, at, lon, lat in made:
        if status in PUBLIC and start <= at <= end:
            east, north = TO_UTM.transform(lon, lat)
            cell = (math.floor(east / CELL), math.floor(north / CELL))
            cells.setdefault(cell, Counter())[kind.value] += 1
    return cells


def _numbers(value: object) -> list[float]:
    if isinstance(value, dict):
        return [n for v in value.values() for n in _numbers(v)]
    if isinstance(value, list):
        return [n for v in value for n in _numbers(v)]
    return [value] if isinstance(value, float) else []


def test_every_published_cell_holds_three_public_reports_and_no_report_place(
    client, session
) -> None:
    town = make_municipality(session)
    made = _random_reports(session, town, random.Random(9), utcnow())
    document = _layer(client)
    start = datetime.fromisoformat(document["window_start"])
    end = datetime.fromisoformat(document["window_end"])
    assert end - start == timedelta(hours=24)
    expected = _expected_cells(made, start, end)
    published = {}
    for feature in document["features"]:
        cell = _cell_of(feature)
        counts = {k: v for k, v in feature["properties"]["counts"].items() if v}
        assert counts == dict(expected[cell]), cell
        assert feature["properties"]["total"] == sum(counts.values()) >= 3
        published[cell] = counts
        # Only the square's corners are coordinates: nothing else in a feature is a float.
        assert _numbers(feature["properties"]) == []
    assert set(published) == {c for c, n in expected.items() if n.total() >= 3}
    assert len(published) >= 5  # the seed gives a real test, not an empty layer
    points = [TO_UTM.transform(lon, lat) for *_, lon, lat in made]
    for feature in document["features"]:
        for lon, lat in feature["geometry"]["coordinates"][0]:
            east, north = TO_UTM.transform(lon, lat)
            # A grid corner may happen to lie near a report; no other coordinate is published.
            on_grid = (_on_grid(east), _on_grid(north))
            assert on_grid or min(math.dist((east, north), p) for p in points) >= CELL


def _utm_point(east: float, north: float) -> tuple[float, float]:
    lon, lat = Transformer.from_crs(UTM, 4326, always_xy=True).transform(east, north)
    return lon, lat


def test_two_reports_hidden_spam_and_old_ones_never_make_a_cell(client, session) -> None:
    town = make_municipality(session)
    now = utcnow()
    at = now - timedelta(hours=1)
    cells = {"two": (4460, 64460), "with_hidden": (4462, 64460), "three": (4464, 64460)}
    cells["with_old"] = (4466, 64460)

    def put(cell: str, n: int, **kw: object) -> None:
        column, row = cells[cell]
        for i in range(n):
            lon, lat = _utm_point(column * CELL + 10 + 20 * i, row * CELL + 50)
            make_report(session, town, lon, lat, **{"at": at, **kw})  # type: ignore[arg-type]

    put("two", 2)
    put("with_hidden", 2)
    put("with_hidden", 2, status=ReportStatus.HIDDEN)
    put("with_hidden", 2, status=ReportStatus.SPAM)
    put("three", 2)
    put("three", 1, status=ReportStatus.LINKED, kind=ReportKind.LEAK_SEEN)
    put("with_old", 2)
    put("with_old", 3, at=now - timedelta(hours=25))
    session.commit()
    document = _layer(client)
    assert [_cell_of(f) for f in document["features"]] == [cells["three"]]
    counts = document["features"][0]["properties"]["counts"]
    assert counts["no_water"] == 2 and counts["leak_seen"] == 1
    assert document["features"][0]["properties"]["total"] == 3


def test_the_layer_is_kept_briefly_and_revalidated(client, session) -> None:
    make_municipality(session)
    session.commit()
    first = client.get("/api/v1/kristiansand/reports.geojson")
    assert first.headers["Cache-Control"] == "public, max-age=30"
    etag = first.headers["ETag"]
    again = client.get("/api/v1/kristiansand/reports.geojson", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert client.get("/api/v1/nowhere/reports.geojson").status_code == 404


def test_the_page_fetches_the_layer_and_carries_no_report_itself(client, session) -> None:
    from tests.html_tree import parse

    town = make_municipality(session)
    for i in range(3):
        made = make_report(session, town, 8.0801 + i * 1e-4, 58.1451, at=utcnow() - DAY_PART)
        made.text = f"Hemmelig tekst {i}"
    session.commit()
    html = client.get("/kristiansand/").get_data(as_text=True)
    assert "Hemmelig tekst" not in html and "8.0801" not in html and "58.1451" not in html
    section = parse(html).find("section", class_="citizen-reports")
    assert section.attrs["data-report-layer"] == "/api/v1/kristiansand/reports.geojson"
    assert json.loads(section.attrs["data-report-kinds"])["no_water"] == "ingen vann"
    assert "/static/js/report-layer.js" in html


def test_one_sender_alone_never_makes_a_cell(client, session) -> None:
    """Three reports from one household (three kinds, one client) would put a square around
    that home: a cell needs three different senders."""
    town = make_municipality(session)
    at = utcnow() - timedelta(hours=1)
    for i, kind in enumerate((ReportKind.NO_WATER, ReportKind.LOW_PRESSURE, ReportKind.SEWER)):
        lon, lat = _utm_point(4470 * CELL + 10 + 20 * i, 64460 * CELL + 50)
        make_report(session, town, lon, lat, at=at, kind=kind, client_key="one-household")
    session.commit()
    assert _layer(client)["features"] == []
