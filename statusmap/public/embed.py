"""What the embed page (/embed/<slug>, for other sites' iframes) shows: current incidents only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from statusmap.incidents.queries import public_incidents
from statusmap.maps.mini_map import MiniMap
from statusmap.maps.mini_map import build_mini_map
from statusmap.models import Incident
from statusmap.models import Municipality


@dataclass(frozen=True)
class EmbedOptions:
    """The embedder's choices: a mini map or not, every text or the compact list."""

    map: bool = True
    compact: bool = False


@dataclass(frozen=True)
class EmbedPage:
    """Everything the embed template needs; incidents are numbered 1.. as on the mini map."""

    municipality: Municipality
    incidents: list[Incident]
    mini_map: MiniMap | None
    options: EmbedOptions
    generated_at: datetime


def parse_flag(value: str | None, default: bool) -> bool:
    """An option given as 1/0 (or true/false, yes/no); anything else keeps the default."""
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off"):
        return False
    return default


def build_embed_page(
    session: Session, municipality: Municipality, options: EmbedOptions, *, now: datetime
) -> EmbedPage:
    """The municipality's active and scheduled incidents at `now`, and their mini map."""
    found = public_incidents(
        session, municipality.id, now=now, recent_days=0, include_resolved=False
    )
    incidents = found.current
    mini_map = None
    if options.map:
        areas = [
            (number, incident.kind, incident.area)
            for number, incident in enumerate(incidents, start=1)
            if incident.area is not None
        ]
        mini_map = build_mini_map(municipality.boundary, areas)
    return EmbedPage(municipality, incidents, mini_map, options, now)
