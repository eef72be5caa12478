"""Placeholder values: street names joined per language, times as the web pages show them."""

from __future__ import annotations

from datetime import UTC
from datetime import datetime
from datetime import timedelta
from datetime import timezone
from pathlib import Path

import pytest
from flask import Flask
from flask_babel import Babel

from statusmap import i18n
from statusmap.incidents.placeholders import PlaceholderValues
from statusmap.incidents.placeholders import format_time
from statusmap.incidents.placeholders import join_streets

STREETS = ["Storgata", "Kirkeveien", "Parkveien", "Skolegata", "Møllegata", "Åsvegen"]
TRANSLATIONS = Path(__file__).resolve().parents[2] / "statusmap" / "translations"


@pytest.mark.parametrize(
    ("language", "two", "three"),
    [
        ("nb", "Storgata og Kirkeveien", "Storgata, Kirkeveien og Parkveien"),
        ("nn", "Storgata og Kirkeveien", "Storgata, Kirkeveien og Parkveien"),
        ("en", "Storgata and Kirkeveien", "Storgata, Kirkeveien and Parkveien"),
    ],
)
def test_streets_are_joined_as_a_sentence_lists_them(language: str, two: str, three: str) -> None:
    assert join_streets([], language) == ""
    assert join_streets(["Storgata"], language) == "Storgata"
    assert join_streets(STREETS[:2], language) == two
    assert join_streets(STREETS[:3], language) == three


@pytest.mark.parametrize(
    ("language", "rest"),
    [("nb", "og 7 andre gater"), ("nn", "og 7 andre gater"), ("en", "and 7 other streets")],
)
def test_more_than_five_streets_are_counted(language: str, rest: str) -> None:
    eleven = [*STREETS, "Elvegata", "Bakkevegen", "Kløvervegen", "Torget", "Ringvegen"]
    assert join_streets(eleven, language) == f"Storgata, Kirkeveien, Parkveien, Skolegata {rest}"
    five = STREETS[:5]
    assert join_streets(five, language).startswith("Storgata, Kirkeveien, Parkveien, Skolegata ")
    assert join_streets(five, language).endswith(" Møllegata")
    # Six names: four and "2 other streets", never "1 other streets".
    assert join_streets(STREETS, language).split()[-3] == "2"


def test_blank_street_names_are_left_out() -> None:
    assert join_streets(["Storgata", " ", "", "Parkveien "], "nb") == "Storgata og Parkveien"


@pytest.fixture
def web_app() -> Flask:
    app = Flask("placeholder_test")
    app.config.update(
        BABEL_DEFAULT_TIMEZONE="Europe/Oslo", BABEL_TRANSLATION_DIRECTORIES=str(TRANSLATIONS)
    )
    Babel(app, locale_selector=lambda: app.config["LOCALE"])
    return app


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
def test_times_read_exactly_as_on_the_web_page(web_app: Flask, language: str) -> None:
    web_app.config["LOCALE"] = language
    moments = [datetime(2026, 1, 15, 23, 30, tzinfo=UTC), datetime(2026, 7, 15, 13, 5, tzinfo=UTC)]
    with web_app.test_request_context():
        for moment in moments:
            assert format_time(moment, language) == i18n.format_time(moment)


def test_times_are_oslo_time_with_the_zone() -> None:
    assert format_time(datetime(2026, 1, 15, 23, 30, tzinfo=UTC), "nb") == (
        "16. jan. 2026 kl. 00:30 CET"
    )
    summer = datetime(2026, 7, 15, 15, 5, tzinfo=timezone(timedelta(hours=2)))
    assert format_time(summer, "en") == "15 Jul 2026, 15:05 CEST"
    with pytest.raises(ValueError, match="naive"):
        format_time(datetime(2026, 1, 15, 12, 0), "nb")
    with pytest.raises(ValueError, match="unknown language"):
        format_time(summer, "de")


def test_values_per_language_with_bokmal_standing_in() -> None:
    values = PlaceholderValues(
        municipality={"nb": "Gran kommune"},
        department={"nb": "Vann og avløp", "en": "Water and Wastewater"},
        streets=["Storgata", "Kirkeveien"],
        expected_end=datetime(2026, 11, 28, 13, 0, tzinfo=UTC),
        phone="61 33 84 00",
    )
    nn = values.for_language("nn")
    assert nn["department"] == "Vann og avløp"
    assert nn["municipality"] == "Gran kommune"
    assert values.for_language("en")["department"] == "Water and Wastewater"
    assert values.for_language("en")["streets"] == "Storgata and Kirkeveien"
    assert nn["expected_end"] == "28. nov. 2026 kl. 14:00 CET"
    # Unknown values are left out, so the text shows "ikke kjent" in their place.
    assert "start" not in nn and "email" not in nn and "water_point" not in nn
    assert set(values.by_language()) == {"nb", "nn", "en"}
