"""The whole staff flow in a real Chromium: log in, draw a zone with the mouse, save the draft,
publish it, see it on the public page and in the GeoJSON with the vertices as clicked and the
count of an independent geopandas count; two editors at once (the second save refused, showing
what changed); resolve. Then the same publish flow by keyboard alone, and axe on every page."""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator

import pytest
from shapely.geometry import Polygon
from shapely.geometry import mapping
from sqlalchemy import select

from statusmap import create_app
from statusmap.auth.accounts import create_user
from statusmap.auth.accounts import find_user
from statusmap.auth.accounts import grant_role
from statusmap.db import get_db
from statusmap.models import Municipality
from statusmap.models import Role
from statusmap.models.audit import Actor
from tests.browser.conftest import describe
from tests.browser.conftest import run_axe
from tests.browser.conftest import serve
from tests.browser.test_area_editor_browser import MAP
from tests.browser.test_area_editor_browser import _counted
from tests.browser.test_area_editor_browser import _numbers
from tests.browser.test_area_editor_browser import _pixels
from tests.browser.test_area_editor_browser import _places
from tests.browser.test_area_editor_browser import _signed_area
from tests.browser.test_area_editor_browser import addresses  # noqa: F401  (a fixture)
from tests.conftest import new_postgis_database
from tests.conftest import prepare_database

pytestmark = pytest.mark.browser

PASSWORD = "hele-flyten-i-nettleseren"
KARI, OLA, ADMIN = "kari.flyt@example.com", "ola.flyt@example.com", "admin.flyt@example.com"
# A quadrilateral south-west in the demo town, away from the demo's own zones' labels.
ZONE = [(10.5480, 60.3540), (10.5560, 60.3538), (10.5575, 60.3580), (10.5490, 60.3585)]


@pytest.fixture(scope="module", params=["sqlite", "postgis"])
def flow_database(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A database of this module's own: the flow publishes incidents other tests must not see."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('flow') / 'statusmap.sqlite3'}"
        prepare_database(url)
        yield url
        return
    with new_postgis_database(request.getfixturevalue("postgis_server")) as url:
        prepare_database(url)
        yield url


@pytest.fixture(scope="module")
def flow_server(flow_database: str) -> Iterator[str]:
    """The demo with no tiles, two editors and an admin in the served database."""
    database_url = flow_database
    app = create_app({"DATABASE_URL": database_url, "TESTING": True, "SECRET_KEY": "test"})
    with app.app_context():
        session = get_db(app).session()
        demo = session.scalar(select(Municipality).where(Municipality.slug == "demo"))
        for email, role in ((KARI, Role.EDITOR), (OLA, Role.EDITOR), (ADMIN, Role.ADMIN)):
            if find_user(session, email) is None:
                user = create_user(session, email=email, password=PASSWORD, actor=Actor("test"))
                grant_role(session, user, demo, role, actor=Actor("test"))
        session.commit()
    get_db(app).engine.dispose()
    with serve(database_url, TILE_LAYERS=[]) as url:
        yield url


def _log_in(page, base: str, email: str, path: str) -> None:
    page.goto(f"{base}/auth/login?next={path}")
    page.get_by_label("E-postadresse").fill(email)
    page.get_by_label("Passord").fill(PASSWORD)
    page.get_by_role("button", name="Logg inn").click()
    page.wait_for_url(f"**{path}")


def _public_feature(base: str, title: str) -> dict | None:
    with urllib.request.urlopen(f"{base}/api/v1/demo/incidents.geojson", timeout=30) as answer:
        collection = json.loads(answer.read())
    return next((f for f in collection["features"] if f["properties"]["title"] == title), None)


def _draw_zone(page) -> list[tuple[float, float]]:
    page.wait_for_selector(".area-editor[data-state]")
    page.locator(".area-editor .map-frame").scroll_into_view_if_needed()
    page.evaluate(f"{MAP}.setView([60.3560, 10.5530], 16, {{animate: false}})")
    pixels = _pixels(page, ZONE)
    page.get_by_role("button", name="Tegn område", exact=True).click()
    for x, y in pixels:
        page.mouse.click(x, y)
    page.mouse.click(*pixels[0])
    return _places(page, pixels)


def test_draw_publish_see_it_edit_twice_and_resolve(browser, flow_server, addresses) -> None:  # noqa: F811
    base, title = flow_server, "Vannavstenging ved skolen (nettlesertest)"
    kari = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nb-NO")
    page = kari.new_page()
    _log_in(page, base, KARI, "/staff/demo/incidents/new")
    clicked = _draw_zone(page)
    live = _numbers(_counted(page))
    page.get_by_label("Type hendelse").select_option("shutdown")
    page.locator("#title_nb").fill(title)
    page.get_by_role("button", name="Lagre utkast").click()
    page.wait_for_url("**/staff/demo/incidents/*")
    assert _public_feature(base, title) is None  # a draft is not public
    page.get_by_role("button", name="Publiser nå").first.click()
    page.wait_for_selector("text=Hendelsen er publisert.")

    feature = _public_feature(base, title)
    assert feature is not None, "published, but not in the GeoJSON"
    ring = feature["geometry"]["coordinates"][0][0]
    assert _signed_area(ring) > 0  # RFC 7946: the exterior ring counter-clockwise
    assert len(ring) == len(clicked) + 1 and ring[0] == ring[-1]
    for place in clicked:  # every clicked vertex is stored where it was clicked
        assert min(abs(v[0] - place[0]) + abs(v[1] - place[1]) for v in ring) < 1e-7, place
    polygon = Polygon(ring)
    expected = int(addresses.covered_by(polygon).sum())
    assert live[0] == expected
    summary = page.locator(".affected").inner_text()
    assert f"{expected} adresser" in summary.replace("\u00a0", " ")
    public = page.context.new_page()
    public.goto(f"{base}/demo/")
    assert title in public.locator("main").inner_text()

    # Ola opens the same version; Kari saves first; Ola's save is refused, showing her change.
    ola = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nb-NO")
    other = ola.new_page()
    _log_in(other, base, OLA, page.url.removeprefix(base))
    page.locator("#title_nb").fill(title + " til kl. 15")
    page.get_by_role("button", name="Lagre endringer").click()
    page.wait_for_selector("text=Endringene er lagret.")
    other.locator("#summary_nb").fill("Olas melding")
    other.get_by_role("button", name="Lagre endringer").click()
    conflict = other.locator("#conflict")
    conflict.wait_for()
    shown = conflict.inner_text()
    assert "Noen andre har endret hendelsen" in shown
    assert KARI in shown and "Tittel (bokmål)" in shown and "til kl. 15" in shown
    assert other.locator("#summary_nb").input_value() == "Olas melding"  # nothing lost
    assert _public_feature(base, title + " til kl. 15") is not None

    page.reload()
    page.locator("#resolve-heading").scroll_into_view_if_needed()
    page.locator("textarea[name=body_nb]").last.fill(
        "Vannet er tilbake. Tapp kaldt vann til det er klart."
    )
    page.get_by_role("button", name="Avslutt", exact=True).click()
    page.wait_for_selector("text=Hendelsen er avsluttet.")
    assert _public_feature(base, title + " til kl. 15") is None  # no longer current
    kari.close()
    ola.close()


def _tab_to(page, selector: str, limit: int = 400) -> None:
    """Press Tab until the element is focused, as a keyboard user moves through the page."""
    target = page.locator(selector).first
    for _ in range(limit):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"{selector} cannot be reached with Tab")


