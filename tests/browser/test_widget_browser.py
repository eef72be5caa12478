"""The widget script and the embed page on a foreign website, in a real Chromium.

The foreign site (tests/browser/foreign_site.py) is another origin with hostile CSS and a strict
Content-Security-Policy that names only our origin for scripts, connections and frames.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS
from tests.browser.conftest import AXE
from tests.browser.conftest import describe
from tests.browser.conftest import run_axe
from tests.browser.foreign_site import foreign_site

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
WIDGET_ITEMS = ".statusmap-widget >>> li"  # Playwright's CSS pierces open shadow roots anyway

# Every element inside the widget's shadow root with the computed styles a reader would notice.
# The host element itself is the widget's outer box, so it counts too.
COMPUTED = """host => [host, ...host.shadowRoot.querySelectorAll('*')].map(e => {
  const s = getComputedStyle(e);
  return [e.tagName, s.fontSize, s.color, s.fontFamily, s.display, s.lineHeight, s.margin,
          s.padding, s.textTransform, s.letterSpacing, s.wordSpacing, s.whiteSpace, s.fontStyle,
          s.textAlign, s.cursor, s.borderTopWidth, s.backgroundColor];
})"""
HOST_STYLES = """() => ['host-h2', 'host-list', 'host-p', 'host-a'].map(id => {
  const s = getComputedStyle(document.getElementById(id));
  return [id, s.fontSize, s.color, s.fontFamily, s.display, s.margin, s.padding,
          s.boxSizing, s.listStyleType, s.textDecorationLine];
})"""


@pytest.fixture(scope="module")
def foreign(live_server: str) -> Iterator[str]:
    with foreign_site(live_server) as origin:
        yield origin


def _open_widget(page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector(".statusmap-widget >> li")


def _hosts(page) -> set[str]:
    return {urlparse(url).netloc for url in page.requested if not url.startswith("data:")}


def test_incidents_appear_under_a_strict_host_csp(page, live_server, foreign) -> None:
    _open_widget(page, f"{foreign}/hostile-nb.html")
    widget = page.locator(".statusmap-widget")
    assert widget.evaluate("host => host.previousElementSibling.tagName") == "SCRIPT"
    items = widget.locator("li")
    assert items.count() == 3, "two ongoing incidents and one planned"
    assert widget.locator("h2").inner_text().startswith("Driftsmeldinger for vann og avløp")
    first = items.first
    assert first.locator(".s").inner_text() in ("Pågår", "Planlagt"), "status in words"
    assert first.locator("time").first.inner_text().endswith(("CET", "CEST"))
    assert " kl. " in first.locator("time").first.inner_text()
    link = first.locator("h3 a")
    assert link.get_attribute("href").startswith(f"{live_server}/demo/")
    assert widget.locator("section[aria-labelledby]").count() == 1
    assert widget.locator("svg[role=img] path").count() == 3, "mini map: one area per incident"
    assert widget.locator("h4").first.inner_text() == "Hva bør du gjøre?"
    assert _hosts(page) == {urlparse(foreign).netloc, urlparse(live_server).netloc}
    assert page.console_errors == [], "nothing blocked by the host's CSP"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "widget-hostile.png"), full_page=True)


def test_host_css_does_not_reach_the_widget_nor_the_widget_css_the_host(page, foreign) -> None:
    _open_widget(page, f"{foreign}/plain-nb.html")
    plain = page.locator(".statusmap-widget").evaluate(COMPUTED)
    _open_widget(page, f"{foreign}/hostile-nb.html")
    hostile = page.locator(".statusmap-widget").evaluate(COMPUTED)
    with_widget = page.evaluate(HOST_STYLES)
    assert len(plain) > 20
    assert hostile == plain, "the host page's CSS changed the widget"
    li = next(style for style in hostile if style[0] == "LI")
    assert li[4] == "block" and li[1] == "16px" and li[2] == "rgb(27, 27, 27)"
    page.goto(f"{foreign}/hostile-bare.html")
    assert page.evaluate(HOST_STYLES) == with_widget, "the widget's CSS changed the host page"
    assert with_widget[0][1] == "40px" and with_widget[0][2] == "rgb(255, 0, 0)"


def test_data_target_and_options(page, foreign) -> None:
    page.goto(f"{foreign}/target.html")
    page.wait_for_selector("#slot .statusmap-widget >> li")
    widget = page.locator("#slot .statusmap-widget")
    assert widget.locator("li").count() == 3
    assert widget.locator("svg").count() == 0, "data-map=false"
    assert widget.locator("h4").count() == 0, "compact: no advice"
    assert widget.locator("ul").count() == 1 and widget.locator("ol").count() == 0


def test_english_labels_and_times(page, foreign) -> None:
    _open_widget(page, f"{foreign}/hostile-en.html")
    widget = page.locator(".statusmap-widget")
    assert widget.locator("section").get_attribute("lang") == "en"
    assert widget.locator("h2").inner_text().startswith("Water and wastewater service notices")
    assert widget.locator("h4").first.inner_text() == "What should you do?"
    text = widget.locator("time").first.inner_text()
    assert ", " in text and " kl. " not in text and text.endswith(("CET", "CEST"))


def _axe_in_shadow(page) -> dict:
    page.add_script_tag(path=str(AXE))
    return page.evaluate(
        """async () => await axe.run(
            {include: [{fromShadowDom: ['div.statusmap-widget', 'section']}]},
            {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa',
                                             'best-practice']}})"""
    )


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
@pytest.mark.parametrize("lang", ["nb", "en"])
def test_axe_inside_the_shadow_root(axe_page, foreign, lang, viewport) -> None:
    axe_page.set_viewport_size(viewport)
    _open_widget(axe_page, f"{foreign}/hostile-{lang}.html")
    result = _axe_in_shadow(axe_page)
    assert result["violations"] == [], describe(result["violations"])
    checked = [n["target"] for rule in result["passes"] for n in rule["nodes"]]
    assert any(isinstance(t[0], list) for t in checked), "axe looked inside the shadow root"
    assert any(rule["id"] == "color-contrast" for rule in result["passes"])


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
@pytest.mark.parametrize("lang", ["nb", "en"])
def test_axe_on_the_embed_page(axe_page, live_server, lang, viewport) -> None:
    axe_page.set_viewport_size(viewport)
    axe_page.goto(f"{live_server}/embed/demo?lang={lang}")
    axe_page.wait_for_selector("svg[role=img]")
    violations = run_axe(axe_page)
    assert violations == [], describe(violations)
    width = axe_page.evaluate("document.documentElement.scrollWidth")
    assert width <= viewport["width"], "no sideways scrolling"


def test_the_embed_page_loads_in_a_foreign_iframe_and_the_full_page_does_not(
    page, live_server, foreign
) -> None:
    page.goto(f"{foreign}/iframe.html")
    embed = page.frame_locator("#embed")
    embed.locator("h1").wait_for()
    assert embed.locator("h1").inner_text().startswith("Water and wastewater service notices")
    assert embed.locator("li").count() == 3
    assert embed.locator("h2 a").first.get_attribute("target") == "_top"
    full = page.frame(url=f"{live_server}/demo/")
    blocked = full is None or full.evaluate("document.querySelectorAll('article').length") == 0
    assert blocked, "the full page refuses to be framed by another site"
    assert _hosts(page) == {urlparse(foreign).netloc, urlparse(live_server).netloc}
    page.screenshot(path=str(ARTIFACTS / "widget-iframe.png"), full_page=True)


def _drop_first_feature(route) -> None:
    response = route.fetch()
    collection = response.json()
    collection["features"] = collection["features"][1:]
    route.fulfill(response=response, json=collection)


def _is_geojson(request) -> bool:
    return "/incidents.geojson" in request.url


def test_a_change_is_shown_and_announced_without_flicker(page, live_server, foreign) -> None:
    """Every three minutes the widget asks again; the list is redrawn only when it changed."""
    page.clock.install()
    _open_widget(page, f"{foreign}/hostile-nb.html")
    widget = page.locator(".statusmap-widget")
    widget.locator("li").first.evaluate("li => { li.dataset.seen = 'yes'; }")
    with page.expect_request(_is_geojson):  # the first stamp is new to the widget: a refetch
        page.clock.run_for(180_000)
    page.wait_for_timeout(300)
    assert widget.locator("li").first.get_attribute("data-seen") == "yes", "unchanged: kept"
    live = widget.locator("[aria-live=polite]")
    assert live.inner_text() == ""
    page.route(f"{live_server}/api/v1/demo/incidents.geojson*", _drop_first_feature)
    # The stamp moves on (as a publish or a resolve moves it), so the widget fetches again.
    page.route(
        f"{live_server}/api/v1/demo/changes", lambda route: route.fulfill(json={"serial": 10**9})
    )
    page.clock.run_for(180_000)
    expect(widget.locator("li")).to_have_count(2)
    expect(live).to_have_text("Driftsmeldingene er oppdatert: 2 hendelser.")
    assert widget.locator("svg path").count() == 2


def test_a_change_stamp_saves_the_refetch_when_nothing_changed(page, live_server, foreign) -> None:
    page.clock.install()
    stamps = []

    def stamp(route) -> None:
        stamps.append(route.request.url)
        route.fulfill(json={"serial": 7})

    page.route(f"{live_server}/api/v1/demo/changes", stamp)
    _open_widget(page, f"{foreign}/hostile-nb.html")
    with page.expect_request(_is_geojson):  # the first stamp is new to the widget: one refetch
        page.clock.run_for(180_000)
    page.clock.run_for(180_000)  # the same stamp twice: nothing more
    page.clock.run_for(180_000)
    page.wait_for_timeout(500)
    assert len(stamps) == 3
    assert len([url for url in page.requested if "/incidents.geojson" in url]) == 2
