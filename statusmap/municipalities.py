"""Operations on municipalities: create or update one from its description and boundary."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from shapely.geometry import MultiPolygon
from shapely.geometry import Polygon
from shapely.geometry.base import BaseGeometry
from sqlalchemy import select
from sqlalchemy.orm import Session

from statusmap.gis.validation import GeometryError
from statusmap.gis.validation import check_in_norway
from statusmap.gis.validation import drop_z
from statusmap.models import Municipality
from statusmap.models.audit import record
from statusmap.models.municipality import UTM_ZONES

SLUG_MAX_LENGTH = 60  # the column's length
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
# A municipality's page is /<slug>/, so a slug must not take a path the app has or will have.
RESERVED_SLUGS = frozenset(
    {
        # Routes of today, and the places reserved for staff, embedding, reports, notifications.
        "api", "static", "staff", "embed", "auth", "tiles", "open311", "reports", "report",
        "network", "notify", "widget",
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
    if not re.fullmatch(r"[0-9]{4}", data.kommunenummer):  # str.isdigit() takes "٤٢٠٤" too
        raise ValueError(f"kommunenummer {data.kommunenummer!r} must be four digits")
    if data.utm_epsg not in UTM_ZONES:
        raise ValueError(f"utm_epsg must be one of {UTM_ZONES}")
    if not data.name.get("nb"):
        raise ValueError("a municipality needs a name in bokmål")
    for field in ("public_url", "contact_url"):
        url = getattr(data, field)
        if url and not url.startswith(("https://", "http://")):
            raise ValueError(f"{field} must start with https:// or http://, got {url!r}")
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


def get_municipality(session: Session, slug: str) -> Municipality | None:
    """Return the municipality with this slug, if any."""
    return session.scalar(select(Municipality).where(Municipality.slug == slug))
