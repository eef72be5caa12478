"""How staff pages name the fields and values of a change to an incident, in the page language."""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from statusmap.i18n import format_time

_FIELDS = {
    "title": _l("Tittel"),
    "summary": _l("Melding"),
    "advice": _l("Råd til innbyggerne"),
    "cause": _l("Årsak"),
    "status": _l("Status"),
    "kind": _l("Type"),
    "starts_at": _l("Start"),
    "expected_end": _l("Forventet slutt"),
    "resolved_at": _l("Avsluttet"),
    "auto_resolve": _l("Avsluttes av seg selv"),
    "area": _l("Område"),
    "timeline": _l("Oppdatering i tidslinjen"),
}
_LANGUAGES = {"nb": _l("bokmål"), "nn": _l("nynorsk"), "en": _l("engelsk")}


def change_label(field: str) -> str:
    """'title.nb' as 'Tittel (bokmål)'; an unknown field as it is."""
    name, _sep, language = field.partition(".")
    label = str(_FIELDS.get(name, name))
    return f"{label} ({_LANGUAGES.get(language, language)})" if language else label


def change_value(value: object) -> str:
    """A changed value as a person reads it: times in Norwegian time, yes/no, dashes for none."""
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return _("ja") if value else _("nei")
    if isinstance(value, datetime):
        return format_time(value)
    text = str(value)
    return text if len(text) <= 200 else text[:199] + "…"
