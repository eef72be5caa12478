"""The area an editor sends: an uploaded file (any of the formats), or GeoJSON from the map."""

from __future__ import annotations

from flask import current_app
from shapely.geometry.base import BaseGeometry
from werkzeug.datastructures import FileStorage

from statusmap.gis.validation import parse_geojson
from statusmap.staff.incident_forms import IncidentForm


def read_upload(upload: FileStorage, notes: list[str]) -> BaseGeometry:
    """An uploaded GeoJSON, GeoPackage or zipped Shapefile as one area (GeometryError if not)."""
    from statusmap.gis.polygon_files import area_from_file  # geopandas: only when a file comes

    limit = int(current_app.config["MAX_UPLOAD_BYTES"])
    data = upload.stream.read(limit + 1)  # one byte over is enough to say it is too big
    found = area_from_file(data, max_bytes=limit, filename=upload.filename or "upload")
    notes.extend(found.notes)
    return found.geometry


def read_area(
    form: IncidentForm,
    max_bytes: int,
    keep: BaseGeometry | None = None,
    notes: list[str] | None = None,
) -> BaseGeometry | None:
    """The form's area in EPSG:4326 (GeometryError if unusable); `keep` when none was sent.

    A file sent with the form (the way without JavaScript) wins over the text field.
    """
    notes = [] if notes is None else notes
    upload = form.area_file.data
    if isinstance(upload, FileStorage) and upload.filename:
        return read_upload(upload, notes)
    text = (form.area.data or "").strip()
    if not text:
        return keep
    return parse_geojson(text.encode(), max_bytes=max_bytes, notes=notes)
