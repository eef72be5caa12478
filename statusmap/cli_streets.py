"""`statusmap import-streets`: a municipality's street layer from any line file, any CRS."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from statusmap.cli_common import municipality_for
from statusmap.engine import begin_writing


@click.command("import-streets")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--municipality", "slug", required=True, help="Slug of the municipality.")
@click.option(
    "--name-field",
    help="Column with the street names (default: the first of name, navn, adressenavn, ...).",
)
@click.option("--crs", type=int, help="EPSG code, for a file that does not say its own.")
@click.option(
    "--attribution",
    help="Credit shown on the maps, as the data's licence asks (e.g. '© OpenStreetMap').",
)
@with_appcontext
def import_streets_command(
    path: Path, slug: str, name_field: str | None, crs: int | None, attribution: str | None
) -> None:
    """Replace a municipality's streets with the lines of a GIS file (GeoJSON, GPKG, SHP...)."""
    from statusmap.streets.importer import StreetFileError
    from statusmap.streets.importer import prepare_streets
    from statusmap.streets.importer import replace_streets

    session, municipality = municipality_for(slug)
    try:
        margin = current_app.config["BOUNDARY_TOLERANCE_M"]
        prepared = prepare_streets(
            municipality, path, name_field=name_field, crs=crs, margin_m=margin
        )
        begin_writing(session)  # only now: the file is read, clipped and simplified
        summary = replace_streets(
            session, municipality, prepared, actor="cli:import-streets", attribution=attribution
        )
        session.commit()
    except StreetFileError as exc:
        session.rollback()
        raise click.ClickException(f"{exc} Nothing was imported.") from exc
    click.echo(f"Features read: {summary.read}")
    click.echo(f"Streets stored: {summary.streets} (pieces of one name merged)")
    if summary.not_lines:
        click.echo(f"Skipped, not lines: {summary.not_lines}")
    if summary.outside:
        click.echo(f"Skipped, outside the municipality: {summary.outside}")
    for note in summary.notes:
        click.echo(f"Note: {note}", err=True)
