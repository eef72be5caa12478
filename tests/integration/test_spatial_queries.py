"""The spatial-query module: right answers on each backend, and the same answers on both."""

from __future__ import annotations

import numpy as np
import pytest
import sqlalchemy as sa
from shapely.geometry import MultiPolygon
from shapely.geometry import Point
from shapely.geometry import box
from sqlalchemy import select

from statusmap.db import get_db
from statusmap.gis import queries
from statusmap.models import Address
from statusmap.models import Incident
from statusmap.models import IncidentStatus
from statusmap.models import Municipality
from tests.conftest import rolled_back_app
from tests.factories import make_address
from tests.factories import make_incident
from tests.factories import make_municipality

SQUARE = box(8.08, 58.13, 8.09, 58.14)


def _demo(session) -> Municipality:
    return session.scalar(select(Municipality).where(Municipality.slug == "demo"))


def test_point_on_the_edge_counts_as_inside(session) -> None:
    town = make_municipality(session)
    make_incident(session, town, SQUARE)
    for lon, lat, expected in [
        (8.085, 58.135, 1),
        (8.08, 58.135, 1),
        (8.09, 58.14, 1),
        (8.0799, 58.135, 0),
        (8.085, 58.1401, 0),
    ]:
        found = queries.incidents_covering_point(session, town.id, Point(lon, lat))
        assert len(found) == expected, (lon, lat)


def test_only_active_incidents_of_that_municipality(session) -> None:
    town = make_municipality(session)
    other = make_municipality(session, slug="nabo", kommunenummer="4205")
    make_incident(session, town, SQUARE, status=IncidentStatus.RESOLVED, title="Ferdig")
    make_incident(session, other, SQUARE, title="Nabo")
    assert queries.incidents_covering_point(session, town.id, Point(8.085, 58.135)) == []
    found = queries.incidents_covering_point(
        session, town.id, Point(8.085, 58.135), statuses=(IncidentStatus.RESOLVED,)
    )
    assert [i.text("title", "nb") for i in found] == ["Ferdig"]


def test_addresses_in_area_are_listed_and_counted(session) -> None:
    town = make_municipality(session)
    make_address(session, town, 8.085, 58.135, "inside", dwellings=3)
    make_address(session, town, 8.09, 58.135, "edge", dwellings=1)
    make_address(session, town, 8.095, 58.135, "outside", dwellings=7)
    listed = queries.addresses_in_area(session, town.id, SQUARE)
    assert sorted(a.source_id for a in listed) == ["edge", "inside"]
    assert queries.count_addresses_in_area(session, town.id, SQUARE) == queries.AddressCount(
        2, 4, 0
    )
    in_bbox = queries.addresses_in_bbox(session, town.id, (8.084, 58.13, 8.0901, 58.14))
    assert sorted(a.source_id for a in in_bbox) == ["edge", "inside"]


def test_incidents_in_bbox(session) -> None:
    town = make_municipality(session)
    make_incident(session, town, SQUARE)
    active = (IncidentStatus.ACTIVE,)
    assert (
        len(queries.incidents_in_bbox(session, town.id, (8.089, 58.139, 8.1, 58.15), active)) == 1
    )
    assert queries.incidents_in_bbox(session, town.id, (8.091, 58.13, 8.1, 58.14), active) == []


def test_demo_counts_match_a_brute_force_shapely_count(session) -> None:
    demo = _demo(session)
    addresses = session.scalars(select(Address).where(Address.municipality_id == demo.id)).all()
    incidents = session.scalars(select(Incident).where(Incident.municipality_id == demo.id)).all()
    for incident in incidents:
        truth = [a for a in addresses if incident.area.covers(a.location)]
        count = queries.count_addresses_in_area(session, demo.id, incident.area)
        assert count.addresses == len(truth) > 0
        assert count.dwellings == sum(a.dwellings for a in truth)


def _spatial_answers(session) -> dict[str, object]:
    """A fixed battery of spatial queries on the demo municipality, keyed for comparison."""
    demo = _demo(session)
    min_lon, min_lat, max_lon, max_lat = demo.boundary.bounds
    rng = np.random.default_rng(7)
    answers: dict[str, object] = {}
    incidents = session.scalars(select(Incident).where(Incident.municipality_id == demo.id)).all()
    near = [rng.normal(i.area.centroid.coords[0], 0.002, (60, 2)) for i in incidents]
    spread = rng.uniform((min_lon, min_lat), (max_lon, max_lat), (100, 2))
    for n, (lon, lat) in enumerate(np.concatenate([spread, *near])):
        found = queries.incidents_covering_point(session, demo.id, Point(lon, lat))
        answers[f"point{n}"] = sorted(i.text("title", "nb") for i in found)
    for incident in incidents:
        title = incident.text("title", "nb")
        answers[f"area:{title}"] = sorted(
            a.source_id for a in queries.addresses_in_area(session, demo.id, incident.area)
        )
        answers[f"count:{title}"] = queries.count_addresses_in_area(session, demo.id, incident.area)
    for n in range(20):
        lon, lat = rng.uniform((min_lon, min_lat), (max_lon, max_lat))
        bbox = (lon, lat, lon + 0.01, lat + 0.005)
        answers[f"bbox{n}"] = sorted(
            a.source_id for a in queries.addresses_in_bbox(session, demo.id, bbox, limit=100_000)
        )
        answers[f"ibbox{n}"] = sorted(
            i.text("title", "nb")
            for i in queries.incidents_in_bbox(session, demo.id, bbox, list(IncidentStatus))
        )
    return answers


def test_backends_agree(sqlite_database: str, postgis_database: str) -> None:
    """The same battery of queries gives identical answers on SQLite and on PostGIS."""
    answers = {}
    for name, url in (("sqlite", sqlite_database), ("postgis", postgis_database)):
        with rolled_back_app(url) as app, app.app_context():
            answers[name] = _spatial_answers(get_db(app).session())
    hits = sum(1 for key, value in answers["sqlite"].items() if key.startswith("point") and value)
    assert hits > 50, "the battery must exercise points inside zones, not only outside"
    assert answers["sqlite"] == answers["postgis"]


def test_index_follows_moves_and_deletes(session) -> None:
    """Moving an address or deleting an incident is seen at once (SQLite's R*Tree triggers)."""
    town = make_municipality(session)
    address = make_address(session, town, 8.085, 58.135, "moving")
    incident = make_incident(session, town, SQUARE)
    elsewhere = MultiPolygon([box(8.10, 58.15, 8.11, 58.16)])
    assert [a.source_id for a in queries.addresses_in_area(session, town.id, SQUARE)] == ["moving"]
    address.location = Point(8.105, 58.155)
    incident.area = elsewhere
    session.flush()
    assert queries.addresses_in_area(session, town.id, SQUARE) == []
    assert [a.source_id for a in queries.addresses_in_area(session, town.id, elsewhere)] == [
        "moving"
    ]
    assert queries.incidents_covering_point(session, town.id, Point(8.085, 58.135)) == []
    assert queries.incidents_covering_point(session, town.id, Point(8.105, 58.155)) == [incident]
    session.delete(incident)
    session.flush()
    assert queries.incidents_covering_point(session, town.id, Point(8.105, 58.155)) == []


def test_both_backends_refuse_the_wrong_geometry_type(session) -> None:
    town = make_municipality(session)
    incident = make_incident(session, town, SQUARE)
    incident.area = SQUARE  # a Polygon, where the column holds MultiPolygons
    with pytest.raises((sa.exc.StatementError, sa.exc.DataError), match="Polygon"):
        session.flush()
