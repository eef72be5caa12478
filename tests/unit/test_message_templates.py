"""Message templates: defaults for every kind and language, checks, overrides and rendering."""

from __future__ import annotations

from datetime import UTC
from datetime import datetime

import pytest

from statusmap.incidents.message_templates import FIELDS
from statusmap.incidents.message_templates import MAX_LENGTH
from statusmap.incidents.message_templates import TemplateError
from statusmap.incidents.message_templates import check_overrides
from statusmap.incidents.message_templates import check_template
from statusmap.incidents.message_templates import default_texts
from statusmap.incidents.message_templates import effective_texts
from statusmap.incidents.message_templates import render
from statusmap.incidents.placeholders import NOT_KNOWN
from statusmap.incidents.placeholders import PlaceholderValues
from statusmap.models import IncidentKind

LANGUAGES = ("nb", "nn", "en")
FULL = PlaceholderValues(
    municipality={"nb": "Gran kommune", "en": "Gran Municipality"},
    department={"nb": "Vann og avløp", "nn": "Vatn og avløp", "en": "Water and Wastewater"},
    streets=["Storgata", "Kirkeveien", "Parkveien"],
    start=datetime(2026, 11, 28, 7, 0, tzinfo=UTC),
    expected_end=datetime(2026, 11, 28, 13, 30, tzinfo=UTC),
    phone="61 33 84 00",
    email="vann@gran.kommune.no",
    link="https://gran.kommune.no/vann",
    water_point={"nb": "Granhallen, Jernbanegata 1"},
)


@pytest.mark.parametrize("kind", list(IncidentKind))
def test_every_kind_has_every_field_in_every_language(kind: IncidentKind) -> None:
    texts = default_texts(kind)
    assert set(texts) == set(FIELDS)
    for field in FIELDS:
        assert set(texts[field]) == set(LANGUAGES), (kind, field)
        for language in LANGUAGES:
            assert texts[field][language].strip(), (kind, field, language)


@pytest.mark.parametrize("kind", list(IncidentKind))
def test_every_default_passes_the_check(kind: IncidentKind) -> None:
    for field, by_language in default_texts(kind).items():
        for text in by_language.values():
            check_template(text, field)


def test_the_languages_are_not_copies_of_each_other() -> None:
    for kind in IncidentKind:
        advice = default_texts(kind)["advice"]
        assert len(set(advice.values())) == 3, kind


@pytest.mark.parametrize(("language", "word"), [("nb", "kok"), ("nn", "kok"), ("en", "boil")])
def test_boil_water_texts_say_to_boil(language: str, word: str) -> None:
    texts = default_texts(IncidentKind.BOIL_WATER)
    for field in ("summary", "advice"):
        assert word in texts[field][language].lower(), field
    # Mattilsynet: a proper rolling boil, and a kettle that switches itself off is enough.
    advice = texts["advice"][language].lower()
    assert {"nb": "vannkoker", "nn": "vasskokar", "en": "kettle"}[language] in advice


@pytest.mark.parametrize("kind", list(IncidentKind))
def test_rendering_with_every_value_leaves_no_placeholder(kind: IncidentKind) -> None:
    rendered = render(default_texts(kind), FULL)
    for field in FIELDS:
        for language in LANGUAGES:
            text = rendered[field][language]
            assert "{" not in text and "}" not in text, (field, language, text)
            assert NOT_KNOWN[language] not in text.lower(), (field, language, text)


def test_boil_water_message_names_place_time_and_contact() -> None:
    summary = render(default_texts(IncidentKind.BOIL_WATER), FULL)["summary"]
    assert "Storgata, Kirkeveien og Parkveien" in summary["nb"]
    assert "28. nov. 2026 kl. 14:30 CET" in summary["nb"]
    assert "Storgata, Kirkeveien and Parkveien" in summary["en"]
    assert "28 Nov 2026, 14:30 CET" in summary["en"]
    for language in LANGUAGES:
        assert "61 33 84 00" in summary[language]
        assert summary[language].endswith("https://gran.kommune.no/vann"), "links stand last"
    assert "Vatn og avløp" in summary["nn"]
    assert "Granhallen, Jernbanegata 1" in summary["nn"], "bokmål stands in for a missing nn"


def test_shutdown_message_says_when() -> None:
    summary = render(default_texts(IncidentKind.SHUTDOWN), FULL)["summary"]["nb"]
    assert "28. nov. 2026 kl. 08:00 CET" in summary
    assert "28. nov. 2026 kl. 14:30 CET" in summary


