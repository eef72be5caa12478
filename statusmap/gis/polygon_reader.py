"""Reading a polygon file (GeoJSON, GeoPackage, Shapefile, zipped or not) into EPSG:4326 features.

The file's first bytes must match its suffix before GDAL opens it, so an upload named .geojson
can never make GDAL open some other format (a VRT pointing at files on the server, say).
"""

from __future__ import annotations

import warnings
import zipfile
from pathlib import Path
from tempfile import TemporaryDirectory

import geopandas as gpd

from statusmap.gis.validation import Z_DROPPED
from statusmap.gis.validation import GeometryError

ACCEPTED = (
    "GeoJSON (.geojson, .json), GeoPackage (.gpkg) or a Shapefile (.shp with its .shx, .dbf and"
    " .prj beside it, or all of them in one .zip)"
)
# What each format's first bytes are: GDAL is never handed a file of another kind by its name.
_GEOPACKAGE = b"SQLite format 3\x00"
_SHAPEFILE = b"\x00\x00\x27\x0a"


class PolygonFileError(GeometryError):
    """A polygon file that cannot be used; location is the (lon, lat) of the fault, if known."""

    def __init__(self, message: str, location: tuple[float, float] | None = None) -> None:
        super().__init__(message)
        self.location = location


def read_polygon_file(
    source: Path | str | bytes, *, max_bytes: int, filename: str | None = None
) -> tuple[gpd.GeoDataFrame, list[str], str]:
    """The file's features in EPSG:4326 and 2D, the notes on what changed, and its shown name."""
    if isinstance(source, bytes):
        if not filename:
            raise ValueError("uploaded bytes need their file name, to know the format")
        shown = Path(filename).name
        if shown.lower().endswith(".shp"):  # its .shx, .dbf and .prj cannot come with it
            raise PolygonFileError(
                f"{shown}: upload a Shapefile as one .zip holding its .shp, .shx, .dbf and .prj."
            )
        _check_size(len(source), max_bytes, shown)
        with TemporaryDirectory(prefix="statusmap-upload-") as folder:
            # Only the suffix of the client's name is kept: it chooses the format, nothing else.
            path = Path(folder) / f"upload{Path(filename).suffix.lower()}"
            path.write_bytes(source)
            return (*_read(path, max_bytes, shown), shown)
    path = Path(source)
    if not path.is_file():
        raise PolygonFileError(f"No such file: {path}")
    _check_size(path.stat().st_size, max_bytes, path.name)
    return (*_read(path, max_bytes, path.name), path.name)


def _read(path: Path, max_bytes: int, shown: str) -> tuple[gpd.GeoDataFrame, list[str]]:
    suffix = path.suffix.lower()
    if suffix in (".geojson", ".json"):
        target, kind = str(path), "GeoJSON"
        _expect(_head(path, 4096).lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"{", shown, kind)
    elif suffix == ".gpkg":
        target, kind = str(path), "a GeoPackage"
        _expect(_head(path, 16) == _GEOPACKAGE, shown, kind)
    elif suffix == ".zip":
        target, kind = _shapefile_in_zip(path, max_bytes, shown), "a Shapefile"
    elif suffix == ".shp":  # on disk, with its other files beside it (an upload is a .zip)
        target, kind = str(path), "a Shapefile"
        _expect(_head(path, 4) == _SHAPEFILE, shown, kind)
    else:
        raise PolygonFileError(
            f"{shown}: statusmap cannot read {suffix or 'files without a suffix'}; "
            f"it reads {ACCEPTED}."
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # GDAL's chatter about odd files; errors still raise
            frame = gpd.read_file(target)
    except Exception as exc:  # pyogrio raises several unrelated types for unreadable files
        raise PolygonFileError(f"{shown} could not be read as {kind}: {exc}") from exc
    return _in_wgs84(frame, shown, kind)


def _head(path: Path, size: int) -> bytes:
    with path.open("rb") as file:
        return file.read(size)


def _check_size(size: int, max_bytes: int, shown: str) -> None:
    if size > max_bytes:
        raise PolygonFileError(
            f"{shown} is {size / 1e6:.3g} MB; the limit is {max_bytes / 1e6:.3g} MB."
        )


def _expect(looks_right: bool, shown: str, kind: str) -> None:
    if not looks_right:
        raise PolygonFileError(f"{shown} is not {kind}; statusmap reads {ACCEPTED}.")


def _shapefile_in_zip(path: Path, max_bytes: int, shown: str) -> str:
    """The GDAL path of the one Shapefile in the archive (at any depth), checked first."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = {info.filename: info for info in archive.infolist()}
            # Zips made on macOS carry a resource fork "__MACOSX/._name.shp" for each file.
            shps = [
                name
                for name in members
                if name.lower().endswith(".shp") and not Path(name).name.startswith("._")
            ]
            if len(shps) != 1:
                found = ", ".join(shps) if shps else "none"
                raise PolygonFileError(
                    f"{shown} must hold exactly one Shapefile (.shp with its .shx, .dbf and "
                    f".prj); it holds {len(shps)}: {found}."
                )
            stem = shps[0][:-4]
            parts = [n for n in members if n[: len(stem) + 1].lower() == stem.lower() + "."]
            _check_size(sum(members[n].file_size for n in parts), max_bytes, f"{shown}, unpacked,")
            with archive.open(shps[0]) as shp:
                _expect(shp.read(4) == _SHAPEFILE, shps[0], "a Shapefile")
    except zipfile.BadZipFile as exc:
        raise PolygonFileError(f"{shown} is not a zip archive ({exc}).") from exc
    return f"/vsizip/{path}/{shps[0]}"


def _in_wgs84(frame: gpd.GeoDataFrame, shown: str, kind: str) -> tuple[gpd.GeoDataFrame, list[str]]:
    notes: list[str] = []
    if frame.crs is None:  # GDAL reads a GeoJSON without a crs member as EPSG:4326 already
        where = " (a Shapefile keeps it in its .prj file)" if kind == "a Shapefile" else ""
        raise PolygonFileError(
            f"{shown} does not say its coordinate system{where}; export it again with its CRS "
            "(e.g. EPSG:25833)."
        )
    if frame.crs.is_geographic and not frame.empty:
        min_x, min_y, max_x, max_y = frame.total_bounds
        if min_x < -180 or max_x > 180 or min_y < -90 or max_y > 90:
            said = "GeoJSON without a crs member must be" if kind == "GeoJSON" else "its CRS says"
            raise PolygonFileError(
                f"{shown} has coordinates up to {max_x:.0f}, {max_y:.0f}, which are not "
                f"longitude/latitude as {said} (they look like metres, e.g. UTM). Export it in "
                "EPSG:4326, or with its CRS."
            )
    try:
        frame = frame.to_crs(4326)
    except Exception as exc:  # pyproj: no transformation from this CRS
        raise PolygonFileError(
            f"{shown}: its CRS cannot be converted to EPSG:4326 ({exc})."
        ) from exc
    if frame.geometry.has_z.any():
        notes.append(Z_DROPPED)
        frame = frame.set_geometry(frame.geometry.force_2d())
    return frame, notes
