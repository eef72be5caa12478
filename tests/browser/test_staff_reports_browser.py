"""Reports on the staff map in a real Chromium: the points drawn (clustered, with words), a
filter by kind, two reports selected from the list and made a draft incident that opens in the
editor; axe-core on the reports page at desktop width."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from shapely.geometry import Point
from shapely.geometry import shape
from sqlalchemy import select

from statusmap import create_app
from statusmap.auth.accounts import create_user
from statusmap.auth.accounts import grant_role
from statusmap.db import get_db
from statusmap.models import Incident
from statusmap.models import Municipality
from statusmap.models import ReportKind
from statusmap.models import Role
from statusmap.models.audit import Actor
from tests.browser.conftest import describe
from tests.browser.conftest import run_axe
from tests.browser.conftest import serve
from tests.conftest import prepare_database
from tests.report_helpers import make_report

pytestmark = pytest.mark.browser

PASSWORD = "meldinger-i-nettleseren"
EDITOR = "kari.meldinger@example.com"
REPORTS = [
    (10.556, 60.361, ReportKind.NO_WATER),
    (10.561, 60.362, ReportKind.NO_WATER),
    (10.559, 60.3645, ReportKind.LEAK_SEEN),
]


@pytest.fixture(scope="module")
def reports_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str, list]]:
    """A database of this module's own with three reports and an editor, served."""
    url = f"sqlite:///{tmp_path_factory.mktemp('reports') / 'statusmap.sqlite3'}"
    prepare_database(url)
    app = create_app({"DATABASE_URL": url, "TESTING": True, "SECRET_KEY": "test"})
    with app.app_context():
        session = get_db(app).session()
        demo = session.scalar(select(Municipality).where(Municipality.slug == "demo"))
        assert demo is not None
        user = create_user(session, email=EDITOR, password=PASSWORD, actor=Actor("test"))
        grant_role(session, user, demo, Role.EDITOR, actor=Actor("test"))
        made = [make_report(session, demo, lon, lat, kind) for lon, lat, kind in REPORTS]
        references = [report.reference for report in made]
        session.commit()
    get_db(app).engine.dispose()
    with serve(url, TILE_LAYERS=[]) as base:
        yield base, url, references


