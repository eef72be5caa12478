"""Read Kartverket's address downloads (Matrikkelen CSV, or GeoJSON/GeoPackage) into one table."""

from __future__ import annotations

import csv
from pathlib import Path

import geopandas as gpd
import pandas as pd


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
)
VECTOR_SUFFIXES = (".geojson", ".json", ".gpkg", ".shp", ".fgb")


def read_address_file(path: Path) -> pd.DataFrame:
    """Return rows with string columns plus x, y and epsg, whatever the file format."""
    if not path.is_file():
        raise AddressFileError(f"No such file: {path}")
    if path.suffix.lower() == ".csv":
        return _read_csv(path)
    if path.suffix.lower() in VECTOR_SUFFIXES:
        return _read_vector(path)
    raise AddressFileError(
        f"Unknown file type {path.suffix!r}: expected Kartverket's CSV, GeoJSON or GeoPackage."
    )


def _read_csv(path: Path) -> pd.DataFrame:
    try:
        table = pd.read_csv(
            path,
            sep=";",
            dtype=str,
            keep_default_na=False,
            encoding="utf-8-sig",
            quoting=csv.QUOTE_MINIMAL,
            on_bad_lines="error",
        )
    except UnicodeDecodeError as exc:
        raise AddressFileError(f"{path.name} is not UTF-8 text ({exc.reason}).") from exc
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise AddressFileError(
            f"{path.name} is not a readable semicolon-separated file: {exc}"
        ) from exc
    missing = [c for c in REQUIRED_CSV_COLUMNS if c not in table.columns]
    if missing:
        hint = " (is it semicolon-separated?)" if len(table.columns) <= 1 else ""
        raise AddressFileError(
            f"{path.name} lacks the column(s) {', '.join(missing)} of Kartverket's address "
            f"CSV{hint}."
        )
    table = table.rename(columns={"Øst": "x", "Nord": "y", "EPSG-kode": "epsg"})
    table["line"] = table.index + 2  # 1-based, after the header line
    return table


def _read_vector(path: Path) -> pd.DataFrame:
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
    table = pd.DataFrame(frame.drop(columns=frame.geometry.name)).astype(str)
    table = table.replace({"None": "", "nan": ""})
    table["x"] = points.x.astype(str).to_numpy()
    table["y"] = points.y.astype(str).to_numpy()
    table["epsg"] = str(frame.crs.to_epsg())
    for column in ("nummer", "bokstav"):
        if column not in table.columns:
            table[column] = ""
    table["line"] = table.index + 1
    return table
