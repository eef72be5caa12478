"""The Flask side of accounts: who is logged in, and what they may do in which municipality.

A session cookie holds "<user id>:<session token>"; changing a password or disabling the account
changes the token, which logs out every browser the user had.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask
from flask import abort
from flask import g
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_login import login_user
from sqlalchemy import select

from statusmap import db
from statusmap.extensions import csrf
from statusmap.extensions import limiter
from statusmap.extensions import login_manager
from statusmap.models import Municipality
from statusmap.models import Role
from statusmap.models import User


class StaffUser:
    """A logged-in account as Flask-Login sees it."""

    is_authenticated = True
    is_anonymous = False

    def __init__(self, user: User) -> None:
        self.user = user
        self.is_active = user.is_active

    def get_id(self) -> str:
        """The session cookie's user id: id and token, so a new token ends old sessions."""
        return f"{self.user.id}:{self.user.session_token}"


def init_app(app: Flask) -> None:
    """Bind Flask-Login and CSRF protection (every form and state-changing JSON call)."""
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Logg inn for å se denne siden.")
    login_manager.session_protection = "basic"
    login_manager.user_loader(_load_user)
    csrf.init_app(app)
    limiter.init_app(app)


def _load_user(cookie_id: str) -> StaffUser | None:
    user_id, _, token = cookie_id.partition(":")
    if not user_id.isdigit() or not token:
        return None
    user = db.session().get(User, int(user_id))
    if user is None or not user.is_active or user.session_token != token:
        return None
    return StaffUser(user)


def log_in(user: User) -> None:
    """Start a login session for the user (a new session id: no fixation)."""
    login_user(StaffUser(user))


def staff_user() -> User:
    """The logged-in account; anonymous visitors are sent to the login page."""
    if not current_user.is_authenticated:
        abort(login_manager.unauthorized())
    user: User = current_user.user
    return user


def membership_in(slug: str, needed: Role) -> tuple[User, Municipality]:
    """The user and the municipality, if the user's role there includes `needed`.

    A municipality the user has no role in answers 404, as one that does not exist: staff of
    one municipality learn nothing about another's. Too low a role answers 403.
    """
    user = staff_user()
    municipality = db.session().scalar(select(Municipality).where(Municipality.slug == slug))
    role = user.role_in(municipality.id) if municipality is not None else None
    if municipality is None or role is None:
        abort(404)
    if not role.includes(needed):
        abort(403)
    g.staff_role = role
    return user, municipality


def safe_next(target: str | None, default: str) -> str:
    """A redirect target after login: only a path on this site, never another host."""
    if not target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return default
    if "\\" in target or any(ord(char) < 32 for char in target):
        return default  # browsers read /\evil.example as //evil.example
    return target
