"""Migration 0007 gives the addresses already stored the search key of their street."""

from __future__ import annotations

import sqlalchemy as sa
from shapely.geometry import Point
from sqlalchemy.orm import Session

from statusmap.addresses.search import find_addresses
from statusmap.migrations import downgrade
from statusmap.migrations import upgrade
from statusmap.models import Address
from tests.factories import make_municipality
from tests.integration.test_migrations import empty_database  # noqa: F401 (both backends)


def test_0007_fills_the_search_key_of_stored_addresses(empty_database: sa.Engine) -> None:  # noqa: F811
    with empty_database.begin() as conn:
        upgrade(conn)
        session = Session(bind=conn)
        town = make_municipality(session)
        for number, street in enumerate(["Kirkevegen", "Bjørkeveien", "Storgata"], start=1):
            point = Point(8.08, 58.13 + number / 1000)
            session.add(
                Address(
                    municipality_id=town.id,
                    source_id=f"a{number}",
                    street=street,
                    number=number,
                    location=point,
                )
            )
        session.commit()
        town_id = town.id
        downgrade(conn, "0006")  # as stored by a release without the key
        upgrade(conn)
        keys = conn.exec_driver_sql("SELECT search_key FROM address ORDER BY source_id").scalars()
        assert list(keys) == ["kirkevei", "bjørkevei", "storgate"]
        session = Session(bind=conn)
        (found,) = find_addresses(session, town_id, "kirkeveien 1")
        assert found.street == "Kirkevegen"
