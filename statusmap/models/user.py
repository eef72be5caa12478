"""Staff accounts: users, their role in each municipality, and failed logins (for throttling)."""

from __future__ import annotations

import enum
import secrets
from datetime import datetime

from sqlalchemy import ForeignKey
from sqlalchemy import Index
from sqlalchemy import String
from sqlalchemy import UniqueConstraint
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column
from sqlalchemy.orm import relationship

from statusmap.models.base import Base
from statusmap.models.base import UTCDateTime
from statusmap.models.base import string_enum
from statusmap.models.base import utcnow
from statusmap.models.municipality import Municipality


class Role(enum.StrEnum):
    """What a user may do in a municipality; each role includes the ones before it."""

    VIEWER = "viewer"  # sees the staff pages, changes nothing
    EDITOR = "editor"  # creates, publishes, updates and resolves incidents
    ADMIN = "admin"  # also manages the municipality's details, templates and users

    def includes(self, other: Role) -> bool:
        """Whether this role may do what `other` may."""
        order = list(Role)
        return order.index(self) >= order.index(other)


def new_session_token() -> str:
    """A random token that every login session of a user carries; changing it logs them all out."""
    return secrets.token_urlsafe(24)


class User(Base):
    """One member of staff, known by e-mail address."""

    __tablename__ = "user_account"  # "user" is a reserved word in PostgreSQL
    __table_args__ = {"sqlite_autoincrement": True}

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)  # stored lower-case
    name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str] = mapped_column(String(200))
    session_token: Mapped[str] = mapped_column(String(64), default=new_session_token)
    is_active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    password_changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )

    @property
    def label(self) -> str:
        """How the user is named in the audit log and in messages: 'Kari (kari@kommune.no)'."""
        return f"{self.name} ({self.email})" if self.name else self.email

    def role_in(self, municipality_id: int) -> Role | None:
        """The user's role in a municipality, or None if they have none there."""
        for membership in self.memberships:
            if membership.municipality_id == municipality_id:
                return membership.role
        return None


class Membership(Base):
    """A user's role in one municipality."""

    __tablename__ = "membership"
    __table_args__ = (
        UniqueConstraint("user_id", "municipality_id", name="uq_membership_user_municipality"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    municipality_id: Mapped[int] = mapped_column(
        ForeignKey("municipality.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[Role] = mapped_column(string_enum(Role, "role"))

    user: Mapped[User] = relationship(back_populates="memberships")
    municipality: Mapped[Municipality] = relationship(lazy="joined")


class LoginFailure(Base):
    """A failed login, kept for a while to slow down password guessing (per address and per IP)."""

    __tablename__ = "login_failure"
    __table_args__ = (
        Index("ix_login_failure_email_at", "email", "at"),
        Index("ix_login_failure_ip_at", "ip", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254))
    ip: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
