"""SCHEDULER_INTERVAL_S: on by itself under gunicorn only, checked at start, and honoured."""

from __future__ import annotations

import sys
import types
from pathlib import Path

import pytest
from flask import Flask

from statusmap import create_app
from statusmap.config import ConfigError
from statusmap.config import load_config


def _loaded(tmp_path: Path, settings: dict | None = None) -> Flask:
    app = Flask("statusmap_test", instance_path=str(tmp_path / "instance"))
    load_config(app, {"SECRET_KEY": "k", **(settings or {})})
    return app


def test_off_by_default_outside_gunicorn(tmp_path: Path) -> None:
    assert _loaded(tmp_path).config["SCHEDULER_INTERVAL_S"] == 0


def test_every_minute_by_default_under_gunicorn_but_not_in_tests(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "gunicorn", types.ModuleType("gunicorn"))
    assert _loaded(tmp_path).config["SCHEDULER_INTERVAL_S"] == 60
    assert _loaded(tmp_path, {"TESTING": True}).config["SCHEDULER_INTERVAL_S"] == 0
    monkeypatch.setenv("STATUSMAP_SCHEDULER_INTERVAL_S", "0")
    assert _loaded(tmp_path).config["SCHEDULER_INTERVAL_S"] == 0  # switched off by the operator


@pytest.mark.parametrize("value", ["-1", "true", '"60"', "sixty"])
def test_an_interval_that_is_not_seconds_stops_the_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("STATUSMAP_SCHEDULER_INTERVAL_S", value)
    with pytest.raises(ConfigError, match="STATUSMAP_SCHEDULER_INTERVAL_S must be a number"):
        _loaded(tmp_path)


def test_create_app_starts_the_scheduler_only_when_configured(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    base = {"DATABASE_URL": url, "SECRET_KEY": "k", "TESTING": True}
    assert "statusmap_scheduler" not in create_app(base).extensions
    app = create_app({**base, "SCHEDULER_INTERVAL_S": 30})
    scheduler = app.extensions["statusmap_scheduler"]
    try:
        assert scheduler.running and scheduler.interval_s == 30
    finally:
        scheduler.stop()
    assert not scheduler.running
