"""Configuration order (defaults < instance/config.py < environment < test config) and checks."""

from __future__ import annotations

import sys
import types
from pathlib import Path

import pytest
from flask import Flask

from statusmap.config import ConfigError
from statusmap.config import load_config


def _app(tmp_path: Path) -> Flask:
    return Flask("statusmap_test", instance_path=str(tmp_path / "instance"))


def test_order_of_precedence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    app = _app(tmp_path)
    (tmp_path / "instance").mkdir()
    (tmp_path / "instance" / "config.py").write_text(
        "RECENTLY_RESOLVED_DAYS = 10\nBOUNDARY_TOLERANCE_M = 500\nTILE_ATTRIBUTION = 'file'\n"
    )
    monkeypatch.setenv("STATUSMAP_BOUNDARY_TOLERANCE_M", "750")
    monkeypatch.setenv("STATUSMAP_TILE_ATTRIBUTION", "env")
    load_config(app, {"TILE_ATTRIBUTION": "test"})
    assert app.config["MAX_GEOMETRY_VERTICES"] == 20_000  # default
    assert app.config["RECENTLY_RESOLVED_DAYS"] == 10  # instance file
    assert app.config["BOUNDARY_TOLERANCE_M"] == 750  # environment beats the file
    assert app.config["TILE_ATTRIBUTION"] == "test"  # test config beats everything


def test_default_database_is_sqlite_in_the_instance_folder(tmp_path: Path) -> None:
    app = _app(tmp_path)
    load_config(app, None)
    assert app.config["DATABASE_URL"] == f"sqlite:///{tmp_path / 'instance' / 'statusmap.sqlite3'}"
    secret = (tmp_path / "instance" / "secret_key").read_text()
    assert app.config["SECRET_KEY"] == secret and len(secret) >= 40
    assert (tmp_path / "instance" / "secret_key").stat().st_mode & 0o077 == 0


