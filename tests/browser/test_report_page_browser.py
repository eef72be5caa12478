"""The report page in a real browser: a tap on the map, or the address with JavaScript off,
ends on the confirmation with a reference; the page and the confirmation pass axe-core
(WCAG 2.1 AA) on a phone and a desktop, in bokmål and English."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from sqlalchemy import select

from statusmap.db import get_db
from statusmap.models import Report
from tests.browser.conftest import _page
from tests.browser.conftest import describe
from tests.browser.conftest import run_axe
from tests.browser.conftest import serve
from tests.browser.test_staff_flow_browser import flow_database  # noqa: F401  (a fixture)
from tests.conftest import rolled_back_app

pytestmark = pytest.mark.browser

PAGE = "/demo/meld-fra"
MAP = "window[document.querySelector('.report-form .folium-map').id]"
REFERENCE = re.compile(r"^[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}$")
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 800}}


@pytest.fixture(scope="module")
def report_server(flow_database: str) -> Iterator[str]:  # noqa: F811
    """The demo served from a database of this module's own, with room for many reports."""
    limits = {"REPORT_LIMIT_PER_CLIENT": "1000/minute", "REPORT_LIMIT_PER_AREA": "1000/minute"}
    with serve(flow_database, TILE_LAYERS=[], **limits) as url:
        yield url


def _stored(database_url: str, shown_reference: str) -> Report:
    with rolled_back_app(database_url) as app, app.app_context():
        session = get_db(app).session()
        reference = shown_reference.replace("-", "")
        report = session.scalars(select(Report).where(Report.reference == reference)).one()
        session.expunge(report)
        return report


def _confirmed_reference(page) -> str:  # type: ignore[no-untyped-def]
    page.wait_for_load_state()
    if not page.locator("[data-reference]").count():
        raise AssertionError(page.locator("main").inner_text())
    page.wait_for_selector("[data-reference]")
    assert page.locator("h1").inner_text() == "Takk for meldingen"
    reference = page.locator("[data-reference]").inner_text().strip()
    assert REFERENCE.match(reference), reference
    return reference


def test_a_tap_on_the_map_sends_that_point(
    browser,
    report_server: str,
    flow_database: str,  # noqa: F811
) -> None:
    context, page = _page(browser, viewport=VIEWPORTS["phone"])
    try:
        page.goto(report_server + PAGE)
        page.wait_for_selector(".report-form__map .leaflet-container", state="visible")
        page.get_by_label("Lavt trykk").check()
        box = page.locator(".report-form .folium-map").bounding_box()
        page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        assert page.locator(".report-form__point").inner_text() == (
            "Du har valgt et punkt i kartet."
        )
        tapped = page.evaluate(
            f"""() => {{ const m = {MAP}; const s = m.getSize();
                return m.containerPointToLatLng([s.x / 2, s.y / 2]); }}"""
        )
        page.get_by_role("button", name="Send meldingen").click()
        report = _stored(flow_database, _confirmed_reference(page))
        assert report.kind.value == "low_pressure" and report.address_id is None
        assert abs(report.location.y - tapped["lat"]) < 1e-5
        assert abs(report.location.x - tapped["lng"]) < 1e-5
        assert page.console_errors == []
    finally:
        context.close()


def test_without_javascript_the_address_sends_the_report(
    browser,
    report_server: str,
    flow_database: str,  # noqa: F811
) -> None:
    context, page = _page(browser, java_script_enabled=False)
    try:
        found = page.request.get(report_server + "/api/v1/demo/addresses?q=Møllegata").json()
        address = found["addresses"][0]
        page.goto(report_server + PAGE)
        assert not page.locator(".report-form__map").is_visible()
        page.get_by_label("Ingen vann").check()
        page.get_by_role("textbox", name="Adresse", exact=True).fill(address["label"])
        page.get_by_role("button", name="Send meldingen").click()
        report = _stored(flow_database, _confirmed_reference(page))
        assert report.kind.value == "no_water" and report.address_id == address["id"]
    finally:
        context.close()


def test_the_time_field_shows_when_wanted_and_mistakes_get_the_focus(
    browser, report_server: str
) -> None:
    context, page = _page(browser, viewport=VIEWPORTS["phone"])
    try:
        page.goto(report_server + PAGE)
        time_field = page.get_by_label("Tidspunkt", exact=True)
        assert not time_field.is_visible()  # "just now" is chosen
        page.get_by_label("Et annet tidspunkt").check()
        assert time_field.is_visible()
        page.get_by_label("Nå nettopp").check()
        assert not time_field.is_visible()
        page.get_by_role("button", name="Send meldingen").click()  # nothing chosen, no place
        page.wait_for_load_state()
        focused = page.evaluate("document.activeElement.className")
        assert focused == "error-summary"
        assert page.locator(".error-summary li").count() == 2
        # The refused page itself comes with 422, which Chromium logs; nothing else may fail.
        assert [e for e in page.console_errors if "status of 422" not in e] == []
    finally:
        context.close()


@pytest.mark.parametrize("language", ["nb", "en"])
@pytest.mark.parametrize("viewport", sorted(VIEWPORTS))
def test_the_report_page_and_its_confirmation_pass_axe(
    browser, report_server: str, viewport: str, language: str
) -> None:
    context, page = _page(browser, bypass_csp=True, viewport=VIEWPORTS[viewport])
    try:
        page.goto(f"{report_server}{PAGE}?lang={language}")
        page.wait_for_selector(".report-form__map .leaflet-container", state="visible")
        violations = run_axe(page)
        assert violations == [], describe(violations)
        page.locator("input[name=kind]").first.check()
        box = page.locator(".report-form .folium-map").bounding_box()
        page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        page.locator("button[type=submit]").click()
        page.wait_for_selector("[data-reference]")
        assert page.locator("html").get_attribute("lang") == language
        violations = run_axe(page)
        assert violations == [], describe(violations)
    finally:
        context.close()
