"""The tile proxy in the app, against a local fake upstream: served, refused, timed out."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from flask import Flask

from tests.conftest import rolled_back_app
from tests.fake_tiles import PNG
from tests.fake_tiles import FakeTiles
from tests.fake_tiles import fake_tile_server
from tests.fake_tiles import tile_at

GRAN = (10.56, 60.35)  # inside the demo municipality
BERGEN = (5.32, 60.39)  # served by nobody here


@pytest.fixture
def upstream() -> Iterator[FakeTiles]:
    with fake_tile_server() as server:
        yield server


@pytest.fixture
def tiles_app(database_url: str, upstream: FakeTiles) -> Iterator[Flask]:
    with rolled_back_app(
        database_url,
        TILE_UPSTREAM=upstream.template,
        TILE_LAYERS=["grey", "hang", "broken", "missing", "html", "short", "garbage", "redirect"],
        TILE_ATTRIBUTION="© Test",
        TILE_TIMEOUT_SECONDS=1.0,
    ) as app:
        yield app


def _url(layer: str, z: int = 14, where: tuple[float, float] = GRAN) -> str:
    x, y = tile_at(*where, z)
    return f"/tiles/{layer}/{z}/{x}/{y}.png"


def test_a_tile_comes_through_our_host_and_is_kept_briefly(tiles_app, upstream) -> None:
    client = tiles_app.test_client()
    response = client.get(_url("grey"))
    assert response.status_code == 200 and response.mimetype == "image/png"
    assert response.data == PNG
    assert response.headers["Cache-Control"] == "public, max-age=3600"
    assert "Set-Cookie" not in response.headers and "Vary" not in response.headers
    x, y = tile_at(*GRAN, 14)
    path, agent = upstream.requests[0]
    assert path == f"/grey/14/{y}/{x}.png", "row before column, as the template says"
    assert agent.startswith("statusmap")
    again = client.get(_url("grey"))
    assert again.status_code == 200 and len(upstream.requests) == 1, "the second from memory"


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("/tiles/osm/14/8672/4724.png", "unknown layer"),
        (_url("grey", z=4), "zoom 4 is outside"),
        (_url("grey", z=19), "zoom 19 is outside"),
        (_url("grey", where=BERGEN), "outside every municipality"),
        ("/tiles/grey/14/99999/4724.png", "no such tile"),
    ],
)
def test_tiles_we_do_not_serve_are_refused_without_asking_upstream(
    tiles_app, upstream, url: str, reason: str
) -> None:
    response = tiles_app.test_client().get(url)
    assert response.status_code == 404 and reason in response.get_data(as_text=True)
    assert upstream.requests == []


def test_a_hanging_upstream_is_answered_within_the_timeout_and_remembered(
    tiles_app, upstream
) -> None:
    client = tiles_app.test_client()
    started = time.monotonic()
    response = client.get(_url("hang"))
    elapsed = time.monotonic() - started
    assert response.status_code == 504 and elapsed < 2.5, elapsed
    assert response.headers["Retry-After"] == "30"
    assert response.headers["Cache-Control"] == "no-store"
    started = time.monotonic()
    again = client.get(_url("hang", z=15))
    assert again.status_code == 503 and time.monotonic() - started < 0.5
    assert len(upstream.requests) == 1, "a failing source is not asked again at once"
    assert client.get(_url("grey")).status_code == 200, "other layers are not held up"


@pytest.mark.parametrize(
    ("layer", "status"),
    [
        ("broken", 502),
        ("html", 502),
        ("missing", 404),
        ("short", 504),
        ("garbage", 504),
        ("redirect", 502),
    ],
)
def test_upstream_errors_and_non_images_are_not_passed_on(
    tiles_app, upstream, layer: str, status: int
) -> None:
    client = tiles_app.test_client()
    response = client.get(_url(layer))
    assert response.status_code == status
    assert response.mimetype != "text/html", "never another site's page under our name"
    assert [path for path, _agent in upstream.requests] == [
        path for path, _agent in upstream.requests if path.startswith(f"/{layer}/")
    ], "a redirect is not followed"
    if status != 404:
        assert client.get(_url(layer, z=15)).status_code == 503, "and the failure is remembered"


def test_no_layers_no_proxy(database_url: str) -> None:
    with rolled_back_app(database_url, TILE_LAYERS=[]) as app:
        assert app.test_client().get(_url("topograatone")).status_code == 404