def test_unknown_placeholder_is_refused_by_name() -> None:
    with pytest.raises(TemplateError, match=r"\{adresse\}"):
        check_template("Vannet er stengt i {adresse}.")
    with pytest.raises(TemplateError, match=r"\{phone\.__class__\}"):
        check_template("Ring {phone.__class__}")
    with pytest.raises(TemplateError, match=r"\{streets!r\}"):
        render({"title": {"nb": "{streets!r}"}}, FULL)


@pytest.mark.parametrize(
    ("text", "where"),
    [("Ring {phone", "'{' at character 6"), ("Ring phone}", "'}' at character 11")],
)
def test_unbalanced_brace_is_refused_with_its_place(text: str, where: str) -> None:
    with pytest.raises(TemplateError, match=where):
        check_template(text)


def test_a_text_over_its_field_limit_is_refused() -> None:
    check_template("x" * MAX_LENGTH["title"], "title")
    with pytest.raises(TemplateError, match="at most 150"):
        check_template("x" * (MAX_LENGTH["title"] + 1), "title")
    check_template("x" * (MAX_LENGTH["title"] + 1), "advice")
    with pytest.raises(TemplateError, match="at most"):
        check_template("x" * (max(MAX_LENGTH.values()) + 1))
    with pytest.raises(TemplateError, match="unknown text field"):
        check_template("Hei", "body")


def test_doubled_braces_are_literal_braces() -> None:
    texts = {"advice": {"nb": "Skriv {{kode}} i feltet. {{{phone}}}", "en": "}} and {{"}}
    rendered = render(texts, FULL)
    assert rendered["advice"]["nb"] == "Skriv {kode} i feltet. {61 33 84 00}"
    assert rendered["advice"]["en"] == "} and {"


def test_missing_values_render_as_not_known_in_each_language() -> None:
    texts = {"summary": dict.fromkeys(LANGUAGES, "Telefon: {phone}. {department} ringer.")}
    rendered = render(texts, PlaceholderValues(phone=""))["summary"]
    assert rendered["nb"] == "Telefon: ikke kjent. Ikke kjent ringer."
    assert rendered["nn"] == "Telefon: ikkje kjent. Ikkje kjent ringer."
    assert rendered["en"] == "Telefon: not known. Not known ringer."
    assert render(texts, {})["summary"]["nb"] == "Telefon: ikke kjent. Ikke kjent ringer."


def test_values_are_plain_text_never_templates_or_markup() -> None:
    values = {"nb": {"streets": "{phone} <b>Storgata</b>", "phone": "112"}}
    rendered = render({"title": {"nb": "Stengt: {streets}"}}, values)["title"]["nb"]
    assert rendered == "Stengt: {phone} <b>Storgata</b>"
    assert type(rendered) is str  # not markupsafe.Markup: the page escapes it like any text


def test_overrides_replace_defaults_field_by_field_and_language_by_language() -> None:
    defaults = default_texts(IncidentKind.SHUTDOWN)
    overrides = {
        "summary": {"nb": "Vannet er stengt i {streets}.", "nn": "   "},
        "advice": {"en": "Call {phone}."},
        "retired_field": {"nb": "ignored"},
        "title": {"de": "ignored"},
    }
    texts = effective_texts(IncidentKind.SHUTDOWN, overrides)
    assert texts["summary"]["nb"] == "Vannet er stengt i {streets}."
    assert texts["summary"]["nn"] == defaults["summary"]["nn"], "a blank override keeps the default"
    assert texts["advice"] == {**defaults["advice"], "en": "Call {phone}."}
    assert texts["title"] == defaults["title"]
    assert set(texts) == set(FIELDS)
    assert effective_texts(IncidentKind.SHUTDOWN, None) == defaults


def test_defaults_are_a_fresh_copy_each_time() -> None:
    texts = default_texts(IncidentKind.OTHER)
    texts["title"]["nb"] = "Endret"
    assert default_texts(IncidentKind.OTHER)["title"]["nb"] != "Endret"


def test_stored_overrides_are_checked_naming_field_and_language() -> None:
    check_overrides({"title": {"nb": "Stengt: {streets}", "en": "Shut: {streets}"}})
    with pytest.raises(TemplateError, match=r"advice \(nn\): unknown placeholder \{gate\}"):
        check_overrides({"advice": {"nb": "Ok.", "nn": "Stengt i {gate}"}})
    with pytest.raises(TemplateError, match="unknown text field 'body'"):
        check_overrides({"body": {"nb": "Hei"}})
    with pytest.raises(TemplateError, match="unknown language 'de'"):
        check_overrides({"title": {"de": "Hallo"}})
    with pytest.raises(TemplateError, match=r"title \(nb\).*at most 150"):
        check_overrides({"title": {"nb": "x" * 151}})
