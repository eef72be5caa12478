"""The base map in a real Chromium: streets and names with no tile source; tiles only through
our own host; a tile source that hangs leaves the page usable."""

from __future__ import annotations

import time
from collections.abc import Iterator
from urllib.parse import urlparse

import pytest

from tests.browser.conftest import ARTIFACTS
from tests.browser.conftest import describe
from tests.browser.conftest import run_axe
from tests.browser.conftest import serve
from tests.fake_tiles import FakeTiles
from tests.fake_tiles import fake_tile_server

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def upstream() -> Iterator[FakeTiles]:
    with fake_tile_server() as server:
        yield server


@pytest.fixture(scope="module")
def tiled_server(sqlite_database: str, upstream: FakeTiles) -> Iterator[str]:
    """The demo with tiles from the fake upstream: one good layer, one that hangs."""
    with serve(
        sqlite_database,
        TILE_UPSTREAM=upstream.template,
        TILE_LAYERS=["grey", "hang"],
        TILE_ATTRIBUTION="© Testkart",
        TILE_TIMEOUT_SECONDS=1.0,
    ) as url:
        yield url


def _own_host_only(page, base: str) -> None:
    hosts = {urlparse(u).netloc for u in page.requested if not u.startswith(("data:", "blob:"))}
    assert hosts == {urlparse(base).netloc}, hosts


def test_with_no_tile_source_the_streets_and_their_names_make_the_map(page, live_server) -> None:
    page.goto(f"{live_server}/demo/")
    page.wait_for_selector('.map-frame[data-streets-drawn="38"]')
    names = page.locator(".leaflet-streets-pane textPath").all_text_contents()
    assert len(names) >= 10 and "Storgata" in {n.replace("\\u00a0", " ") for n in names}
    assert page.locator(".leaflet-streets-pane path").count() >= 38
    assert page.locator(".leaflet-overlay-pane path").count() == 4, "zones above the streets"
    assert "Gater: demodata (CC0)" in page.locator(".leaflet-control-attribution").inner_text()
    assert page.locator(".leaflet-tile").count() == 0
    _own_host_only(page, live_server)
    assert page.console_errors == []
    ARTIFACTS.mkdir(exist_ok=True)
    page.locator(".map-frame").screenshot(path=str(ARTIFACTS / "base-map-streets.png"))


def test_tiles_come_only_from_our_own_host(page, tiled_server, upstream) -> None:
    page.goto(f"{tiled_server}/demo/")
    page.wait_for_selector("img.leaflet-tile-loaded")
    tiles = [u for u in page.requested if "/tiles/" in u]
    assert tiles and all(urlparse(u).path.startswith("/tiles/grey/") for u in tiles)
    _own_host_only(page, tiled_server)
    assert any(path.startswith("/grey/") for path, _agent in upstream.requests)
    switcher = page.locator(".leaflet-control-layers-base label")
    assert switcher.all_inner_texts() == [" grey", " hang", " Bare gater"]
    assert page.locator(".leaflet-control-layers-toggle").get_attribute("title") == "Kartlag"
    assert "© Testkart" in page.locator(".leaflet-control-attribution").inner_text()
    page.wait_for_selector('.map-frame[data-streets-drawn="38"]')  # still there, beneath
    ARTIFACTS.mkdir(exist_ok=True)
    page.locator(".map-frame").screenshot(path=str(ARTIFACTS / "base-map-tiles.png"))


def test_a_hanging_tile_source_leaves_the_page_usable(page, tiled_server) -> None:
    statuses: list[tuple[str, int, float]] = []
    started = time.monotonic()
    page.on(
        "response",
        lambda r: (
            "/tiles/hang/" in r.url
            and statuses.append((r.url, r.status, time.monotonic() - started))
        ),
    )
    page.goto(f"{tiled_server}/demo/")
    assert page.locator("article.incident").count() == 4
    page.locator(".leaflet-control-layers").hover()
    page.get_by_label("hang").check()
    switched = time.monotonic()
    while len(statuses) < 4 and time.monotonic() - switched < 10:
        page.wait_for_timeout(100)
    assert len(statuses) >= 4, "the hanging layer's tiles were all answered"
    assert {status for _url, status, _t in statuses} <= {503, 504}
    assert max(t for _url, _status, t in statuses) - (switched - started) < 3, statuses
    page.wait_for_selector('.map-frame[data-streets-drawn="38"]')
    page.locator(".leaflet-overlay-pane path[aria-label]").first.focus()
    assert page.locator(".leaflet-tooltip").count() == 1, "the map still answers"


def test_axe_finds_no_violations_with_the_layer_switcher(axe_page, tiled_server) -> None:
    axe_page.goto(f"{tiled_server}/demo/")
    axe_page.wait_for_selector('.map-frame[data-streets-drawn="38"]')
    violations = run_axe(axe_page)
    assert violations == [], describe(violations)


def test_the_street_credit_is_shown_as_text_never_as_markup(page, live_server, sqlite_database):
    """The attribution comes from an import's --attribution: plain text, whatever it holds."""
    import sqlalchemy as sa

    engine = sa.create_engine(sqlite_database)
    credit = 'Gater: <a href="https://evil.example/">klikk</a>'
    with engine.begin() as conn:
        conn.execute(
            sa.text("UPDATE municipality SET streets_attribution = :c WHERE slug = 'demo'"),
            {"c": credit},
        )
        # Written behind the app's back: say so the way every public write does (changes.py).
        conn.execute(sa.text("UPDATE public_change SET serial = serial + 1"))
    try:
        page.goto(f"{live_server}/demo/")
        page.wait_for_selector('.map-frame[data-streets-drawn="38"]')
        control = page.locator(".leaflet-control-attribution")
        assert credit in control.inner_text()
        assert control.locator('a[href^="https://evil"]').count() == 0
    finally:
        with engine.begin() as conn:
            conn.execute(
                sa.text("UPDATE municipality SET streets_attribution = :c WHERE slug = 'demo'"),
                {"c": "Gater: demodata (CC0)"},
            )
            conn.execute(sa.text("UPDATE public_change SET serial = serial + 1"))
        engine.dispose()
