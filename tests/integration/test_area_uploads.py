"""Uploading an incident's area: GeoJSON in EPSG:25833, zipped Shapefile and GeoPackage work; a
self-intersecting polygon, a 20 MB file and a file without polygons are refused, saying why, with
nothing stored. Through the form (the way without JavaScript) and the map editor's upload call."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import geopandas as gpd
import pytest
from flask import Flask
from flask.testing import FlaskClient
from shapely.geometry import LineString
from shapely.geometry import Point
from shapely.geometry import Polygon
from shapely.geometry import box
from shapely.geometry import shape
from sqlalchemy import func
from sqlalchemy import select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from statusmap.db import get_db
from statusmap.models import Incident
from statusmap.models import Role
from tests.staff_helpers import csrf_token
from tests.staff_helpers import demo_staff_client

AREA = box(10.555, 60.36, 10.565, 60.365)  # inside the demo municipality


def _utm33() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"navn": ["Stengt"]}, geometry=[AREA], crs=4326).to_crs(25833)


def geojson_25833(tmp: Path) -> tuple[str, bytes]:
    frame = _utm33()
    data = json.loads(frame.to_json())
    data["crs"] = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::25833"}}
    return "omraade.geojson", json.dumps(data).encode()


def zipped_shapefile(tmp: Path) -> tuple[str, bytes]:
    _utm33().to_file(tmp / "omraade.shp")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for part in tmp.glob("omraade.*"):
            archive.write(part, part.name)
    return "omraade.zip", buffer.getvalue()


def geopackage(tmp: Path) -> tuple[str, bytes]:
    _utm33().to_file(tmp / "omraade.gpkg", driver="GPKG")
    return "omraade.gpkg", (tmp / "omraade.gpkg").read_bytes()


def self_intersecting(tmp: Path) -> tuple[str, bytes]:
    bow_tie = Polygon([(10.55, 60.36), (10.56, 60.37), (10.56, 60.36), (10.55, 60.37)])
    frame = gpd.GeoDataFrame(geometry=[bow_tie], crs=4326)
    return "sloyfe.geojson", frame.to_json().encode()


def twenty_megabytes(tmp: Path) -> tuple[str, bytes]:
    points = [[10.55 + i * 1e-9, 60.36] for i in range(800_000)]
    ring = [*points, [10.56, 60.37], points[0]]
    data = json.dumps({"type": "Polygon", "coordinates": [ring]}).encode()
    assert len(data) >= 20_000_000
    return "stor.geojson", data


def no_polygons(tmp: Path) -> tuple[str, bytes]:
    frame = gpd.GeoDataFrame(
        geometry=[Point(10.56, 60.36), LineString([(10.55, 60.36), (10.56, 60.37)])], crs=4326
    )
    return "punkter.geojson", frame.to_json().encode()


WORKING = [geojson_25833, zipped_shapefile, geopackage]
REFUSED = {
    self_intersecting: "crosses itself",  # and where: the map marks the place
    twenty_megabytes: "MB",
    no_polygons: "no polygons",
}


@pytest.fixture
def editor(app: Flask) -> FlaskClient:
    return demo_staff_client(app, "kari@demo.test", Role.EDITOR)


def _incidents(app: Flask) -> int:
    with app.app_context():
        return int(get_db(app).session().scalar(select(func.count(Incident.id))) or 0)


def _multipart(fields: dict[str, str], field: str, name: str, data: bytes) -> dict[str, Any]:
    """A multipart body built in memory (the test client would spool a big one to a temporary
    file it never closes)."""
    values: dict[str, Any] = {**fields, field: FileStorage(io.BytesIO(data), filename=name)}
    boundary, body = encode_multipart(values)
    return {"data": body, "content_type": f"multipart/form-data; boundary={boundary}"}


def _through_form(client: FlaskClient, name: str, data: bytes) -> tuple[int, str]:
    token = csrf_token(client, "/staff/demo/incidents/new")
    fields = {"csrf_token": token, "kind": "shutdown", "title_nb": "Stengt vann"}
    answer = client.post("/staff/demo/incidents/new", **_multipart(fields, "area_file", name, data))
    return answer.status_code, answer.get_data(as_text=True)


@pytest.mark.parametrize("make", WORKING, ids=lambda f: f.__name__)
def test_area_files_work_through_the_form(
    app: Flask, editor: FlaskClient, tmp_path: Path, make: Callable[[Path], tuple[str, bytes]]
) -> None:
    before = _incidents(app)
    status, page = _through_form(editor, *make(tmp_path))
    assert status == 302, page[:3000]
    assert _incidents(app) == before + 1
    with app.app_context():
        stored = (
            get_db(app).session().scalars(select(Incident).order_by(Incident.id.desc())).first()
        )
        assert stored is not None and stored.area is not None
        assert stored.area.symmetric_difference(AREA).area < AREA.area * 1e-6


@pytest.mark.parametrize("make", list(REFUSED), ids=lambda f: f.__name__)
def test_bad_area_files_are_refused_through_the_form(
    app: Flask, editor: FlaskClient, tmp_path: Path, make: Callable[[Path], tuple[str, bytes]]
) -> None:
    before = _incidents(app)
    status, page = _through_form(editor, *make(tmp_path))
    assert status in (400, 413)
    assert REFUSED[make] in page
    assert _incidents(app) == before


def _through_upload(client: FlaskClient, name: str, data: bytes) -> tuple[int, dict]:
    token = csrf_token(client, "/staff/demo/incidents/new")
    answer = client.post(
        "/staff/demo/area/upload",
        headers={"X-CSRFToken": token, "Accept": "application/json"},
        **_multipart({}, "file", name, data),
    )
    return answer.status_code, answer.get_json()


@pytest.mark.parametrize("make", WORKING, ids=lambda f: f.__name__)
def test_area_files_work_through_the_map_editor(
    app: Flask, editor: FlaskClient, tmp_path: Path, make: Callable[[Path], tuple[str, bytes]]
) -> None:
    before = _incidents(app)
    status, answer = _through_upload(editor, *make(tmp_path))
    assert status == 200, answer
    assert shape(answer["area"]).symmetric_difference(AREA).area < AREA.area * 1e-6
    assert _incidents(app) == before  # an upload only fills the editor; the form saves


@pytest.mark.parametrize("make", list(REFUSED), ids=lambda f: f.__name__)
def test_bad_area_files_are_refused_through_the_map_editor(
    app: Flask, editor: FlaskClient, tmp_path: Path, make: Callable[[Path], tuple[str, bytes]]
) -> None:
    status, answer = _through_upload(editor, *make(tmp_path))
    assert status in (413, 422), answer
    assert REFUSED[make] in (answer.get("error") or answer.get("message") or "")
