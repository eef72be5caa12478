"""Languages: locale choice per request, labels for kinds and statuses, and time formatting.

Message ids are bokmål; the nn and en catalogues live in statusmap/translations/.
"""

from __future__ import annotations

from datetime import UTC
from datetime import datetime
from zoneinfo import ZoneInfo

from flask import current_app
from flask import g
from flask import request
from flask_babel import format_datetime
from flask_babel import get_locale
from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from statusmap.config import TIME_ZONE
from statusmap.models import IncidentKind
from statusmap.models import IncidentStatus
from statusmap.models import Role

LANGUAGE_COOKIE = "statusmap_lang"
LANGUAGE_NAMES = {"nb": "Bokmål", "nn": "Nynorsk", "en": "English"}

KIND_LABELS = {
    IncidentKind.BOIL_WATER: _l("Kokepålegg"),
    IncidentKind.SHUTDOWN: _l("Vannavstenging"),
    IncidentKind.PLANNED_WORKS: _l("Planlagt arbeid"),
    IncidentKind.LOW_PRESSURE: _l("Lavt trykk"),
    IncidentKind.DISCOLOURED_WATER: _l("Misfarget vann"),
    IncidentKind.SEWER: _l("Avløpshendelse"),
    IncidentKind.OTHER: _l("Annen hendelse"),
}

ROLE_LABELS = {
    Role.VIEWER: _l("Leser"),
    Role.EDITOR: _l("Redaktør"),
    Role.ADMIN: _l("Administrator"),
}

# What the audit log calls each action; an unknown action is shown as it is stored.
AUDIT_ACTION_LABELS = {
    "create": _l("Opprettet"),
    "edit": _l("Endret"),
    "update": _l("Oppdatert"),
    "add_update": _l("La til oppdatering"),
    "schedule": _l("Planla"),
    "publish": _l("Publiserte"),
    "activate": _l("Startet (planlagt tid)"),
    "change_area": _l("Endret område"),
    "resolve": _l("Avsluttet"),
    "delete_draft": _l("Slettet utkast"),
    "delete": _l("Slettet"),
    "import_addresses": _l("Importerte adresser"),
    "import_streets": _l("Importerte gater"),
    "login": _l("Logget inn"),
    "login_failed": _l("Mislykket innlogging"),
    "create_user": _l("Opprettet bruker"),
    "grant_role": _l("Ga rolle"),
    "revoke_role": _l("Fjernet rolle"),
    "change_password": _l("Endret passord"),
    "reset_password": _l("Nullstilte passord"),
    "disable_user": _l("Deaktiverte bruker"),
    "enable_user": _l("Aktiverte bruker"),
    "edit_template": _l("Endret meldingsmal"),
    "export_addresses": _l("Lastet ned adresseliste"),
    "report_hide": _l("Skjulte melding"),
    "report_spam": _l("Merket melding som spam"),
    "report_restore": _l("Gjenopprettet melding"),
    "report_link": _l("Knyttet melding til hendelse"),
    "report_unlink": _l("Tok melding ut av hendelse"),
    "draft_from_reports": _l("Laget utkast fra meldinger"),
    "purge_contact": _l("Slettet kontaktinformasjon (lagringstid ute)"),
    "open311_key_create": _l("Laget Open311-nøkkel"),
    "open311_key_revoke": _l("Trakk tilbake Open311-nøkkel"),
    "import_subscribers": _l("Importerte abonnenter"),
    "export_subscriber": _l("Lastet ned opplysninger om abonnent"),
    "delete_subscriber": _l("Slettet abonnent"),
    "flag_vulnerable": _l("Merket abonnent som sårbar"),
    "unflag_vulnerable": _l("Fjernet sårbar-merke på abonnent"),
    "unsubscribe": _l("Abonnent meldte seg av"),
    "notify_resend": _l("Sendte varsler på nytt"),
    "notify_test": _l("Sendte testvarsel til seg selv"),
    "notify_rest": _l("Varslet resten av abonnentene"),
}

STATUS_LABELS = {
    IncidentStatus.DRAFT: _l("Utkast"),
    IncidentStatus.SCHEDULED: _l("Planlagt"),
    IncidentStatus.ACTIVE: _l("Pågår"),
    IncidentStatus.RESOLVED: _l("Løst"),
}

# The note beside an incident's text shown in another language than the page's, by the
# language the text is in (Incident.fallback_language).
FALLBACK_NOTES = {
    "nb": _l("Hele eller deler av teksten finnes bare på bokmål."),
    "nn": _l("Hele eller deler av teksten finnes bare på nynorsk."),
    "en": _l("Hele eller deler av teksten finnes bare på engelsk."),
}


def kind_label_texts() -> dict[str, str]:
    """Each kind's label in this request's language, by the kind's value (for map builders)."""
    return {kind.value: str(label) for kind, label in KIND_LABELS.items()}


def status_label_texts() -> dict[str, str]:
    """Each status' label in this request's language, by the status' value."""
    return {status.value: str(label) for status, label in STATUS_LABELS.items()}


def select_locale() -> str:
    """Choose the language: ?lang=, then the remembered choice, then the browser, then bokmål."""
    languages: list[str] = current_app.config["LANGUAGES"]
    chosen = request.args.get("lang")
    if chosen in languages:
        return _chosen_by("parameter", chosen)
    remembered = request.cookies.get(LANGUAGE_COOKIE)
    if remembered in languages:
        return _chosen_by("cookie", remembered)
    aliases = {"no": "nb", "nob": "nb", "nno": "nn"}
    offered_aliases = [code for code, language in aliases.items() if language in languages]
    best = request.accept_languages.best_match([*languages, *offered_aliases])
    if best:
        return _chosen_by("browser", aliases.get(best, best))
    return _chosen_by("default", current_app.config["BABEL_DEFAULT_LOCALE"])


def _chosen_by(source: str, language: str) -> str:
    # Remembered for the response headers: a cache must know what the language depended on.
    g.language_source = source
    return language


def language_vary() -> tuple[str, ...]:
    """The request headers this response's language depended on, for its Vary header."""
    source = g.get("language_source")
    if source is None or source == "parameter":
        # Never asked for (the response has no language), or fixed by the URL, which
        # caches key on anyway.
        return ()
    # Not the cookie alone: without one, Accept-Language decides.
    return ("Accept-Language", "Cookie")


def current_language() -> str:
    """Return the language code of this request (nb, nn or en)."""
    locale = get_locale()
    return str(locale.language) if locale else "nb"


OSLO = ZoneInfo(TIME_ZONE)


def machine_time(value: datetime) -> str:
    """A time for machines (HTML datetime, feeds): ISO 8601 in UTC to the second."""
    return value.astimezone(UTC).isoformat(timespec="seconds")


def format_time(value: datetime | None) -> str:
    """Format a time in Europe/Oslo, always naming the zone: '28. nov. 2026 kl. 14:05 CET'."""
    if value is None:
        return ""
    # CLDR has no CET/CEST abbreviation for every language (English gets "+0100"), so the
    # zone's own abbreviation is appended rather than asked of the date pattern.
    zone = value.astimezone(OSLO).tzname()
    # Translators: a Unicode date pattern without the time zone (it is appended).
    pattern = gettext("d. MMM y 'kl.' HH:mm")
    return f"{format_datetime(value, pattern)} {zone}"