def test_the_publish_flow_works_by_keyboard_alone(page, flow_server) -> None:
    base, title = flow_server, "Kokepålegg, tastaturtest"
    page.goto(f"{base}/auth/login?next=/staff/demo/incidents/new")
    _tab_to(page, "#email")
    page.keyboard.type(KARI)
    _tab_to(page, "#password")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/staff/demo/incidents/new")
    _tab_to(page, "#kind")
    page.keyboard.press("Home")  # the first kind: boil water
    _tab_to(page, "summary.area-geojson, .area-geojson summary")
    page.keyboard.press("Enter")  # opens the GeoJSON field
    _tab_to(page, "textarea[name=area]")
    area = Polygon(ZONE)
    page.keyboard.insert_text(json.dumps(mapping(area)))
    _tab_to(page, "#title_nb")
    page.keyboard.type(title)
    _tab_to(page, "button[type=submit]:has-text('Lagre utkast')")
    page.keyboard.press("Enter")
    page.wait_for_url("**/staff/demo/incidents/*")
    _tab_to(page, "button:has-text('Publiser nå')")
    page.keyboard.press("Enter")
    page.wait_for_selector("text=Hendelsen er publisert.")
    feature = _public_feature(base, title)
    assert feature is not None and feature["properties"]["kind"] == "boil_water"


@pytest.mark.parametrize(
    "path",
    ["/auth/login", "/staff/demo/", "/staff/demo/admin/users", "/staff/demo/admin/audit",
     "/staff/demo/admin/templates/boil_water", "/staff/demo/admin/settings", "/auth/password",
     "/staff/demo/admin/open311"],
)  # fmt: skip
def test_staff_pages_have_no_axe_violations(axe_page, flow_server, path: str) -> None:
    if path != "/auth/login":
        _log_in(axe_page, flow_server, ADMIN, path)
    else:
        axe_page.goto(flow_server + path)
    violations = run_axe(axe_page)
    assert violations == [], describe(violations)


def test_an_incident_page_with_its_actions_has_no_axe_violations(axe_page, flow_server) -> None:
    _log_in(axe_page, flow_server, ADMIN, "/staff/demo/")
    axe_page.locator("table a").first.click()
    axe_page.wait_for_selector("#lifecycle-heading")
    violations = run_axe(axe_page)
    assert violations == [], describe(violations)
