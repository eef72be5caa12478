"""Staff's subscriber lists (CSV): every row checked first, then all written, or nothing.

Columns (header names, any case): `lokalid` or `address` ("Storgata 5B" or "Storgata 5B, 4611"),
`phone`, `email`, `language` (nb/nn/en; nb if empty), `channels` ("sms,email"; empty: SMS for a
phone and e-mail for an address), and optionally `vulnerable` (a VulnerableCategory name) and
`note`. UTF-8 with or without BOM; `,` or `;` as read from the header. Rows with the same phone
or e-mail are one person (one row per address), merged with the subscriber already holding it.
Imported subscribers count as confirmed: the municipality vouches for them (source "import").
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from statusmap.addresses.search import find_addresses
from statusmap.models import Address
from statusmap.models import Municipality
from statusmap.models import Subscriber
from statusmap.models.address import VulnerableCategory
from statusmap.models.audit import Actor
from statusmap.models.audit import record
from statusmap.models.subscriber import LANGUAGES
from statusmap.notify.phone import ContactError
from statusmap.notify.phone import normalise_email
from statusmap.notify.phone import normalise_phone
from statusmap.notify.subscriber_merge import add_addresses
from statusmap.notify.subscriber_merge import merge_contacts
from statusmap.notify.subscriber_merge import new_token

CHANNELS = ("sms", "voice", "email")
MAX_ROWS = 200_000


@dataclass(frozen=True)
class RowError:
    line: int
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.reason}"


class ImportRejected(ValueError):
    """The file was refused; `errors` lists every bad row (line number and reason)."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(f"{len(errors)} bad row(s)")
        self.errors = errors


@dataclass
class ImportRow:
    line: int
    address_id: int
    phone: str | None
    email: str | None
    language: str
    channels: set[str]
    vulnerable: VulnerableCategory | None
    note: str


@dataclass(frozen=True)
class ImportSummary:
    rows: int
    people: int
    new: int
    merged: int
    addresses_added: int


