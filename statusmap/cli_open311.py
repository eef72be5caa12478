"""`statusmap open311-key create|list|revoke`: trusted Open311 clients' API keys (shown once)."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from statusmap import db
from statusmap.cli_common import writing_session_for
from statusmap.models.base import utcnow
from statusmap.municipalities import get_municipality
from statusmap.open311.keys import KeyRefused
from statusmap.open311.keys import create_key
from statusmap.open311.keys import list_keys
from statusmap.open311.keys import revoke_key

ACTOR = "cli:open311-key"
_MUNICIPALITY = click.option(
    "--municipality", "slug", required=True, help="Slug of the municipality."
)
_NAME = click.option("--name", required=True, help="The client's name (source open311:<name>).")


@click.group("open311-key")
def open311_key_group() -> None:
    """Manage the API keys of trusted Open311 clients."""


@open311_key_group.command("create")
@_MUNICIPALITY
@_NAME
@with_appcontext
def create_command(slug: str, name: str) -> None:
    """Make a key; it is printed once and only its hash is stored."""
    session, municipality = writing_session_for(slug)
    try:
        _, key = create_key(session, municipality, name, actor=ACTOR, now=utcnow())
    except KeyRefused as exc:
        raise click.ClickException(str(exc)) from exc
    session.commit()
    click.echo(f"API key for {name} in {slug} (shown once, keep it safe):")
    click.echo(key)


@open311_key_group.command("list")
@_MUNICIPALITY
@with_appcontext
def list_command(slug: str) -> None:
    """List the municipality's clients (never their keys)."""
    municipality = get_municipality(db.session(), slug)
    if municipality is None:
        raise click.ClickException(f"No municipality with slug {slug!r}.")
    for row in list_keys(db.session(), municipality):
        state = f"revoked {row.revoked_at:%Y-%m-%d %H:%M} UTC" if row.revoked_at else "active"
        click.echo(f"{row.name}\tcreated {row.created_at:%Y-%m-%d %H:%M} UTC\t{state}")


@open311_key_group.command("revoke")
@_MUNICIPALITY
@_NAME
@with_appcontext
def revoke_command(slug: str, name: str) -> None:
    """Revoke a client's key at once."""
    session, municipality = writing_session_for(slug)
    try:
        revoke_key(session, municipality, name, actor=ACTOR, now=utcnow())
    except KeyRefused as exc:
        raise click.ClickException(str(exc)) from exc
    session.commit()
    click.echo(f"Revoked the key of {name} in {slug}.")
