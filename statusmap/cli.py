"""The `statusmap` command: demo, db upgrade, import-addresses, incident, municipality, tick."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click
from flask import Flask
from flask import current_app
from flask.cli import FlaskGroup
from flask.cli import with_appcontext
from werkzeug.serving import make_server

if TYPE_CHECKING:
    from statusmap.addresses.importer import ImportSummary

from statusmap import db
from statusmap.cli_accounts import create_user_command
from statusmap.cli_accounts import set_password_command
from statusmap.cli_common import municipality_for
from statusmap.cli_incidents import incident_group
from statusmap.cli_isolate import isolate_command
from statusmap.cli_lifecycle import tick_command
from statusmap.cli_locate import locate_command
from statusmap.cli_municipalities import municipality_group
from statusmap.cli_open311 import open311_key_group
from statusmap.cli_reports import purge_command
from statusmap.cli_streets import import_streets_command
from statusmap.cli_subscribers import subscribers_group
from statusmap.cli_worker import worker_command
from statusmap.engine import WRITING
from statusmap.engine import begin_writing
from statusmap.migrations import upgrade as upgrade_schema
from statusmap.models.base import utcnow

# Heavy libraries (pandas, geopandas) are imported inside the commands that use them, so web
# workers, which load this module to register the commands, never pay for them.


def upgrade_database(app: Flask) -> None:
    """Bring the app's database schema to the newest revision."""
    engine = db.get_db(app).engine
    assert engine is not None
    with engine.execution_options(**WRITING).begin() as connection:
        upgrade_schema(connection)


@click.group("db")
def db_group() -> None:
    """Manage the database schema."""


@db_group.command("upgrade")
@with_appcontext
def db_upgrade() -> None:
    """Create or upgrade the schema to the newest migration."""
    upgrade_database(current_app._get_current_object())  # type: ignore[attr-defined]
    click.echo("Database is up to date.")


@click.command("import-addresses")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--municipality", "slug", required=True, help="Slug of the municipality.")
@click.option(
    "--retire-missing",
    is_flag=True,
    help="The file is the municipality's whole download: retire known addresses it lacks "
    "(kept for history, no longer counted or notified). Never use it with a partial file.",
)
@click.option(
    "--allow-mass-retire",
    is_flag=True,
    help="With --retire-missing: retire even more than 10 %% of the addresses (a merger, say).",
)
@with_appcontext
def import_addresses_command(
    path: Path, slug: str, retire_missing: bool, allow_mass_retire: bool
) -> None:
    """Import Kartverket's address download (CSV, GeoJSON or GeoPackage) into a municipality."""
    from statusmap.addresses.importer import prepare_addresses
    from statusmap.addresses.importer import write_addresses
    from statusmap.addresses.reader import AddressFileError

    session, municipality = municipality_for(slug)
    bar = _ProgressBar()
    try:
        tolerance = current_app.config["BOUNDARY_TOLERANCE_M"]
        prepared = prepare_addresses(municipality, path, tolerance_m=tolerance)
        begin_writing(session)  # only now: the file is read and checked
        summary = write_addresses(
            session,
            municipality,
            prepared,
            actor="cli:import-addresses",
            progress=bar,
            retire_missing=retire_missing,
            allow_mass_retire=allow_mass_retire,
        )
        session.commit()
    except AddressFileError as exc:
        session.rollback()
        raise click.ClickException(f"{exc} Nothing was imported.") from exc
    except BaseException:
        session.rollback()
        raise
    finally:
        bar.close()
    _print_summary(summary, retire_missing)


def _print_summary(summary: ImportSummary, retire_missing: bool) -> None:
    click.echo(f"Rows read: {summary.read}")
    if summary.other_municipalities:
        click.echo(f"Skipped, other municipalities: {summary.other_municipalities}")
    click.echo(f"Imported: {summary.imported} ({summary.inserted} new, {summary.updated} updated)")
    if retire_missing:
        click.echo(f"Retired (no longer in the file): {summary.retired}")
    for note in summary.notes:
        click.echo(f"Note: {note}")
    click.echo(f"Rejected: {len(summary.rejected)}")
    for line, reason in summary.rejected[:50]:
        click.echo(f"  line {line}: {reason}")
    if len(summary.rejected) > 50:
        click.echo(f"  ... and {len(summary.rejected) - 50} more")
    if summary.read and not summary.imported:
        raise click.ClickException("No row could be imported.")


class _ProgressBar:
    """click's progress bar, created once the importer knows how many rows it will write."""

    def __init__(self) -> None:
        self._bar: click._termui_impl.ProgressBar[int] | None = None

    def __call__(self, done: int, total: int) -> None:
        if self._bar is None:
            self._bar = click.progressbar(length=total, label="Writing addresses", file=sys.stderr)
            self._bar.__enter__()
        self._bar.update(done)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.__exit__(None, None, None)


@click.command("demo")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=5000, show_default=True, type=int, help="Port to listen on.")
@click.option("--no-serve", is_flag=True, help="Only create and load the database.")
@with_appcontext
def demo_command(host: str, port: int, no_serve: bool) -> None:
    """Create or upgrade the database, load the demo municipality, and serve it."""
    from statusmap.demo import load_demo
    from statusmap.demo_accounts import reset_demo_accounts

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    upgrade_database(app)
    session = db.session()
    begin_writing(session)
    result = load_demo(session, now=utcnow())
    logins = reset_demo_accounts(session, result.municipality)
    session.commit()
    click.echo(
        f"Loaded {result.municipality.name_in('nb')}: {result.addresses.imported} addresses, "
        f"{len(result.incidents)} incidents."
    )
    for login in logins:
        click.echo(f"Staff login ({login.role.value}): {login.email}  password: {login.password}")
    if no_serve:
        return
    try:
        server = make_server(host, port, app, threaded=True)
    except OSError as exc:
        raise click.ClickException(
            f"Cannot listen on {host}:{port} ({exc.strerror}); try --port with another number."
        ) from exc
    click.echo(
        f"statusmap demo is running at http://{host}:{server.port}/{result.municipality.slug}/"
    )
    click.echo(f"Staff pages: http://{host}:{server.port}/staff/ (log in with a login above)")
    click.echo("Press Ctrl+C to stop.")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        click.echo("Stopped.")


def register_commands(app: Flask) -> None:
    """Attach statusmap's commands to the app's CLI."""
    app.cli.add_command(db_group)
    app.cli.add_command(import_addresses_command)
    app.cli.add_command(import_streets_command)
    app.cli.add_command(demo_command)
    app.cli.add_command(incident_group)
    app.cli.add_command(create_user_command)
    app.cli.add_command(set_password_command)
    app.cli.add_command(municipality_group)
    app.cli.add_command(tick_command)
    app.cli.add_command(purge_command)
    app.cli.add_command(open311_key_group)
    app.cli.add_command(subscribers_group)
    app.cli.add_command(worker_command)


def statusmap_group() -> FlaskGroup:
    """The `statusmap` command group: the app's commands, and the network engine's own."""
    from statusmap import create_app

    cli = FlaskGroup(create_app=create_app, help="statusmap: outage map and status page for VA.")
    # The network engine's commands need no app, database or configuration: they are the
    # group's own, so running them never creates the app.
    cli.add_command(locate_command)
    cli.add_command(isolate_command)
    return cli


def main() -> None:
    """Entry point of the `statusmap` console script."""
    statusmap_group().main(prog_name="statusmap")
