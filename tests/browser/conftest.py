"""Browser fixtures: the app served on a real port, and Debian's Chromium driven by Playwright.

Chromium is /usr/bin/chromium (or STATUSMAP_CHROMIUM); Playwright never downloads a browser.
Without it these tests skip, unless --require-browser or STATUSMAP_REQUIRE_BROWSER=1 (CI).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from statusmap import create_app
from statusmap.db import get_db
from tests.conftest import skip_or_fail

CHROMIUM = os.environ.get("STATUSMAP_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-results"


@contextmanager
def serve(database_url: str, **config: object) -> Iterator[str]:
    """Serve the app on 127.0.0.1 on a free port for the block; yield the base URL."""
    settings = {"DATABASE_URL": database_url, "SECRET_KEY": "browser-test", **config}
    app = create_app(settings)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)
        get_db(app).engine.dispose()  # no pooled connection outlives the served database


@pytest.fixture(scope="session")
def live_server(sqlite_database: str) -> Iterator[str]:
    """The demo with no tile source (the street layer alone), as on a machine with no network."""
    with serve(sqlite_database, TILE_LAYERS=[]) as url:
        yield url


@pytest.fixture(scope="session")
def browser(request: pytest.FixtureRequest):
    """A headless Chromium for the whole run."""
    if not Path(CHROMIUM).exists():
        skip_or_fail(
            request.config,
            "--require-browser",
            "STATUSMAP_REQUIRE_BROWSER",
            f"Chromium not found at {CHROMIUM} (Debian: apt-get install chromium)",
            missing=f"Chromium not found at {CHROMIUM}",
        )
    if not AXE.exists():
        skip_or_fail(
            request.config,
            "--require-browser",
            "STATUSMAP_REQUIRE_BROWSER",
            "axe-core missing: run scripts/vendor-assets",
            missing="axe-core not vendored",
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


def _page(browser, **options):  # type: ignore[no-untyped-def]
    context = browser.new_context(
        **{"viewport": {"width": 1280, "height": 900}, "locale": "nb-NO", **options}
    )
    tab = context.new_page()
    tab.requested = []
    tab.console_errors = []
    tab.on("request", lambda r: tab.requested.append(r.url))
    tab.on("console", lambda m: m.type == "error" and tab.console_errors.append(m.text))
    return context, tab


@pytest.fixture
def page(browser):
    """A fresh page in its own context (our CSP enforced), recording requests and console errors."""
    context, tab = _page(browser)
    yield tab
    context.close()


@pytest.fixture
def axe_page(browser):
    """A page whose context lets axe-core be injected (bypassing our CSP only for the tool)."""
    context, tab = _page(browser, bypass_csp=True)
    yield tab
    context.close()


def run_axe(page) -> list[dict]:
    """Run axe-core (all rules, WCAG 2.1 AA included) on the page; return its violations."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return list(result["violations"])


def describe(violations: list[dict]) -> str:
    """A readable summary of axe violations for an assertion message."""
    return "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} -> "
        + "; ".join(n["target"][0] for n in v["nodes"][:5])
        for v in violations
    )
