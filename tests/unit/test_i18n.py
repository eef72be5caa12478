"""Times in Europe/Oslo with the zone named, in each language, winter and summer."""

from __future__ import annotations

from datetime import UTC
from datetime import datetime
from pathlib import Path

import pytest
from flask import Flask
from flask_babel import Babel

from statusmap.i18n import format_time

WINTER = datetime(2026, 1, 15, 13, 5, tzinfo=UTC)
SUMMER = datetime(2026, 7, 15, 13, 5, tzinfo=UTC)
TRANSLATIONS = Path(__file__).resolve().parents[2] / "statusmap" / "translations"


@pytest.fixture
def app() -> Flask:
    app = Flask("i18n_test")
    app.config.update(
        BABEL_DEFAULT_TIMEZONE="Europe/Oslo", BABEL_TRANSLATION_DIRECTORIES=str(TRANSLATIONS)
    )
    Babel(app, locale_selector=lambda: app.config["LOCALE"])
    return app


@pytest.mark.parametrize(
    ("locale", "winter", "summer"),
    [
        ("nb", "15. jan. 2026 kl. 14:05 CET", "15. juli 2026 kl. 15:05 CEST"),
        ("nn", "15. jan. 2026 kl. 14:05 CET", "15. juli 2026 kl. 15:05 CEST"),
        ("en", "15 Jan 2026, 14:05 CET", "15 Jul 2026, 15:05 CEST"),
    ],
)
def test_times_show_oslo_time_and_zone(app: Flask, locale: str, winter: str, summer: str) -> None:
    app.config["LOCALE"] = locale
    with app.test_request_context():
        assert format_time(WINTER) == winter
        assert format_time(SUMMER) == summer
        assert format_time(None) == ""
