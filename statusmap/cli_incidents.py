"""`statusmap incident create`: publish an incident from a GeoJSON area, for scripts and GIS users.

The same validation as everywhere: a bad area or inconsistent times give a message and change
nothing. Times without a zone are taken as Norwegian time (Europe/Oslo); one that does not exist
there, or happens twice, at a change to or from summer time is refused.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import click
from flask import current_app
from flask.cli import with_appcontext
from shapely.geometry.base import BaseGeometry

from statusmap.cli_common import writing_session_for
from statusmap.gis.crs import reproject
from statusmap.gis.validation import GeometryError
from statusmap.gis.validation import parse_geojson
from statusmap.incidents.operations import GeometryLimits
from statusmap.incidents.operations import IncidentError
from statusmap.incidents.operations import IncidentInput
from statusmap.incidents.operations import create_incident
from statusmap.models import IncidentKind
from statusmap.models import IncidentStatus
from statusmap.models.base import utcnow
from statusmap.oslo_time import OsloTimeError
from statusmap.oslo_time import parse_oslo_time


def _time(value: str | None) -> datetime | None:
    """Parse an ISO 8601 time; one without a zone is Norwegian time, if that is unambiguous."""
    if not value:
        return None
    try:
        return parse_oslo_time(value)
    except OsloTimeError as exc:
        raise click.BadParameter(str(exc)) from exc


def _time_option(
    _ctx: click.Context, _param: click.Parameter, value: str | None
) -> datetime | None:
    return _time(value)


def _read_area(area: Path | None, crs: int, notes: list[str]) -> BaseGeometry | None:
    """The area file's geometry in EPSG:4326, checked; None without a file."""
    if area is None:
        return None
    max_bytes = current_app.config["MAX_GEOMETRY_BYTES"]
    return reproject(parse_geojson(area.read_bytes(), max_bytes=max_bytes, notes=notes), crs, 4326)


def _texts(nb: str | None, nn: str | None, en: str | None) -> dict[str, str]:
    return {lang: text for lang, text in (("nb", nb), ("nn", nn), ("en", en)) if text}


@click.group("incident")
def incident_group() -> None:
    """Create incidents from the command line."""


@incident_group.command("create")
@click.option("--municipality", "slug", required=True, help="Slug of the municipality.")
@click.option("--kind", type=click.Choice([k.value for k in IncidentKind]), required=True)
@click.option(
    "--status",
    type=click.Choice(["draft", "scheduled", "active"]),
    default="active",
    show_default=True,
)
@click.option(
    "--area",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="GeoJSON Polygon/MultiPolygon, Feature or FeatureCollection.",
)
@click.option(
    "--crs",
    type=int,
    default=4326,
    show_default=True,
    help="EPSG code of the file's coordinates, e.g. 25832 for EUREF89 UTM 32.",
)
@click.option("--title-nb", required=True)
@click.option("--title-nn")
@click.option("--title-en")
@click.option("--advice-nb")
@click.option("--advice-nn")
@click.option("--advice-en")
@click.option("--starts", callback=_time_option, help="Start time, ISO 8601 (default: now).")
@click.option("--expected-end", callback=_time_option, help="Expected end, ISO 8601.")
@click.option(
    "--auto-resolve", is_flag=True, help="Resolve by itself at the expected end (statusmap tick)."
)
@with_appcontext
def create_command(
    slug: str, kind: str, status: str, area: Path | None, crs: int, **texts_and_times: Any
) -> None:
    """Create an incident; nothing is stored if anything is wrong."""
    session, municipality = writing_session_for(slug)
    config = current_app.config
    t = texts_and_times
    notes: list[str] = []  # what the validation changed on the way, e.g. dropped heights
    try:
        geometry = _read_area(area, crs, notes)
        incident = create_incident(
            session,
            municipality,
            IncidentInput(
                kind=IncidentKind(kind),
                status=IncidentStatus(status),
                area=geometry,
                title=_texts(t["title_nb"], t["title_nn"], t["title_en"]),
                advice=_texts(t["advice_nb"], t["advice_nn"], t["advice_en"]),
                starts_at=t["starts"] or utcnow(),
                expected_end=t["expected_end"],
                auto_resolve=t["auto_resolve"],
            ),
            actor="cli:incident-create",
            limits=GeometryLimits(config["MAX_GEOMETRY_VERTICES"], config["BOUNDARY_TOLERANCE_M"]),
        )
        session.commit()
    except (GeometryError, IncidentError) as exc:
        session.rollback()
        raise click.ClickException(f"{exc} Nothing was stored.") from exc
    click.echo(f"Created incident {incident.id} ({incident.kind.value}, {incident.status.value}).")
    for note in notes:
        click.echo(note, err=True)
