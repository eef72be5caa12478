"""Password hashing with Argon2id (argon2-cffi), and generated passwords people can type."""

from __future__ import annotations

import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError
from argon2.exceptions import VerificationError

MIN_LENGTH = 12
MAX_LENGTH = 256  # hashing a megabyte "password" per attempt would be a cheap denial of service

_hasher = PasswordHasher()  # argon2-cffi's defaults follow RFC 9106's second recommendation
# Hashed once, so that a login for an unknown address costs as much as one for a known address.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))
# No 0/O, 1/l/I: a generated password may be read aloud or copied from a screen.
_ALPHABET = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


class PasswordError(ValueError):
    """A password that may not be used; the message says why."""


def check_new_password(password: str, email: str = "") -> None:
    """Refuse passwords that are too short, too long or the same as the e-mail address."""
    if len(password) < MIN_LENGTH:
        raise PasswordError(f"The password must have at least {MIN_LENGTH} characters.")
    if len(password) > MAX_LENGTH:
        raise PasswordError(f"The password may have at most {MAX_LENGTH} characters.")
    if email and password.strip().lower() == email.strip().lower():
        raise PasswordError("The password must not be the e-mail address.")


def hash_password(password: str) -> str:
    """Return an Argon2id hash of the password."""
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Whether the password matches the hash; as slow for a missing account as for a real one."""
    if len(password) > MAX_LENGTH:
        return False
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """Whether the hash was made with weaker settings than today's."""
    return _hasher.check_needs_rehash(password_hash)


def generate_password(length: int = 20) -> str:
    """A random password of unambiguous letters and digits (about 117 bits at 20 characters)."""
    return "".join(secrets.choice(_ALPHABET) for _ in range(length))
