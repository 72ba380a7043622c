"""Accounts through the facade: signing in, the session's user, the administrators' user pages.

The web reaches the ``users`` table only through these methods (``BpmnEngine.accounts``); each is
one transaction and answers plain :class:`Account` values, never a SQLAlchemy object.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, fields
from functools import cache
from typing import Any

from sqlalchemy import select

from .db import Database
from .errors import Conflict, EngineError, NotFound
from .models import Role, User, is_row_id
from .roles import Roles
from .users import create_user, find_user, hash_password, verify_password


@dataclass(frozen=True)
class Account:
    id: int
    username: str
    full_name: str
    position: str
    nip: str
    rank: str
    email: str
    roles: tuple[str, ...]
    active: bool
    #: only to derive the session key (a password change signs out other sessions)
    password_hash: str

    @classmethod
    def of(cls, user: User) -> Account:
        return cls(
            id=user.id,
            username=user.username,
            full_name=user.full_name or user.username,
            position=user.position or "",
            nip=user.nip or "",
            rank=user.rank or "",
            email=user.email or "",
            roles=tuple(user.roles or ()),
            active=bool(user.active),
            password_hash=user.password_hash or "",
        )


@dataclass(frozen=True)
class AccountChange:
    """What the administrators' form sets on an account (a blank password keeps the old one)."""

    full_name: str
    position: str
    nip: str
    email: str
    roles: Sequence[str]
    active: bool
    password: str = ""


_EDITABLE = tuple(f.name for f in fields(AccountChange) if f.name not in ("password", "roles"))


USERNAME = re.compile(r"^[a-z0-9_.-]{3,64}$")


@cache
def _dummy_hash() -> str:
    """Verified against when the user does not exist, so both cases take as long (made once)."""
    return hash_password("laksana-dummy-password")


def _check_roles(session, wanted: Sequence[str], held: Sequence[str] = ()) -> list[str]:
    """The roles to give: each must be an active role of the table (one already held may stay)."""
    roles = list(dict.fromkeys(r.strip() for r in wanted if r and r.strip()))
    if not roles:
        raise EngineError("peran: pilih paling sedikit satu peran")
    active = {code: on for code, on in session.execute(select(Role.code, Role.active))}
    wrong = [r for r in roles if not active.get(r) and r not in held]
    if wrong:
        known = ", ".join(sorted(code for code, on in active.items() if on)) or "(belum ada)"
        raise EngineError(
            f"peran {', '.join(wrong)} tidak dikenal atau tidak aktif (peran aktif: {known})"
        )
    return roles


class Accounts:
    def __init__(self, db: Database) -> None:
        self.db = db
        #: the roles table: codes, names, bidang (``engine.roles``)
        self.roles = Roles(db)

    def role_labels(self) -> dict[str, str]:
        """code -> name of every role, for the pages' labels (``engine.roles``)."""
        return self.roles.labels()

    def by_id(self, user_id: int) -> Account | None:
        if not is_row_id(user_id):
            return None
        with self.db.Session() as session:
            user = session.get(User, user_id)
            return Account.of(user) if user is not None else None

    def by_username(self, username: str) -> Account | None:
        if "\x00" in username:  # no such name (and PostgreSQL refuses the byte in a query)
            return None
        with self.db.Session() as session:
            user = find_user(session, username)
            return Account.of(user) if user is not None else None

    def authenticate(self, username: str, password: str) -> Account | None:
        """The active account with these credentials, or None (the same work either way)."""
        with self.db.Session() as session:
            username = username.strip().lower()
            user = find_user(session, username) if "\x00" not in username else None
            if user is None or not user.active:
                verify_password(User(password_hash=_dummy_hash()), password)
                return None
            return Account.of(user) if verify_password(user, password) else None

    def change_password(self, username: str, current: str, new: str) -> Account | None:
        """Set a new password when ``current`` is right; None when it is wrong."""
        with self.db.transaction() as session:
            user = find_user(session, username)
            if user is None or not verify_password(user, current):
                return None
            user.password_hash = hash_password(new)
            session.flush()
            return Account.of(user)

    def list(self) -> list[Account]:
        with self.db.Session() as session:
            return [Account.of(u) for u in session.scalars(select(User).order_by(User.username))]

    def create(self, username: str, change: AccountChange) -> Account:
        if not USERNAME.match(username or ""):
            raise EngineError(
                f"nama pengguna '{username}' tidak sah: 3-64 huruf kecil, angka, titik, garis "
                "bawah atau tanda hubung"
            )
        with self.db.transaction() as session:
            if find_user(session, username) is not None:
                raise Conflict(f"nama pengguna '{username}' sudah dipakai")
            user = create_user(
                session,
                username,
                change.password,
                _check_roles(session, change.roles),
                change.full_name,
                change.position,
                change.email,
            )
            user.nip, user.active = change.nip, change.active
            session.flush()
            return Account.of(user)

    def update(self, user_id: int, change: AccountChange) -> Account:
        with self.db.transaction() as session:
            user = session.get(User, user_id) if is_row_id(user_id) else None
            if user is None:
                raise NotFound(f"pengguna {user_id} tidak ada")
            values: dict[str, Any] = {name: getattr(change, name) for name in _EDITABLE}
            for name, value in values.items():
                setattr(user, name, value)
            user.roles = _check_roles(session, change.roles, user.roles or ())
            if change.password:
                user.password_hash = hash_password(change.password)
            session.flush()
            return Account.of(user)

    def by_username_id(self, username: str) -> int:
        """The id of ``username``'s account (NotFound when there is none)."""
        account = self.by_username(username)
        if account is None:
            raise NotFound(f"pengguna '{username}' tidak ada")
        return account.id
