"""The staff map editor in a real Chromium: an editor logs in, draws with the mouse, cuts a hole,
removes parts, uploads a file; the text field, the live count and the error marker are checked
against what was clicked and against an independent count of the demo's address file."""

from __future__ import annotations

import json
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import LineString
from shapely.geometry import Polygon
from shapely.geometry import box
from shapely.geometry import mapping
from shapely.geometry import shape
from sqlalchemy import select
from sqlalchemy import text

from statusmap import create_app
from statusmap.auth.accounts import create_user
from statusmap.auth.accounts import find_user
from statusmap.auth.accounts import grant_role
from statusmap.db import get_db
from statusmap.engine import make_engine
from statusmap.models import Municipality
from statusmap.models import Role
from statusmap.models.audit import Actor
from tests.browser.conftest import ARTIFACTS
from tests.browser.conftest import describe
from tests.browser.conftest import run_axe
from tests.browser.conftest import serve

pytestmark = pytest.mark.browser

DEMO = Path(__file__).resolve().parents[2] / "gis_data" / "demo"
EMAIL, PASSWORD = "kartredaktor@example.com", "tegne-omrade-med-mus"
MAP = "window[document.querySelector('.area-editor .folium-map').id]"
# A concave pentagon over the middle of the demo town (lon, lat), and a bow-tie east of it.
PENTAGON = [(10.5520, 60.3570), (10.5620, 60.3565), (10.5635, 60.3615), (10.5575, 60.3590),
            (10.5510, 60.3625)]  # fmt: skip
# The categories in bokmål, in the order the editor lists them (statusmap's VulnerableCategory).
CATEGORIES = {"nursing_home": "Sykehjem", "kindergarten": "Barnehage", "school": "Skole",
              "food_business": "Næringsmiddelvirksomhet", "dialysis": "Dialysepasient",
              "other": "Annen sårbar abonnent"}  # fmt: skip
BOW_TIE = [(10.5660, 60.3560), (10.5720, 60.3600), (10.5720, 60.3560), (10.5660, 60.3600)]


@pytest.fixture(scope="module")
def editor_server(database_url: str) -> Iterator[str]:
    """The demo with no tiles, and an editor account in the served database."""
    app = create_app({"DATABASE_URL": database_url, "TESTING": True, "SECRET_KEY": "test"})
    with app.app_context():
        session = get_db(app).session()
        if find_user(session, EMAIL) is None:
            user = create_user(session, email=EMAIL, password=PASSWORD, actor=Actor("test"))
            demo = session.scalar(select(Municipality).where(Municipality.slug == "demo"))
            grant_role(session, user, demo, Role.EDITOR, actor=Actor("test"))
            session.commit()
    get_db(app).engine.dispose()
    with serve(database_url, TILE_LAYERS=[]) as url:
        yield url


@pytest.fixture(scope="module")
def addresses() -> gpd.GeoDataFrame:
    """The demo's address file read on its own (not through statusmap), in EPSG:4326."""
    rows = pd.read_csv(DEMO / "addresses.csv", sep=";", dtype={"lokalid": str})
    vulnerable = pd.read_csv(DEMO / "vulnerable.csv", sep=";", dtype={"lokalid": str})
    rows = rows.merge(vulnerable, on="lokalid", how="left")
    points = gpd.points_from_xy(rows["Øst"], rows["Nord"])
    return gpd.GeoDataFrame(rows, geometry=points, crs=25832).to_crs(4326)


def _open_editor(
    page, base: str, path: str = "/staff/demo/incidents/new", *, town_view: bool = True
) -> None:
    page.goto(f"{base}/auth/login?next={path}")
    page.get_by_label("E-postadresse").fill(EMAIL)
    page.get_by_label("Passord").fill(PASSWORD)
    page.get_by_role("button", name="Logg inn").click()
    page.wait_for_url(f"**{path}")
    page.wait_for_selector(".area-editor[data-state]")
    page.locator(".area-editor .map-frame").scroll_into_view_if_needed()  # a click must land
    if town_view:  # the same view of the town centre every time, whatever the page framed
        page.evaluate(f"{MAP}.setView([60.3595, 10.5600], 15, {{animate: false}})")