def test_postgres_urls_use_psycopg(tmp_path: Path) -> None:
    app = _app(tmp_path)
    load_config(app, {"DATABASE_URL": "postgres://u:p@db/statusmap"})
    assert app.config["DATABASE_URL"] == "postgresql+psycopg://u:p@db/statusmap"


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"DATABASE_URL": "mysql://x"}, "STATUSMAP_DATABASE_URL"),
        ({"TILE_UPSTREAM": "ftp://tiles/{layer}/{z}/{x}/{y}"}, "STATUSMAP_TILE_UPSTREAM"),
        ({"TILE_LAYERS": "topo"}, "STATUSMAP_TILE_LAYERS"),
        ({"TILE_LAYERS": ["topo/../x"]}, "STATUSMAP_TILE_LAYERS"),
        ({"TILE_MIN_ZOOM": 12, "TILE_MAX_ZOOM": 10}, "STATUSMAP_TILE_MIN_ZOOM"),
        ({"TILE_TIMEOUT_SECONDS": "3"}, "STATUSMAP_TILE_TIMEOUT_SECONDS"),
        ({"TILE_TIMEOUT_SECONDS": 0}, "STATUSMAP_TILE_TIMEOUT_SECONDS"),
        ({"TILE_MAX_UPSTREAM": 0}, "STATUSMAP_TILE_MAX_UPSTREAM"),
        ({"TILE_MAX_ZOOM": 7}, "STATUSMAP_TILE_MAX_ZOOM"),
        ({"TILE_URL_TEMPLATE": "https://t.example.no/{z}/{x}/{y}.png"}, "STATUSMAP_TILE_UPSTREAM"),
        ({"LANGUAGES": ["nb", "sv"]}, "STATUSMAP_LANGUAGES"),
        ({"BABEL_DEFAULT_TIMEZONE": "UTC"}, "STATUSMAP_BABEL_DEFAULT_TIMEZONE"),
        ({"BABEL_DEFAULT_TIMEZONE": "Europe/Stockholm"}, "STATUSMAP_BABEL_DEFAULT_TIMEZONE"),
        ({"EMBED_FRAME_ANCESTORS": "*; script-src *"}, "STATUSMAP_EMBED_FRAME_ANCESTORS"),
        ({"EMBED_FRAME_ANCESTORS": "https://a.no, https://b.no"}, "EMBED_FRAME_ANCESTORS"),
        ({"EMBED_FRAME_ANCESTORS": "*\r\nSet-Cookie: x=1"}, "STATUSMAP_EMBED_FRAME_ANCESTORS"),
        ({"EMBED_FRAME_ANCESTORS": " "}, "STATUSMAP_EMBED_FRAME_ANCESTORS"),
    ],
)
def test_bad_settings_stop_the_start(tmp_path: Path, settings: dict, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        load_config(_app(tmp_path), settings)


@pytest.mark.parametrize("value", ["-1", "true", "1.9", "one"])
def test_proxy_count_must_be_a_whole_number(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("STATUSMAP_PROXY_COUNT", value)
    with pytest.raises(ConfigError, match="STATUSMAP_PROXY_COUNT"):
        load_config(_app(tmp_path), None)


def test_tiles_need_an_attribution(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="STATUSMAP_TILE_ATTRIBUTION"):
        load_config(_app(tmp_path), {"TILE_ATTRIBUTION": ""})
    load_config(_app(tmp_path), {"TILE_ATTRIBUTION": "", "TILE_LAYERS": []})  # no tiles: fine


TILES = "/{layer}/{z}/{x}/{y}.png"


@pytest.mark.parametrize(
    "template",
    [
        "//tiles.example.no" + TILES,  # protocol-relative: our server fetches it, so refused
        "/tiles" + TILES,  # a path: the server has no host to fetch it from
        "https://" + TILES,  # no host
        "tiles.example.no" + TILES,
        "https://tiles.example.no/{z}/{x}/{y}.png",  # two layers, but no {layer} to tell them
        "https://{s}.tiles.example.no" + TILES,  # Leaflet's subdomains mean nothing to us
    ],
)
def test_tile_upstreams_must_be_absolute_http_templates(tmp_path: Path, template: str) -> None:
    with pytest.raises(ConfigError, match="STATUSMAP_TILE_UPSTREAM"):
        load_config(_app(tmp_path), {"TILE_UPSTREAM": template})


def test_kartverket_is_the_default_and_good_upstreams_are_accepted(tmp_path: Path) -> None:
    app = _app(tmp_path)
    load_config(app, None)
    assert app.config["TILE_UPSTREAM"].startswith("https://cache.kartverket.no/")
    assert app.config["TILE_LAYERS"] == ["topograatone", "topo"]
    one = {"TILE_UPSTREAM": "http://127.0.0.1:8080/{z}/{x}/{y}.png", "TILE_LAYERS": ["osm"]}
    load_config(_app(tmp_path), one)


@pytest.fixture
def under_gunicorn(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pretend gunicorn has loaded the app (tests/integration/test_gunicorn.py does it for real)."""
    monkeypatch.setitem(sys.modules, "gunicorn", types.ModuleType("gunicorn"))


@pytest.mark.usefixtures("under_gunicorn")
def test_gunicorn_refuses_a_key_generated_per_host(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="STATUSMAP_SECRET_KEY is not set"):
        load_config(_app(tmp_path), None)
    assert not (tmp_path / "instance" / "secret_key").exists()


@pytest.mark.usefixtures("under_gunicorn")
def test_gunicorn_with_a_configured_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STATUSMAP_SECRET_KEY", "shared-by-every-host")
    app = _app(tmp_path)
    load_config(app, None)
    assert app.config["SECRET_KEY"] == "shared-by-every-host"


@pytest.mark.usefixtures("under_gunicorn")
def test_tests_may_still_generate_a_key(tmp_path: Path) -> None:
    app = _app(tmp_path)
    load_config(app, {"TESTING": True})
    assert app.config["SECRET_KEY"] == (tmp_path / "instance" / "secret_key").read_text()
