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
    assert address.location.x == pytest.approx(8.06778, abs=0.0001)
    assert address.location.y == pytest.approx(58.15059, abs=0.0001)


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
    fields = second.split(";")
    for index in (7, 10, 11, 14, 15):  # adressenavn, gnr, bnr, adresseTekst (both forms)
        fields[index] = ""
    no_street = ";".join(fields)
    not_a_number = third.replace(";6466377.9;", ";nord;")
    path = tmp_path / "mixed.csv"
    path.write_text(
        "\n".join([header, stockholm, no_street, not_a_number, fourth]) + "\n", encoding="utf-8"
    )
    summary = import_addresses(session, kristiansand, path, actor="test")
    assert summary.inserted == 1
    assert dict(summary.rejected) == {
        2: "outside Norway",
        3: "no street name, address text or gnr/bnr",
        4: "coordinates (Nord/Øst) missing or not numbers",
    }


def _postcode(session, source_id: str = "219136687") -> str:
    return session.scalar(select(Address.postcode).where(Address.source_id == source_id))


def test_malformed_csv_changes_nothing(session, tmp_path: Path) -> None:
    kristiansand = make_municipality(session)
    import_addresses(session, kristiansand, SAMPLE, actor="test")
    comma = tmp_path / "comma.csv"
    comma.write_text(SAMPLE.read_text(encoding="utf-8").replace(";", ","), encoding="utf-8")
    with pytest.raises(AddressFileError, match="semicolon-separated"):
        import_addresses(session, kristiansand, comma, actor="test")
    latin1 = tmp_path / "latin1.csv"
    latin1.write_bytes(SAMPLE.read_text(encoding="utf-8").encode("latin-1"))
    with pytest.raises(AddressFileError, match="not UTF-8"):
        import_addresses(session, kristiansand, latin1, actor="test")
    header_only = tmp_path / "header.csv"
    header_only.write_text(SAMPLE.read_text(encoding="utf-8").splitlines()[0] + "\n")
    with pytest.raises(AddressFileError, match="holds no address rows"):
        import_addresses(session, kristiansand, header_only, actor="test")
    assert _count(session, kristiansand) == 47
    assert _postcode(session) == "4638"


def test_rows_of_other_municipalities_are_skipped_and_counted(session, tmp_path: Path) -> None:
    """A national file: only the chosen municipality's rows are read, the rest counted."""
    import statusmap.addresses.reader as reader

    other = make_municipality(session, slug="annen", kommunenummer="4201")
    # A file with no row of this municipality is the wrong file (or municipality): refused.
    with pytest.raises(AddressFileError, match="all its 47 rows belong to kommunenummer 4204"):
        import_addresses(session, other, SAMPLE, actor="test")
    rows = _rows()
    mixed = [
        r.replace(";4204;KRISTIANSAND;", ";4201;RISØR;") if i % 2 else r for i, r in enumerate(rows)
    ]
    kristiansand = make_municipality(session)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(reader, "CHUNK_ROWS", 10)  # several chunks, as a national file has
        summary = import_addresses(session, kristiansand, _write(tmp_path, mixed), actor="test")
    assert (summary.read, summary.other_municipalities, summary.inserted) == (47, 23, 24)


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


def _write(tmp_path: Path, rows: list[str]) -> Path:
    header = SAMPLE.read_text(encoding="utf-8").splitlines()[0]
    path = tmp_path / "rows.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def _rows() -> list[str]:
    return SAMPLE.read_text(encoding="utf-8").splitlines()[1:]


def test_every_rejection_names_its_line_and_reason(session, tmp_path: Path) -> None:
    kristiansand = make_municipality(session)
    rows = _rows()
    first_id = rows[0].split(";")[0]
    bad_copy = rows[0].replace(";25833;", ";9999;")  # unknown EPSG, same lokalid as the next row
    good = rows[0]
    long_letter = rows[1].replace(";Tyrihansveien;36;;", ";Tyrihansveien;36;ABCDE;")
    long_postcode = rows[2].replace(";4638;", ";46380;")
    far = rows[3].replace("6466358.75;92376.15", "6646358.75;92376.15")  # 180 km north: Norway
    duplicate = rows[4].replace(rows[4].split(";")[0], first_id, 1)
    path = _write(tmp_path, [bad_copy, good, long_letter, long_postcode, far, duplicate])
    summary = import_addresses(session, kristiansand, path, actor="test")
    assert summary.inserted == 1, "the good row survives a bad row with the same lokalid"
    assert dict(summary.rejected) == {
        2: "unknown coordinate system (EPSG-kode)",
        4: "bokstav longer than 4 characters",
        5: "postcode (postnummer) is not four digits",
        6: "more than 2000 m outside the municipality",
        7: "duplicate identifier (lokalid) in the file",
    }


