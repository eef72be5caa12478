"""A POSTed service request turned into a report (submit_report does the checking). No Flask.

Contacts: GeoReport v2 has no consent field. A contact (email, else phone) is kept only from a
trusted client (a valid api_key): its agreement with the municipality covers asking residents'
consent. From anyone else a contact field is refused with a 400, so the resident is never led
to think someone will call. Names (first_name, last_name) are not needed to follow up: dropped.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from statusmap.addresses.search import find_addresses
from statusmap.models import Address
from statusmap.models import Municipality
from statusmap.models import Open311Key
from statusmap.models import ReportKind
from statusmap.open311.formats import Open311Error
from statusmap.reports.submission import ReportInput
from statusmap.reports.submission import ReportRefused
from statusmap.reports.submission import Submitted
from statusmap.reports.submission import client_key
from statusmap.reports.submission import submit_report

CONTACT_FIELDS = ("email", "phone")


@dataclass(frozen=True)
class Sender:
    """Who sends: the trusted client (None for anyone) and the network address."""

    client: Open311Key | None
    address: str


def post_request(
    session: Session,
    municipality: Municipality,
    form: Mapping[str, str],
    sender: Sender,
    *,
    secret: str,
    now: datetime,
    tolerance_m: float,
) -> Submitted:
    """Store the request as a report (or find the earlier one it repeats); 400 when unusable."""
    kind = _kind(form)
    lon, lat, address_id = _where(session, municipality, form)
    contact = _contact(form, sender)
    source = f"open311:{sender.client.name}" if sender.client else "open311"
    data = ReportInput(
        kind=kind,
        lon=lon,
        lat=lat,
        observed_since=now,
        text=form.get("description", ""),
        contact=contact,
        consent=bool(contact),
        client_key=client_key(secret, _client_identity(form, sender)),
        source=source[:60],
        address_id=address_id,
    )
    try:
        return submit_report(session, municipality, data, now=now, tolerance_m=tolerance_m)
    except ReportRefused as exc:
        raise Open311Error(400, str(exc)) from exc


def _kind(form: Mapping[str, str]) -> ReportKind:
    code = form.get("service_code", "").strip()
    if not code:
        raise Open311Error(400, "service_code was not provided.")
    try:
        return ReportKind(code)
    except ValueError:
        raise Open311Error(400, f"Unknown service_code {code!r}.") from None


def _where(
    session: Session, municipality: Municipality, form: Mapping[str, str]
) -> tuple[float, float, int | None]:
    lat, lon = form.get("lat", "").strip(), form.get("long", "").strip()
    if lat or lon:
        try:
            return float(lon), float(lat), None
        except ValueError:
            raise Open311Error(400, "lat and long must both be decimal degrees.") from None
    address_id = form.get("address_id", "").strip()
    if address_id:  # our address ids, as /api/v1/<slug>/affected gives them
        address = session.get(Address, int(address_id)) if address_id.isdigit() else None
        if address is None or address.municipality_id != municipality.id:
            raise Open311Error(400, f"address_id {address_id!r} was not found.")
        x, y = address.location.coords[0]
        return x, y, address.id
    text = form.get("address_string", "").strip()
    if not text:
        raise Open311Error(
            400, "A location is required: lat and long, address_string or address_id."
        )
    found = find_addresses(session, municipality.id, text)
    if len(found) != 1:
        problem = "matches several addresses" if found else "was not found"
        raise Open311Error(400, f"address_string {problem}; send lat and long instead.")
    x, y = found[0].location.coords[0]
    return x, y, found[0].id


def _contact(form: Mapping[str, str], sender: Sender) -> str:
    given = [form.get(name, "").strip() for name in CONTACT_FIELDS]
    if not any(given):
        return ""
    if sender.client is None:
        raise Open311Error(
            400, "Contact details (email, phone) are accepted only from clients with an api_key."
        )
    return next(value for value in given if value)


def _client_identity(form: Mapping[str, str], sender: Sender) -> str:
    """Repeats are merged per resident: a trusted client's device or account, else the address."""
    if sender.client is None:
        return sender.address
    device = form.get("device_id", "").strip() or form.get("account_id", "").strip()
    return f"open311:{sender.client.id}:{device or sender.address}"