def _pixels(page, lonlats: list[tuple[float, float]]) -> list[tuple[int, int]]:
    """Page pixels (whole numbers, as a mouse clicks) nearest to these places."""
    return [
        tuple(page.evaluate(
            f"""([lon, lat]) => {{
                const p = {MAP}.latLngToContainerPoint([lat, lon]);
                const r = {MAP}.getContainer().getBoundingClientRect();
                return [Math.round(p.x + r.left), Math.round(p.y + r.top)];
            }}""",
            [lon, lat],
        ))
        for lon, lat in lonlats
    ]  # fmt: skip


def _places(page, pixels: list[tuple[int, int]]) -> list[tuple[float, float]]:
    """Where Leaflet puts a click at each page pixel (lon, lat)."""
    # As Leaflet reads a mouse event: page pixel -> container point (its scale included).
    script = f"""([x, y]) => {{
        const point = {MAP}.mouseEventToContainerPoint({{clientX: x, clientY: y}});
        const ll = {MAP}.containerPointToLatLng(point);
        return [ll.lng, ll.lat];
    }}"""
    return [tuple(page.evaluate(script, list(p))) for p in pixels]


def _draw(page, tool: str, pixels: list[tuple[int, int]], close: bool = True) -> None:
    page.get_by_role("button", name=tool, exact=True).click()
    for x, y in pixels:
        page.mouse.click(x, y)
    if close:
        page.mouse.click(*pixels[0])  # on the first vertex: the polygon is finished


def _area(page) -> dict:
    return json.loads(page.locator("textarea[name=area]").input_value())


def _counted(page) -> str:
    page.wait_for_selector('.area-editor[data-state="counted"]')
    return page.locator(".area-editor__status").inner_text()


def _numbers(status: str) -> tuple[int, int]:
    found = re.search(r"([\d\s\u00a0]+) adresser?, ([\d\s\u00a0]+) boenheter?", status)
    assert found, status
    return tuple(int(re.sub(r"\D", "", g)) for g in found.groups())  # type: ignore[return-value]


def _vulnerable_shown(page) -> list[tuple[str, list[str]]]:
    """The vulnerable subscribers as listed: (category label, [names]) in the order shown."""
    found = page.locator(".area-editor__vulnerable > li").evaluate_all(
        """items => items.map(li => [
            li.firstChild.textContent.replace(/ \\(\\d+\\)$/, ""),
            [...li.querySelectorAll("li")].map(n => n.textContent.split(", ")[0])])"""
    )
    return [(label, names) for label, names in found]


def _signed_area(ring: list[list[float]]) -> float:
    return sum(a[0] * b[1] - b[0] * a[1] for a, b in zip(ring, ring[1:], strict=False)) / 2


def test_a_polygon_drawn_with_the_mouse_is_saved_as_clicked_and_counted(
    page, editor_server, addresses
) -> None:
    _open_editor(page, editor_server)
    clicks = _pixels(page, PENTAGON[::-1])  # clockwise: the editor must turn the ring round
    _draw(page, "Tegn område", clicks)
    status = _counted(page)
    area = _area(page)
    assert area["type"] == "MultiPolygon" and len(area["coordinates"]) == 1
    (ring,) = area["coordinates"][0]
    assert ring[0] == ring[-1] and len(ring) == len(PENTAGON) + 1
    assert _signed_area(ring) > 0, "exterior ring counter-clockwise (RFC 7946)"
    expected = _places(page, clicks)
    drawn = ring[:-1] if _signed_area([*expected, expected[0]]) > 0 else ring[-1:0:-1]
    for (lon, lat), (want_lon, want_lat) in zip(drawn, expected, strict=True):
        assert abs(lon - want_lon) <= 1e-7 and abs(lat - want_lat) <= 1e-7
    inside = addresses[addresses.covered_by(Polygon(ring))]
    assert len(inside) > 50, "the pentagon covers part of the town"
    assert _numbers(status) == (len(inside), int(inside["bruksenheter"].sum()))
    assert "ukjent" not in status, "the demo knows every address's dwellings"
    shown = _vulnerable_shown(page)
    wanted = {
        label: sorted(inside.loc[inside["category"] == code, "name"])
        for code, label in CATEGORIES.items()
        if (inside["category"] == code).any()
    }
    assert len(wanted) >= 3, "the pentagon holds several kinds of vulnerable subscriber"
    assert [label for label, _names in shown] == list(wanted), "categories in a fixed order"
    assert {label: sorted(names) for label, names in shown} == wanted, "each under its category"
    assert page.console_errors == []


