"""The values of message placeholders, per language, from plain data (no Flask, no database).

Times are shown in Europe/Oslo with the zone named, exactly as the web pages show them
(`statusmap.i18n.format_time`); street names are joined as a sentence would list them.
"""

from __future__ import annotations

from collections.abc import Mapping
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field
from datetime import datetime

from babel.dates import format_datetime

from statusmap.models.base import LANGUAGES
from statusmap.models.base import localized
from statusmap.oslo_time import OSLO

# The fixed set of placeholders a message text may use.
PLACEHOLDERS = frozenset(
    {
        "municipality",
        "department",
        "streets",
        "start",
        "expected_end",
        "phone",
        "email",
        "link",
        "water_point",
    }
)

# What a placeholder without a value renders as.
NOT_KNOWN = {"nb": "ikke kjent", "nn": "ikkje kjent", "en": "not known"}

# The date patterns of the web catalogues (msgid "d. MMM y 'kl.' HH:mm"), zone appended.
_NORWEGIAN_TIME = "d. MMM y 'kl.' HH:mm"
_TIME_PATTERNS = {"nb": _NORWEGIAN_TIME, "nn": _NORWEGIAN_TIME, "en": "d MMM y, HH:mm"}

MAX_STREETS = 5  # street names listed in full; beyond that the rest are counted
_AND = {"nb": "og", "nn": "og", "en": "and"}
_OTHER_STREETS = {"nb": "{n} andre gater", "nn": "{n} andre gater", "en": "{n} other streets"}


def _language(language: str) -> str:
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r} (known: {', '.join(LANGUAGES)})")
    return language


def format_time(value: datetime, language: str) -> str:
    """A time in Europe/Oslo naming its zone: '28. nov. 2026 kl. 14:05 CET' / '28 Nov 2026, ...'."""
    if value.tzinfo is None:
        raise ValueError("naive datetime: pass times with their zone (UTC)")
    local = value.astimezone(OSLO)
    # CLDR has no CET/CEST for every language (English gets "+0100"): the zone's own
    # abbreviation is appended, as the web pages do.
    pattern = _TIME_PATTERNS[_language(language)]
    return f"{format_datetime(local, pattern, tzinfo=OSLO, locale=language)} {local.tzname()}"


def join_streets(streets: Sequence[str], language: str) -> str:
    """Street names as a list in a sentence: 'Storgata, Kirkeveien og Parkveien'.

    More than MAX_STREETS names: the first MAX_STREETS - 1 and a count of the rest, which is then
    always two or more ('Storgata, Kirkeveien, Parkveien, Skolegata og 7 andre gater').
    """
    names = [name for name in (s.strip() for s in streets) if name]
    if not names:
        return ""
    if len(names) > MAX_STREETS:
        shown = MAX_STREETS - 1
        rest = _OTHER_STREETS[_language(language)].format(n=len(names) - shown)
        names = [*names[:shown], rest]
    if len(names) == 1:
        return names[0]
    return f"{', '.join(names[:-1])} {_AND[_language(language)]} {names[-1]}"


@dataclass(frozen=True)
class PlaceholderValues:
    """The data behind the placeholders; per-language names are {"nb": ..., "nn": ..., "en": ...}.

    Names fall back to bokmål where a language is missing; anything empty is left out, so the
    text shows NOT_KNOWN in its place.
    """

    municipality: Mapping[str, str] = field(default_factory=dict)
    department: Mapping[str, str] = field(default_factory=dict)
    streets: Sequence[str] = ()
    start: datetime | None = None  # timezone-aware (UTC)
    expected_end: datetime | None = None  # timezone-aware (UTC)
    phone: str = ""
    email: str = ""
    link: str = ""
    water_point: Mapping[str, str] = field(default_factory=dict)

    def for_language(self, language: str) -> dict[str, str]:
        """The placeholder values in one language, formatted; unknown values left out."""
        _language(language)
        values = {
            "municipality": localized(dict(self.municipality), language),
            "department": localized(dict(self.department), language),
            "water_point": localized(dict(self.water_point), language),
            "streets": join_streets(self.streets, language),
            "start": format_time(self.start, language) if self.start else "",
            "expected_end": format_time(self.expected_end, language) if self.expected_end else "",
            "phone": self.phone,
            "email": self.email,
            "link": self.link,
        }
        return {name: value.strip() for name, value in values.items() if value.strip()}

    def by_language(self) -> dict[str, dict[str, str]]:
        """The placeholder values in every language, as `render` takes them."""
        return {language: self.for_language(language) for language in LANGUAGES}
