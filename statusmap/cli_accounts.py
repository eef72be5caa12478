"""`statusmap create-user` and `statusmap set-password`: staff accounts from the command line."""

from __future__ import annotations

import sys

import click
from flask.cli import with_appcontext

from statusmap.auth.accounts import AccountError
from statusmap.auth.accounts import create_user
from statusmap.auth.accounts import find_user
from statusmap.auth.accounts import grant_role
from statusmap.auth.accounts import set_password
from statusmap.auth.passwords import PasswordError
from statusmap.auth.passwords import generate_password
from statusmap.cli_common import writing_session_for
from statusmap.models import Role
from statusmap.models.audit import Actor

CLI_ACTOR = Actor("cli:create-user")


def _new_password(generate: bool) -> tuple[str, bool]:
    """Ask for a password at a terminal; otherwise (or on request, or left empty) make one."""
    if not generate and sys.stdin.isatty():
        password = click.prompt(
            "Password (leave empty to generate one)",
            hide_input=True,
            confirmation_prompt=True,
            default="",
            show_default=False,
        )
        if password:
            return password, False
    return generate_password(), True


@click.command("create-user")
@click.argument("email")
@click.option(
    "--role", type=click.Choice([r.value for r in Role]), required=True, help="Role to give."
)
@click.option("--municipality", "slug", required=True, help="Slug of the municipality.")
@click.option("--name", default="", help="The person's name, shown in the audit log.")
@click.option("--generate-password", "generate", is_flag=True, help="Never prompt: generate one.")
@with_appcontext
def create_user_command(email: str, role: str, slug: str, name: str, generate: bool) -> None:
    """Create a staff account with a role in a municipality (or give an account another role).

    The password is asked for at a terminal; otherwise one is generated and printed, once.
    """
    session, municipality = writing_session_for(slug)
    user = find_user(session, email)
    password, generated = ("", False) if user else _new_password(generate)
    try:
        if user is None:
            user = create_user(session, email=email, password=password, actor=CLI_ACTOR, name=name)
            click.echo(f"Created the account {user.email}.")
        grant_role(session, user, municipality, Role(role), actor=CLI_ACTOR)
        session.commit()
    except (AccountError, PasswordError) as exc:
        session.rollback()
        raise click.ClickException(f"{exc} Nothing was changed.") from exc
    click.echo(f"{user.email} is {role} in {municipality.name_in('nb')} ({municipality.slug}).")
    if generated:
        click.echo(
            f"Password (shown only now; the user can change it after logging in): {password}"
        )
    click.echo("Log in at /auth/login")


@click.command("set-password")
@click.argument("email")
@click.option("--generate-password", "generate", is_flag=True, help="Never prompt: generate one.")
@with_appcontext
def set_password_command(email: str, generate: bool) -> None:
    """Give an account a new password (it is logged out everywhere)."""
    from statusmap import db
    from statusmap.engine import begin_writing

    session = db.session()
    begin_writing(session)
    user = find_user(session, email)
    if user is None:
        raise click.ClickException(f"There is no account for {email}.")
    password, generated = _new_password(generate)
    try:
        set_password(session, user, password, actor=Actor("cli:set-password"))
        session.commit()
    except PasswordError as exc:
        session.rollback()
        raise click.ClickException(f"{exc} Nothing was changed.") from exc
    click.echo(f"New password set for {user.email}; every session of it has ended.")
    if generated:
        click.echo(f"Password (shown only now): {password}")