def test_parts_holes_and_removal_make_one_multipolygon(page, editor_server) -> None:
    _open_editor(page, editor_server)
    # East of the centre: Geoman's action buttons open beside the toolbar, on the west side.
    outer = _pixels(page, [(10.5600, 60.3570), (10.5680, 60.3570), (10.5680, 60.3620),
                           (10.5600, 60.3620)])  # fmt: skip
    _draw(page, "Tegn område", outer)
    _counted(page)
    hole = _pixels(page, [(10.5630, 60.3590), (10.5650, 60.3590), (10.5640, 60.3605)])
    _draw(page, "Klipp hull", hole)
    page.wait_for_function(
        "() => document.querySelector('textarea[name=area]').value.includes(']],[[')"
    )
    (polygon,) = _area(page)["coordinates"]
    assert len(polygon) == 2 and _signed_area(polygon[0]) > 0 > _signed_area(polygon[1])
    corner = _pixels(page, [(10.5700, 60.3600), (10.5740, 60.3630)])
    _draw(page, "Tegn rektangel", corner, close=False)
    page.wait_for_function(
        "() => JSON.parse(document.querySelector('textarea[name=area]').value)"
        ".coordinates.length === 2"
    )
    parts = _area(page)["coordinates"]
    assert all(_signed_area(p[0]) > 0 for p in parts) and [len(p) for p in parts] == [2, 1]
    _counted(page)
    page.get_by_role("button", name="Slett en del", exact=True).click()
    for place in [(10.5610, 60.3610), (10.5720, 60.3615)]:
        page.mouse.click(*_pixels(page, [place])[0])
    page.wait_for_selector('.area-editor[data-state="empty"]')
    assert page.locator("textarea[name=area]").input_value() == ""
    assert "Ikke noe område" in page.locator(".area-editor__status").inner_text()


def test_a_bow_tie_is_explained_on_the_map_and_never_saved(
    page, editor_server, database_url
) -> None:
    _open_editor(page, editor_server)
    _draw(page, "Tegn område", _pixels(page, BOW_TIE))
    page.wait_for_selector('.area-editor[data-state="error"]')
    message = page.locator(".area-editor__error").inner_text()
    ring = _area(page)["coordinates"][0][0]
    edges = [LineString(ring[i : i + 2]) for i in range(4)]
    (crossing,) = [a.intersection(b) for a, b in (edges[0::2], edges[1::2]) if a.crosses(b)]
    found = re.search(r"crosses itself near longitude (\S+), latitude (\S+)\.", message)
    assert found, message
    assert abs(float(found[1]) - crossing.x) < 1e-5 and abs(float(found[2]) - crossing.y) < 1e-5
    _marker_is_at(page, crossing.x, crossing.y)
    before = _scalar(database_url, "SELECT count(*) FROM incident")
    page.get_by_label("Tittel").first.fill("Sløyfe som krysser seg selv")
    page.get_by_role("button", name="Lagre utkast").click()
    page.wait_for_selector(".error-summary")
    assert "crosses itself" in page.locator(".error-summary").inner_text()
    assert _scalar(database_url, "SELECT count(*) FROM incident") == before, "nothing saved"
    page.wait_for_selector('.area-editor[data-state="error"]')  # shown again after the reload
    _marker_is_at(page, crossing.x, crossing.y)


def _scalar(database_url: str, sql: str) -> object:
    engine = make_engine(database_url)
    try:
        with engine.connect() as conn:
            return conn.execute(text(sql)).scalar()
    finally:
        engine.dispose()


def _active_incident(database_url: str) -> str:
    found = _scalar(database_url, "SELECT min(id) FROM incident WHERE status = 'active'")
    return f"/staff/demo/incidents/{found}"


def _marker_is_at(page, lon: float, lat: float) -> None:
    marker = page.locator("path.area-problem-marker")
    marker.wait_for()
    assert page.locator(".leaflet-tooltip.area-problem").inner_text() == "Feil her"
    box_ = marker.bounding_box()
    centre = (box_["x"] + box_["width"] / 2, box_["y"] + box_["height"] / 2)
    (want,) = _pixels(page, [(lon, lat)])
    assert abs(centre[0] - want[0]) <= 2 and abs(centre[1] - want[1]) <= 2


