"""Operations on municipalities: create or update one from its description and boundary."""

from __future__ import annotations

import re
from dataclasses import dataclass
from dataclasses import fields
from dataclasses import replace
from typing import Any
from urllib.parse import urlsplit

import shapely
from shapely.geometry import MultiPolygon
from shapely.geometry import Polygon
from shapely.geometry.base import BaseGeometry
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy.orm import Session

from statusmap.gis.validation import GeometryError
from statusmap.gis.validation import check_in_norway
from statusmap.gis.validation import drop_z
from statusmap.models import Address
from statusmap.models import Municipality
from statusmap.models.audit import Actor
from statusmap.models.audit import record
from statusmap.models.municipality import UTM_ZONES

SLUG_MAX_LENGTH = 60  # the column's length
TEXT_LIMITS = {"contact_phone": 40, "contact_email": 200, "contact_url": 500, "public_url": 500}
# Loose on purpose (one @ and no spaces; digits, spaces and a leading +): they catch a value given
# to the wrong option or mistyped, not every address that cannot be delivered to.
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+")
_PHONE = re.compile(r"\+?[0-9][0-9 ]*")
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
# A municipality's page is /<slug>/, so a slug must not take a path the app has or will have.
RESERVED_SLUGS = frozenset(
    {
        # Routes of today, and the places reserved for staff, embedding, reports, notifications.
        "api", "static", "staff", "embed", "auth", "tiles", "open311", "reports", "report",
        "network", "notify", "widget",
        # The short link in messages (/h/<incident id>).
        "h",
        "av",
        # Accounts and operations.
        "admin", "login", "logout", "account", "settings", "health", "healthz", "status",
        "metrics", "well-known",
        # Feeds and public pages that may come.
        "feeds", "feed", "rss", "atom", "cap", "ical", "incidents", "map", "maps", "search",
        "subscribe", "unsubscribe", "about", "help", "docs", "privacy", "personvern",
        "accessibility", "tilgjengelighet", "sitemap",
        # Files and host names that clients look for.
        "assets", "vendor", "media", "favicon", "robots", "www",
    }
)  # fmt: skip


@dataclass
class MunicipalityInput:
    """A municipality's description; boundary in EPSG:4326."""

    slug: str
    kommunenummer: str
    name: dict[str, str]
    boundary: BaseGeometry
    utm_epsg: int
    department: dict[str, str]
    contact_phone: str = ""
    contact_email: str = ""
    contact_url: str = ""
    public_url: str = ""
    is_demo: bool = False


def check_municipality_input(data: MunicipalityInput) -> MultiPolygon:
    """Reject an unusable description; return the boundary as a MultiPolygon."""
    check_slug(data.slug)
    check_kommunenummer(data.kommunenummer)
    if data.utm_epsg not in UTM_ZONES:
        raise ValueError(f"utm_epsg must be one of {UTM_ZONES}")
    if not data.name.get("nb"):
        raise ValueError("a municipality needs a name in bokmål")
    check_contacts(data)
    boundary, _had_z = drop_z(data.boundary)  # the caller that read the file says so
    if isinstance(boundary, Polygon):
        boundary = MultiPolygon([boundary])
    if not isinstance(boundary, MultiPolygon) or not boundary.is_valid:
        raise GeometryError("the boundary must be a valid Polygon or MultiPolygon")
    check_in_norway(boundary)
    return boundary


def check_slug(slug: str) -> None:
    """Refuse a slug that is not a plain URL segment or that the app's own paths need."""
    if len(slug) > SLUG_MAX_LENGTH or not _SLUG.fullmatch(slug):
        raise ValueError(
            f"slug {slug!r} must be 1-{SLUG_MAX_LENGTH} characters of a-z and 0-9, with single"
            " hyphens between them (e.g. nord-aurdal)"
        )
    if slug in RESERVED_SLUGS:
        raise ValueError(f"slug {slug!r} is reserved for the app's own pages; choose another")


def check_kommunenummer(kommunenummer: str) -> None:
    """Refuse a kommunenummer that is not four ASCII digits."""
    if not re.fullmatch(r"[0-9]{4}", kommunenummer):  # str.isdigit() takes "٤٢٠٤" too
        raise ValueError(f"kommunenummer {kommunenummer!r} must be four digits")


def check_contacts(data: MunicipalityInput) -> None:
    """Refuse contact details and links that cannot be what they say they are."""
    for name, limit in TEXT_LIMITS.items():
        if len(getattr(data, name)) > limit:
            raise ValueError(f"{name} is longer than {limit} characters")
    if data.contact_email and not _EMAIL.fullmatch(data.contact_email):
        raise ValueError(f"contact e-mail {data.contact_email!r} must be one address: name@host")
    if data.contact_phone and not _PHONE.fullmatch(data.contact_phone):
        raise ValueError(
            f"contact phone {data.contact_phone!r} may hold only digits, spaces and a leading +"
        )
    for name in ("public_url", "contact_url"):
        url = getattr(data, name)
        parts = urlsplit(url)
        if url and (parts.scheme not in ("https", "http") or not parts.hostname or " " in url):
            raise ValueError(f"{name} must be an https:// or http:// address, got {url!r}")


