"""The public page in a real Chromium: map drawn, list shown, accessible, self-contained."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest

from tests.browser.conftest import ARTIFACTS
from tests.browser.conftest import describe
from tests.browser.conftest import run_axe

pytestmark = pytest.mark.browser


def test_map_and_list_render_from_this_host_only(page, live_server) -> None:
    page.goto(f"{live_server}/demo/")
    page.wait_for_selector(".leaflet-container")
    # The boundary and the three current zones are drawn as SVG paths.
    page.wait_for_function("document.querySelectorAll('.leaflet-overlay-pane path').length >= 4")
    assert page.locator(".leaflet-overlay-pane path").count() == 4
    cards = page.locator("article.incident")
    assert cards.count() == 4
    assert page.locator("#active-heading").inner_text().startswith("Pågående hendelser")
    assert page.locator("html").get_attribute("lang") == "nb"
    hosts = {urlparse(url).netloc for url in page.requested if not url.startswith("data:")}
    assert hosts == {urlparse(live_server).netloc}
    assert page.console_errors == [], "the page runs under its CSP without errors"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "public-page.png"), full_page=True)


@pytest.mark.parametrize("width, height", [(390, 844), (1280, 800)], ids=["phone", "desktop"])
@pytest.mark.parametrize("lang", ["nb", "nn", "en"])
def test_axe_finds_no_violations(browser, live_server, lang, width, height) -> None:
    context = browser.new_context(viewport={"width": width, "height": height}, bypass_csp=True)
    page = context.new_page()
    page.goto(f"{live_server}/demo/?lang={lang}")
    page.wait_for_selector(".leaflet-overlay-pane path")
    violations = run_axe(page)
    context.close()
    assert violations == [], describe(violations)


def test_axe_on_a_320px_screen(browser, live_server) -> None:
    """WCAG's reflow width: 320 CSS pixels."""
    context = browser.new_context(viewport={"width": 320, "height": 640}, bypass_csp=True)
    page = context.new_page()
    page.goto(f"{live_server}/demo/")
    page.wait_for_selector(".leaflet-overlay-pane path")
    violations = run_axe(page)
    assert violations == [], describe(violations)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320, "no sideways scrolling"
    context.close()


def test_zones_have_names_and_show_their_tooltip_on_focus(page, live_server) -> None:
    page.goto(f"{live_server}/demo/?lang=en")
    page.wait_for_selector(".leaflet-overlay-pane path[aria-label]")
    names = page.locator(".leaflet-overlay-pane path").evaluate_all(
        "paths => paths.map(p => p.getAttribute('aria-label'))"
    )
    assert len(names) == 4 and names.count(None) == 1, "three zones named, the boundary inert"
    assert any(n and n.startswith("Boil-water notice (Ongoing). ") for n in names)  # phrases
    assert any(n and n.startswith("Planned works (Scheduled)") for n in names)
    page.locator(".leaflet-overlay-pane path[aria-label]").first.focus()
    assert page.locator(".leaflet-tooltip").count() == 1
    assert page.locator(".leaflet-control-zoom-in").get_attribute("aria-label") == "Zoom in"
    assert page.console_errors == [], "no script blocked by the Content Security Policy"


def test_keyboard_reaches_content_through_the_skip_link(page, live_server) -> None:
    page.goto(f"{live_server}/demo/")
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    assert skip.evaluate("el => el === document.activeElement")
    assert skip.is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_without_javascript_the_list_is_all_there(browser, live_server) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server}/demo/")
    cards = page.locator("article.incident")
    assert cards.count() == 4
    for index in range(4):
        assert cards.nth(index).locator("h3").is_visible()
    assert page.locator(".incident__advice").first.is_visible()
    # (Chromium with scripting switched off by Playwright still parses <noscript> as text, so the
    # fallback note is checked in the HTML by the integration tests, not here.)
    context.close()


def test_narrow_phone_screen_shows_the_list_first(browser, live_server) -> None:
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True)
    page = context.new_page()
    page.goto(f"{live_server}/demo/")
    first_card = page.locator("article.incident").first.bounding_box()
    map_box = page.locator(".map-frame").bounding_box()
    assert first_card["y"] < map_box["y"]
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, "no sideways scrolling"
    page.screenshot(path=str(ARTIFACTS / "public-page-phone.png"), full_page=True)
    context.close()
