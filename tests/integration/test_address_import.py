"""Importing Kartverket's address download: real rows, re-imports, bad files, all-or-nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func
from sqlalchemy import select

from statusmap.addresses.importer import import_addresses
from statusmap.addresses.reader import AddressFileError
from statusmap.models import Address
from tests.conftest import DATA
from tests.factories import make_municipality

SAMPLE = DATA / "matrikkelen-adresse-sample.csv"


def _count(session, municipality) -> int:
    return session.scalar(
        select(func.count(Address.id)).where(Address.municipality_id == municipality.id)
    )


def test_real_kartverket_rows_are_imported_and_reprojected(session) -> None:
    kristiansand = make_municipality(session)
    summary = import_addresses(session, kristiansand, SAMPLE, actor="test")
    assert (summary.read, summary.inserted, summary.updated, summary.rejected) == (47, 47, 0, [])
    address = session.scalar(select(Address).where(Address.source_id == "219136687"))
    assert address.label == "Tyrihansveien 38, 4638 KRISTIANSAND S"
    # Nord 6466460.67 / Øst 92406.38 in EPSG:25833 (far west of zone 33) is 8.0678 E, 58.1506 N.
    assert address.lon == pytest.approx(8.06778, abs=0.0001)
    assert address.lat == pytest.approx(58.15059, abs=0.0001)
    assert address.location.x == address.lon


def test_reimport_updates_rather_than_duplicates(session, tmp_path: Path) -> None:
    kristiansand = make_municipality(session)
    import_addresses(session, kristiansand, SAMPLE, actor="test")
    changed = tmp_path / "changed.csv"
    text = SAMPLE.read_text(encoding="utf-8").replace(";4638;KRISTIANSAND S;", ";4639;KRS;", 1)
    changed.write_text(text, encoding="utf-8")
    summary = import_addresses(session, kristiansand, changed, actor="test")
    assert (summary.inserted, summary.updated) == (0, 47)
    assert _count(session, kristiansand) == 47
    assert (
        session.scalar(select(Address.postcode).where(Address.source_id == "219136687")) == "4639"
    )


def test_rows_that_cannot_be_used_are_rejected_with_reasons(session, tmp_path: Path) -> None:
    kristiansand = make_municipality(session)
    lines = SAMPLE.read_text(encoding="utf-8").splitlines()
    header, first, second, third, fourth = lines[:5]
    stockholm = first.replace("6466460.67;92406.38", "6580000.00;674000.00")  # UTM 33 in Sweden
    no_street = second.replace(";Tyrihansveien;36;", ";;36;")
    not_a_number = third.replace(";6466377.9;", ";nord;")
    path = tmp_path / "mixed.csv"
    path.write_text(
        "\n".join([header, stockholm, no_street, not_a_number, fourth]) + "\n", encoding="utf-8"
    )
    summary = import_addresses(session, kristiansand, path, actor="test")
    assert summary.inserted == 1
    assert dict(summary.rejected) == {
        2: "outside Norway",
        3: "no street name (adressenavn)",
        4: "coordinates (Nord/Øst) missing or not numbers",
    }


def test_malformed_csv_changes_nothing(session, tmp_path: Path) -> None:
    kristiansand = make_municipality(session)
    comma = tmp_path / "comma.csv"
    comma.write_text(SAMPLE.read_text(encoding="utf-8").replace(";", ","), encoding="utf-8")
    with pytest.raises(AddressFileError, match="semicolon-separated"):
        import_addresses(session, kristiansand, comma, actor="test")
    latin1 = tmp_path / "latin1.csv"
    latin1.write_bytes(SAMPLE.read_text(encoding="utf-8").encode("latin-1"))
    with pytest.raises(AddressFileError, match="not UTF-8"):
        import_addresses(session, kristiansand, latin1, actor="test")
    assert _count(session, kristiansand) == 0


def test_addresses_of_another_municipality_are_rejected(session) -> None:
    other = make_municipality(session, slug="annen", kommunenummer="4201")
    summary = import_addresses(session, other, SAMPLE, actor="test")
    assert summary.inserted == 0
    assert {reason for _, reason in summary.rejected} == {
        "belongs to another municipality (not 4201)"
    }


def test_geopackage_and_geojson_are_read_too(session, tmp_path: Path) -> None:
    import geopandas as gpd
    import pandas as pd

    table = pd.read_csv(SAMPLE, sep=";", dtype=str, keep_default_na=False)
    frame = gpd.GeoDataFrame(
        table[
            [
                "lokalid",
                "kommunenummer",
                "adressenavn",
                "nummer",
                "bokstav",
                "postnummer",
                "poststed",
            ]
        ],
        geometry=gpd.points_from_xy(table["Øst"].astype(float), table["Nord"].astype(float)),
        crs=25833,
    )
    kristiansand = make_municipality(session)
    for name in ("addresses.gpkg", "addresses.geojson"):
        frame.to_file(tmp_path / name)
        summary = import_addresses(session, kristiansand, tmp_path / name, actor="test")
        assert summary.imported == 47, summary.rejected
    assert _count(session, kristiansand) == 47
