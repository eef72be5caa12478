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

import pandas as pd
import shapely
from sqlalchemy import insert
from sqlalchemy import select
from sqlalchemy import update
from sqlalchemy.orm import Session

from statusmap.addresses.checks import clean_rows
from statusmap.addresses.checks import source_ids
from statusmap.addresses.checks import text_column
from statusmap.addresses.reader import AddressFileError
from statusmap.addresses.reader import read_address_file
from statusmap.models import Address
from statusmap.models import Municipality
from statusmap.models.audit import record
from statusmap.models.base import utcnow

# Called as progress(rows_just_written, rows_to_write_in_all).
Progress = Callable[[int, int], None]
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
    table.rows["source_id"] = source_ids(table.rows)
    rows, summary.rejected = clean_rows(table.rows, municipality, tolerance_m)
    if retire_missing and rows.empty:
        raise AddressFileError(
            f"{path.name} has no usable address of {municipality.name_in('nb')}; "
            "refusing to retire every address."
        )
    _upsert(session, municipality, rows, summary, progress)
    if retire_missing:
        summary.retired = _retire_missing(session, municipality, set(table.rows["source_id"]))
    _audit(session, municipality, path, summary, actor)
    return summary


def _audit(
    session: Session, municipality: Municipality, path: Path, summary: ImportSummary, actor: str
) -> None:
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
        "letter": text_column(rows, "bokstav"),
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
