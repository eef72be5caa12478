"""Operations on staff accounts: create, grant roles, change passwords, log in. No Flask here.

Each operation flushes and writes an audit row; the caller commits.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from datetime import timedelta

from sqlalchemy import delete
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy.orm import Session

from statusmap.auth.passwords import check_new_password
from statusmap.auth.passwords import hash_password
from statusmap.auth.passwords import needs_rehash
from statusmap.auth.passwords import verify_password
from statusmap.models import LoginFailure
from statusmap.models import Membership
from statusmap.models import Municipality
from statusmap.models import Role
from statusmap.models import User
from statusmap.models.audit import Actor
from statusmap.models.audit import record
from statusmap.models.base import utcnow
from statusmap.models.user import new_session_token

_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


class AccountError(ValueError):
    """A change to an account that cannot be made; the message says why."""


def actor_of(user: User) -> Actor:
    """The audit actor for a logged-in user."""
    return Actor(user.label, user.id)


def normalise_email(email: str) -> str:
    """The e-mail address as stored: trimmed and lower-case; refused if it is not one."""
    email = email.strip().lower()
    if len(email) > 254 or not _EMAIL.fullmatch(email):
        raise AccountError(f"{email!r} is not an e-mail address.")
    return email


def find_user(session: Session, email: str) -> User | None:
    """The account with this e-mail address, if any."""
    try:
        email = normalise_email(email)
    except AccountError:
        return None
    return session.scalar(select(User).where(User.email == email))


def create_user(
    session: Session, *, email: str, password: str, actor: Actor, name: str = ""
) -> User:
    """Create an account; refused if the address is taken or the password too weak."""
    email = normalise_email(email)
    if find_user(session, email) is not None:
        raise AccountError(f"There is already an account for {email}.")
    check_new_password(password, email)
    user = User(email=email, name=name.strip()[:200], password_hash=hash_password(password))
    session.add(user)
    session.flush()
    _audit(session, actor, "create_user", user, None, email=email)
    return user


def grant_role(
    session: Session, user: User, municipality: Municipality, role: Role, *, actor: Actor
) -> Membership:
    """Give the user this role in the municipality (replacing any role they had there)."""
    membership = next((m for m in user.memberships if m.municipality_id == municipality.id), None)
    before = membership.role.value if membership else None
    if membership is None:
        membership = Membership(user=user, municipality=municipality, role=role)
        session.add(membership)
    membership.role = role
    session.flush()
    _audit(session, actor, "grant_role", user, municipality.id, role=role.value, before=before)
    return membership


def revoke_role(session: Session, user: User, municipality: Municipality, *, actor: Actor) -> None:
    """Take the user's role in the municipality away; never its last admin's."""
    membership = next((m for m in user.memberships if m.municipality_id == municipality.id), None)
    if membership is None:
        return
    if membership.role is Role.ADMIN and _admin_count(session, municipality.id) <= 1:
        raise AccountError("A municipality must keep at least one admin.")
    user.memberships.remove(membership)
    session.flush()
    _audit(session, actor, "revoke_role", user, municipality.id, before=membership.role.value)


def _admin_count(session: Session, municipality_id: int) -> int:
    return int(
        session.scalar(
            select(func.count(Membership.id)).where(
                Membership.municipality_id == municipality_id, Membership.role == Role.ADMIN
            )
        )
        or 0
    )


def set_password(
    session: Session, user: User, password: str, *, actor: Actor, action: str = "change_password"
) -> None:
    """Set a new password and log the user out of every session they have."""
    check_new_password(password, user.email)
    user.password_hash = hash_password(password)
    user.password_changed_at = utcnow()
    user.session_token = new_session_token()  # every login cookie carries the old one
    session.flush()
    _audit(session, actor, action, user, None)


def members_of(session: Session, municipality_id: int) -> list[tuple[User, Role]]:
    """A municipality's staff and their roles, by e-mail address."""
    rows = session.execute(
        select(User, Membership.role)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.municipality_id == municipality_id)
        .order_by(User.email)
    )
    return [(row[0], row[1]) for row in rows]


def set_active(session: Session, user: User, active: bool, *, actor: Actor) -> None:
    """Disable or re-enable an account; disabling ends its sessions."""
    if user.is_active == active:
        return
    user.is_active = active
    user.session_token = new_session_token()
    session.flush()
    _audit(session, actor, "enable_user" if active else "disable_user", user, None)


def _audit(
    session: Session,
    actor: Actor,
    action: str,
    user: User,
    municipality_id: int | None,
    **details: object,
) -> None:
    record(
        session,
        actor=actor,
        action=action,
        obj=user,
        municipality_id=municipality_id,
        **details,
    )


@dataclass(frozen=True)
class Throttle:
    """How many failed logins are allowed per address and per IP within a window."""

    per_email: int = 5
    per_ip: int = 30
    window: timedelta = timedelta(minutes=15)


class LoginRefused(AccountError):
    """Wrong address or password, or a disabled account: the message never says which."""


class LoginThrottled(AccountError):
    """Too many failed logins lately; try again after `retry_after`."""

    def __init__(self, retry_after: timedelta) -> None:
        minutes = max(1, round(retry_after.total_seconds() / 60))
        super().__init__(f"Too many failed logins. Try again in {minutes} minutes.")
        self.retry_after = retry_after


def _check_throttle(session: Session, email: str, ip: str, now: datetime, limits: Throttle) -> None:
    since = now - limits.window
    for column, value, limit in (
        (LoginFailure.email, email, limits.per_email),
        (LoginFailure.ip, ip, limits.per_ip),
    ):
        times = session.scalars(
            select(LoginFailure.at)
            .where(column == value, LoginFailure.at > since)
            .order_by(LoginFailure.at.desc())
            .limit(limit)
        ).all()
        if len(times) >= limit:
            raise LoginThrottled(times[-1] + limits.window - now)


def authenticate(
    session: Session,
    email: str,
    password: str,
    *,
    ip: str,
    now: datetime,
    limits: Throttle | None = None,
) -> User:
    """Check a login; record it either way. Raises LoginRefused or LoginThrottled.

    The caller must commit after a refusal too, so the failure counts towards the throttle.
    """
    limits = limits or Throttle()
    given = email.strip().lower()[:254]
    _check_throttle(session, given, ip, now, limits)
    user = find_user(session, given)
    if not verify_password(user.password_hash if user else None, password) or not (
        user and user.is_active
    ):
        session.add(LoginFailure(email=given, ip=ip[:64], at=now))
        record(
            session,
            actor=given or "(no address)",
            action="login_failed",
            obj=user or User(),
            municipality_id=None,
            ip=ip,
        )
        session.flush()
        raise LoginRefused("Wrong e-mail address or password.")
    session.execute(delete(LoginFailure).where(LoginFailure.email == given))
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = now
    session.flush()
    _audit(session, actor_of(user), "login", user, None, ip=ip)
    return user
