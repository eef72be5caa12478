"""`statusmap municipality create|update|list`: set up a real municipality from its boundary file.

The boundary comes from any polygon file in any CRS, picked by kommunenummer from a file of
many (Kartverket's administrative units); the file is read before the write lock is taken. A
refusal stores nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING
from typing import Any

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy.orm import Session

from statusmap import db
from statusmap.cli_common import municipality_for
from statusmap.engine import begin_writing
from statusmap.gis.crs import to_utm
from statusmap.models import Municipality
from statusmap.municipalities import MunicipalityInput
from statusmap.municipalities import address_counts
from statusmap.municipalities import check_kommunenummer
from statusmap.municipalities import check_slug
from statusmap.municipalities import create_municipality
from statusmap.municipalities import list_municipalities
from statusmap.municipalities import tidy_name
from statusmap.municipalities import update_municipality

if TYPE_CHECKING:
    from statusmap.gis.polygon_files import FileBoundary

ACTOR = "cli:municipality"
LANGUAGES = ("nb", "nn", "en")
# The sending department when none is given, as the demo municipality words it.
DEPARTMENT = {
    "nb": "Vann og avløp, {} kommune",
    "nn": "Vatn og avløp, {} kommune",
    "en": "Water and Wastewater, {} Municipality",
}
_OPTIONS = [
    click.option("--name-nb", help="Name in bokmål (default: the name in the boundary file)."),
    click.option("--name-nn", help="Name in nynorsk (default: the bokmål name)."),
    click.option("--name-en", help="Name in English (default: the bokmål name)."),
    click.option(
        "--utm-epsg",
        type=click.Choice(["25832", "25833", "25835"]),
        help="EUREF89 UTM zone to measure in (default: the zone nearest the boundary's centre).",
    ),
    click.option("--department-nb", help="Sending department in bokmål."),
    click.option("--department-nn", help="Sending department in nynorsk."),
    click.option("--department-en", help="Sending department in English."),
    click.option("--contact-phone", help="Phone number residents may call (digits, spaces, +)."),
    click.option("--contact-email", help="E-mail address residents may write to."),
    click.option("--contact-url", help="Web page with more contact information (https://...)."),
    click.option("--public-url", help="The municipality's own page on water (https://...)."),
]


def _description_options(command: Callable[..., Any]) -> Callable[..., Any]:
    for option in reversed(_OPTIONS):
        command = option(command)
    return command


@click.group("municipality")
def municipality_group() -> None:
    """Set up the municipalities this instance serves."""


@municipality_group.command("create")
@click.argument("slug")
@click.option("--kommunenummer", required=True, help="Four digits, e.g. 4204.")
@click.option(
    "--boundary",
    "boundary_file",
    required=True,
    type=click.Path(path_type=Path),
    help="GeoJSON, GeoPackage or (zipped) Shapefile in any CRS, e.g. Kartverket's kommuner.",
)
@_description_options
@with_appcontext
def create_command(slug: str, kommunenummer: str, boundary_file: Path, **given: str | None) -> None:
    """Create a municipality, its page at /SLUG/, from its boundary in a file of one or many."""
    _refuse_bad(check_slug, slug)
    _refuse_bad(check_kommunenummer, kommunenummer)
    found = _read_boundary(boundary_file, kommunenummer)  # before the lock: it may be big
    data = _new_municipality(slug, kommunenummer, found, given)
    session = db.session()
    begin_writing(session)
    with _refusals(session):
        municipality = create_municipality(session, data, actor=ACTOR)
    session.commit()
    click.echo(f"Created {municipality.name_in('nb')} (kommunenummer {kommunenummer}).")
    _describe_boundary(municipality, boundary_file, found, "given" if given["utm_epsg"] else "")
    base = current_app.config["PUBLIC_BASE_URL"].rstrip("/")
    click.echo(f"Public page: {base}/{municipality.slug}/")


@municipality_group.command("update")
@click.argument("slug")
@click.option("--kommunenummer", help="A new kommunenummer (four digits).")
@click.option(
    "--boundary",
    "boundary_file",
    type=click.Path(path_type=Path),
    help="A new boundary, picked by the stored kommunenummer (or the new one, if given).",
)
@_description_options
@with_appcontext
def update_command(
    slug: str, kommunenummer: str | None, boundary_file: Path | None, **given: str | None
) -> None:
    """Change only what is given of a municipality; everything else stays as it is."""
    if kommunenummer is None and boundary_file is None and all(v is None for v in given.values()):
        raise click.UsageError("Nothing to change: give at least one option (see --help).")
    session, municipality = municipality_for(slug)
    if kommunenummer is not None:
        _refuse_bad(check_kommunenummer, kommunenummer)
    read_for = kommunenummer or municipality.kommunenummer
    found = _read_boundary(boundary_file, read_for) if boundary_file else None
    begin_writing(session)
    session.refresh(municipality)  # as it is now that we write, not as it was when read
    if found is not None and kommunenummer is None and municipality.kommunenummer != read_for:
        raise click.ClickException("The kommunenummer changed meanwhile; run the update again.")
    changes = _changes(municipality, given)
    if kommunenummer is not None:
        changes["kommunenummer"] = kommunenummer
    if found is not None:
        changes["boundary"] = found.geometry
    with _refusals(session):
        changed = update_municipality(session, municipality, actor=ACTOR, **changes)
    session.commit()
    if not changed:
        click.echo(f"Nothing changed: {slug} already has the values given.")
        return
    click.echo(f"Updated {municipality.name_in('nb')} ({slug}): {', '.join(changed)}.")
    if found is not None and boundary_file is not None:
        how = "given" if given["utm_epsg"] else "stored"
        _describe_boundary(municipality, boundary_file, found, how)


@municipality_group.command("list")
@with_appcontext
def list_command() -> None:
    """List the municipalities served, with their numbers, zones and addresses."""
    session = db.session()
    municipalities = list_municipalities(session)
    if not municipalities:
        click.echo("No municipalities yet: create one with 'statusmap municipality create'.")
        return
    counts = address_counts(session)
    rows = [["slug", "kommunenummer", "name", "UTM", "addresses", "page"]]
    for m in municipalities:
        name = m.name_in("nb") + (" (demo)" if m.is_demo else "")
        count = str(counts.get(m.id, 0))
        rows.append([m.slug, m.kommunenummer, name, str(m.utm_epsg), count, f"/{m.slug}/"])
    widths = [max(len(cell) for cell in column) for column in zip(*rows, strict=True)]
    for row in rows:
        cells = (cell.ljust(width) for cell, width in zip(row, widths, strict=True))
        click.echo("  ".join(cells).rstrip())


def _refuse_bad(check: Callable[[str], None], value: str) -> None:
    try:
        check(value)
    except ValueError as exc:
        raise click.ClickException(f"{exc}. Nothing was stored.") from exc


@contextmanager
def _refusals(session: Session) -> Iterator[None]:
    """A domain refusal (ValueError, GeometryError) as a message, with nothing stored."""
    try:
        yield
    except ValueError as exc:
        session.rollback()
        raise click.ClickException(f"{str(exc).rstrip('.')}. Nothing was stored.") from exc


def _read_boundary(path: Path, kommunenummer: str) -> FileBoundary:
    from statusmap.gis.polygon_files import PolygonFileError
    from statusmap.gis.polygon_files import boundary_from_file

    try:
        return boundary_from_file(path, kommunenummer)
    except PolygonFileError as exc:
        raise click.ClickException(f"{str(exc).rstrip('.')}. Nothing was stored.") from exc


def _new_municipality(
    slug: str, kommunenummer: str, found: FileBoundary, given: dict[str, str | None]
) -> MunicipalityInput:
    from statusmap.gis.polygon_files import choose_utm_zone

    name_nb = given["name_nb"] or (tidy_name(found.name) if found.name else None)
    if not name_nb:
        raise click.ClickException(
            f"The boundary file names no municipality {kommunenummer}; give the name with "
            "--name-nb. Nothing was stored."
        )
    names = {lang: given[f"name_{lang}"] or name_nb for lang in LANGUAGES}
    department = {
        lang: given[f"department_{lang}"] or given["department_nb"] or text.format(names[lang])
        for lang, text in DEPARTMENT.items()
    }
    zone = given["utm_epsg"]
    return MunicipalityInput(
        slug=slug,
        kommunenummer=kommunenummer,
        name=names,
        boundary=found.geometry,
        utm_epsg=int(zone) if zone else choose_utm_zone(found.geometry),
        department=department,
        contact_phone=given["contact_phone"] or "",
        contact_email=given["contact_email"] or "",
        contact_url=given["contact_url"] or "",
        public_url=given["public_url"] or "",
    )


_CONTACT_FIELDS = ("contact_phone", "contact_email", "contact_url", "public_url")


def _changes(municipality: Municipality, given: dict[str, str | None]) -> dict[str, Any]:
    """The fields the options give, with the languages not given kept as they are."""
    changes: dict[str, Any] = {f: given[f] for f in _CONTACT_FIELDS if given[f] is not None}
    if given["utm_epsg"] is not None:
        changes["utm_epsg"] = int(given["utm_epsg"])
    for field, stored in (("name", municipality.name), ("department", municipality.department)):
        texts = {lang: given[f"{field}_{lang}"] for lang in LANGUAGES}
        if any(text is not None for text in texts.values()):
            changes[field] = {**stored, **{k: v for k, v in texts.items() if v is not None}}
    return changes


def _describe_boundary(
    municipality: Municipality, path: Path, found: FileBoundary, how: str
) -> None:
    """Say the boundary's area and the UTM zone: chosen (how=""), "given" or "stored"."""
    from statusmap.gis.polygon_files import UTM_CENTRAL_MERIDIANS
    from statusmap.gis.polygon_files import choose_utm_zone

    epsg, lon = municipality.utm_epsg, municipality.boundary.centroid.x
    km2 = to_utm(municipality.boundary, epsg).area / 1e6
    named = f"'{found.name}' " if found.name else ""
    click.echo(f"Boundary: {named}from {path.name}, {km2:,.1f} km².")
    nearest = choose_utm_zone(municipality.boundary)
    centre = f"the boundary's centre is at {lon:.2f}°E, nearest to zone {nearest - 25800}'s"
    centre += f" central meridian ({UTM_CENTRAL_MERIDIANS[nearest]:.0f}°E)"
    why = centre if not how else f"as {how}"
    click.echo(f"UTM zone: EPSG:{epsg} (EUREF89 UTM zone {epsg - 25800}), {why}.")
    if how and nearest != epsg:
        click.echo(f"Note: {centre}; --utm-epsg {nearest} would measure it with less distortion.")
    for note in found.notes:
        click.echo(f"Note: {note}")
