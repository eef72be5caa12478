"""The share box in a real Chromium: selectable text without scripts, a copy button with them
that puts the post on the clipboard and says so politely, and no axe violation.

The incident page that will hold the box is built elsewhere: here the box is rendered by the
app into the site's own page frame (base.html) and served at a URL of the live server."""

from __future__ import annotations

import pytest
from flask import render_template_string
from sqlalchemy import select

from statusmap.db import get_db
from statusmap.models import Incident
from statusmap.models import IncidentStatus
from tests.browser.conftest import describe
from tests.browser.conftest import run_axe
from tests.conftest import rolled_back_app

pytestmark = pytest.mark.browser

_PAGE = (
    '{% extends "base.html" %}{% from "public/_share_box.html" import share_box %}'
    "{% block main %}<h1>Test</h1>{{ share_box(share_post_text(incident, page_url), incident.id) }}"
    "{% endblock %}"
)


def _box_page(database_url: str, base: str, lang: str) -> str:
    request = f"/demo/hendelse/1?lang={lang}"
    with (
        rolled_back_app(database_url) as app,
        app.app_context(),
        app.test_request_context(request, base_url=base),
    ):
        incident = (
            get_db(app)
            .session()
            .scalars(select(Incident).where(Incident.status == IncidentStatus.ACTIVE))
            .first()
        )
        return render_template_string(
            _PAGE, incident=incident, page_url=f"{base}/demo/hendelse/{incident.id}"
        )


def _open(tab, live_server: str, sqlite_database: str, lang: str = "nb") -> str:
    url = f"{live_server}/demo/share-box-test"
    html = _box_page(sqlite_database, live_server, lang)
    tab.route(url, lambda route: route.fulfill(body=html, content_type="text/html"))
    tab.goto(url)
    return tab.locator("textarea").input_value()


def test_the_button_copies_the_post_and_says_so(page, live_server, sqlite_database) -> None:
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server)
    post = _open(page, live_server, sqlite_database)
    button = page.get_by_role("button", name="Kopier tekst")
    button.wait_for(state="visible")
    assert page.locator("[role=status]").inner_text() == ""
    button.click()
    page.wait_for_function("document.querySelector('[role=status]').textContent !== ''")
    assert page.locator("[role=status]").inner_text() == "Kopiert"
    assert page.locator("[role=status]").get_attribute("aria-live") == "polite"
    assert page.evaluate("navigator.clipboard.readText()") == post
    assert page.console_errors == []


def test_without_javascript_the_text_is_there_and_no_dead_button(
    browser, live_server, sqlite_database
) -> None:
    context = browser.new_context(java_script_enabled=False, locale="nb-NO")
    try:
        tab = context.new_page()
        post = _open(tab, live_server, sqlite_database)
        assert post.endswith("/demo/hendelse/" + post.rsplit("/", 1)[1]) and len(post) <= 280
        assert tab.get_by_label("Tekst til et innlegg i sosiale medier").is_visible()
        assert not tab.locator("button.share-box__copy").is_visible()
    finally:
        context.close()


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_axe_finds_no_violations_in_the_share_box(
    axe_page, live_server, sqlite_database, lang
) -> None:
    axe_page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server)
    _open(axe_page, live_server, sqlite_database, lang)
    axe_page.locator("button.share-box__copy").wait_for(state="visible")
    violations = run_axe(axe_page)
    assert violations == [], describe(violations)
