"""The archive of resolved incidents: searched by street and by date, newest first, in pages."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from datetime import datetime
from datetime import time
from datetime import timedelta

from sqlalchemy import Select
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm import selectinload

from statusmap.gis.queries.addresses import address_points_on_streets
from statusmap.gis.queries.addresses import street_names
from statusmap.gis.queries.incidents import ids_covering_any_point
from statusmap.models import Incident
from statusmap.models import IncidentStatus
from statusmap.norwegian import search_form
from statusmap.oslo_time import as_oslo

PAGE_SIZE = 20
MIN_STREET_LENGTH = 2  # one letter would match nearly every street
# The names of the archive's query arguments (the form's fields).
STREET_ARG, FROM_ARG, TO_ARG, PAGE_ARG = "gate", "fra", "til", "side"
ARCHIVE_ARGS = (STREET_ARG, FROM_ARG, TO_ARG, PAGE_ARG)


@dataclass(frozen=True)
class ArchiveQuery:
    """What a visitor searches the archive for; empty fields do not narrow the search."""

    street: str = ""
    date_from: date | None = None  # Norwegian dates: the whole day in Europe/Oslo
    date_to: date | None = None
    page: int = 1


@dataclass(frozen=True)
class ArchivePage:
    """One page of the archive's answer."""

    query: ArchiveQuery
    incidents: list[Incident]
    total: int
    streets: list[str]  # the street names the street text matched (empty without one)

    @property
    def pages(self) -> int:
        """How many pages the answer has (at least one, if empty)."""
        return max(1, math.ceil(self.total / PAGE_SIZE))


def parse_archive_args(args: Mapping[str, str]) -> tuple[ArchiveQuery, list[str]]:
    """The archive query from a URL's arguments, and the names of the fields that were wrong
    ('fra', 'til': not a date, or 'til' before 'fra'; 'gate': too short). A wrong field is left
    out of the query."""
    errors: list[str] = []
    street = " ".join(args.get(STREET_ARG, "").split())
    if street and len(search_form(street)) < MIN_STREET_LENGTH:
        errors.append(STREET_ARG)
        street = ""
    dates = {name: _date(args.get(name, ""), name, errors) for name in (FROM_ARG, TO_ARG)}
    date_from, date_to = dates[FROM_ARG], dates[TO_ARG]
    if date_from and date_to and date_to < date_from:
        errors.append(TO_ARG)
        date_to = None
    page = args.get(PAGE_ARG, "1")
    number = int(page) if page.isascii() and page.isdigit() else 1
    return ArchiveQuery(street, date_from, date_to, max(1, min(number, 10_000))), errors


def _date(value: str, name: str, errors: list[str]) -> date | None:
    if not value.strip():
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        errors.append(name)
        return None


def search_archive(session: Session, municipality_id: int, query: ArchiveQuery) -> ArchivePage:
    """The municipality's resolved incidents matching the query, newest resolved first."""
    candidates = _archive_ids(municipality_id, query)
    streets: list[str] = []
    if query.street:
        wanted = search_form(query.street)
        all_streets = street_names(session, municipality_id)
        streets = [name for name in all_streets if wanted in search_form(name)]
        points = address_points_on_streets(session, municipality_id, streets)
        ids = ids_covering_any_point(session, candidates, points)
    else:
        ids = list(session.scalars(candidates))
    start = (query.page - 1) * PAGE_SIZE
    shown = list(ids[start : start + PAGE_SIZE])
    found = session.scalars(
        select(Incident).where(Incident.id.in_(shown)).options(selectinload(Incident.updates))
    )
    by_id = {incident.id: incident for incident in found}
    return ArchivePage(query, [by_id[i] for i in shown], len(ids), streets)


def _archive_ids(municipality_id: int, query: ArchiveQuery) -> Select[int]:
    """Ids of resolved incidents active at some time in the query's dates, newest first."""
    started = func.coalesce(Incident.starts_at, Incident.published_at, Incident.created_at)
    conditions = [
        Incident.municipality_id == municipality_id,
        Incident.status == IncidentStatus.RESOLVED,
    ]
    if query.date_from:
        conditions.append(Incident.resolved_at >= _oslo_midnight(query.date_from))
    if query.date_to:
        conditions.append(started < _oslo_midnight(query.date_to + timedelta(days=1)))
    return (
        select(Incident.id)
        .where(*conditions)
        .order_by(Incident.resolved_at.desc(), Incident.id.desc())
    )


def _oslo_midnight(day: date) -> datetime:
    """The start of a day in Norway (midnight is never in a summer-time change there)."""
    return as_oslo(datetime.combine(day, time()))
