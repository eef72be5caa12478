"""An incident's page and the archive in a real Chromium: accessible at phone and desktop widths
in bokmål and English, the area drawn on the map, and the archive searched without JavaScript."""

from __future__ import annotations

import pytest

from tests.browser.conftest import ARTIFACTS
from tests.browser.conftest import describe
from tests.browser.conftest import run_axe

pytestmark = pytest.mark.browser

WIDTHS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 800}}


def _incident_url(page, live_server: str) -> str:
    """The boil-water notice's page, found as a resident finds it: from its card's link."""
    page.goto(f"{live_server}/demo/")
    href = page.locator("article.incident--active h3 a").first.get_attribute("href")
    assert href and href.startswith("/demo/hendelse/")
    return f"{live_server}{href}"


@pytest.mark.parametrize("lang", ["nb", "en"])
@pytest.mark.parametrize("width", WIDTHS)
def test_axe_finds_nothing_on_an_incident_page(browser, live_server, lang, width) -> None:
    context = browser.new_context(viewport=WIDTHS[width], bypass_csp=True, locale="nb-NO")
    page = context.new_page()
    page.goto(f"{_incident_url(page, live_server)}?lang={lang}")
    page.wait_for_selector(".leaflet-overlay-pane path[aria-label]")
    violations = run_axe(page)
    assert violations == [], describe(violations)
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTHS[width]["width"]
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"incident-page-{width}-{lang}.png"), full_page=True)
    context.close()


@pytest.mark.parametrize("lang", ["nb", "en"])
@pytest.mark.parametrize("width", WIDTHS)
def test_axe_finds_nothing_on_the_archive(browser, live_server, lang, width) -> None:
    context = browser.new_context(viewport=WIDTHS[width], bypass_csp=True, locale="nb-NO")
    page = context.new_page()
    # A search with a wrong field too: the error messages must be accessible as well.
    page.goto(f"{live_server}/demo/arkiv?lang={lang}&gate=stasjonsvegen&fra=2000-13-01")
    assert page.locator(".archive-item").count() == 1
    assert page.locator("#fra[aria-invalid=true]").count() == 1
    violations = run_axe(page)
    assert violations == [], describe(violations)
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTHS[width]["width"]
    page.screenshot(path=str(ARTIFACTS / f"archive-{width}-{lang}.png"), full_page=True)
    context.close()


def test_the_map_frames_the_incident_area_under_its_csp(page, live_server) -> None:
    page.goto(_incident_url(page, live_server))
    page.wait_for_selector(".leaflet-overlay-pane path[aria-label]")
    paths = page.locator(".leaflet-overlay-pane path")
    assert paths.count() == 2, "the boundary and the incident's area"
    name = page.locator(".leaflet-overlay-pane path[aria-label]").get_attribute("aria-label")
    assert name and name.startswith("Kokepålegg (Pågår)")
    assert page.console_errors == [], "no script blocked by the Content Security Policy"


def test_the_archive_search_works_without_javascript(browser, live_server) -> None:
    context = browser.new_context(java_script_enabled=False, locale="nb-NO")
    page = context.new_page()
    page.goto(f"{live_server}/demo/")
    page.get_by_role("link", name="Arkiv over løste hendelser").click()
    page.wait_for_url("**/demo/arkiv")
    page.get_by_label("Gate").fill("STASJONSVEGEN")
    page.get_by_role("button", name="Søk").click()
    page.wait_for_url("**/demo/arkiv?*gate=STASJONSVEGEN*")
    results = page.locator(".archive-item a")
    assert results.count() == 1
    assert results.first.inner_text() == "Misfarget vann rundt Stasjonsvegen og Sagvegen"
    page.get_by_label("Gate").fill("finnesikke")
    page.get_by_role("button", name="Søk").click()
    page.wait_for_url("**gate=finnesikke*")
    assert page.locator(".archive-item").count() == 0
    assert page.get_by_text("Ingen gate i kommunen passer «finnesikke».").is_visible()
    page.go_back()
    page.locator(".archive-item a").first.click()
    page.wait_for_url("**/demo/hendelse/*")
    assert page.locator("h1").inner_text() == "Misfarget vann rundt Stasjonsvegen og Sagvegen"
    assert page.locator("dl dt:text-is('Løst')").is_visible()
    context.close()
