"""The demo municipality's staff accounts: an editor and an admin, new passwords on every start."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from statusmap.auth.accounts import create_user
from statusmap.auth.accounts import find_user
from statusmap.auth.accounts import grant_role
from statusmap.auth.accounts import set_password
from statusmap.auth.passwords import generate_password
from statusmap.models import Municipality
from statusmap.models import Role
from statusmap.models.audit import Actor

DEMO_ACCOUNTS = (
    ("redaktor@demo.statusmap.example", "Demo-redaktør", Role.EDITOR),
    ("admin@demo.statusmap.example", "Demo-administrator", Role.ADMIN),
)


@dataclass(frozen=True)
class DemoLogin:
    """A demo account's e-mail address, role and this start's password."""

    email: str
    role: Role
    password: str


def reset_demo_accounts(session: Session, municipality: Municipality) -> list[DemoLogin]:
    """Create the demo accounts, or give them new passwords; return the logins to print."""
    actor = Actor("demo")
    logins = []
    for email, name, role in DEMO_ACCOUNTS:
        password = generate_password(16)
        user = find_user(session, email)
        if user is None:
            user = create_user(session, email=email, password=password, actor=actor, name=name)
        else:
            set_password(session, user, password, actor=actor)
        grant_role(session, user, municipality, role, actor=actor)
        logins.append(DemoLogin(email, role, password))
    return logins
