"""Taking a resident's report: checked, merged with its own repeats, tied to a known incident.

Every refusal is a ReportRefused with a `code` (for the page to say in its language), the
`field` it is about and an English message (for the API and logs).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from datetime import timedelta
from typing import Any

from shapely.geometry import Point
from sqlalchemy.orm import Session

from statusmap.gis.queries.incidents import incidents_covering_point
from statusmap.gis.queries.reports import repeats_of
from statusmap.gis.validation import GeometryError
from statusmap.gis.validation import check_near
from statusmap.gis.validation import check_point
from statusmap.models import Incident
from statusmap.models import Municipality
from statusmap.models import Report
from statusmap.models import ReportKind
from statusmap.models import ReportStatus
from statusmap.models.report import CONTACT_MAX
from statusmap.models.report import REFERENCE_LENGTH
from statusmap.models.report import TEXT_MAX
from statusmap.reports.explained import EXPLAINABLE
from statusmap.reports.explained import explains
from statusmap.reports.places import ReportPlace
from statusmap.reports.storing import insert_report
from statusmap.reports.storing import insert_unless_recent

# A repeat: the same kind from the same client within this distance and time of the first.
REPEAT_METRES = 150
REPEAT_WINDOW = timedelta(hours=2)
# How far back "since when" may reach, and how far ahead of the clock it may be (clock skew).
SINCE_LIMIT = timedelta(days=14)
SINCE_SKEW = timedelta(minutes=5)
# Unambiguous to read aloud over the phone: no 0/O, 1/I/L.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^\+?[0-9 ()-]{8,20}$")
# Invisible direction overrides, embeddings and isolates: they can make a text shown to staff
# read otherwise than it is stored ("Trojan source"), and nobody types them on purpose.
_NO_BIDI_CONTROLS = dict.fromkeys([*range(0x202A, 0x202F), *range(0x2066, 0x206A)])


class ReportRefused(ValueError):
    """A report that cannot be taken; `code` and `field` say why and where."""

    def __init__(self, code: str, field: str, message: str) -> None:
        super().__init__(message)
        self.code, self.field = code, field


@dataclass(frozen=True)
class ReportInput:
    """A report as sent: where (lon, lat, WGS 84), what and since when, and who may be asked."""

    kind: ReportKind
    lon: float
    lat: float
    observed_since: datetime
    text: str = ""
    contact: str = ""
    consent: bool = False
    client_key: str = ""
    source: str = "web"
    address_id: int | None = None


@dataclass(frozen=True)
class Submitted:
    """The stored report (or the earlier one it repeats) and the incident that explains it."""

    report: Report
    repeated: bool
    incident: Incident | None


def client_key(secret: str, client_address: str) -> str:
    """A keyed hash of a network address: equal for one client, not reversible to its address."""
    digest = hmac.new(secret.encode(), client_address.encode(), hashlib.sha256).hexdigest()
    return digest[:32]


def submit_report(
    session: Session,
    municipality: Municipality | ReportPlace,
    data: ReportInput,
    *,
    now: datetime,
    tolerance_m: float,
) -> Submitted:
    """Check and store a report, or count it as a repeat of the client's own; the caller commits.

    A report is its own transaction: should its random reference clash with a stored one (one
    chance in 10^11 per report), the transaction is rolled back and the report stored with a new
    one, so the caller must have written nothing before. Given a ReportPlace (kept in memory per
    change of the municipality's data), the incidents that explain it are not asked for again.
    A client's first report of its kind in the repeat window is stored in one statement
    (storing.py); only after an earlier one are its repeats looked for.
    """
    point = _checked_point(municipality, data, tolerance_m)
    text, contact = _checked_texts(data)
    check_since(data.observed_since, now)
    incident = _explaining_incident(session, municipality, data.kind, point, now)

    def row() -> dict[str, Any]:
        return _new_row(municipality, data, point, text, contact, incident, now)

    if not data.client_key:
        return Submitted(insert_report(session, row), False, incident)
    first = insert_unless_recent(session, row, since=now - REPEAT_WINDOW)
    if first is not None:  # the usual case: one statement
        return Submitted(first, False, incident)
    return _repeat_or_new(session, municipality, data, point, now, incident, row, (text, contact))


def _repeat_or_new(
    session: Session,
    municipality: Municipality | ReportPlace,
    data: ReportInput,
    point: Point,
    now: datetime,
    incident: Incident | None,
    row: Callable[[], dict[str, Any]],
    texts: tuple[str, str],
) -> Submitted:
    """After an earlier report of the kind by the client: merged if close and the new one adds
    nothing to it, else stored. A repeat with its own text or contact is kept as a report of its
    own: it may be someone else behind the same address (a shared network, a carrier's NAT), and
    what they wrote must not be lost."""
    earlier = repeats_of(
        session,
        municipality.id,
        kind=data.kind,
        client_key=data.client_key,
        point=point,
        metres=REPEAT_METRES,
        utm_epsg=municipality.utm_epsg,
        since=now - REPEAT_WINDOW,
    )
    text, contact = texts
    for report_id in earlier:
        repeated = session.get_one(Report, report_id)
        if text in ("", repeated.text) and contact in ("", repeated.contact or ""):
            repeated.repeats += 1
            session.flush()
            return Submitted(repeated, True, _incident_of(session, repeated))
    return Submitted(insert_report(session, row), False, incident)


def _new_row(
    municipality: Municipality | ReportPlace,
    data: ReportInput,
    point: Point,
    text: str,
    contact: str,
    incident: Incident | None,
    now: datetime,
) -> dict[str, Any]:
    return {
        "reference": new_reference(),
        "municipality_id": municipality.id,
        "kind": data.kind,
        "status": ReportStatus.LINKED if incident else ReportStatus.NEW,
        "location": point,
        "address_id": data.address_id,
        "observed_since": data.observed_since,
        "text": text,
        "contact": contact or None,
        "contact_consent": bool(contact) and data.consent,
        "client_key": data.client_key,
        "source": data.source,
        "incident_id": incident.id if incident else None,
        "created_at": now,
        "updated_at": now,
    }


def _checked_point(
    municipality: Municipality | ReportPlace, data: ReportInput, tolerance_m: float
) -> Point:
    try:
        point = check_point(data.lon, data.lat)
        check_near(
            point, municipality.boundary, utm_epsg=municipality.utm_epsg, tolerance_m=tolerance_m
        )
    except GeometryError as exc:
        raise ReportRefused("outside", "location", str(exc)) from exc
    return point


def _checked_texts(data: ReportInput) -> tuple[str, str]:
    return checked_texts(data.text, data.contact, data.consent)


def checked_texts(text: str, contact: str, consent: bool) -> tuple[str, str]:
    """The text and contact as kept (direction overrides out, trimmed), or refused."""
    text = text.translate(_NO_BIDI_CONTROLS).strip()
    contact = contact.translate(_NO_BIDI_CONTROLS).strip()
    if len(text) > TEXT_MAX:
        raise ReportRefused(
            "text_too_long", "text", f"The text is {len(text)} characters; at most {TEXT_MAX}."
        )
    if contact:
        if len(contact) > CONTACT_MAX or not (_EMAIL.match(contact) or _PHONE.match(contact)):
            raise ReportRefused(
                "contact_invalid",
                "contact",
                "The contact is neither a phone number nor an e-mail address.",
            )
        if not consent:
            raise ReportRefused(
                "consent_missing",
                "consent",
                "A contact is kept only with consent to be contacted about this report.",
            )
    return text, contact


def check_since(since: datetime, now: datetime) -> None:
    """Refuse a "since" without zone, in the future, or more than 14 days ago."""
    if since.tzinfo is None:
        raise ReportRefused("since_invalid", "observed_since", "The time has no time zone.")
    if since > now + SINCE_SKEW:
        raise ReportRefused("since_future", "observed_since", "The time is in the future.")
    if since < now - SINCE_LIMIT:
        raise ReportRefused("since_too_old", "observed_since", "The time is more than 14 days ago.")


def _explaining_incident(
    session: Session,
    municipality: Municipality | ReportPlace,
    kind: ReportKind,
    point: Point,
    now: datetime,
) -> Incident | None:
    if kind not in EXPLAINABLE:
        return None
    if isinstance(municipality, ReportPlace):
        found = municipality.explaining_incident_id(point, now, kind)
        return session.get(Incident, found) if found is not None else None
    covering = incidents_covering_point(session, municipality.id, point, now=now)
    return next((i for i in covering if explains(i.kind, kind)), None)


def _incident_of(session: Session, report: Report) -> Incident | None:
    return session.get(Incident, report.incident_id) if report.incident_id else None


def new_reference() -> str:
    """A random reference (8 of 31 signs: about 8.5 * 10^11 of them)."""
    return "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))


def shown_reference(reference: str) -> str:
    """A reference as people read it: K7M2-QX9A."""
    half = len(reference) // 2
    return f"{reference[:half]}-{reference[half:]}"
