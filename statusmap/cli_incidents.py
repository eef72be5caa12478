"""`statusmap incident create`: publish an incident from a GeoJSON area, for scripts and GIS users.

The same validation as everywhere: a bad area or inconsistent times give a message and change
nothing. Times without a zone are taken as Norwegian time (Europe/Oslo).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from statusmap import db
from statusmap.gis.crs import reproject
from statusmap.gis.validation import GeometryError
from statusmap.gis.validation import parse_geojson
from statusmap.i18n import OSLO
from statusmap.incidents.operations import GeometryLimits
from statusmap.incidents.operations import IncidentError
from statusmap.incidents.operations import IncidentInput
from statusmap.incidents.operations import create_incident
from statusmap.models import IncidentKind
from statusmap.models import IncidentStatus
from statusmap.models.base import utcnow
from statusmap.municipalities import get_municipality


def _time(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError as exc:
        raise click.BadParameter(f"{value!r} is not an ISO 8601 time (2026-12-01T08:00)") from exc
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=OSLO)


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
@click.option("--starts", help="Start time, ISO 8601 (default: now).")
@click.option("--expected-end", help="Expected end, ISO 8601.")
@with_appcontext
def create_command(
    slug: str, kind: str, status: str, area: Path | None, crs: int, **texts_and_times: str | None
) -> None:
    """Create an incident; nothing is stored if anything is wrong."""
    session = db.session()
    municipality = get_municipality(session, slug)
    if municipality is None:
        raise click.ClickException(f"No municipality with slug {slug!r}.")
    config = current_app.config
    t = texts_and_times
    try:
        geometry = None
        if area is not None:
            geometry = parse_geojson(area.read_bytes(), max_bytes=config["MAX_GEOMETRY_BYTES"])
            geometry = reproject(geometry, crs, 4326)
        incident = create_incident(
            session,
            municipality,
            IncidentInput(
                kind=IncidentKind(kind),
                status=IncidentStatus(status),
                area=geometry,
                title=_texts(t["title_nb"], t["title_nn"], t["title_en"]),
                advice=_texts(t["advice_nb"], t["advice_nn"], t["advice_en"]),
                starts_at=_time(t["starts"]) or utcnow(),
                expected_end=_time(t["expected_end"]),
            ),
            actor="cli:incident-create",
            limits=GeometryLimits(config["MAX_GEOMETRY_VERTICES"], config["BOUNDARY_TOLERANCE_M"]),
        )
        session.commit()
    except (GeometryError, IncidentError) as exc:
        session.rollback()
        raise click.ClickException(f"{exc} Nothing was stored.") from exc
    click.echo(f"Created incident {incident.id} ({incident.kind.value}, {incident.status.value}).")
