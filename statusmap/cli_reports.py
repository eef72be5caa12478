"""`statusmap purge`: delete reporters' contact details once their retention has passed.

Run it daily from cron (`0 3 * * * cd /srv/statusmap && .venv/bin/statusmap purge`). It is
safe to run twice: a deleted contact is not deleted again.
"""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from statusmap import db
from statusmap.engine import begin_writing
from statusmap.models import Municipality
from statusmap.models.base import utcnow
from statusmap.oslo_time import OSLO
from statusmap.reports.retention import AFTER_RESOLVED
from statusmap.reports.retention import PurgedContact
from statusmap.reports.retention import purge_contacts
from statusmap.reports.settings import retention
from statusmap.reports.submission import shown_reference


@click.command("purge")
@with_appcontext
def purge_command() -> None:
    """Delete the contact details of reports past their retention; print what was done."""
    keep = retention(current_app.config)
    session = db.session()
    begin_writing(session)
    purged = purge_contacts(session, utcnow(), keep, actor="cli:purge")
    slugs = dict(session.execute(select(Municipality.id, Municipality.slug)).all())
    session.commit()
    if not purged:
        click.echo(f"Nothing was due: no contact details older than their {keep.days} days.")
    for done in purged:
        click.echo(_line(done, slugs.get(done.municipality_id, "?"), keep.days))
    if purged:
        click.echo(f"Deleted the contact details of {len(purged)} report(s).")


def _line(done: PurgedContact, slug: str, days: int) -> str:
    when = f"{done.since.astimezone(OSLO):%Y-%m-%d %H:%M %Z}"
    if done.reason == AFTER_RESOLVED:
        why = f"{days} days after incident {done.incident_id} was resolved ({when})"
    else:
        why = f"{days} days after the report ({when}), linked to no incident"
    return f"Report {shown_reference(done.reference)} ({slug}): contact deleted, {why}"
