"""Nynorsk and English are complete, compiled, and keep every placeholder."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

TRANSLATIONS = Path(__file__).resolve().parents[2] / "statusmap" / "translations"
PLACEHOLDER = re.compile(r"%\(\w+\)s")


def _ids(catalog) -> set[str]:
    return {m.id for m in catalog if m.id}


def _pairs(catalog) -> dict:  # type: ignore[no-untyped-def]
    def key(value):  # type: ignore[no-untyped-def]
        return value if isinstance(value, str) else tuple(value)

    return {key(m.id): key(m.string) for m in catalog if m.id}


@pytest.fixture(scope="module")
def template():
    with (TRANSLATIONS / "messages.pot").open("rb") as handle:
        return read_po(handle)


@pytest.mark.parametrize("lang", ["nn", "en"])
def test_catalogue_is_complete_and_compiled(template, lang: str) -> None:
    folder = TRANSLATIONS / lang / "LC_MESSAGES"
    with (folder / "messages.po").open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    assert not catalog.fuzzy

    def translated(message) -> bool:  # type: ignore[no-untyped-def]
        forms = message.string if isinstance(message.string, tuple) else (message.string,)
        return all(forms)

    missing = sorted(str(i) for i in _ids(template) - {m.id for m in catalog if translated(m)})
    assert missing == [], f"untranslated in {lang}: run scripts/update-translations and translate"
    fuzzy = sorted(m.id for m in catalog if m.id and m.fuzzy)
    assert fuzzy == []
    for message in catalog:
        if message.id:
            ids = message.id if isinstance(message.id, tuple) else (message.id,)
            forms = message.string if isinstance(message.string, tuple) else (message.string,)
            wanted = set(PLACEHOLDER.findall(" ".join(ids)))
            assert all(set(PLACEHOLDER.findall(form)) == wanted for form in forms), message.id
    with (folder / "messages.mo").open("rb") as handle:
        compiled = read_mo(handle)
    assert _pairs(compiled) == _pairs(catalog), "messages.mo is stale: run update-translations"


def test_source_has_no_text_outside_the_catalogue(template) -> None:
    """Every template text node is a gettext call: no bare Norwegian words between tags."""
    templates = Path(__file__).resolve().parents[2] / "templates"
    bare = re.compile(r">\s*([A-Za-zÆØÅæøå][^<{}]{2,})\s*<")
    allowed = {"statusmap", "GeoJSON"}
    found = []
    for path in templates.rglob("*.html"):
        for text in bare.findall(path.read_text(encoding="utf-8")):
            if text.strip() not in allowed:
                found.append(f"{path.name}: {text.strip()}")
    assert found == []
