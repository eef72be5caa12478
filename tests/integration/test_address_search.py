"""Finding an address as residents type it, on both backends, with the same answers."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from statusmap.addresses.search import address_label
from statusmap.addresses.search import find_addresses
from statusmap.addresses.search import suggest_addresses
from statusmap.models import Address
from statusmap.models import Municipality
from statusmap.models.base import utcnow
from tests.factories import make_address


def _demo(session) -> Municipality:
    return session.scalar(select(Municipality).where(Municipality.slug == "demo"))


def _labels(addresses: list[Address]) -> list[str]:
    return [address_label(a) for a in addresses]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Kirkevegen 3", ["Kirkevegen 3, 2770 Jaren"]),
        ("kirkeveien 3", ["Kirkevegen 3, 2770 Jaren"]),
        ("Kirkevn. 3", ["Kirkevegen 3, 2770 Jaren"]),
        ("KIRKEVEGEN   3", ["Kirkevegen 3, 2770 Jaren"]),
        ("bjørkevegen 41 a", ["Bjørkeveien 41 A, 2770 Jaren"]),
        ("BJØRKEVEIEN 41B", ["Bjørkeveien 41 B, 2770 Jaren"]),
        ("Blåbærvn. 33", ["Blåbærvegen 33 A, 2750 Gran", "Blåbærvegen 33 B, 2750 Gran"]),
        ("blåbærvegen 33 b, 2750 Gran", ["Blåbærvegen 33 B, 2750 Gran"]),
        ("Storgata 12, 2750 Gran", ["Storgata 12, 2750 Gran"]),
        ("Storgata 12, 9999 Ingensted", ["Storgata 12, 2750 Gran"]),  # narrows only if it fits
        ("storgt 12", ["Storgata 12, 2750 Gran"]),
        ("Storg 12", ["Storgata 12, 2750 Gran"]),  # a street begun, the number whole
        ("LØVÅSEN 4", ["Løvåsen 4, 2770 Jaren"]),
        ("Storgata 9999", []),
        ("Ingenstedsvegen 1", []),
        ("", []),
    ],
)
def test_typed_addresses_are_found(session, typed: str, expected: list[str]) -> None:
    assert _labels(find_addresses(session, _demo(session).id, typed)) == expected


def test_a_street_alone_lists_its_first_addresses_to_choose_from(session) -> None:
    found = _labels(find_addresses(session, _demo(session).id, "Storgata"))
    assert len(found) == 20
    assert found[:3] == ["Storgata 1, 2750 Gran", "Storgata 3, 2750 Gran", "Storgata 4, 2750 Gran"]


def test_retired_addresses_are_not_found(session) -> None:
    demo = _demo(session)
    (address,) = find_addresses(session, demo.id, "Kirkevegen 3")
    address.retired_at = utcnow()
    session.flush()
    assert find_addresses(session, demo.id, "Kirkevegen 3") == []
    assert "Kirkevegen 3, 2770 Jaren" not in _labels(suggest_addresses(session, demo.id, "kirkev"))


def test_an_address_added_through_the_orm_is_found_by_its_key(session) -> None:
    demo = _demo(session)
    lon, lat = demo.boundary.representative_point().coords[0]
    address = make_address(session, demo, lon, lat, "test-1")
    address.street = "Haakon VIIs gate"  # the key follows the street
    address.letter = "C"
    session.flush()
    assert find_addresses(session, demo.id, "Håkon VIIs gt. 1c") == [address]


def test_suggestions_come_in_address_order(session) -> None:
    found = _labels(suggest_addresses(session, _demo(session).id, "Bygdevn 9"))
    assert found == [
        "Bygdevegen 9, 2770 Jaren",
        "Bygdevegen 90, 2770 Jaren",
        "Bygdevegen 91, 2770 Jaren",
        "Bygdevegen 92, 2770 Jaren",
        "Bygdevegen 93 A, 2770 Jaren",
        "Bygdevegen 93 B, 2770 Jaren",
        "Bygdevegen 94, 2770 Jaren",
        "Bygdevegen 95, 2770 Jaren",
        "Bygdevegen 96, 2770 Jaren",
        "Bygdevegen 97, 2770 Jaren",
    ]


@pytest.mark.parametrize(
    ("typed", "first"),
    [
        ("kirkevege", "Kirkevegen 1, 2770 Jaren"),  # a street word cut short
        ("Kirkeveien", "Kirkevegen 1, 2770 Jaren"),
        ("BLÅB", "Blåbærvegen 1, 2770 Jaren"),
        ("løv", "Løvåsen 3, 2750 Gran"),
        ("Storgata 12", "Storgata 12, 2750 Gran"),
    ],
)
def test_suggestions_begin_with_the_likeliest(session, typed: str, first: str) -> None:
    found = _labels(suggest_addresses(session, _demo(session).id, typed))
    assert 1 <= len(found) <= 10 and found[0] == first


def test_wildcards_typed_are_plain_text(session) -> None:
    demo = _demo(session)
    for typed in ("%", "_", "*", "?", "[a-z]*", "' OR 1=1 --"):
        assert suggest_addresses(session, demo.id, typed) == []
