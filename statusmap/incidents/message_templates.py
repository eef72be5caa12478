"""Message texts per incident kind: defaults in three languages, checks, overrides, rendering.

Texts are `{field: {language: text}}` with the fields title, summary (the message itself) and
advice. The defaults live in `message_defaults.toml` beside this module: 63 texts of up to a
dozen lines read and review better there than as Python strings. An admin's overrides per
(municipality, kind) are stored in the same shape and merged over the defaults by
`effective_texts`.

Placeholders are `{name}` from a fixed set (`PLACEHOLDERS`); `{{` and `}}` are literal braces.
Rendering substitutes plain strings in one pass: no text or value is ever markup, and a value is
never read as a template (a street called "{phone}" stays "{phone}").
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator
from collections.abc import Mapping
from functools import cache
from importlib import resources

from statusmap.incidents.placeholders import NOT_KNOWN
from statusmap.incidents.placeholders import PLACEHOLDERS
from statusmap.incidents.placeholders import PlaceholderValues
from statusmap.models import IncidentKind
from statusmap.models.base import LANGUAGES

FIELDS = ("title", "summary", "advice")
# Characters per text, before rendering. The summary goes out by SMS, so it is kept short.
MAX_LENGTH = {"title": 150, "summary": 1000, "advice": 4000}

Texts = dict[str, dict[str, str]]  # {field: {language: text}}
TextsIn = Mapping[str, Mapping[str, str]]
ValuesIn = PlaceholderValues | Mapping[str, Mapping[str, str]]  # values: {language: {name: value}}

_DEFAULTS_FILE = "message_defaults.toml"
# A doubled brace, a placeholder, or a brace left over (unbalanced).
_TOKEN = re.compile(r"\{\{|\}\}|\{([^{}]*)\}|[{}]")
_SENTENCE_END = re.compile(r"(^|[.!?\n])\s*$")  # what is rendered so far ends a sentence


class TemplateError(ValueError):
    """A message text that cannot be used; the message names the problem and where it is."""


def _tokens(text: str) -> Iterator[tuple[bool, str]]:
    """Split a text into (is_placeholder, piece); refuse unknown names and lone braces."""
    position = 0
    for match in _TOKEN.finditer(text):
        if match.start() > position:
            yield False, text[position : match.start()]
        token, name, at = match.group(0), match.group(1), match.start() + 1
        if token in ("{{", "}}"):
            yield False, token[0]
        elif name is not None:
            if name not in PLACEHOLDERS:
                known = ", ".join(f"{{{known}}}" for known in sorted(PLACEHOLDERS))
                raise TemplateError(
                    f"unknown placeholder {{{name}}} at character {at}; known: {known}"
                )
            yield True, name
        elif token == "{":
            raise TemplateError(
                f"the brace '{{' at character {at} is not closed (write '{{{{' for a brace itself)"
            )
        else:
            raise TemplateError(
                f"the brace '}}' at character {at} was never opened "
                "(write '}}' for a brace itself)"
            )
        position = match.end()
    if position < len(text):
        yield False, text[position:]


def check_template(text: str, field: str | None = None) -> None:
    """Refuse a text with an unknown placeholder, an unbalanced brace, or over the length limit."""
    if field is not None and field not in MAX_LENGTH:
        raise TemplateError(f"unknown text field {field!r} (known: {', '.join(FIELDS)})")
    limit = MAX_LENGTH[field] if field else max(MAX_LENGTH.values())
    if len(text) > limit:
        raise TemplateError(
            f"the text is {len(text)} characters long; at most {limit} are allowed"
            + (f" in the {field}" if field else "")
        )
    for _ in _tokens(text):
        pass


def check_overrides(overrides: TextsIn) -> None:
    """Refuse overrides with an unknown field or language, or a text check_template refuses."""
    for field, by_language in overrides.items():
        if field not in FIELDS:
            raise TemplateError(f"unknown text field {field!r} (known: {', '.join(FIELDS)})")
        for language, text in by_language.items():
            if language not in LANGUAGES:
                raise TemplateError(f"{field}: unknown language {language!r}")
            try:
                check_template(text, field)
            except TemplateError as exc:
                raise TemplateError(f"{field} ({language}): {exc}") from exc


@cache
def _defaults() -> dict[IncidentKind, Texts]:
    raw = tomllib.loads(resources.files(__package__).joinpath(_DEFAULTS_FILE).read_text("utf-8"))
    return {
        kind: {
            field: {language: raw[kind.value][field][language].strip() for language in LANGUAGES}
            for field in FIELDS
        }
        for kind in IncidentKind
    }


def default_texts(kind: IncidentKind) -> Texts:
    """The default title, summary and advice of a kind, in every language (a fresh copy)."""
    return {field: dict(by_language) for field, by_language in _defaults()[kind].items()}


def effective_texts(kind: IncidentKind, overrides: TextsIn | None = None) -> Texts:
    """A kind's defaults with an admin's overrides over them; a blank override keeps the default.

    Fields and languages this version does not offer are skipped, so stored overrides outlive a
    field being dropped; `check_overrides` refuses them when they are saved.
    """
    texts = default_texts(kind)
    for field, by_language in (overrides or {}).items():
        if field not in texts:
            continue
        for language, text in by_language.items():
            if language in LANGUAGES and text.strip():
                texts[field][language] = text
    return texts


def render_text(text: str, values: Mapping[str, str], language: str) -> str:
    """One text with its placeholders filled in; a missing or empty value shows as not known."""
    fallback = NOT_KNOWN.get(language, NOT_KNOWN["nb"])
    pieces: list[str] = []
    for is_placeholder, piece in _tokens(text):
        if not is_placeholder:
            pieces.append(piece)
        elif values.get(piece):
            pieces.append(values[piece])
        else:
            # "Ikke kjent stenger vannet", not "ikke kjent stenger": a sentence may begin here.
            starts_sentence = _SENTENCE_END.search("".join(pieces)) is not None
            pieces.append(fallback[0].upper() + fallback[1:] if starts_sentence else fallback)
    return "".join(pieces)


def render(texts: TextsIn, values: ValuesIn) -> Texts:
    """Every text with its placeholders filled in from that language's values (plain strings)."""
    per_language = values.by_language() if isinstance(values, PlaceholderValues) else values
    return {
        field: {
            language: render_text(text, per_language.get(language, {}), language)
            for language, text in by_language.items()
        }
        for field, by_language in texts.items()
    }
