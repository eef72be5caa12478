"""Who an area affects: the editor's live count, and the address list as CSV for Excel.

Pure: callers pass what the queries found (`gis.queries.addresses.count_addresses_in_area`,
`addresses_in_area`, `gis.queries.affected.vulnerable_in_area`). No Flask, so the category names
live here in nb, nn and en rather than in the web catalogues.

The CSV is written for Excel with Norwegian regional settings, the spreadsheet a utility's
customer service opens it in: UTF-8 with a byte order mark (without one Excel reads Æ, Ø, Å as
two characters each), `;` between fields (Excel's list separator where the decimal mark is a
comma), CRLF line ends. No `sep=;` line: with one Excel ignores the byte order mark.

- Coordinates are given, with a decimal comma and six decimals (about 0.1 m), because an address
  without a street number (a cabin, a farm by gnr/bnr) is found by them. Norwegian Excel reads
  "60,312345" as a number; "60.312345" it would keep as text or turn into a date. They follow the
  settings, not the header language: the `;` already assumes them.
- Numbers (house number, dwellings) are plain digits; an unknown dwelling count is an empty cell,
  never 0. Excel drops the leading zero of a postcode such as 0150 in its own column; the address
  column carries the whole label ("Storgata 1, 0150 OSLO") as text, so nothing is lost.
- Text cells that Excel would read as a formula (starting with = + - @, a tab or a carriage
  return) get a leading apostrophe (CSV injection). Numbers we format ourselves are left alone:
  a longitude west of Greenwich (Jan Mayen) starts with "-" and is still a number.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from dataclasses import field
from typing import Any

from statusmap.gis.queries.addresses import AddressCount
from statusmap.models import Address
from statusmap.models import VulnerableCategory

CATEGORY_LABELS: dict[VulnerableCategory, dict[str, str]] = {
    VulnerableCategory.NURSING_HOME: {"nb": "Sykehjem", "nn": "Sjukeheim", "en": "Nursing home"},
    VulnerableCategory.KINDERGARTEN: {"nb": "Barnehage", "nn": "Barnehage", "en": "Kindergarten"},
    VulnerableCategory.SCHOOL: {"nb": "Skole", "nn": "Skule", "en": "School"},
    VulnerableCategory.FOOD_BUSINESS: {
        "nb": "Næringsmiddelvirksomhet",
        "nn": "Næringsmiddelverksemd",
        "en": "Food business",
    },
    VulnerableCategory.DIALYSIS: {
        "nb": "Dialysepasient",
        "nn": "Dialysepasient",
        "en": "Dialysis patient",
    },
    VulnerableCategory.OTHER: {
        "nb": "Annen sårbar abonnent",
        "nn": "Anna sårbar abonnent",
        "en": "Other vulnerable subscriber",
    },
}

CSV_HEADERS = {
    "nb": (
        "Adresse", "Gatenavn", "Husnummer", "Bokstav", "Postnummer", "Poststed", "Boenheter",
        "Sårbar kategori", "Sårbar abonnent", "Breddegrad", "Lengdegrad", "Adresse-ID",
    ),
    "nn": (
        "Adresse", "Gatenamn", "Husnummer", "Bokstav", "Postnummer", "Poststad", "Bueiningar",
        "Sårbar kategori", "Sårbar abonnent", "Breiddegrad", "Lengdegrad", "Adresse-ID",
    ),
    "en": (
        "Address", "Street", "House number", "Letter", "Postcode", "Post town", "Dwellings",
        "Vulnerable category", "Vulnerable subscriber", "Latitude", "Longitude", "Address ID",
    ),
}  # fmt: skip

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _language(language: str) -> str:
    if language not in CSV_HEADERS:
        raise ValueError(f"unknown language {language!r} (known: {', '.join(CSV_HEADERS)})")
    return language


def category_label(category: VulnerableCategory, language: str) -> str:
    """The name of a vulnerable category in nb, nn or en."""
    return CATEGORY_LABELS[category][_language(language)]


@dataclass(frozen=True)
class VulnerableSubscriber:
    """One flagged subscriber, as the editor lists it."""

    address_id: int
    category: VulnerableCategory
    name: str
    address: str  # the address label: 'Storgata 12B, 2750 GRAN'


@dataclass(frozen=True)
class AffectedSummary:
    """What an area holds: the counts, and the vulnerable subscribers by category (fixed order)."""

    count: AddressCount
    vulnerable: dict[VulnerableCategory, list[VulnerableSubscriber]] = field(default_factory=dict)

    @classmethod
    def build(cls, count: AddressCount, vulnerable: Iterable[Address]) -> AffectedSummary:
        """Group flagged addresses by category, in the enum's order, keeping each group's order."""
        groups: dict[VulnerableCategory, list[VulnerableSubscriber]] = {
            category: [] for category in VulnerableCategory
        }
        for address in vulnerable:
            if address.vulnerable_category is None:
                continue
            groups[address.vulnerable_category].append(
                VulnerableSubscriber(
                    address.id, address.vulnerable_category, address.vulnerable_name, address.label
                )
            )
        return cls(count, {category: found for category, found in groups.items() if found})

    def to_json(self, language: str = "nb") -> dict[str, Any]:
        """The live count for the editor: counts, dwellings and whom they miss, the vulnerable."""
        return {
            "addresses": self.count.addresses,
            "dwellings": {
                "total": self.count.dwellings,  # over the addresses whose count is known
                "complete": self.count.dwellings_known,
                "unknown_for_addresses": self.count.unknown_dwellings,
            },
            "vulnerable": {
                "total": sum(len(found) for found in self.vulnerable.values()),
                "categories": [
                    {
                        "category": category.value,
                        "label": category_label(category, language),
                        "count": len(found),
                        "subscribers": [
                            {"address_id": s.address_id, "name": s.name, "address": s.address}
                            for s in found
                        ],
                    }
                    for category, found in self.vulnerable.items()
                ],
            },
        }


def _text(value: str) -> str:
    """A text cell Excel will not run as a formula."""
    return f"'{value}" if value.startswith(_FORMULA_STARTS) else value


def _decimal_comma(value: float) -> str:
    return f"{value:.6f}".replace(".", ",")


def _row(address: Address, language: str) -> list[str]:
    category = address.vulnerable_category
    # An address is a point: its bounds are (lon, lat, lon, lat).
    lon, lat = address.location.bounds[:2]
    return [
        _text(address.label),
        _text(address.street),
        "" if address.number is None else str(address.number),
        _text(address.letter),
        _text(address.postcode),
        _text(address.place),
        "" if address.dwellings is None else str(address.dwellings),
        category_label(category, language) if category else "",
        _text(address.vulnerable_name) if category else "",
        _decimal_comma(lat),
        _decimal_comma(lon),
        _text(address.source_id),
    ]


def affected_csv(addresses: Iterable[Address], language: str = "nb") -> bytes:
    """The addresses as CSV for Excel (UTF-8 with BOM, `;`, CRLF), headed in nb, nn or en."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_HEADERS[_language(language)])
    writer.writerows(_row(address, language) for address in addresses)
    return out.getvalue().encode("utf-8-sig")