def test_matrikkel_addresses_without_a_street_are_kept(session, tmp_path: Path) -> None:
    kristiansand = make_municipality(session)
    fields = _rows()[0].split(";")
    fields[3], fields[4], fields[7], fields[8] = "matrikkeladresse", "Nedre Gård", "", ""
    fields[14] = fields[15] = "Nedre Gård"
    summary = import_addresses(
        session, kristiansand, _write(tmp_path, [";".join(fields)]), actor="test"
    )
    assert summary.inserted == 1, summary.rejected
    address = session.scalar(select(Address).where(Address.source_id == fields[0]))
    assert (address.street, address.number) == ("Nedre Gård", None)


def test_dwellings_are_unknown_unless_the_file_says(session) -> None:
    kristiansand = make_municipality(session)
    import_addresses(session, kristiansand, SAMPLE, actor="test")
    assert (
        session.scalar(
            select(func.count(Address.id)).where(
                Address.municipality_id == kristiansand.id, Address.dwellings.is_not(None)
            )
        )
        == 0
    )
    from statusmap.gis.queries.addresses import count_addresses_in_area
    from tests.factories import KRISTIANSAND_BOX

    count = count_addresses_in_area(session, kristiansand.id, KRISTIANSAND_BOX)
    assert (count.addresses, count.unknown_dwellings, count.dwellings_known) == (47, 47, False)


def test_numbers_must_be_whole_and_fit(session, tmp_path: Path) -> None:
    """12.5, inf or 10^11 as a house number is one rejected row, not a failed import."""
    kristiansand = make_municipality(session)
    rows = _rows()
    bad = [
        rows[0].replace(";Tyrihansveien;38;", ";Tyrihansveien;12.5;"),
        rows[1].replace(";Tyrihansveien;36;", ";Tyrihansveien;inf;"),
        rows[2].replace(";Tyrihansveien;34;", ";Tyrihansveien;99999999999;"),
        rows[3],
    ]
    summary = import_addresses(session, kristiansand, _write(tmp_path, bad), actor="test")
    assert summary.inserted == 1
    assert {reason for _, reason in summary.rejected} == {
        "house number (nummer) is not a whole number"
    }


def test_a_row_with_a_stray_separator_fails_the_file(session, tmp_path: Path) -> None:
    """An unquoted ';' would shift columns; anywhere in the file it stops the whole import.

    The file is read in chunks (as a national file is): the good changes in the chunks before
    the bad row must not be stored either.
    """
    import statusmap.addresses.reader as reader

    kristiansand = make_municipality(session)
    import_addresses(session, kristiansand, SAMPLE, actor="test")
    changed = [row.replace(";4638;KRISTIANSAND S;", ";4639;KRS;") for row in _rows()]
    for position in (0, 35):
        shifted = list(changed)
        shifted[position] = _rows()[position].replace(";KRISTIANSAND S;", ";KRISTIANSAND;S;")
        with (
            pytest.MonkeyPatch.context() as patch,
            pytest.raises(AddressFileError, match="semicolon-separated"),
        ):
            patch.setattr(reader, "CHUNK_ROWS", 10)
            import_addresses(session, kristiansand, _write(tmp_path, shifted), actor="test")
    assert _count(session, kristiansand) == 47
    assert _postcode(session) == "4638", "rows before the bad one were not stored"


def _csv(tmp_path: Path, frame, name: str) -> Path:
    path = tmp_path / name
    frame.to_csv(path, sep=";", index=False)
    return path


def _sample_frame():
    import pandas as pd

    return pd.read_csv(SAMPLE, sep=";", dtype=str, keep_default_na=False)