def create_municipality(session: Session, data: MunicipalityInput, *, actor: str) -> Municipality:
    """Create a new municipality; refuse a slug or kommunenummer that another one has."""
    check_slug(data.slug)
    taken = get_municipality(session, data.slug)
    if taken is not None:
        raise ValueError(
            f"slug {data.slug!r} is taken by {taken.name_in('nb')} (kommunenummer "
            f"{taken.kommunenummer}); use 'update' to change it, or choose another slug"
        )
    _check_kommunenummer_free(session, data.kommunenummer, None)
    return save_municipality(session, data, actor=actor)


# What update_municipality may change: everything but the slug (the page's address) and the
# demo flag (which lets the demo reset a municipality's incidents).
UPDATABLE = frozenset(f.name for f in fields(MunicipalityInput)) - {"slug", "is_demo"}


def update_municipality(
    session: Session, municipality: Municipality, *, actor: str | Actor, **changes: Any
) -> list[str]:
    """Change only the given fields, checked as on creation; audit and return those that changed."""
    unknown = set(changes) - UPDATABLE
    if unknown:
        raise TypeError(f"cannot update {', '.join(sorted(unknown))}")
    data = replace(_input_of(municipality), **changes)
    boundary = check_municipality_input(data)
    values = {name: getattr(data, name) for name in changes}
    if "boundary" in values:
        values["boundary"] = boundary  # as stored: 2D, a MultiPolygon
    _check_kommunenummer_free(session, data.kommunenummer, municipality.id)
    changed = [
        name for name in sorted(values) if not _same(getattr(municipality, name), values[name])
    ]
    for name in changed:
        setattr(municipality, name, values[name])
    if changed:
        session.flush()
        record(
            session,
            actor=actor,
            action="update",
            obj=municipality,
            municipality_id=municipality.id,
            changed=changed,
        )
    return changed


def _input_of(municipality: Municipality) -> MunicipalityInput:
    names = UPDATABLE | {"slug", "is_demo"}
    return MunicipalityInput(**{name: getattr(municipality, name) for name in names})


def _same(old: Any, new: Any) -> bool:
    if isinstance(old, BaseGeometry) and isinstance(new, BaseGeometry):
        return bool(shapely.equals(old, new))
    return bool(old == new)


def _check_kommunenummer_free(session: Session, kommunenummer: str, own_id: int | None) -> None:
    other = session.scalar(select(Municipality).where(Municipality.kommunenummer == kommunenummer))
    if other is not None and other.id != own_id:
        raise ValueError(
            f"kommunenummer {kommunenummer} belongs to {other.name_in('nb')} (/{other.slug}/) "
            "already"
        )


def save_municipality(session: Session, data: MunicipalityInput, *, actor: str) -> Municipality:
    """Create the municipality with this slug, or update it in place; audit either way."""
    boundary = check_municipality_input(data)
    municipality = session.scalar(select(Municipality).where(Municipality.slug == data.slug))
    action = "update"
    if municipality is None:
        municipality = Municipality(slug=data.slug)
        session.add(municipality)
        action = "create"
    values: dict[str, Any] = {
        "kommunenummer": data.kommunenummer,
        "name": dict(data.name),
        "boundary": boundary,
        "utm_epsg": data.utm_epsg,
        "department": dict(data.department),
        "contact_phone": data.contact_phone,
        "contact_email": data.contact_email,
        "contact_url": data.contact_url,
        "public_url": data.public_url,
        "is_demo": data.is_demo,
    }
    for key, value in values.items():
        setattr(municipality, key, value)
    session.flush()
    record(session, actor=actor, action=action, obj=municipality, municipality_id=municipality.id)
    return municipality


def list_municipalities(session: Session) -> list[Municipality]:
    """Return every municipality served, by slug."""
    return list(session.scalars(select(Municipality).order_by(Municipality.slug)))


def address_counts(session: Session) -> dict[int, int]:
    """The number of current (not retired) addresses of each municipality, by id."""
    rows = session.execute(
        select(Address.municipality_id, func.count(Address.id))
        .where(Address.retired_at.is_(None))
        .group_by(Address.municipality_id)
    )
    return dict(rows.all())


# Small words a name in capitals has in lower case when written (Bø i Telemark, Nes på Hedmarken).
_SMALL_WORDS = frozenset({"i", "og", "på"})


def tidy_name(raw: str) -> str:
    """A name from a register as people write it: "BØ I TELEMARK" becomes "Bø i Telemark"."""
    name = " ".join(raw.split())
    if name not in (name.upper(), name.lower()):
        return name  # already written with care: Guovdageaidnu - Kautokeino, Aurskog-Høland
    words = name.lower().split(" ")
    return " ".join(
        word
        if index and word in _SMALL_WORDS
        else "-".join(p.capitalize() for p in word.split("-"))
        for index, word in enumerate(words)
    )


def get_municipality(session: Session, slug: str) -> Municipality | None:
    """Return the municipality with this slug, if any."""
    return session.scalar(select(Municipality).where(Municipality.slug == slug))
