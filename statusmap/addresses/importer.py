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
from statusmap.changes import bump
from statusmap.models import Address
from statusmap.models import Municipality
from statusmap.models.audit import record
from statusmap.models.base import utcnow
from statusmap.norwegian import street_key

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


@dataclass
class PreparedImport:
    """A read and checked file, ready to write: nothing has touched the database yet."""

    path: Path
    rows: pd.DataFrame  # the good rows, reprojected
    in_file: set[str]  # every identifier the file has for this municipality, good or not
    summary: ImportSummary


# A complete file that would retire more than this share of the current addresses (and more
# than RETIRE_FREELY of them) is more likely truncated than true: refused unless allowed.
RETIRE_SHARE_LIMIT = 0.10
RETIRE_FREELY = 10


def prepare_addresses(
    municipality: Municipality, path: Path, *, tolerance_m: float = 2000.0
) -> PreparedImport:
    """Read and check an address file (no database); raise AddressFileError if unreadable."""
    table = read_address_file(path, kommunenummer=municipality.kommunenummer)
    if table.read == 0:
        raise AddressFileError(f"{path.name} holds no address rows.")
    if table.rows.empty and table.other_numbers:
        # Nothing to write: say so before the write lock and the audit row, naming whose rows
        # the file has (the wrong file, or the wrong municipality chosen for it).
        numbers = sorted(table.other_numbers)
        more = f" and {len(numbers) - 10} more" if len(numbers) > 10 else ""
        listed = ", ".join(numbers[:10]) + more
        raise AddressFileError(
            f"{path.name}: all its {table.read} rows belong to kommunenummer {listed}, not to "
            f"{municipality.name_in('nb')}'s {municipality.kommunenummer}."
        )
    summary = ImportSummary(read=table.read, other_municipalities=table.other_municipalities)
    summary.notes.extend(table.notes)
    table.rows["source_id"] = source_ids(table.rows)
    rows, summary.rejected = clean_rows(table.rows, municipality, tolerance_m)
    return PreparedImport(path, rows, set(table.rows["source_id"]), summary)


def write_addresses(
    session: Session,
    municipality: Municipality,
    prepared: PreparedImport,
    *,
    actor: str,
    progress: Progress | None = None,
    retire_missing: bool = False,
    allow_mass_retire: bool = False,
) -> ImportSummary:
    """Upsert the prepared rows (only the columns the file has); retire what it lacks if asked.

    With retire_missing (the file is the municipality's whole download), known addresses absent
    from it are retired: kept, but no longer counted. Refused, before anything is written, when
    that would retire nearly everything (a truncated download) unless allow_mass_retire.
    """
    summary, name = prepared.summary, prepared.path.name
    gone: list[int] = []
    if retire_missing:
        if prepared.rows.empty:
            raise AddressFileError(
                f"{name} has no usable address of {municipality.name_in('nb')}; "
                "refusing to retire every address."
            )
        gone = _missing(session, municipality, prepared.in_file, allow_mass_retire, name)
    _upsert(session, municipality, prepared.rows, summary, progress)
    summary.retired = _retire(session, gone)
    _audit(session, municipality, prepared.path, summary, actor)
    return summary


def import_addresses(
    session: Session,
    municipality: Municipality,
    path: Path,
    *,
    actor: str,
    tolerance_m: float = 2000.0,
    progress: Progress | None = None,
    retire_missing: bool = False,
    allow_mass_retire: bool = False,
) -> ImportSummary:
    """Read, check and write an address file in one go (see prepare_ and write_addresses)."""
    prepared = prepare_addresses(municipality, path, tolerance_m=tolerance_m)
    return write_addresses(
        session,
        municipality,
        prepared,
        actor=actor,
        progress=progress,
        retire_missing=retire_missing,
        allow_mass_retire=allow_mass_retire,
    )


def _audit(
    session: Session, municipality: Municipality, path: Path, summary: ImportSummary, actor: str
) -> None:
    bump(session, [municipality.id])  # affected counts and searches answer differently now
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
        "search_key": rows["street"].map(street_key),  # what "am I affected?" looks up
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


def _missing(
    session: Session, municipality: Municipality, in_file: set[str], allow_mass: bool, name: str
) -> list[int]:
    """Ids of the current addresses the file does not have; refuse a suspiciously many."""
    current = select(Address.id, Address.source_id).where(
        Address.municipality_id == municipality.id, Address.retired_at.is_(None)
    )
    rows = session.execute(current).all()
    gone = [row.id for row in rows if row.source_id not in in_file]
    limit = max(RETIRE_FREELY, RETIRE_SHARE_LIMIT * len(rows))
    if len(gone) > limit and not allow_mass:
        raise AddressFileError(
            f"{name} lacks {len(gone)} of the {len(rows)} current addresses "
            f"({len(gone) / len(rows):.0%}); is the download complete? Refusing to retire them "
            "without --allow-mass-retire."
        )
    return gone


def _retire(session: Session, ids: list[int]) -> int:
    """Mark addresses as no longer in the register (kept for history)."""
    now = utcnow()
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        session.execute(
            update(Address).where(Address.id.in_(chunk)).values(retired_at=now, updated_at=now)
        )
    return len(ids)
