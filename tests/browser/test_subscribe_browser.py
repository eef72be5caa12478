"""Signing up for warnings in a real browser: the address picked from the search's suggestions
(with JavaScript) or found by the button (without), the code from the SMS typed in, and the
confirmation; every page (an error page, the manage and unsubscribe pages included) passes
axe-core (WCAG 2.1 AA)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from sqlalchemy import select

from statusmap.db import get_db
from statusmap.models.notification import OutboxMessage
from tests.browser.conftest import _page
from tests.browser.conftest import describe
from tests.browser.conftest import run_axe
from tests.browser.conftest import serve
from tests.browser.test_staff_flow_browser import flow_database  # noqa: F401  (a fixture)
from tests.conftest import rolled_back_app

pytestmark = pytest.mark.browser

PAGE = "/demo/varsel"
LIMITS = {"SUBSCRIBE_LIMIT_PER_CLIENT": "1000/minute", "CONFIRM_LIMIT_PER_CLIENT": "1000/minute"}


@pytest.fixture(scope="module")
def subscribe_server(flow_database: str) -> Iterator[str]:  # noqa: F811
    with serve(flow_database, TILE_LAYERS=[], **LIMITS) as url:
        yield url


def _code_sent_to(database_url: str, recipient: str) -> str:
    """The code in the newest SMS queued for the number, as the resident reads it."""
    with rolled_back_app(database_url) as app, app.app_context():
        body = (
            get_db(app)
            .session()
            .scalars(
                select(OutboxMessage.body)
                .where(OutboxMessage.recipient == recipient)
                .order_by(OutboxMessage.id.desc())
            )
            .first()
        )
    found = re.search(r"\b\d{6}\b", body or "")
    assert found, body
    return found.group(0)


def _axe(page) -> None:  # type: ignore[no-untyped-def]
    violations = run_axe(page)
    assert violations == [], describe(violations)


def _contact_and_send(page, phone: str) -> None:  # type: ignore[no-untyped-def]
    page.get_by_label("Mobilnummer (valgfritt)").fill(phone)
    page.get_by_label("SMS", exact=True).check()
    page.get_by_label("Ja, jeg vil ha varsel", exact=False).check()
    page.get_by_role("button", name="Meld meg på").click()
    page.wait_for_load_state()


def _confirm(page, database_url: str, recipient: str) -> None:  # type: ignore[no-untyped-def]
    assert page.locator("h1").inner_text() == "Bekreft påmeldingen"
    page.get_by_label("Kode").fill(_code_sent_to(database_url, recipient))
    page.get_by_role("button", name="Bekreft").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Du får varsel"


def test_with_the_address_search_a_suggestion_is_picked_and_confirmed(
    browser,
    subscribe_server: str,
    flow_database: str,  # noqa: F811
) -> None:
    context, page = _page(browser, bypass_csp=False)
    try:
        page.goto(subscribe_server + PAGE)
        field = page.get_by_role("combobox", name="Adresse")
        field.press_sequentially("Bakkevegen 2", delay=30)
        option = page.get_by_role("option", name="Bakkevegen 2, 2750 Gran")
        option.click()
        assert field.input_value() == "Bakkevegen 2, 2750 Gran"
        page.get_by_role("button", name="Legg til adressen").click()
        page.wait_for_load_state()
        assert page.get_by_label("Bakkevegen 2, 2750 Gran").is_checked()
        _contact_and_send(page, "952 00 001")
        _confirm(page, flow_database, "+4795200001")
        assert "Bakkevegen 2, 2750 Gran" in page.locator("main").inner_text()
        assert "SMS til +47 9••• ••01" in page.locator("main").inner_text()
    finally:
        context.close()


def test_without_javascript_the_button_finds_the_address(
    browser,
    subscribe_server: str,
    flow_database: str,  # noqa: F811
) -> None:
    context, page = _page(browser, java_script_enabled=False)
    try:
        page.goto(subscribe_server + PAGE)
        page.get_by_role("textbox", name="Adresse", exact=True).fill("Møllegata 5")
        page.get_by_role("button", name="Legg til adressen").click()
        assert page.get_by_label("Møllegata 5, 2750 Gran").is_checked()
        _contact_and_send(page, "952 00 002")
        _confirm(page, flow_database, "+4795200002")
    finally:
        context.close()


@pytest.mark.parametrize("language", ["nb", "en"])
def test_every_page_of_the_sign_up_passes_axe(
    browser,
    subscribe_server: str,
    flow_database: str,  # noqa: F811
    language: str,
) -> None:
    context, page = _page(browser, bypass_csp=True, viewport={"width": 390, "height": 844})
    try:
        page.goto(f"{subscribe_server}{PAGE}?lang={language}")
        _axe(page)
        page.locator("input[name=adresse]").fill("Bakkevegen 1")
        page.locator("button[value=find]").click()
        page.wait_for_load_state()
        page.locator("button[value=subscribe]").click()  # no contact, no consent: refused
        page.wait_for_load_state()
        assert page.locator(".error-summary").is_visible()
        assert page.locator("html").get_attribute("lang") == language
        _axe(page)
        phone = {"nb": "95200011", "en": "95200012"}[language]
        page.locator("input[name=phone]").fill(phone)
        page.locator("input[name=sms]").check()
        page.locator("input[name=consent]").check()
        page.locator("button[value=subscribe]").click()
        page.wait_for_load_state()
        _axe(page)
        page.locator("input[name=kode]").fill(_code_sent_to(flow_database, f"+47{phone}"))
        page.locator("form button[type=submit]").click()
        page.wait_for_load_state()
        assert "/varsel/bekreftet/" in page.url
        _axe(page)
        page.locator("main a[href*='/varsel/endre/']").click()
        page.wait_for_load_state()
        _axe(page)
        page.locator("main a[href*='/varsel/av/']").click()
        page.wait_for_load_state()
        _axe(page)
    finally:
        context.close()
