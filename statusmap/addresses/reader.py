"""Read Kartverket's address downloads (Matrikkelen CSV, or GeoJSON/GeoPackage) into one table.

The national CSV holds every municipality (millions of rows); it is read in chunks, only the
columns the importer uses are kept, and rows of other municipalities are counted and dropped as
they stream past, so memory follows the one municipality being imported.
"""

from __future__ import annotations

import csv
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path

import geopandas as gpd
import pandas as pd

from statusmap.gis.validation import Z_DROPPED


class AddressFileError(ValueError):
    """The file cannot be read as an address download; nothing was imported."""


# Kartverket's column names, and what the importer needs of them.
REQUIRED_CSV_COLUMNS = ("adressenavn", "nummer", "bokstav", "Nord", "Øst", "EPSG-kode")
OPTIONAL_COLUMNS = (
    "lokalid",
    "adresseId",
    "kommunenummer",
    "postnummer",
    "poststed",
    "bruksenheter",
    # For matrikkeladresser, which have no street name:
    "adressetilleggsnavn",
    "adresseTekst",
    "gardsnummer",
    "bruksnummer",
)
VECTOR_SUFFIXES = (".geojson", ".json", ".gpkg", ".shp", ".fgb")
CHUNK_ROWS = 100_000


@dataclass
class AddressTable:
    """The rows of one municipality, and how many rows the file held in all and for others."""

    rows: pd.DataFrame
    read: int
    other_municipalities: int
    notes: list[str] = field(default_factory=list)  # what was changed on the way in, said once
    other_numbers: set[str] = field(default_factory=set)  # the other municipalities' numbers


def read_address_file(path: Path, kommunenummer: str | None = None) -> AddressTable:
    """Read rows as text columns plus x, y, epsg and line, keeping one municipality's if given."""
    if not path.is_file():
        raise AddressFileError(f"No such file: {path}")
    notes: list[str] = []
    if path.suffix.lower() == ".csv":
        chunks = _read_csv(path)
    elif path.suffix.lower() in VECTOR_SUFFIXES:
        chunks = iter([_read_vector(path, notes)])
    else:
        raise AddressFileError(
            f"Unknown file type {path.suffix!r}: expected Kartverket's CSV, GeoJSON or GeoPackage."
        )
    kept, read, other = [], 0, 0
    others: set[str] = set()
    for chunk in chunks:
        read += len(chunk)
        if kommunenummer and "kommunenummer" in chunk.columns:
            numbers = chunk["kommunenummer"].str.strip()
            mine = (numbers == "") | (numbers.str.zfill(4) == kommunenummer)
            other += int((~mine).sum())
            others.update(numbers[~mine].str.zfill(4).unique())
            chunk = chunk.loc[mine]
        kept.append(chunk)
    rows = pd.concat(kept, ignore_index=True) if kept else pd.DataFrame()
    return AddressTable(rows, read, other, notes, others)


def _read_csv(path: Path) -> Iterator[pd.DataFrame]:
    header = _csv_header(path)
    missing = [c for c in REQUIRED_CSV_COLUMNS if c not in header]
    if missing:
        hint = " (is it semicolon-separated?)" if len(header) <= 1 else ""
        raise AddressFileError(
            f"{path.name} lacks the column(s) {', '.join(missing)} of Kartverket's address "
            f"CSV{hint}."
        )
    wanted = [c for c in (*REQUIRED_CSV_COLUMNS, *OPTIONAL_COLUMNS) if c in header]
    # All columns are parsed (usecols would let rows with a stray ';' shift silently instead of
    # failing); each chunk then keeps only the columns the importer uses.
    reader = pd.read_csv(
        path,
        sep=";",
        dtype=str,
        keep_default_na=False,
        encoding="utf-8-sig",
        quoting=csv.QUOTE_MINIMAL,
        on_bad_lines="error",
        index_col=False,
        chunksize=CHUNK_ROWS,
    )
    first_line = 2  # 1-based, after the header line
    chunks = iter(reader)
    while (chunk := _next_chunk(chunks, path)) is not None:
        chunk = chunk[wanted].rename(columns={"Øst": "x", "Nord": "y", "EPSG-kode": "epsg"})
        chunk["line"] = range(first_line, first_line + len(chunk))
        first_line += len(chunk)
        yield chunk


@contextmanager
def _csv_errors(path: Path) -> Iterator[None]:
    """Turn pandas' and the codec's errors into one AddressFileError that names the file."""
    try:
        yield
    except UnicodeDecodeError as exc:
        raise AddressFileError(f"{path.name} is not UTF-8 text ({exc.reason}).") from exc
    except (pd.errors.ParserError, pd.errors.ParserWarning, pd.errors.EmptyDataError) as exc:
        raise AddressFileError(
            f"{path.name} is not a readable semicolon-separated file: {exc}"
        ) from exc


def _next_chunk(chunks: Iterator[pd.DataFrame], path: Path) -> pd.DataFrame | None:
    """The next chunk, or None at the end; any malformed row fails the whole file."""
    with _csv_errors(path), warnings.catch_warnings():
        # pandas only warns when the first data row has more fields than the header.
        warnings.simplefilter("error", pd.errors.ParserWarning)
        return next(chunks, None)


def _csv_header(path: Path) -> list[str]:
    with _csv_errors(path):
        return list(pd.read_csv(path, sep=";", nrows=0, encoding="utf-8-sig").columns)


def _read_vector(path: Path, notes: list[str]) -> pd.DataFrame:
    try:
        frame = gpd.read_file(path)
    except Exception as exc:  # pyogrio raises several unrelated types for unreadable files
        raise AddressFileError(f"{path.name} could not be read: {exc}") from exc
    if frame.crs is None or frame.crs.to_epsg() is None:
        raise AddressFileError(f"{path.name} has no EPSG coordinate reference system.")
    if "adressenavn" not in frame.columns:
        raise AddressFileError(f"{path.name} lacks Kartverket's column adressenavn.")
    points = frame.geometry
    if not (points.geom_type == "Point").all():
        raise AddressFileError(f"{path.name} must hold points only.")
    if points.has_z.any():
        notes.append(Z_DROPPED)  # only x and y are read below
    table = pd.DataFrame(frame.drop(columns=frame.geometry.name)).astype(str)
    table = table.replace({"None": "", "nan": ""})
    table["x"] = points.x.astype(str).to_numpy()
    table["y"] = points.y.astype(str).to_numpy()
    table["epsg"] = str(frame.crs.to_epsg())
    table["line"] = table.index + 1
    return table
