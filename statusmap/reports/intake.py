"""A report as typed or sent (form fields, JSON) made into a ReportInput, or refused.

The kind by its code, the place by a point (map tap, browser position) or an address, "since when"
by a choice (now, this morning, yesterday) or a time (a zone-less one is Norwegian time). Every
refusal is a ReportRefused with a code and the field it is about, as submit_report's are.
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from datetime import time
from datetime import timedelta

from sqlalchemy.orm import Session

from statusmap.addresses.search import MAX_QUERY
from statusmap.addresses.search import find_addresses
from statusmap.models import Municipality
from statusmap.models import ReportKind
from statusmap.oslo_time import OSLO
from statusmap.oslo_time import OsloTimeError
from statusmap.oslo_time import parse_oslo_time
from statusmap.reports.places import ReportPlace
from statusmap.reports.submission import ReportInput
from statusmap.reports.submission import ReportRefused
from statusmap.reports.submission import check_since
from statusmap.reports.submission import checked_texts

# "Since when" as the form offers it: now, this morning (06:00), yesterday (12:00), or a time.
SINCE_NOW, SINCE_MORNING, SINCE_YESTERDAY, SINCE_TIME = "na", "i-morges", "i-gar", "tid"
SINCE_CHOICES = (SINCE_NOW, SINCE_MORNING, SINCE_YESTERDAY, SINCE_TIME)
MORNING = time(6, 0)
YESTERDAY_AT = time(12, 0)


@dataclass(frozen=True)
class TypedReport:
    """What a resident or a client sent, still as text: nothing here has been checked."""

    kind: str = ""
    lat: object = None
    lon: object = None
    address: str = ""
    since: str = SINCE_NOW  # one of SINCE_CHOICES
    since_time: str = ""  # ISO 8601 or datetime-local, when since is SINCE_TIME
    text: str = ""
    contact: str = ""
    consent: bool = False


def report_input(
    session: Session,
    municipality: Municipality | ReportPlace,
    typed: TypedReport,
    *,
    now: datetime,
    client_key: str,
    source: str = "web",
) -> ReportInput:
    """The checked kind, place and time of a typed report (submit_report checks the rest)."""
    kind = parse_kind(typed.kind)
    lon, lat, address_id = locate(session, municipality, typed)
    _check_plain(typed.text, "text")
    _check_plain(typed.contact, "contact")
    return ReportInput(
        kind=kind,
        lon=lon,
        lat=lat,
        observed_since=observed_since(typed.since, typed.since_time, now),
        text=typed.text,
        contact=typed.contact,
        consent=typed.consent is True,
        client_key=client_key,
        source=source,
        address_id=address_id,
    )


def refusals_beside(typed: TypedReport, now: datetime) -> list[ReportRefused]:
    """Every refusal of a typed report that needs no database (kind, place given, time, text,
    contact): a form shows them all at once, so a resident corrects everything in one go."""
    found: list[ReportRefused] = []

    def place_given() -> None:
        if typed.lat in (None, "") and typed.lon in (None, "") and not str(typed.address).strip():
            raise ReportRefused("location_missing", "address", "Give an address or a point.")

    def texts() -> None:
        _check_plain(typed.text, "text")
        _check_plain(typed.contact, "contact")
        checked_texts(typed.text, typed.contact, typed.consent is True)

    def since() -> None:
        check_since(observed_since(typed.since, typed.since_time, now), now)

    for check in (lambda: parse_kind(typed.kind), place_given, since, texts):
        try:
            check()
        except ReportRefused as refused:
            found.append(refused)
    return found


def _check_plain(value: object, field: str) -> None:
    """Text a database can keep: a string without control characters (line breaks allowed)
    nor halves of a surrogate pair (which no encoding can store)."""
    if not isinstance(value, str) or any(
        c not in "\n\r\t" and unicodedata.category(c) in ("Cc", "Cs") for c in value
    ):
        raise ReportRefused(f"{field}_invalid", field, f"The {field} must be plain text.")


def parse_kind(value: object) -> ReportKind:
    """The kind by its code (no_water, ...), or refused."""
    if not isinstance(value, str):
        raise ReportRefused("kind_invalid", "kind", "Choose what you see.")
    try:
        return ReportKind(value)
    except ValueError:
        raise ReportRefused("kind_invalid", "kind", "Choose what you see.") from None


def locate(
    session: Session, municipality: Municipality | ReportPlace, typed: TypedReport
) -> tuple[float, float, int | None]:
    """(lon, lat, address id): the point given, else the one address the text names."""
    if typed.lat not in (None, "") or typed.lon not in (None, ""):
        return (*_point(typed.lat, typed.lon), None)
    text = typed.address.strip() if isinstance(typed.address, str) else ""
    if not text:
        raise ReportRefused(
            "location_missing", "address", "Give an address or a point (lat and lon)."
        )
    found = find_addresses(session, municipality.id, text[:MAX_QUERY])
    if not found:
        raise ReportRefused("address_unknown", "address", f"No address {text!r} was found.")
    if len(found) > 1:
        raise ReportRefused(
            "address_ambiguous", "address", f"{text!r} names {len(found)} addresses; give one."
        )
    point = found[0].location
    return point.x, point.y, found[0].id  # type: ignore[attr-defined]


def _point(lat: object, lon: object) -> tuple[float, float]:
    try:
        if isinstance(lat, bool) or isinstance(lon, bool):
            raise TypeError
        lon_f, lat_f = float(lon), float(lat)  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError):
        raise ReportRefused(
            "location_invalid", "location", "lat and lon must be numbers."
        ) from None
    if not (math.isfinite(lon_f) and math.isfinite(lat_f)):
        raise ReportRefused("location_invalid", "location", "lat and lon must be finite numbers.")
    if not (-90 <= lat_f <= 90 and -180 <= lon_f <= 180):
        raise ReportRefused(
            "location_invalid", "location", "lat must lie in [-90, 90] and lon in [-180, 180]."
        )
    return lon_f, lat_f


def observed_since(choice: object, typed_time: object, now: datetime) -> datetime:
    """The moment a "since when" answer means, aware; a typed time without zone is Oslo time."""
    local_now = now.astimezone(OSLO)
    if choice == SINCE_NOW:
        return now
    if choice == SINCE_MORNING:
        morning = datetime.combine(local_now.date(), MORNING, tzinfo=OSLO)
        return min(morning, now)
    if choice == SINCE_YESTERDAY:
        return datetime.combine(local_now.date() - timedelta(days=1), YESTERDAY_AT, tzinfo=OSLO)
    if choice == SINCE_TIME and isinstance(typed_time, str) and typed_time.strip():
        try:
            return parse_oslo_time(typed_time)
        except OsloTimeError as exc:
            raise ReportRefused("since_invalid", "observed_since", str(exc)) from exc
    raise ReportRefused("since_invalid", "observed_since", "Say since when.")
