"""`statusmap tick`: the scheduler's run for cron, where no web worker runs one in the background.

`* * * * * cd /srv/statusmap && .venv/bin/statusmap tick` activates scheduled incidents whose
start has passed and resolves those that resolve by themselves at their expected end. It is safe
beside the web workers' own schedulers and another tick: each transition happens exactly once.
"""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from statusmap import db
from statusmap.incidents.scheduler import ACTIVATE
from statusmap.incidents.scheduler import tick
from statusmap.models.base import utcnow
from statusmap.oslo_time import OSLO


@click.command("tick")
@with_appcontext
def tick_command() -> None:
    """Activate and resolve the incidents that are due now; print what was done."""
    done = tick(db.session(), utcnow())
    if not done:
        click.echo("Nothing was due.")
    for transition in done:
        when = f"{transition.at.astimezone(OSLO):%Y-%m-%d %H:%M %Z}"
        if transition.action == ACTIVATE:
            what = f"Activated incident {transition.incident_id} (its start: {when})"
        else:
            what = f"Resolved incident {transition.incident_id} (its expected end: {when})"
        click.echo(f"{what}: {transition.title}")
