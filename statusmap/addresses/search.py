"""Find an address from what a resident types: "Storgata 12B", "storgt. 12 b, 2750 Gran".

The street is compared by its search key (statusmap.norwegian.street_key), the number and
letter as given; a postcode or place after a comma narrows the answer when it matches one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy.orm import Session

from statusmap.gis.queries.address_search import addresses_on_street
from statusmap.gis.queries.address_search import addresses_on_streets_beginning
from statusmap.models import Address
from statusmap.norwegian import name_key
from statusmap.norwegian import street_key
from statusmap.norwegian import street_key_prefixes

SUGGESTIONS = 10
CANDIDATES = 20  # the most a "which one did you mean?" list shows
MAX_QUERY = 200  # characters read of a query: no street name is longer

# "Storgata 12 B", "Storgata 12b", "Storgata12-B": the street, then the number and a letter.
_HOUSE = re.compile(r"^(?P<street>.*?)[\s.-]*(?P<number>\d+)\s*-?\s*(?P<letter>[^\W\d_])?\s*$")
# "Storgata 12B 2750 Gran" (no comma): a postcode and place after the house.
_PLACE = re.compile(r"^(?P<house>.*?\d\s*[^\W\d_]?)\s+(?P<postcode>\d{4})(?P<place>(\s+\D*)?)$")


@dataclass(frozen=True)
class AddressQuery:
    """What was typed, taken apart: street key, number, letter, postcode and place."""

    street: str  # street_key of the street as typed ("" if none)
    street_typed: str  # the street as typed, for the prefix keys of one being written
    number: int | None
    number_typed: str  # the digits as typed ("" if none)
    letter: str  # upper case, "" if none
    postcode: str
    place: str  # name_key of the place


def parse_address(text: str) -> AddressQuery:
    """Take a typed address apart; whatever cannot be read as a number is part of the street."""
    house, _, after = text[:MAX_QUERY].partition(",")
    postcode_match = re.search(r"\b(\d{4})\b", after)
    postcode, place = (postcode_match.group(1) if postcode_match else ""), after
    if not after and (loose := _PLACE.match(house.strip())):
        house, postcode, place = loose["house"], loose["postcode"], loose["place"]
    place = re.sub(r"\d", "", place)
    match = _HOUSE.match(house.strip())
    if match and match["street"].strip(" .-"):
        street, digits, letter = match["street"], match["number"], match["letter"] or ""
    else:
        street, digits, letter = house, "", ""
    return AddressQuery(
        street=street_key(street),
        street_typed=street,
        number=int(digits) if digits else None,
        number_typed=digits,
        letter=letter.upper(),
        postcode=postcode,
        place=name_key(place),
    )


def find_addresses(session: Session, municipality_id: int, text: str) -> list[Address]:
    """The addresses a typed address means: one when it is clear, several to choose from, or
    none. The street's key must match whole first; a begun one ("Storg 12") is tried after."""
    query = parse_address(text)
    if not query.street:
        return []
    found = addresses_on_street(
        session, municipality_id, query.street, query.number, limit=10 * CANDIDATES
    )
    if not found and query.number is not None:
        prefixes = street_key_prefixes(query.street_typed)
        found = [
            a
            for a in addresses_on_streets_beginning(
                session, municipality_id, prefixes, query.number_typed, limit=10 * CANDIDATES
            )
            if a.number == query.number
        ]
    return _narrowed(found, query)[:CANDIDATES]


def _narrowed(found: list[Address], query: AddressQuery) -> list[Address]:
    """Keep the addresses with the letter asked for (none asked: those without a letter, if
    any), then those with the postcode and place given, when some have them."""
    if query.letter:
        found = [a for a in found if a.letter.upper() == query.letter]
    elif query.number is not None:
        found = [a for a in found if not a.letter] or found
    if query.postcode:
        found = [a for a in found if a.postcode == query.postcode] or found
    if query.place:
        found = [a for a in found if name_key(a.place) == query.place] or found
    return found


def suggest_addresses(session: Session, municipality_id: int, text: str) -> list[Address]:
    """Up to ten addresses that what is being typed may become, the likeliest first."""
    query = parse_address(text)
    prefixes = street_key_prefixes(query.street_typed)
    found = addresses_on_streets_beginning(
        session, municipality_id, prefixes, query.number_typed, limit=10 * SUGGESTIONS
    )
    return _narrowed_letter(found, query)[:SUGGESTIONS]


def _narrowed_letter(found: list[Address], query: AddressQuery) -> list[Address]:
    if query.letter:
        return [a for a in found if a.letter.upper() == query.letter]
    return found


def address_label(address: Address) -> str:
    """The address as a list shows it: "Storgata 12 B, 2750 Gran"."""
    house = " ".join(part for part in (str(address.number or ""), address.letter) if part)
    street = f"{address.street} {house}".strip()
    place = f"{address.postcode} {place_name(address.place)}".strip()
    return f"{street}, {place}" if place else street


_SMALL_WORDS = {"i", "på", "og", "ved"}


def place_name(place: str) -> str:
    """A post town as people write it: the register's "MO I RANA" as "Mo i Rana"."""
    words = place.lower().split()
    return " ".join(
        word
        if index and word in _SMALL_WORDS
        else "-".join(p.capitalize() for p in word.split("-"))
        for index, word in enumerate(words)
    )