def test_reimport_changes_only_what_the_file_says(session, tmp_path: Path) -> None:
    """A file without the optional columns leaves dwellings, postcode and place as they were."""
    kristiansand = make_municipality(session)
    full = _sample_frame()
    full["bruksenheter"] = "3"
    import_addresses(session, kristiansand, _csv(tmp_path, full, "full.csv"), actor="test")
    lean = _sample_frame().drop(columns=["postnummer", "poststed"])
    lean["adressenavn"] = lean["adressenavn"].str.replace("Tyrihansveien", "Tyrihansvegen")
    summary = import_addresses(
        session, kristiansand, _csv(tmp_path, lean, "lean.csv"), actor="test"
    )
    assert summary.updated == 47
    address = session.scalar(select(Address).where(Address.source_id == "219136687"))
    assert address.street == "Tyrihansvegen", "what the file says is updated"
    assert (address.dwellings, address.postcode, address.place) == (3, "4638", "KRISTIANSAND S")


def test_a_complete_file_retires_addresses_it_no_longer_has(session, tmp_path: Path) -> None:
    from statusmap.gis.queries.addresses import count_addresses_in_area
    from tests.factories import KRISTIANSAND_BOX

    kristiansand = make_municipality(session)
    import_addresses(session, kristiansand, SAMPLE, actor="test")
    fewer = _csv(tmp_path, _sample_frame().iloc[:40], "fewer.csv")
    partial = import_addresses(session, kristiansand, fewer, actor="test")
    assert partial.retired == 0, "a file is partial unless the caller says it is complete"
    complete = import_addresses(session, kristiansand, fewer, actor="test", retire_missing=True)
    assert (complete.updated, complete.retired) == (40, 7)
    assert count_addresses_in_area(session, kristiansand.id, KRISTIANSAND_BOX).addresses == 40
    assert _count(session, kristiansand) == 47, "retired addresses are kept for history"
    again = import_addresses(session, kristiansand, SAMPLE, actor="test", retire_missing=True)
    assert (again.updated, again.retired) == (47, 0)
    assert count_addresses_in_area(session, kristiansand.id, KRISTIANSAND_BOX).addresses == 47


def test_a_complete_file_without_a_usable_row_retires_nothing(session, tmp_path: Path) -> None:
    kristiansand = make_municipality(session)
    import_addresses(session, kristiansand, SAMPLE, actor="test")
    broken = _sample_frame()
    broken["EPSG-kode"] = "9999"
    path = _csv(tmp_path, broken, "broken.csv")
    with pytest.raises(AddressFileError, match="refusing to retire"):
        import_addresses(session, kristiansand, path, actor="test", retire_missing=True)
    retired = select(func.count(Address.id)).where(Address.retired_at.is_not(None))
    assert session.scalar(retired) == 0


def test_heights_in_a_vector_file_are_dropped_and_said(session, tmp_path: Path) -> None:
    import geopandas as gpd

    table = _sample_frame()
    frame = gpd.GeoDataFrame(
        table[["lokalid", "kommunenummer", "adressenavn", "nummer", "bokstav"]],
        geometry=gpd.points_from_xy(
            table["Øst"].astype(float), table["Nord"].astype(float), [120.5] * len(table)
        ),
        crs=25833,
    )
    frame.to_file(tmp_path / "z.geojson")
    kristiansand = make_municipality(session)
    summary = import_addresses(session, kristiansand, tmp_path / "z.geojson", actor="test")
    assert summary.imported == 47
    assert any("Z coordinates" in note for note in summary.notes)
    address = session.scalar(select(Address).where(Address.source_id == "219136687"))
    assert not address.location.has_z


def test_a_complete_file_that_lacks_too_much_is_refused_unless_allowed(
    session, tmp_path: Path
) -> None:
    """A truncated download must not retire most of the municipality."""
    kristiansand = make_municipality(session)
    import_addresses(session, kristiansand, SAMPLE, actor="test")
    truncated = _csv(tmp_path, _sample_frame().iloc[:20], "truncated.csv")  # lacks 27 of 47
    with pytest.raises(AddressFileError, match="lacks 27 of the 47 current addresses"):
        import_addresses(session, kristiansand, truncated, actor="test", retire_missing=True)
    retired = select(func.count(Address.id)).where(Address.retired_at.is_not(None))
    assert session.scalar(retired) == 0
    summary = import_addresses(
        session, kristiansand, truncated, actor="test", retire_missing=True, allow_mass_retire=True
    )
    assert summary.retired == 27
