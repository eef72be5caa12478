"""Import an address download into one municipality: check rows, reproject, upsert; all or nothing.

Rows that cannot be used (no street, bad coordinates, outside the municipality, duplicates) are
rejected with a reason and reported; a file that cannot be read at all imports nothing. The caller
commits, so any failure part way leaves the database as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import shapely
from pyproj import Transformer
from sqlalchemy import insert
from sqlalchemy import select
from sqlalchemy import update
from sqlalchemy.orm import Session

from statusmap.addresses.reader import AddressFileError
from statusmap.addresses.reader import read_address_file
from statusmap.gis.crs import to_utm
from statusmap.gis.validation import NORWAY_EXTENTS
from statusmap.models import Address
from statusmap.models import Municipality
from statusmap.models.audit import record
from statusmap.models.base import utcnow

# Called as progress(rows_just_written, rows_to_write_in_all).
Progress = Callable[[int, int], None]
ACCEPTED_EPSG = {4258, 4326, 25832, 25833, 25835}
BATCH = 2000


@dataclass
class ImportSummary:
    """What an import did: rows read, inserted, updated, and rejected with reasons."""

    read: int = 0
    other_municipalities: int = 0  # rows for other municipalities, skipped (national files)
    inserted: int = 0
    updated: int = 0
    retired: int = 0  # known addresses the (complete) file no longer has
    rejected: list[tuple[int, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def imported(self) -> int:
        """Rows that were inserted or updated."""
        return self.inserted + self.updated


def import_addresses(
    session: Session,
    municipality: Municipality,
    path: Path,
    *,
    actor: str,
    tolerance_m: float = 2000.0,
    progress: Progress | None = None,
    retire_missing: bool = False,
) -> ImportSummary:
    """Import an address file into a municipality; raise AddressFileError if it is unreadable.

    A re-import changes only what the file says: a column the file lacks leaves that field of
    known addresses as it was. With retire_missing (the file is the municipality's whole
    download), known addresses absent from the file are retired: kept, but no longer counted.
    """
    table = read_address_file(path, kommunenummer=municipality.kommunenummer)
    if table.read == 0:
        raise AddressFileError(f"{path.name} holds no address rows.")
    summary = ImportSummary(read=table.read, other_municipalities=table.other_municipalities)
    summary.notes.extend(table.notes)
    table.rows["source_id"] = _source_ids(table.rows)
    rows = _clean_rows(table.rows, municipality, tolerance_m, summary)
    if retire_missing and rows.empty:
        raise AddressFileError(
            f"{path.name} has no usable address of {municipality.name_in('nb')}; "
            "refusing to retire every address."
        )
    _upsert(session, municipality, rows, summary, progress)
    if retire_missing:
        summary.retired = _retire_missing(session, municipality, set(table.rows["source_id"]))
    record(
        session,
        actor=actor,
        action="import_addresses",
        obj=municipality,
        municipality_id=municipality.id,
        file=path.name,
        read=summary.read,
        inserted=summary.inserted,
        updated=summary.updated,
        retired=summary.retired,
        rejected=len(summary.rejected),
        other_municipalities=summary.other_municipalities,
    )
    return summary


def _clean_rows(
    table: pd.DataFrame, municipality: Municipality, tolerance_m: float, summary: ImportSummary
) -> pd.DataFrame:
    """Parse and check every row; keep the good ones, record the reason for each bad one."""
    table = table.copy()
    table["reason"] = ""
    _set_street(table)
    _reject(table, table["source_id"] == "", "no identifier (lokalid)")
    table["number_value"] = _whole_numbers(
        table, _column(table, "nummer"), "house number (nummer) is not a whole number"
    )
    _set_postcode_and_place(table)
    _check_lengths(table)
    _set_dwellings(table)
    _place_points(table, municipality, tolerance_m)
    valid = (table["reason"] == "").to_numpy()
    duplicate = table["source_id"].where(valid).duplicated(keep="first").to_numpy() & valid
    _reject(table, duplicate, "duplicate identifier (lokalid) in the file")
    bad = table["reason"] != ""
    summary.rejected.extend(
        (int(line), str(reason))
        for line, reason in zip(table.loc[bad, "line"], table.loc[bad, "reason"], strict=True)
    )
    return table.loc[~bad]


def _column(table: pd.DataFrame, name: str) -> pd.Series:
    """A text column, stripped; empty strings where the file lacks it."""
    if name not in table.columns:
        return pd.Series([""] * len(table), index=table.index, dtype=str)
    return table[name].fillna("").astype(str).str.strip()


def _set_street(table: pd.DataFrame) -> None:
    """Street name; for matrikkeladresser (no street) the farm name or gnr/bnr instead."""
    street = _column(table, "adressenavn")
    farm = _column(table, "adressetilleggsnavn")
    text = _column(table, "adresseTekst")
    gnr, bnr = _column(table, "gardsnummer"), _column(table, "bruksnummer")
    cadastral = (gnr + "/" + bnr).where((gnr != "") & (bnr != ""), "")
    for fallback in (farm, text, cadastral):
        street = street.where(street != "", fallback)
    table["street"] = street
    _reject(table, street == "", "no street name, address text or gnr/bnr")


def _set_postcode_and_place(table: pd.DataFrame) -> None:
    postcode = _column(table, "postnummer")
    digits = postcode.str.fullmatch(r"\d{1,4}")
    _reject(table, (postcode != "") & ~digits, "postcode (postnummer) is not four digits")
    table["postcode"] = postcode.where(~digits, postcode.str.zfill(4))
    table["place"] = _column(table, "poststed")


# Column widths of the address table; a longer value is refused here, not by the database.
LIMITS = {"street": 200, "bokstav": 4, "place": 100, "source_id": 64}


def _check_lengths(table: pd.DataFrame) -> None:
    for column, limit in LIMITS.items():
        too_long = _column(table, column).str.len() > limit
        _reject(table, too_long, f"{column} longer than {limit} characters")


def _reject(table: pd.DataFrame, mask: Any, reason: str) -> None:
    """Give rows matching mask a reason, keeping the first reason a row got."""
    table.loc[np.asarray(mask) & (table["reason"] == "").to_numpy(), "reason"] = reason


def _source_ids(table: pd.DataFrame) -> pd.Series:
    for column in ("lokalid", "adresseId"):
        if column in table.columns:
            return table[column].str.strip()
    return pd.Series([""] * len(table), index=table.index)


def _set_dwellings(table: pd.DataFrame) -> None:
    """Dwellings per address where the file says (our bruksenheter column); else unknown."""
    table["dwellings"] = _whole_numbers(
        table, _column(table, "bruksenheter"), "dwelling count (bruksenheter) is not a whole number"
    )


# Largest value an INTEGER column holds on both backends.
MAX_INTEGER = 2**31 - 1


def _whole_numbers(table: pd.DataFrame, raw: pd.Series, reason: str) -> pd.Series:
    """Parse whole numbers 0..MAX_INTEGER; reject anything else that is not empty; NA if empty."""
    values = pd.to_numeric(raw, errors="coerce")
    whole = values.notna() & np.isfinite(values) & (values % 1 == 0)
    valid = whole & (values >= 0) & (values <= MAX_INTEGER)
    _reject(table, (raw != "") & ~valid, reason)
    return values.where(valid)


def _place_points(table: pd.DataFrame, municipality: Municipality, tolerance_m: float) -> None:
    """Reproject coordinates to lon/lat and reject those outside Norway or the municipality."""
    x = pd.to_numeric(table["x"].str.replace(",", "."), errors="coerce")
    y = pd.to_numeric(table["y"].str.replace(",", "."), errors="coerce")
    epsg = pd.to_numeric(table["epsg"], errors="coerce")
    _reject(table, x.isna() | y.isna(), "coordinates (Nord/Øst) missing or not numbers")
    _reject(table, ~epsg.isin(list(ACCEPTED_EPSG)), "unknown coordinate system (EPSG-kode)")
    table["lon"], table["lat"] = np.nan, np.nan
    for code in epsg.dropna().unique():
        rows = (epsg == code) & (table["reason"] == "")
        if not rows.any():
            continue
        transformer = Transformer.from_crs(int(code), 4326, always_xy=True)
        lon, lat = transformer.transform(x[rows].to_numpy(), y[rows].to_numpy())
        table.loc[rows, "lon"], table.loc[rows, "lat"] = lon, lat
    points = shapely.points(table["lon"].fillna(0).to_numpy(), table["lat"].fillna(0).to_numpy())
    in_norway = np.zeros(len(table), dtype=bool)
    for extent in NORWAY_EXTENTS:
        in_norway |= shapely.covers(extent, points)
    _reject(table, ~in_norway, "outside Norway")
    area = to_utm(municipality.boundary, municipality.utm_epsg).buffer(tolerance_m)
    local = Transformer.from_crs(4326, municipality.utm_epsg, always_xy=True)
    east, north = local.transform(
        table["lon"].fillna(0).to_numpy(), table["lat"].fillna(0).to_numpy()
    )
    inside = shapely.covers(area, shapely.points(east, north))
    _reject(table, ~inside, f"more than {tolerance_m:.0f} m outside the municipality")


# Address fields and the file column each comes from, for fields a file may leave out; a
# re-import leaves a field alone when the file has no column for it.
OPTIONAL_FIELDS = {
    "number": "nummer",
    "letter": "bokstav",
    "postcode": "postnummer",
    "place": "poststed",
    "dwellings": "bruksenheter",
}
DEFAULTS: dict[str, Any] = {
    "number": None,
    "letter": "",
    "postcode": "",
    "place": "",
    "dwellings": None,
}


def _records(rows: pd.DataFrame, municipality_id: int) -> list[dict[str, Any]]:
    """Values of the fields the file has, built column-wise (a national file has 100,000s)."""
    lon, lat = rows["lon"].astype(float).to_numpy(), rows["lat"].astype(float).to_numpy()
    columns = {
        "source_id": rows["source_id"],
        "street": rows["street"],
        "number": rows["number_value"].astype("Int64"),
        "letter": _column(rows, "bokstav"),
        "postcode": rows["postcode"],
        "place": rows["place"],
        "dwellings": rows["dwellings"].astype("Int64"),
        # Encoded once for all rows; the geometry column takes WKB as it is (see storage.py).
        "location": shapely.to_wkb(shapely.points(lon, lat)),
    }
    for name, source in OPTIONAL_FIELDS.items():
        if source not in rows.columns:
            del columns[name]
    frame = pd.DataFrame(columns, index=rows.index)
    records = frame.astype(object).where(frame.notna(), None).to_dict("records")
    now = utcnow()
    for values in records:
        values["municipality_id"] = municipality_id
        values["updated_at"] = now
        values["retired_at"] = None  # in the file, so in the register
    return records  # type: ignore[return-value]


def _upsert(
    session: Session,
    municipality: Municipality,
    rows: pd.DataFrame,
    summary: ImportSummary,
    progress: Progress | None,
) -> None:
    """Insert new addresses and update known ones (matched on the register's identifier)."""
    known = select(Address.source_id, Address.id).where(Address.municipality_id == municipality.id)
    existing: dict[str, int] = {row.source_id: row.id for row in session.execute(known)}
    new: list[dict[str, Any]] = []
    changed: list[dict[str, Any]] = []
    for values in _records(rows, municipality.id):
        known_id = existing.get(values["source_id"])
        if known_id is None:
            new.append({**DEFAULTS, **values})
        else:
            values["id"] = known_id
            changed.append(values)
    total = len(new) + len(changed)
    for statement, batch in [(insert(Address), new), (update(Address), changed)]:
        for start in range(0, len(batch), BATCH):
            chunk = batch[start : start + BATCH]
            session.execute(statement, chunk)
            if progress:
                progress(len(chunk), total)
    summary.inserted, summary.updated = len(new), len(changed)


def _retire_missing(session: Session, municipality: Municipality, in_file: set[str]) -> int:
    """Retire the municipality's current addresses whose identifier the file does not have."""
    current = select(Address.id, Address.source_id).where(
        Address.municipality_id == municipality.id, Address.retired_at.is_(None)
    )
    gone = [row.id for row in session.execute(current) if row.source_id not in in_file]
    now = utcnow()
    for start in range(0, len(gone), BATCH):
        chunk = gone[start : start + BATCH]
        session.execute(
            update(Address).where(Address.id.in_(chunk)).values(retired_at=now, updated_at=now)
        )
    return len(gone)