def read_csv(data: bytes) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """The header (lower-cased) and each row with its line number; ImportRejected if unreadable."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportRejected([RowError(1, f"not UTF-8 ({error.reason})")]) from error
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [name.strip().lower() for name in next(reader, [])]
    rows, line = [], reader.line_num + 1
    for values in reader:
        if any(v.strip() for v in values):
            rows.append((line, dict(zip(header, (v.strip() for v in values), strict=False))))
        line = reader.line_num + 1
        if len(rows) > MAX_ROWS:
            raise ImportRejected([RowError(line, f"more than {MAX_ROWS} rows")])
    return header, rows


def _check_header(header: list[str]) -> None:
    if not {"lokalid", "address"} & set(header):
        raise ImportRejected([RowError(1, "no lokalid or address column")])
    if not {"phone", "email"} & set(header):
        raise ImportRejected([RowError(1, "no phone or email column")])


def _address_id(
    session: Session, municipality_id: int, row: dict[str, str], by_lokalid: dict[str, int]
) -> int:
    lokalid, typed = row.get("lokalid", ""), row.get("address", "")
    if lokalid:
        if lokalid not in by_lokalid:
            raise ValueError(f"unknown lokalid {lokalid!r}")
        return by_lokalid[lokalid]
    if not typed:
        raise ValueError("no address (lokalid or address)")
    found = find_addresses(session, municipality_id, typed)
    if not found:
        raise ValueError(f"unknown address {typed!r}")
    if len(found) > 1:
        raise ValueError(f"ambiguous address {typed!r} ({len(found)} matches): add the postcode")
    return found[0].id


def _contacts(row: dict[str, str]) -> tuple[str | None, str | None]:
    phone = email = None
    try:
        phone = normalise_phone(row["phone"]) if row.get("phone") else None
    except ContactError:
        raise ValueError(f"bad phone number {row['phone']!r}") from None
    try:
        email = normalise_email(row["email"]) if row.get("email") else None
    except ContactError:
        raise ValueError(f"bad e-mail address {row['email']!r}") from None
    if phone is None and email is None:
        raise ValueError("no contact (phone or email)")
    return phone, email


def _channels(typed: str, phone: str | None, email: str | None) -> set[str]:
    if not typed.strip():
        return {name for name, have in (("sms", phone), ("email", email)) if have}
    chosen = {part.strip().lower() for part in typed.replace(";", ",").split(",") if part.strip()}
    for name in sorted(chosen):
        if name not in CHANNELS:
            raise ValueError(f"unknown channel {name!r} (sms, voice or email)")
        if name in ("sms", "voice") and phone is None:
            raise ValueError(f"channel {name} needs a phone number")
        if name == "email" and email is None:
            raise ValueError("channel email needs an e-mail address")
    return chosen


def _vulnerable(typed: str) -> VulnerableCategory | None:
    if not typed:
        return None
    try:
        return VulnerableCategory(typed.strip().lower())
    except ValueError:
        known = ", ".join(c.value for c in VulnerableCategory)
        raise ValueError(f"unknown vulnerable category {typed!r} ({known})") from None


def parse_row(
    session: Session,
    municipality_id: int,
    line: int,
    row: dict[str, str],
    by_lokalid: dict[str, int],
) -> ImportRow:
    """One row checked, or ValueError with the reason."""
    phone, email = _contacts(row)
    language = (row.get("language") or "nb").lower()
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r} (nb, nn or en)")
    return ImportRow(
        line=line,
        address_id=_address_id(session, municipality_id, row, by_lokalid),
        phone=phone,
        email=email,
        language=language,
        channels=_channels(row.get("channels", ""), phone, email),
        vulnerable=_vulnerable(row.get("vulnerable", "")),
        note=row.get("note", "")[:200],
    )


def check_rows(session: Session, municipality_id: int, data: bytes) -> list[ImportRow]:
    """Every row of the file checked; ImportRejected listing every bad one."""
    header, rows = read_csv(data)
    _check_header(header)
    wanted = {row["lokalid"] for _, row in rows if row.get("lokalid")}
    by_lokalid = dict(
        session.execute(
            select(Address.source_id, Address.id).where(
                Address.municipality_id == municipality_id,
                Address.retired_at.is_(None),
                Address.source_id.in_(wanted),
            )
        ).all()
    )
    checked, errors = [], []
    for line, row in rows:
        try:
            checked.append(parse_row(session, municipality_id, line, row, by_lokalid))
        except ValueError as error:
            errors.append(RowError(line, str(error)))
    errors += _conflicts(checked)
    if not rows and not errors:
        errors.append(RowError(2, "no rows"))
    if errors:
        raise ImportRejected(sorted(errors, key=lambda e: e.line))
    return checked


def _conflicts(rows: list[ImportRow]) -> list[RowError]:
    """One e-mail with two phone numbers (or the reverse) cannot be one person."""
    phone_of: dict[str, tuple[str, int]] = {}
    email_of: dict[str, tuple[str, int]] = {}
    errors = []
    for row in rows:
        if row.phone and row.email:
            for mine, theirs, key, other in (
                (phone_of, "e-mail", row.email, row.phone),
                (email_of, "phone", row.phone, row.email),
            ):
                seen = mine.setdefault(key, (other, row.line))
                if seen[0] != other:
                    reason = f"the same {theirs} as line {seen[1]} with another contact"
                    errors.append(RowError(row.line, reason))
    return errors


def import_subscribers(
    session: Session, municipality_id: int, data: bytes, *, actor: str | Actor, now: datetime
) -> ImportSummary:
    """Check the whole file, then write it (merging people); ImportRejected before any write."""
    rows = check_rows(session, municipality_id, data)
    people: dict[int, Subscriber] = {}
    new = added = 0
    for row in rows:
        subscriber = merge_contacts(session, municipality_id, row.phone, row.email)
        if subscriber is None:
            subscriber = Subscriber(municipality_id=municipality_id, token=new_token())
            subscriber.source, subscriber.confirmed_at = "import", now
            session.add(subscriber)
            new += 1
        _apply(subscriber, row, now)
        session.flush()
        people[subscriber.id] = subscriber
        added += add_addresses(session, subscriber, [row.address_id])
    summary = ImportSummary(len(rows), len(people), new, len(people) - new, added)
    record(
        session,
        actor=actor,
        action="import_subscribers",
        obj=session.get(Municipality, municipality_id),
        municipality_id=municipality_id,
        **summary.__dict__,
    )
    return summary


def _apply(subscriber: Subscriber, row: ImportRow, now: datetime) -> None:
    subscriber.phone = row.phone or subscriber.phone
    subscriber.email = row.email or subscriber.email
    subscriber.language = row.language
    subscriber.wants_sms = subscriber.wants_sms or "sms" in row.channels
    subscriber.wants_voice = subscriber.wants_voice or "voice" in row.channels
    subscriber.wants_email = subscriber.wants_email or "email" in row.channels
    subscriber.confirmed_at = subscriber.confirmed_at or now
    if row.vulnerable is not None:
        subscriber.vulnerable_category = row.vulnerable
        subscriber.vulnerable_note = row.note or subscriber.vulnerable_note
