"""Staff accounts and logins for tests: real accounts, real login form, real CSRF tokens."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from statusmap.auth.accounts import create_user
from statusmap.auth.accounts import grant_role
from statusmap.models import Municipality
from statusmap.models import Role
from statusmap.models import User
from statusmap.models.audit import Actor

PASSWORD = "riktig hest batteri stift"
_TOKEN = re.compile(
    r'name="csrf-token" content="([^"]+)"|name="csrf_token" type="hidden" value="([^"]+)"'
)


def make_user(
    session: Session,
    email: str,
    role: Role | None = None,
    municipality: Municipality | None = None,
    password: str = PASSWORD,
) -> User:
    """An account, with a role in a municipality when given."""
    user = create_user(session, email=email, password=password, actor=Actor("test"))
    if role is not None and municipality is not None:
        grant_role(session, user, municipality, role, actor=Actor("test"))
    return user


def csrf_token(client: FlaskClient, path: str = "/auth/login") -> str:
    """The CSRF token of the client's session, read from a page as a browser would."""
    page = client.get(path)
    match = _TOKEN.search(page.get_data(as_text=True))
    assert match, f"no CSRF token on {path} ({page.status_code})"
    return match.group(1) or match.group(2)


def log_in(client: FlaskClient, email: str, password: str = PASSWORD) -> None:
    """Log in through the login form; fails the test if the login is refused."""
    token = csrf_token(client)
    answer = client.post(
        "/auth/login", data={"csrf_token": token, "email": email, "password": password}
    )
    assert answer.status_code == 302, answer.get_data(as_text=True)[:500]


def demo_staff_client(app: Flask, email: str, role: Role) -> FlaskClient:
    """A test client logged in as a new account with this role in the demo municipality."""
    from statusmap.db import get_db
    from statusmap.municipalities import get_municipality

    with app.app_context():
        session = get_db(app).session()
        make_user(session, email, role, get_municipality(session, "demo"))
        session.commit()
    client = app.test_client()
    log_in(client, email)
    return client
