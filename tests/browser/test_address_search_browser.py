"""'Er adressen din berørt?' in a real Chromium: suggestions by keyboard, the form without
JavaScript, and the result page accessible at phone and desktop sizes."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import describe
from tests.browser.conftest import run_axe

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}


def test_a_suggestion_picked_by_keyboard_gives_the_answer(page, live_server) -> None:
    page.goto(f"{live_server}/demo/")
    field = page.get_by_role("combobox", name="Adresse")
    field.click()
    field.press_sequentially("elvegata 4", delay=30)
    listbox = page.get_by_role("listbox")
    listbox.wait_for()
    # On a loaded machine the keys come slowly and a shorter query may answer first; the list
    # settles on what was typed in the end.
    expect(page.get_by_role("option").first).to_have_text("Elvegata 4, 2750 Gran")
    assert field.get_attribute("aria-expanded") == "true"
    page.wait_for_function(
        "document.getElementById('address-suggestions-status').textContent.includes('forslag')"
    )
    status = page.locator("#address-suggestions-status").inner_text()
    count = page.get_by_role("option").count()
    assert status == f"{count} forslag" and count >= 1
    field.press("ArrowDown")
    first = page.get_by_role("option").first
    assert first.get_attribute("aria-selected") == "true"
    assert field.get_attribute("aria-activedescendant") == first.get_attribute("id")
    assert first.inner_text() == "Elvegata 4, 2750 Gran"
    field.press("Escape")
    assert listbox.is_hidden() and field.get_attribute("aria-expanded") == "false"
    field.press("ArrowDown")
    with page.expect_navigation():
        field.press("Enter")
    assert urlparse(page.url).path == "/demo/berort"
    assert page.locator(".affected-answer__verdict").inner_text().startswith("Ja.")
    assert page.get_by_role("link", name="Kokepålegg nord for Møllegata og Elvegata").count() == 1
    hosts = {urlparse(url).netloc for url in page.requested if not url.startswith("data:")}
    assert hosts == {urlparse(live_server).netloc}, "no third-party request"
    assert page.console_errors == []


def test_the_form_works_without_javascript(browser, live_server) -> None:
    context = browser.new_context(java_script_enabled=False, locale="nb-NO")
    page = context.new_page()
    page.goto(f"{live_server}/demo/")
    assert page.locator(".address-search__position").is_hidden(), "no position without script"
    page.get_by_role("textbox", name="Adresse").fill("Bakkevegen 3")
    page.get_by_role("button", name="Søk").click()
    page.wait_for_url("**/demo/berort?adresse=*")
    assert page.locator(".affected-answer__verdict").inner_text().startswith("Nei.")
    assert page.get_by_role("link", name="Planlagt vannstenging i Bakkevegen").count() == 1
    context.close()


def test_my_position_is_offered_and_a_denial_explained(browser, live_server) -> None:
    context = browser.new_context(locale="nb-NO")  # no permission granted: the browser denies
    page = context.new_page()
    page.goto(f"{live_server}/demo/")
    button = page.get_by_role("button", name="Bruk min posisjon")
    button.click()
    message = page.locator(".address-search__position-message")
    page.wait_for_function(
        "document.querySelector('.address-search__position-message').textContent.includes('lov')"
    )
    assert "Skriv adressen i stedet" in message.inner_text()
    context.close()


def test_my_position_leads_to_its_answer(browser, live_server) -> None:
    context = browser.new_context(
        locale="nb-NO",
        permissions=["geolocation"],
        geolocation={"latitude": 60.30, "longitude": 10.56},  # south of the demo: outside
    )
    page = context.new_page()
    page.goto(f"{live_server}/demo/")
    with page.expect_navigation():
        page.get_by_role("button", name="Bruk min posisjon").click()
    assert "lat=60.300000" in page.url and "lon=10.560000" in page.url
    assert "Posisjonen er ikke i Demo kommune" in page.locator("main").inner_text()
    context.close()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
@pytest.mark.parametrize("lang", ["nb", "en"])
@pytest.mark.parametrize("address", ["Elvegata 4", "Bakkevegen 3"], ids=["yes", "no"])
def test_axe_finds_no_violations_on_the_answer(browser, live_server, viewport, lang, address):
    context = browser.new_context(viewport=viewport, locale="nb-NO", bypass_csp=True)
    page = context.new_page()
    page.goto(f"{live_server}/demo/berort?adresse={address}&lang={lang}")
    page.wait_for_selector(".affected-answer")
    violations = run_axe(page)
    assert violations == [], describe(violations)
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    context.close()


def test_axe_with_suggestions_open(axe_page, live_server) -> None:
    axe_page.goto(f"{live_server}/demo/berort")
    field = axe_page.get_by_role("combobox", name="Adresse")
    field.press_sequentially("storgata 1", delay=20)
    axe_page.get_by_role("option").first.wait_for()
    field.press("ArrowDown")
    violations = run_axe(axe_page)
    assert violations == [], describe(violations)
