"""What a resident types becomes the same key as the register's street name, and is taken apart."""

from __future__ import annotations

import pytest

from statusmap.addresses.search import address_label
from statusmap.addresses.search import parse_address
from statusmap.addresses.search import place_name
from statusmap.models import Address
from statusmap.norwegian import name_key
from statusmap.norwegian import street_key
from statusmap.norwegian import street_key_prefixes


@pytest.mark.parametrize(
    ("typed", "register"),
    [
        ("storgt.", "Storgata"),
        ("STORGATA", "Storgata"),
        ("Storgaten", "Storgata"),
        ("Kirkevn.", "Kirkevegen"),
        ("kirkeveien", "Kirkevegen"),
        ("Kirkevegen", "Kirkeveien"),
        ("kirke vei", "Kirkevegen"),
        ("BJØRKEVEIEN", "Bjørkeveien"),
        ("blåbærvegen", "BLÅBÆRVEGEN"),
        ("Håkon VIIs gt.", "Haakon VIIs gate"),
        ("Nils Collett Vogts vei", "Nils-Collett Vogts vei"),
        ("Olav V's gate", "Olav Vs gate"),
        ("  Løvåsen  ", "Løvåsen"),
        ("Stórgata", "Storgata"),
    ],
)
def test_ways_of_writing_a_street_share_its_key(typed: str, register: str) -> None:
    assert street_key(typed) == street_key(register)


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Havn", "Havei"),  # a short stem is a word of its own, not a street word
        ("Storgata", "Storgate 2"),
        ("Løkka", "Lokka"),  # Ø is a letter, not an O with a stroke
        ("Åsen", "Asen"),
    ],
)
def test_different_names_keep_different_keys(one: str, other: str) -> None:
    assert street_key(one) != street_key(other)


def test_keys_are_letters_and_digits_only() -> None:
    """No SQL wildcard (%, _, *, ?, [) can come through into a LIKE or GLOB pattern."""
    assert street_key("St. Olavs % gate_*?[x]") == "stolavsgatex"
    assert name_key("MO I RANA") == "moirana"


def test_a_street_word_cut_short_also_begins_its_full_key() -> None:
    assert street_key_prefixes("Kirkevege") == ["kirkevege", "kirkevei"]
    assert "storgate" in street_key_prefixes("storga")
    assert street_key_prefixes("   ") == []


@pytest.mark.parametrize(
    ("typed", "street", "number", "letter", "postcode", "place"),
    [
        ("Storgata 12B", "storgate", 12, "B", "", ""),
        ("storgt. 12 b", "storgate", 12, "B", "", ""),
        ("STORGATA 12b", "storgate", 12, "B", "", ""),
        ("Kirkevn. 3", "kirkevei", 3, "", "", ""),
        ("  Storgata   12  B ", "storgate", 12, "B", "", ""),
        ("Storgata 12 B, 0155 Oslo", "storgate", 12, "B", "0155", "oslo"),
        ("Storgata 12B 2750 Gran", "storgate", 12, "B", "2750", "gran"),
        ("Kirkevegen 3, Gran", "kirkevei", 3, "", "", "gran"),
        ("7. juni-plassen 3", "7juniplass", 3, "", "", ""),
        ("Storgata", "storgate", None, "", "", ""),
    ],
)
def test_a_typed_address_is_taken_apart(typed, street, number, letter, postcode, place) -> None:
    query = parse_address(typed)
    assert (query.street, query.number, query.letter, query.postcode, query.place) == (
        street,
        number,
        letter,
        postcode,
        place,
    )


def test_labels_read_as_addresses_are_written() -> None:
    address = Address(street="Storgata", number=12, letter="B", postcode="0155", place="OSLO")
    assert address_label(address) == "Storgata 12 B, 0155 Oslo"
    assert place_name("MO I RANA") == "Mo i Rana"
    assert place_name("KRISTIANSAND S") == "Kristiansand S"
    assert (
        address_label(Address(street="Nordre Gran", number=None, letter="", postcode="", place=""))
        == "Nordre Gran"
    )
