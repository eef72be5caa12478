"""`statusmap subscribers import | export | delete`: staff's lists, and a person's GDPR requests.

`import FILE --municipality SLUG` checks every row before writing any (all or nothing) and lists
each bad row with its line number; `export` prints, as JSON, all we hold about one person (by
phone or e-mail); `delete` erases them. Every one is audited, with masked contacts only.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from flask.cli import with_appcontext
from sqlalchemy.orm import Session

from statusmap.cli_common import municipality_for
from statusmap.cli_common import writing_session_for
from statusmap.engine import begin_writing
from statusmap.models import Subscriber
from statusmap.models.base import utcnow
from statusmap.notify.phone import masked_contacts
from statusmap.notify.subscriber_import import ImportRejected
from statusmap.notify.subscriber_import import import_subscribers
from statusmap.notify.subscriber_records import audit_subscriber
from statusmap.notify.subscriber_records import erase_subscriber
from statusmap.notify.subscriber_records import export_subscriber
from statusmap.notify.subscriber_records import subscriber_by_contact

CLI_ACTOR = "cli"


@click.group("subscribers")
def subscribers_group() -> None:
    """Import, export and delete subscribers to warnings."""


@subscribers_group.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--municipality", "slug", required=True, help="Slug of the municipality.")
@with_appcontext
def import_command(path: Path, slug: str) -> None:
    """Import a CSV of subscribers (confirmed); nothing is imported if any row is bad."""
    session, municipality = municipality_for(slug)
    begin_writing(session)
    try:
        summary = import_subscribers(
            session, municipality.id, path.read_bytes(), actor=CLI_ACTOR, now=utcnow()
        )
    except ImportRejected as rejected:
        session.rollback()
        for error in rejected.errors:
            click.echo(f"{path.name}: {error}", err=True)
        raise click.ClickException(
            f"Nothing imported: {len(rejected.errors)} bad row(s). Correct them and import again."
        ) from None
    session.commit()
    click.echo(
        f"Imported {summary.rows} row(s): {summary.people} subscriber(s) ({summary.new} new,"
        f" {summary.merged} already known), {summary.addresses_added} address(es) added."
    )


def _person(slug: str, phone: str | None, email: str | None) -> tuple[Session, Subscriber]:
    if bool(phone) == bool(email):
        raise click.UsageError("Give exactly one of --phone and --email.")
    session, municipality = writing_session_for(slug)
    subscriber = subscriber_by_contact(session, municipality.id, phone or email or "")
    if subscriber is None:
        raise click.ClickException(f"No subscriber with that {'phone' if phone else 'e-mail'}.")
    return session, subscriber


@subscribers_group.command("export")
@click.option("--municipality", "slug", required=True, help="Slug of the municipality.")
@click.option("--phone", help="The person's phone number.")
@click.option("--email", help="The person's e-mail address.")
@with_appcontext
def export_command(slug: str, phone: str | None, email: str | None) -> None:
    """Print all we hold about one subscriber as JSON (a GDPR access request)."""
    session, subscriber = _person(slug, phone, email)
    data = export_subscriber(session, subscriber)
    audit_subscriber(session, subscriber, "export_subscriber", CLI_ACTOR)
    session.commit()
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    click.echo()


@subscribers_group.command("delete")
@click.option("--municipality", "slug", required=True, help="Slug of the municipality.")
@click.option("--phone", help="The person's phone number.")
@click.option("--email", help="The person's e-mail address.")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@with_appcontext
def delete_command(slug: str, phone: str | None, email: str | None, yes: bool) -> None:
    """Erase one subscriber and every trace of their contacts (a GDPR erasure request)."""
    session, subscriber = _person(slug, phone, email)
    masks = masked_contacts(subscriber.phone, subscriber.email)
    if not yes:
        click.confirm(f"Delete the subscriber {', '.join(masks.values())}?", abort=True)
    audit_subscriber(session, subscriber, "delete_subscriber", CLI_ACTOR)
    erase_subscriber(session, subscriber)
    session.commit()
    click.echo(f"Deleted the subscriber {', '.join(masks.values())} and their data.")
