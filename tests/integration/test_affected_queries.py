"""Who an area affects, on both backends: vulnerable subscribers, street names, the export."""

from __future__ import annotations

import csv
import io

from shapely.geometry import Polygon
from shapely.geometry import box
from sqlalchemy import select

from statusmap.gis.queries.addresses import addresses_in_area
from statusmap.gis.queries.addresses import count_addresses_in_area
from statusmap.gis.queries.affected import street_names_in_area
from statusmap.gis.queries.affected import vulnerable_in_area
from statusmap.incidents.affected import AffectedSummary
from statusmap.incidents.affected import affected_csv
from statusmap.models import Address
from statusmap.models import Incident
from statusmap.models import Municipality
from statusmap.models import VulnerableCategory
from statusmap.models.base import utcnow
from statusmap.norwegian import sort_key
from tests.factories import make_address
from tests.factories import make_municipality

SQUARE = box(8.08, 58.13, 8.09, 58.14)


def _place(session, town, lon, lat, street, number, *, letter="", category=None, name=""):
    address = make_address(session, town, lon, lat, f"{street}-{number}{letter}-{lon}")
    address.street, address.number, address.letter = street, number, letter
    address.vulnerable_category, address.vulnerable_name = category, name
    session.flush()
    return address


def _town_with_addresses(session) -> Municipality:
    town = make_municipality(session)
    neighbour = make_municipality(session, slug="nabo", kommunenummer="4205")
    nursing, school = VulnerableCategory.NURSING_HOME, VulnerableCategory.SCHOOL
    _place(session, town, 8.081, 58.131, "Åsveien", 2, category=school, name="Åsen skole")
    _place(session, town, 8.082, 58.132, "Aveien", 10, category=nursing, name="Aveheim")
    _place(session, town, 8.083, 58.133, "Aveien", 2, category=nursing, name="Bjørkheim")
    _place(session, town, 8.084, 58.134, "Zebravegen", 1)
    dialysis = VulnerableCategory.DIALYSIS
    _place(session, town, 8.085, 58.135, "Ærveien", 1, letter="B", category=dialysis, name="Hjem")
    _place(session, town, 8.09, 58.135, "Ørneveien", 1)  # on the edge: inside
    _place(session, town, 8.086, 58.136, "Åsveien", 4)
    retired = _place(session, town, 8.087, 58.137, "Gamlegata", 1, category=nursing, name="Gamle")
    retired.retired_at = utcnow()
    food = VulnerableCategory.FOOD_BUSINESS
    _place(session, neighbour, 8.088, 58.138, "Nabogata", 1, category=food, name="Nabobakeri")
    kindergarten = VulnerableCategory.KINDERGARTEN
    _place(session, town, 8.095, 58.135, "Utenforveien", 1, category=kindergarten, name="Ute")
    session.flush()
    return town


def test_vulnerable_listed_by_category_then_address(session) -> None:
    town = _town_with_addresses(session)
    found = vulnerable_in_area(session, town.id, SQUARE)
    # Nursing homes before schools before dialysis (the fixed order); Aveien 2 before Aveien 10.
    assert [(a.vulnerable_name, a.label) for a in found] == [
        ("Bjørkheim", "Aveien 2"),
        ("Aveheim", "Aveien 10"),
        ("Åsen skole", "Åsveien 2"),
        ("Hjem", "Ærveien 1B"),
    ]


def test_street_names_distinct_in_norwegian_order(session) -> None:
    town = _town_with_addresses(session)
    assert street_names_in_area(session, town.id, SQUARE) == [
        "Aveien",
        "Zebravegen",
        "Ærveien",
        "Ørneveien",
        "Åsveien",
    ]
    assert street_names_in_area(session, town.id, box(8.1, 58.1, 8.2, 58.2)) == []


def test_the_area_decides_not_its_bounding_box(session) -> None:
    town = _town_with_addresses(session)
    triangle = Polygon([(8.08, 58.13), (8.0875, 58.13), (8.08, 58.1375)])
    flagged = session.scalars(
        select(Address).where(
            Address.municipality_id == town.id, Address.vulnerable_category.is_not(None)
        )
    ).all()
    in_box_only = [a for a in flagged if box(*triangle.bounds).covers(a.location)]
    assert any(not triangle.covers(a.location) for a in in_box_only), "the test needs such a one"
    found = vulnerable_in_area(session, town.id, triangle)
    assert [a.vulnerable_name for a in found] == ["Bjørkheim", "Aveheim", "Åsen skole"]
    assert street_names_in_area(session, town.id, triangle) == ["Aveien", "Åsveien"]


def _demo_truth(session):
    demo = session.scalar(select(Municipality).where(Municipality.slug == "demo"))
    addresses = session.scalars(
        select(Address).where(Address.municipality_id == demo.id, Address.retired_at.is_(None))
    ).all()
    incidents = session.scalars(select(Incident).where(Incident.municipality_id == demo.id)).all()
    return demo, addresses, incidents


def test_demo_vulnerable_and_streets_match_a_brute_force_shapely_answer(session) -> None:
    demo, addresses, incidents = _demo_truth(session)
    order = list(VulnerableCategory)
    vulnerable_seen = 0
    for incident in incidents:
        inside = [a for a in addresses if incident.area.covers(a.location)]
        flagged = {a.id for a in inside if a.vulnerable_category is not None}
        found = vulnerable_in_area(session, demo.id, incident.area)
        assert sorted(a.id for a in found) == sorted(flagged), incident.id
        ranks = [order.index(a.vulnerable_category) for a in found]
        assert ranks == sorted(ranks), "grouped by category"
        vulnerable_seen += len(found)
        streets = street_names_in_area(session, demo.id, incident.area)
        assert set(streets) == {a.street for a in inside} and len(streets) == len(set(streets))
        assert streets == sorted(streets, key=sort_key)
    assert vulnerable_seen > 0, "the demo zones hold flagged vulnerable subscribers"


def test_demo_summary_and_export_agree_with_the_count(session) -> None:
    demo, _, incidents = _demo_truth(session)
    for incident in incidents:
        count = count_addresses_in_area(session, demo.id, incident.area)
        summary = AffectedSummary.build(count, vulnerable_in_area(session, demo.id, incident.area))
        assert summary.to_json()["vulnerable"]["total"] == count.vulnerable
        data = affected_csv(addresses_in_area(session, demo.id, incident.area))
        rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))
        assert len(rows) - 1 == count.addresses
        assert sum(1 for row in rows[1:] if row[7]) == count.vulnerable
        assert sum(int(row[6]) for row in rows[1:] if row[6]) == count.dwellings
