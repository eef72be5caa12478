"""The spatial-query module: right answers on each backend, and the same answers on both."""

from __future__ import annotations

import numpy as np
import pytest
import shapely
import sqlalchemy as sa
from shapely.geometry import MultiPolygon
from shapely.geometry import Point
from shapely.geometry import box
from sqlalchemy import select

from statusmap.db import get_db
from statusmap.gis.queries import addresses as address_queries
from statusmap.gis.queries import incidents as incident_queries
from statusmap.models import Address
from statusmap.models import Incident
from statusmap.models import IncidentStatus
from statusmap.models import Municipality
from statusmap.models import VulnerableCategory
from statusmap.models.base import utcnow
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
        found = incident_queries.incidents_covering_point(
            session, town.id, Point(lon, lat), now=utcnow()
        )
        assert len(found) == expected, (lon, lat)


def test_only_active_incidents_of_that_municipality(session) -> None:
    town = make_municipality(session)
    other = make_municipality(session, slug="nabo", kommunenummer="4205")
    make_incident(session, town, SQUARE, status=IncidentStatus.RESOLVED, title="Ferdig")
    make_incident(session, other, SQUARE, title="Nabo")
    assert (
        incident_queries.incidents_covering_point(
            session, town.id, Point(8.085, 58.135), now=utcnow()
        )
        == []
    )
    found = incident_queries.incidents_covering_point(
        session, town.id, Point(8.085, 58.135), now=utcnow(), statuses=(IncidentStatus.RESOLVED,)
    )
    assert [i.text("title", "nb") for i in found] == ["Ferdig"]


def test_addresses_in_area_are_listed_and_counted(session) -> None:
    town = make_municipality(session)
    make_address(session, town, 8.085, 58.135, "inside", dwellings=3)
    make_address(session, town, 8.09, 58.135, "edge", dwellings=1)
    make_address(session, town, 8.095, 58.135, "outside", dwellings=7)
    listed = address_queries.addresses_in_area(session, town.id, SQUARE)
    assert sorted(a.source_id for a in listed) == ["edge", "inside"]
    assert address_queries.count_addresses_in_area(
        session, town.id, SQUARE
    ) == address_queries.AddressCount(2, 4, 0)
    in_bbox = address_queries.addresses_in_bbox(session, town.id, (8.084, 58.13, 8.0901, 58.14))
    assert sorted(a.source_id for a in in_bbox) == ["edge", "inside"]


def test_incidents_in_bbox(session) -> None:
    town = make_municipality(session)
    make_incident(session, town, SQUARE)
    active = (IncidentStatus.ACTIVE,)
    assert (
        len(
            incident_queries.incidents_in_bbox(
                session, town.id, (8.089, 58.139, 8.1, 58.15), active, now=utcnow()
            )
        )
        == 1
    )
    assert (
        incident_queries.incidents_in_bbox(
            session, town.id, (8.091, 58.13, 8.1, 58.14), active, now=utcnow()
        )
        == []
    )


def test_demo_counts_match_a_brute_force_shapely_count(session) -> None:
    demo = _demo(session)
    addresses = session.scalars(select(Address).where(Address.municipality_id == demo.id)).all()
    incidents = session.scalars(select(Incident).where(Incident.municipality_id == demo.id)).all()
    vulnerable_seen = 0
    for incident in incidents:
        truth = [a for a in addresses if incident.area.covers(a.location)]
        count = address_queries.count_addresses_in_area(session, demo.id, incident.area)
        assert count.addresses == len(truth) > 0
        assert count.dwellings == sum(a.dwellings for a in truth)
        assert count.vulnerable == sum(1 for a in truth if a.vulnerable_category is not None)
        vulnerable_seen += count.vulnerable
    assert vulnerable_seen > 0, "the demo zones hold flagged vulnerable subscribers"


