"""People and their roles (the engine checks roles itself, not only the UI)."""

from __future__ import annotations

import os

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from .errors import NotFound
from .models import User

#: LAKSANA_PASSWORD_HASH=fast (the test suite sets it) uses argon2's cheapest parameters, made for
#: tests; anything else keeps argon2-cffi's default (RFC 9106 low-memory). Hashes record their own
#: parameters, so either setting verifies both kinds.
_hasher = (
    PasswordHasher.from_parameters(profiles.CHEAPEST)
    if os.environ.get("LAKSANA_PASSWORD_HASH") == "fast"
    else PasswordHasher()
)


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(user: User, password: str) -> bool:
    try:
        return _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def find_user(session: Session, username: str | None) -> User | None:
    if not username:
        return None
    return session.scalars(select(User).where(User.username == username)).first()


_SELECT_ROLES = select(User.roles, User.active).where(User.username == bindparam("username"))


def active_roles(session: Session, username: str | None) -> list[str] | None:
    """The roles of an active user, or None for an unknown or inactive one (one light query)."""
    if not username:
        return None
    found = session.connection().execute(_SELECT_ROLES, {"username": username}).first()
    if found is None or not found.active:
        return None
    return list(found.roles or [])


def require_user(session: Session, username: str | None) -> User:
    user = find_user(session, username)
    if user is None or not user.active:
        raise NotFound(f"unknown user '{username}'")
    return user


def create_user(
    session: Session,
    username: str,
    password: str,
    roles: list[str],
    full_name: str = "",
    position: str = "",
    email: str = "",
) -> User:
    user = User(
        username=username,
        password_hash=hash_password(password),
        roles=list(roles),
        full_name=full_name or username,
        position=position,
        email=email,
    )
    session.add(user)
    session.flush()
    return user