def _area_file(folder: Path, kind: str, area: Polygon) -> Path:
    """The area as a GIS would export it: GeoJSON in degrees, or in UTM 32 (EUREF89)."""
    frame = gpd.GeoDataFrame({"navn": ["Omrade"]}, geometry=[area], crs=4326)
    if kind == "geojson":
        path = folder / "omrade.geojson"
        path.write_text(
            json.dumps({"type": "Feature", "properties": {}, "geometry": mapping(area)})
        )
        return path
    if kind == "gpkg":
        frame.to_crs(25832).to_file(folder / "omrade.gpkg", driver="GPKG")
        return folder / "omrade.gpkg"
    frame.to_crs(25832).to_file(folder / "omrade.shp")
    with zipfile.ZipFile(folder / "omrade.zip", "w") as archive:
        for part in folder.glob("omrade.*"):
            if part.suffix != ".zip":
                archive.write(part, part.name)
    return folder / "omrade.zip"


@pytest.mark.parametrize("kind", ["geojson", "gpkg", "zipped-shapefile"])
def test_an_uploaded_file_replaces_the_area_and_is_counted(
    page, editor_server, addresses, tmp_path, kind
) -> None:
    _open_editor(page, editor_server)
    uploaded = box(10.5540, 60.3580, 10.5600, 60.3620)
    page.set_input_files("input[name=area_file]", str(_area_file(tmp_path, kind, uploaded)))
    status = _counted(page)
    assert shape(_area(page)).hausdorff_distance(uploaded) < 1e-6, "the file's area, in degrees"
    assert page.evaluate("document.querySelector('input[name=area_file]').files.length") == 0
    inside = addresses[addresses.covered_by(uploaded)]
    assert _numbers(status) == (len(inside), int(inside["bruksenheter"].sum()))
    assert page.locator(".leaflet-overlay-pane path.leaflet-interactive").count() >= 1
    bounds = page.evaluate(f"{MAP}.getBounds().toBBoxString()").split(",")
    view = box(*map(float, bounds))
    assert view.contains(uploaded) and view.area < uploaded.area * 6, "the map fits the area"


def test_an_unusable_file_is_explained_and_nothing_is_drawn(page, editor_server, tmp_path) -> None:
    _open_editor(page, editor_server)
    path = tmp_path / "notater.txt"
    path.write_text("ikke et kart")
    page.set_input_files("input[name=area_file]", str(path))
    page.wait_for_selector('.area-editor[data-state="error"]')
    assert page.locator(".area-editor__error").inner_text().strip()
    assert page.locator("textarea[name=area]").input_value() == ""
    assert page.evaluate("document.querySelector('input[name=area_file]').files.length") == 0


def test_address_points_from_zoom_16(page, editor_server, addresses) -> None:
    _open_editor(page, editor_server)
    assert page.locator(".area-editor").get_attribute("data-address-points") == "0"
    page.evaluate(f"{MAP}.setView([60.3595, 10.5580], 17, {{animate: false}})")
    page.wait_for_function(
        "() => Number(document.querySelector('.area-editor').dataset.addressPoints) > 0"
    )
    west, south, east, north = map(
        float, page.evaluate(f"{MAP}.getBounds().toBBoxString()").split(",")
    )
    shown = addresses.cx[west:east, south:north]
    assert page.locator(".area-editor").get_attribute("data-address-points") == str(len(shown))
    assert not page.locator(".area-editor__note").is_visible(), "under the cap: no zoom-in note"


def test_the_editor_with_an_existing_area_is_accessible(
    axe_page, editor_server, database_url
) -> None:
    axe_page.goto(f"{editor_server}/auth/login")
    violations = run_axe(axe_page)
    assert violations == [], describe(violations)
    _open_editor(axe_page, editor_server, _active_incident(database_url))
    status = _counted(axe_page)
    assert "adresser" in status and axe_page.locator("textarea[name=area]").input_value()
    assert axe_page.locator(".leaflet-overlay-pane path.leaflet-interactive").count() >= 2
    violations = run_axe(axe_page)
    assert violations == [], describe(violations)
    names = axe_page.locator(".leaflet-pm-toolbar .leaflet-buttons-control-button").evaluate_all(
        "buttons => buttons.map(b => b.getAttribute('aria-label'))"
    )
    assert names == ["Tegn område", "Tegn rektangel", "Flytt hjørner", "Flytt en del",
                     "Klipp hull", "Slett en del"]  # fmt: skip
    region = axe_page.locator(".area-editor__map[role=region]")
    assert region.get_attribute("aria-label") == "Kart for å tegne området"


