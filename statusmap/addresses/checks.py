"""Row checks of an address file: parse, validate and reproject; each bad row gets a reason.

Column-wise (pandas, numpy, pyproj, shapely), since a national file has millions of rows.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import shapely
from pyproj import Transformer

from statusmap.gis.crs import to_utm
from statusmap.gis.validation import NORWAY_EXTENTS
from statusmap.models import Municipality

ACCEPTED_EPSG = {4258, 4326, 25832, 25833, 25835}


def clean_rows(
    table: pd.DataFrame, municipality: Municipality, tolerance_m: float
) -> tuple[pd.DataFrame, list[tuple[int, str]]]:
    """Parse and check every row: the good rows, and (line, reason) for each bad one."""
    table = table.copy()
    table["reason"] = ""
    _set_street(table)
    _reject(table, table["source_id"] == "", "no identifier (lokalid)")
    table["number_value"] = _whole_numbers(
        table, text_column(table, "nummer"), "house number (nummer) is not a whole number"
    )
    _set_postcode_and_place(table)
    _check_lengths(table)
    _set_dwellings(table)
    _place_points(table, municipality, tolerance_m)
    valid = (table["reason"] == "").to_numpy()
    duplicate = table["source_id"].where(valid).duplicated(keep="first").to_numpy() & valid
    _reject(table, duplicate, "duplicate identifier (lokalid) in the file")
    bad = table["reason"] != ""
    rejected = [
        (int(line), str(reason))
        for line, reason in zip(table.loc[bad, "line"], table.loc[bad, "reason"], strict=True)
    ]
    return table.loc[~bad], rejected


def text_column(table: pd.DataFrame, name: str) -> pd.Series:
    """A text column, stripped; empty strings where the file lacks it."""
    if name not in table.columns:
        return pd.Series([""] * len(table), index=table.index, dtype=str)
    return table[name].fillna("").astype(str).str.strip()


def _set_street(table: pd.DataFrame) -> None:
    """Street name; for matrikkeladresser (no street) the farm name or gnr/bnr instead."""
    street = text_column(table, "adressenavn")
    farm = text_column(table, "adressetilleggsnavn")
    text = text_column(table, "adresseTekst")
    gnr, bnr = text_column(table, "gardsnummer"), text_column(table, "bruksnummer")
    cadastral = (gnr + "/" + bnr).where((gnr != "") & (bnr != ""), "")
    for fallback in (farm, text, cadastral):
        street = street.where(street != "", fallback)
    table["street"] = street
    _reject(table, street == "", "no street name, address text or gnr/bnr")


def _set_postcode_and_place(table: pd.DataFrame) -> None:
    postcode = text_column(table, "postnummer")
    digits = postcode.str.fullmatch(r"\d{1,4}")
    _reject(table, (postcode != "") & ~digits, "postcode (postnummer) is not four digits")
    table["postcode"] = postcode.where(~digits, postcode.str.zfill(4))
    table["place"] = text_column(table, "poststed")


# Column widths of the address table; a longer value is refused here, not by the database.
LIMITS = {"street": 200, "bokstav": 4, "place": 100, "source_id": 64}


def _check_lengths(table: pd.DataFrame) -> None:
    for column, limit in LIMITS.items():
        too_long = text_column(table, column).str.len() > limit
        _reject(table, too_long, f"{column} longer than {limit} characters")


def _reject(table: pd.DataFrame, mask: Any, reason: str) -> None:
    """Give rows matching mask a reason, keeping the first reason a row got."""
    table.loc[np.asarray(mask) & (table["reason"] == "").to_numpy(), "reason"] = reason


def source_ids(table: pd.DataFrame) -> pd.Series:
    for column in ("lokalid", "adresseId"):
        if column in table.columns:
            return table[column].str.strip()
    return pd.Series([""] * len(table), index=table.index)


def _set_dwellings(table: pd.DataFrame) -> None:
    """Dwellings per address where the file says (our bruksenheter column); else unknown."""
    table["dwellings"] = _whole_numbers(
        table,
        text_column(table, "bruksenheter"),
        "dwelling count (bruksenheter) is not a whole number",
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