def _spatial_answers(session) -> dict[str, object]:
    """A fixed battery of spatial queries on the demo municipality, keyed for comparison."""
    demo = _demo(session)
    min_lon, min_lat, max_lon, max_lat = demo.boundary.bounds
    rng = np.random.default_rng(7)
    answers: dict[str, object] = {}
    now = utcnow()
    incidents = session.scalars(select(Incident).where(Incident.municipality_id == demo.id)).all()
    near = [rng.normal(i.area.centroid.coords[0], 0.002, (60, 2)) for i in incidents]
    spread = rng.uniform((min_lon, min_lat), (max_lon, max_lat), (100, 2))
    for n, (lon, lat) in enumerate(np.concatenate([spread, *near])):
        found = incident_queries.incidents_covering_point(
            session, demo.id, Point(lon, lat), now=utcnow()
        )
        answers[f"point{n}"] = sorted(i.text("title", "nb") for i in found)
    for incident in incidents:
        title = incident.text("title", "nb")
        answers[f"area:{title}"] = sorted(
            a.source_id for a in address_queries.addresses_in_area(session, demo.id, incident.area)
        )
        answers[f"count:{title}"] = address_queries.count_addresses_in_area(
            session, demo.id, incident.area
        )
    for n in range(20):
        lon, lat = rng.uniform((min_lon, min_lat), (max_lon, max_lat))
        bbox = (lon, lat, lon + 0.01, lat + 0.005)
        answers[f"bbox{n}"] = sorted(
            a.source_id
            for a in address_queries.addresses_in_bbox(session, demo.id, bbox, limit=100_000)
        )
        answers[f"ibbox{n}"] = sorted(
            i.text("title", "nb")
            for i in incident_queries.incidents_in_bbox(
                session, demo.id, bbox, list(IncidentStatus), now=now
            )
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
    assert [a.source_id for a in address_queries.addresses_in_area(session, town.id, SQUARE)] == [
        "moving"
    ]
    address.location = Point(8.105, 58.155)
    incident.area = elsewhere
    session.flush()
    assert address_queries.addresses_in_area(session, town.id, SQUARE) == []
    assert [
        a.source_id for a in address_queries.addresses_in_area(session, town.id, elsewhere)
    ] == ["moving"]
    assert (
        incident_queries.incidents_covering_point(
            session, town.id, Point(8.085, 58.135), now=utcnow()
        )
        == []
    )
    assert incident_queries.incidents_covering_point(
        session, town.id, Point(8.105, 58.155), now=utcnow()
    ) == [incident]
    session.delete(incident)
    session.flush()
    assert (
        incident_queries.incidents_covering_point(
            session, town.id, Point(8.105, 58.155), now=utcnow()
        )
        == []
    )


def test_both_backends_refuse_the_wrong_geometry_type(session) -> None:
    town = make_municipality(session)
    incident = make_incident(session, town, SQUARE)
    incident.area = SQUARE  # a Polygon, where the column holds MultiPolygons
    with pytest.raises((sa.exc.StatementError, sa.exc.DataError), match="Polygon"):
        session.flush()


def test_core_updates_move_the_geometry_on_both_backends(session) -> None:
    """However a geometry is written (ORM, Core bulk, raw WKB), queries answer from it."""
    town = make_municipality(session)
    address = make_address(session, town, 8.085, 58.135, "moving")
    incident = make_incident(session, town, SQUARE)
    elsewhere = MultiPolygon([box(8.10, 58.15, 8.11, 58.16)])
    session.execute(
        sa.update(Address).where(Address.id == address.id).values(location=Point(8.105, 58.155))
    )
    session.execute(
        sa.update(Incident)
        .where(Incident.id == incident.id)
        .values(area=shapely.to_wkb(elsewhere), version=Incident.version + 1)
    )
    session.expire_all()
    assert address_queries.addresses_in_area(session, town.id, SQUARE) == []
    assert address_queries.address_ids_in_area(session, town.id, elsewhere) == [address.id]
    now = utcnow()
    assert (
        incident_queries.incidents_covering_point(session, town.id, Point(8.085, 58.135), now=now)
        == []
    )
    found = incident_queries.incidents_covering_point(
        session, town.id, Point(8.105, 58.155), now=now
    )
    assert [i.id for i in found] == [incident.id]


def test_count_includes_what_the_session_has_not_flushed_yet(session) -> None:
    """As any ORM query would: an address just added counts, with its category and dwellings."""
    town = make_municipality(session)
    make_address(session, town, 8.085, 58.135, "flushed", dwellings=2)
    session.add(
        Address(
            municipality_id=town.id,
            source_id="pending",
            street="Testveien",
            number=2,
            dwellings=None,
            vulnerable_category=VulnerableCategory.NURSING_HOME,
            vulnerable_name="Solheim",
            location=Point(8.086, 58.135),
        )
    )
    assert address_queries.count_addresses_in_area(
        session, town.id, SQUARE
    ) == address_queries.AddressCount(2, 2, 1, unknown_dwellings=1)


def test_retired_addresses_are_neither_listed_nor_counted(session) -> None:
    town = make_municipality(session)
    make_address(session, town, 8.085, 58.135, "current", dwellings=2)
    gone = make_address(session, town, 8.086, 58.135, "gone", dwellings=5)
    gone.retired_at = utcnow()
    session.flush()
    assert [a.source_id for a in address_queries.addresses_in_area(session, town.id, SQUARE)] == [
        "current"
    ]
    assert address_queries.count_addresses_in_area(session, town.id, SQUARE).dwellings == 2
    bbox = address_queries.addresses_in_bbox(session, town.id, SQUARE.bounds)
    assert [a.source_id for a in bbox] == ["current"]


def test_a_scheduled_incident_is_active_once_it_has_started(session) -> None:
    """Nobody touched it since it was scheduled: the clock alone makes it active."""
    from datetime import timedelta

    town = make_municipality(session)
    incident = make_incident(session, town, SQUARE, status=IncidentStatus.SCHEDULED)
    start = incident.starts_at
    inside = Point(8.085, 58.135)
    before = start - timedelta(minutes=1)
    assert incident_queries.incidents_covering_point(session, town.id, inside, now=before) == []
    assert incident_queries.incidents_covering_point(session, town.id, inside, now=start) == [
        incident
    ]
    scheduled = incident_queries.incidents_covering_point(
        session, town.id, inside, now=before, statuses=(IncidentStatus.SCHEDULED,)
    )
    assert scheduled == [incident]


def test_every_declared_spatial_index_exists(session, backend: str) -> None:
    """Each geometry column declared indexed=True has its GiST index or its R*Tree."""
    from statusmap.gis.spatial_index import declared_spatial_indexes
    from statusmap.models import Base

    declared = list(declared_spatial_indexes(Base.metadata))
    assert {(i.table, i.column) for i in declared} >= {
        ("address", "location"),
        ("incident", "area"),
        ("municipality", "boundary"),
    }
    inspector = sa.inspect(session.connection())
    for index in declared:
        if backend == "postgis":
            names = {ix["name"] for ix in inspector.get_indexes(index.table)}
            assert index.gist_name in names
        else:
            assert index.rtree_name in inspector.get_table_names()
            triggers = session.execute(
                sa.text("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = :t"),
                {"t": index.table},
            ).scalars()
            assert {f"{index.rtree_name}_{e}" for e in ("insert", "update", "delete")} <= set(
                triggers
            )


def test_addresses_are_listed_in_norwegian_order(session) -> None:
    """Z, Æ, Ø, Å, as in a Norwegian dictionary (code points would give Z, Å, Æ, Ø)."""
    town = make_municipality(session)
    streets = ["Åsveien", "Ørneveien", "Zinkveien", "Ærfuglvegen", "aspeveien"]
    for n, street in enumerate(streets):
        make_address(session, town, 8.081 + n * 0.001, 58.135, f"s{n}").street = street
    session.flush()
    listed = address_queries.addresses_in_area(session, town.id, SQUARE)
    assert [a.street for a in listed] == [
        "aspeveien",
        "Zinkveien",
        "Ærfuglvegen",
        "Ørneveien",
        "Åsveien",
    ]