@pytest.mark.parametrize("size", [(1280, 800), (768, 1024)])
def test_the_editor_fits_desktop_and_tablet(browser, editor_server, database_url, size) -> None:
    width, height = size
    context = browser.new_context(viewport={"width": width, "height": height}, locale="nb-NO")
    page = context.new_page()
    _open_editor(page, editor_server, _active_incident(database_url), town_view=False)
    _counted(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= width, "no sideways scroll"
    frame = page.locator(".area-editor .map-frame").bounding_box()
    assert frame["width"] >= min(width - 60, 700) and frame["height"] >= 380
    page.locator(".area-editor").scroll_into_view_if_needed()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"area-editor-{width}x{height}.png"))
    context.close()


def test_without_javascript_the_text_field_and_file_input_remain(browser, editor_server) -> None:
    context = browser.new_context(java_script_enabled=False, locale="nb-NO")
    page = context.new_page()
    page.goto(f"{editor_server}/auth/login?next=/staff/demo/incidents/new")
    page.get_by_label("E-postadresse").fill(EMAIL)
    page.get_by_label("Passord").fill(PASSWORD)
    page.get_by_role("button", name="Logg inn").click()
    page.wait_for_url("**/incidents/new")
    assert not page.locator(".area-editor").is_visible(), "no dead map without scripts"
    assert page.locator("input[name=area_file]").is_visible()
    page.locator("summary").filter(has_text="GeoJSON").click()
    assert page.locator("textarea[name=area]").is_visible()
    context.close()


def test_pasted_geojson_is_drawn_and_counted_without_the_mouse(
    page, editor_server, addresses
) -> None:
    _open_editor(page, editor_server)
    pasted = box(10.5560, 60.3575, 10.5610, 60.3610)
    text_field = page.locator("textarea[name=area]")
    page.locator("summary").filter(has_text="GeoJSON").click()
    text_field.fill(json.dumps(pasted.__geo_interface__))
    text_field.press("Tab")  # leaving the field is a change
    status = _counted(page)
    inside = addresses[addresses.covered_by(pasted)]
    assert _numbers(status) == (len(inside), int(inside["bruksenheter"].sum()))
    assert text_field.input_value() == json.dumps(pasted.__geo_interface__), "kept as written"
    drawn = page.evaluate(
        f"""() => {{ const found = [];
            {MAP}.eachLayer(l => l.pm && l.options.pmIgnore === false && found.push(l));
            return found.map(l => l.getBounds().toBBoxString()); }}"""
    )
    assert len(drawn) == 1 and box(*map(float, drawn[0].split(","))).equals(pasted)


def test_the_flat_answer_of_the_server_contract_is_shown_too(page, editor_server) -> None:
    """The count in the shape the editor's contract names, answered here by the test itself."""
    sent = []
    answer = {
        "addresses": 1,
        "dwellings": 3,
        "unknown_dwellings": 1,
        "vulnerable": [
            {"category": "school", "category_label": "Skole", "name": "Testskolen",
             "address": "Storgata 1, 2750 GRAN"},
        ],
        "subscribers": {"total": 1234, "vulnerable": 5, "sms": 1000, "voice": 4, "email": 300},
    }  # fmt: skip

    def fulfil(route) -> None:
        sent.append((route.request.post_data_json, route.request.headers.get("x-csrftoken")))
        route.fulfill(status=200, content_type="application/json", body=json.dumps(answer))

    page.route("**/area/count", fulfil)
    _open_editor(page, editor_server)
    _draw(page, "Tegn rektangel", _pixels(page, [(10.556, 60.358), (10.560, 60.361)]), close=False)
    status = _counted(page)
    assert "1 adresse, 3 boenheter (ukjent for 1 adresse)" in status
    reach = re.sub(r"\s", " ", page.locator(".area-editor__reach").inner_text())
    assert reach == (
        "Et varsel til området når 1 234 abonnenter, av dem 5 sårbare: 1 000 SMS,"
        " 4 talemeldinger, 300 e-poster."
    )
    assert _vulnerable_shown(page) == [("Skole", ["Testskolen"])]
    body, token = sent[-1]
    assert body["area"]["type"] == "MultiPolygon"
    assert token == page.locator('meta[name="csrf-token"]').get_attribute("content")
