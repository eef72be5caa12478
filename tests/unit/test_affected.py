"""Affected addresses: the editor's live count and the CSV export, read back as Excel would."""

from __future__ import annotations

import csv
import io

import pytest
from shapely.geometry import Point

from statusmap.gis.queries.addresses import AddressCount
from statusmap.incidents.affected import AffectedSummary
from statusmap.incidents.affected import affected_csv
from statusmap.models import Address
from statusmap.models import VulnerableCategory


def _address(
    address_id: int,
    street: str,
    number: int | None = 1,
    *,
    letter: str = "",
    postcode: str = "2750",
    place: str = "GRAN",
    dwellings: int | None = 1,
    category: VulnerableCategory | None = None,
    name: str = "",
    lon: float = 10.558,
    lat: float = 60.356,
) -> Address:
    return Address(
        id=address_id,
        source_id=f"99000{address_id:04d}",
        street=street,
        number=number,
        letter=letter,
        postcode=postcode,
        place=place,
        dwellings=dwellings,
        vulnerable_category=category,
        vulnerable_name=name,
        location=Point(lon, lat),
    )


ADDRESSES = [
    _address(1, "Ærfuglvegen", 3, letter="B", dwellings=4),
    _address(2, "Østre gate", 12, dwellings=None),
    _address(3, "Åsvegen", 7, category=VulnerableCategory.NURSING_HOME, name="Kløverhagen, Bærås"),
    _address(4, "Bakkevegen", None, postcode="0150", place="OSLO", lon=-8.123456, lat=71.0),
]


def _read(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))


def test_csv_starts_with_a_bom_and_ends_lines_with_crlf() -> None:
    data = affected_csv(ADDRESSES)
    assert data[:3] == b"\xef\xbb\xbf"
    lines = data[3:].split(b"\r\n")
    assert len(lines) == len(ADDRESSES) + 2 and lines[-1] == b""
    assert b"\n" not in b"".join(lines)


def test_norwegian_letters_come_back_intact() -> None:
    rows = _read(affected_csv(ADDRESSES))
    assert rows[1][:6] == ["Ærfuglvegen 3B, 2750 GRAN", "Ærfuglvegen", "3", "B", "2750", "GRAN"]
    assert rows[2][1] == "Østre gate"
    assert rows[3][1] == "Åsvegen"
    assert rows[3][7:9] == ["Sykehjem", "Kløverhagen, Bærås"]
    assert rows[0][7] == "Sårbar kategori"


@pytest.mark.parametrize(
    ("language", "header"),
    [
        (
            "nb",
            "Adresse;Gatenavn;Husnummer;Bokstav;Postnummer;Poststed;Boenheter;Sårbar kategori;"
            "Sårbar abonnent;Breddegrad;Lengdegrad;Adresse-ID",
        ),
        (
            "nn",
            "Adresse;Gatenamn;Husnummer;Bokstav;Postnummer;Poststad;Bueiningar;Sårbar kategori;"
            "Sårbar abonnent;Breiddegrad;Lengdegrad;Adresse-ID",
        ),
        (
            "en",
            "Address;Street;House number;Letter;Postcode;Post town;Dwellings;Vulnerable category;"
            "Vulnerable subscriber;Latitude;Longitude;Address ID",
        ),
    ],
)
def test_header_and_category_in_the_chosen_language(language: str, header: str) -> None:
    rows = _read(affected_csv(ADDRESSES, language))
    assert ";".join(rows[0]) == header
    assert rows[3][7] == {"nb": "Sykehjem", "nn": "Sjukeheim", "en": "Nursing home"}[language]
    assert all(len(row) == len(rows[0]) for row in rows)


def test_bokmal_is_the_default_and_other_languages_are_refused() -> None:
    assert affected_csv(ADDRESSES) == affected_csv(ADDRESSES, "nb")
    with pytest.raises(ValueError, match="unknown language 'de'"):
        affected_csv(ADDRESSES, "de")


def test_numbers_are_digits_and_unknown_is_empty() -> None:
    rows = _read(affected_csv(ADDRESSES))
    assert rows[1][6] == "4"
    assert rows[2][6] == "", "an unknown dwelling count is not 0"
    assert rows[4][2] == "", "no house number"
    assert rows[4][4] == "0150", "the postcode keeps its leading zero in the file"
    assert rows[4][0] == "Bakkevegen, 0150 OSLO"


def test_coordinates_use_a_decimal_comma_and_stay_numbers() -> None:
    rows = _read(affected_csv(ADDRESSES))
    assert rows[1][9:11] == ["60,356000", "10,558000"]
    # West of Greenwich (Jan Mayen): a number, not a text guarded against formulas.
    assert rows[4][9:11] == ["71,000000", "-8,123456"]


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_cells_excel_would_run_as_formulas_get_an_apostrophe(start: str) -> None:
    payload = f'{start}HYPERLINK("http://evil.invalid";"klikk")'
    evil = _address(9, "Storgata", category=VulnerableCategory.OTHER, name=payload)
    row = _read(affected_csv([evil]))[1]
    assert row[8] == f"'{payload}"
    assert row[0] == "Storgata 1, 2750 GRAN", "ordinary text is left as it is"


def test_a_name_with_separators_and_quotes_stays_one_cell() -> None:
    tricky = _address(
        9, "Storgata", category=VulnerableCategory.OTHER, name='Kafé "Gata"; 2. etg.\nBakdør'
    )
    row = _read(affected_csv([tricky]))[1]
    assert len(row) == 12
    assert row[8] == 'Kafé "Gata"; 2. etg.\nBakdør'


def test_summary_groups_the_vulnerable_in_the_fixed_category_order() -> None:
    flagged = [
        _address(11, "Skolegata", 2, category=VulnerableCategory.SCHOOL, name="Gran skole"),
        _address(12, "Åsvegen", 7, category=VulnerableCategory.NURSING_HOME, name="Åsheim"),
        _address(13, "Bakkevegen", 1, category=VulnerableCategory.NURSING_HOME, name="Solstua"),
        _address(14, "Elvegata", 4, category=VulnerableCategory.DIALYSIS, name="Hjemmedialyse"),
    ]
    count = AddressCount(addresses=40, dwellings=55, vulnerable=4, unknown_dwellings=3)
    summary = AffectedSummary.build(count, flagged).to_json("nn")
    assert summary["addresses"] == 40
    assert summary["dwellings"] == {"total": 55, "complete": False, "unknown_for_addresses": 3}
    categories = summary["vulnerable"]["categories"]
    assert [c["category"] for c in categories] == ["nursing_home", "school", "dialysis"]
    assert [c["label"] for c in categories] == ["Sjukeheim", "Skule", "Dialysepasient"]
    assert [c["count"] for c in categories] == [2, 1, 1]
    assert summary["vulnerable"]["total"] == 4
    assert categories[0]["subscribers"] == [
        {"address_id": 12, "name": "Åsheim", "address": "Åsvegen 7, 2750 GRAN"},
        {"address_id": 13, "name": "Solstua", "address": "Bakkevegen 1, 2750 GRAN"},
    ], "each group keeps the order it was given in"


def test_summary_of_an_area_without_vulnerable_subscribers() -> None:
    summary = AffectedSummary.build(AddressCount(3, 5, 0), ADDRESSES[:2]).to_json()
    assert summary["vulnerable"] == {"total": 0, "categories": []}
    assert summary["dwellings"]["complete"] is True