def _log_in(page, base: str, path: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{base}/auth/login?next={path}")
    page.get_by_label("E-postadresse").fill(EDITOR)
    page.get_by_label("Passord").fill(PASSWORD)
    page.get_by_role("button", name="Logg inn").click()
    page.wait_for_url(f"**{path}")


def _points_shown(page) -> int:  # type: ignore[no-untyped-def]
    page.wait_for_selector(".reports-map[data-points]", state="attached", timeout=10_000)
    return int(page.locator(".reports-map").get_attribute("data-points") or -1)


def test_staff_filter_select_and_make_a_draft(page, reports_server) -> None:  # type: ignore[no-untyped-def]
    base, url, references = reports_server
    _log_in(page, base, "/staff/demo/reports")
    page.wait_for_timeout(1500)
    assert not page.console_errors, page.console_errors
    assert page.locator(".reports-map").get_attribute("data-failed") is None, page.locator(
        ".reports-map"
    ).get_attribute("data-failed")
    assert _points_shown(page) == 3
    # Drawn on the map: points or clusters, each a button with a name in words.
    drawn = page.locator(".reports-map .leaflet-marker-icon")
    assert drawn.count() >= 1
    names = [
        drawn.nth(i).text_content() or drawn.nth(i).get_attribute("title")
        for i in range(drawn.count())
    ]
    assert all(names), names
    assert page.get_by_text("Vann i gata eller lekkasje").first.is_visible()  # the legend

    page.get_by_label("Ingen vann").uncheck()
    page.get_by_role("button", name="Vis meldingene").click()
    page.wait_for_url("**kind=leak_seen**")
    assert _points_shown(page) == 1
    marker = page.locator(".reports-map .report-point")
    assert marker.count() == 1 and "Vann i gata" in (marker.get_attribute("title") or "")
    marker.click()
    assert page.locator(".leaflet-popup-content").get_by_text("Vis detaljer").is_visible()

    page.goto(f"{base}/staff/demo/reports")
    assert _points_shown(page) == 3
    page.get_by_label(f"Velg melding {references[0]}").check()
    page.get_by_label(f"Velg melding {references[1]}").check()
    page.get_by_role("button", name="Lag utkast til hendelse").click()
    page.wait_for_url("**/staff/demo/incidents/*")
    assert page.locator("#title_nb").input_value() == "Meldinger fra innbyggere (2)"
    assert not page.console_errors, page.console_errors

    incident_id = int(page.url.rstrip("/").split("/")[-1])
    app = create_app({"DATABASE_URL": url, "TESTING": True, "SECRET_KEY": "test"})
    with app.app_context():
        incident = get_db(app).session().get_one(Incident, incident_id)
        area = shape(incident.area.__geo_interface__)
    get_db(app).engine.dispose()
    for lon, lat, _kind in REPORTS[:2]:
        assert area.contains(Point(lon, lat))
    assert not area.contains(Point(*REPORTS[2][:2]))


def test_the_reports_page_has_no_axe_violations(axe_page, reports_server) -> None:  # type: ignore[no-untyped-def]
    base, _url, _refs = reports_server
    _log_in(axe_page, base, "/staff/demo/reports")
    assert _points_shown(axe_page) >= 1
    violations = run_axe(axe_page)
    assert not violations, describe(violations)


def test_the_editor_map_shows_the_reports_over_the_area(page, reports_server) -> None:  # type: ignore[no-untyped-def]
    """On the incident editor, the last day's reports can be switched on over the area being
    drawn: the same markers, a view only (the area the form sends does not change)."""
    base, _url, _refs = reports_server
    _log_in(page, base, "/staff/demo/incidents/new")
    overlay = page.locator(".reports-overlay")
    area_before = page.locator("textarea[name=area]").input_value()
    assert overlay.locator(".reports-overlay__heat").is_disabled()
    page.get_by_label("Vis meldinger fra innbyggere (siste døgn)").check()
    page.wait_for_selector(".reports-overlay[data-points]", state="attached", timeout=10_000)
    assert overlay.get_attribute("data-points") == "3"
    assert overlay.get_by_text("3 meldinger vist på kartet").is_visible()
    drawn = page.locator(".area-editor .leaflet-marker-icon")
    assert drawn.count() >= 1
    page.get_by_label("Vis varmekart").check()
    assert page.locator(".area-editor canvas.leaflet-heatmap-layer").count() == 1
    page.get_by_label("Vis meldinger fra innbyggere (siste døgn)").uncheck()
    assert page.locator(".area-editor .report-point, .area-editor .marker-cluster").count() == 0
    assert page.locator("textarea[name=area]").input_value() == area_before
    assert not page.console_errors, page.console_errors


REPORTS_MAP = "window[document.querySelector('.reports-map .folium-map').id]"


def test_reports_inside_a_drawn_rectangle_are_selected(page, reports_server) -> None:  # type: ignore[no-untyped-def]
    """ "Velg med rektangel": the two reports inside the rectangle drawn are ticked in the list,
    the third (outside) is not, and the status line says how many were picked."""
    base, _url, references = reports_server
    _log_in(page, base, "/staff/demo/reports")
    assert _points_shown(page) == 3
    page.locator(".reports-map .map-frame").scroll_into_view_if_needed()
    page.evaluate(f"{REPORTS_MAP}.setView([60.3625, 10.5585], 15, {{animate: false}})")
    page.get_by_role("button", name="Velg med rektangel").click()
    page.locator(".reports-map .map-frame").scroll_into_view_if_needed()
    corners = [
        tuple(page.evaluate(
            f"""([lon, lat]) => {{
                const p = {REPORTS_MAP}.latLngToContainerPoint([lat, lon]);
                const r = {REPORTS_MAP}.getContainer().getBoundingClientRect();
                return [Math.round(p.x + r.left), Math.round(p.y + r.top)];
            }}""",
            [lon, lat],
        ))
        for lon, lat in [(10.553, 60.3600), (10.564, 60.3632)]
    ]  # fmt: skip
    for x, y in corners:
        page.mouse.click(x, y)
    page.wait_for_selector(".reports-map[data-picked]", state="attached", timeout=5_000)
    assert page.locator(".reports-map").get_attribute("data-picked") == "2"
    assert page.get_by_label(f"Velg melding {references[0]}").is_checked()
    assert page.get_by_label(f"Velg melding {references[1]}").is_checked()
    assert not page.get_by_label(f"Velg melding {references[2]}").is_checked()
    assert page.get_by_text("2 valgt innenfor omrisset").count() == 1
    assert not page.console_errors, page.console_errors
