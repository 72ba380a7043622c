"""Personal API tokens: what a script sends as ``Authorization: Bearer <token>`` instead of a password.

A token is ``lks_`` and 43 characters of ``secrets.token_urlsafe(32)`` (256 random bits). It is
shown once, when made; the store keeps its SHA-256 only (a fast hash is enough for a secret with
that much entropy, unlike a password), so checking one costs one indexed query and no argon2.
Tokens belong to a user, may expire, can be revoked, and count as that user while the account is
active. ``last_used_at`` is written at most once a minute per token (a write per request would
cost more than the check itself).
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import bindparam, select, update

from .accounts import Account
from .db import Database
from .errors import EngineError, NotFound
from .models import ApiToken, User, is_row_id, utcnow
from .users import find_user

PREFIX = "lks_"
#: how stale ``last_used_at`` may be before a use writes it again
LAST_USED_EVERY = timedelta(minutes=1)
MAX_NAME = 100
MAX_EXPIRES_DAYS = 3650


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True)
class TokenInfo:
    """A token as its owner and the administrator see it (never the token itself)."""

    id: int
    username: str
    name: str
    hint: str
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None
    revoked_at: datetime | None

    def state(self, now: datetime) -> str:
        """``aktif``, ``dicabut`` (revoked) or ``kedaluwarsa`` (expired)."""
        if self.revoked_at is not None:
            return "dicabut"
        if self.expires_at is not None and self.expires_at <= now:
            return "kedaluwarsa"
        return "aktif"

    def to_dict(self, now: datetime) -> dict:
        return {
            "id": self.id,
            "username": self.username,
            "name": self.name,
            "hint": self.hint,
            "state": self.state(now),
            "created": self.created_at.isoformat(),
            "expires": self.expires_at.isoformat() if self.expires_at else None,
            "last_used": self.last_used_at.isoformat() if self.last_used_at else None,
        }


def _info(token: ApiToken, username: str) -> TokenInfo:
    return TokenInfo(
        token.id,
        username,
        token.name,
        token.hint,
        token.created_at,
        token.expires_at,
        token.last_used_at,
        token.revoked_at,
    )


_BY_HASH = (
    select(ApiToken.id, ApiToken.expires_at, ApiToken.last_used_at, ApiToken.revoked_at, User)
    .join(User, User.id == ApiToken.user_id)
    .where(ApiToken.token_hash == bindparam("token_hash"))
)


class ApiTokens:
    def __init__(self, db: Database, clock: Callable[[], datetime] = utcnow) -> None:
        self.db = db
        self.clock = clock

    def create(
        self, username: str, name: str = "", expires_days: int | None = None
    ) -> tuple[str, TokenInfo]:
        """A new token for an active user: the token (show it once) and what is kept of it."""
        name = (name or "").strip()
        if len(name) > MAX_NAME:
            raise EngineError(f"nama token paling banyak {MAX_NAME} karakter")
        if "\x00" in name:
            raise EngineError("nama token berisi karakter yang tidak sah (NUL)")
        if expires_days is not None and not 1 <= expires_days <= MAX_EXPIRES_DAYS:
            raise EngineError(f"masa berlaku token harus 1 sampai {MAX_EXPIRES_DAYS} hari")
        now = self.clock()
        token = PREFIX + secrets.token_urlsafe(32)
        with self.db.transaction() as session:
            user = find_user(session, username)
            if user is None or not user.active:
                raise NotFound(f"pengguna '{username}' tidak ada atau tidak aktif")
            row = ApiToken(
                user_id=user.id,
                name=name,
                token_hash=token_hash(token),
                hint=token[: len(PREFIX) + 6],
                created_at=now,
                expires_at=now + timedelta(days=expires_days) if expires_days else None,
            )
            session.add(row)
            session.flush()
            return token, _info(row, user.username)

    def list(self, username: str | None = None) -> list[TokenInfo]:
        """Every token (newest first), or one user's."""
        query = select(ApiToken, User.username).join(User, User.id == ApiToken.user_id)
        if username is not None:
            query = query.where(User.username == username)
        with self.db.Session() as session:
            return [
                _info(token, name)
                for token, name in session.execute(query.order_by(ApiToken.id.desc()))
            ]

    def revoke(self, token_id: int, username: str | None = None) -> TokenInfo:
        """Revoke a token (only one of ``username``'s when given); revoking twice is harmless."""
        with self.db.transaction() as session:
            found = (
                session.execute(
                    select(ApiToken, User.username)
                    .join(User, User.id == ApiToken.user_id)
                    .where(ApiToken.id == token_id)
                ).first()
                if is_row_id(token_id)
                else None
            )
            if found is None or (username is not None and found[1] != username):
                raise NotFound(f"token {token_id} tidak ada")
            token, owner = found
            if token.revoked_at is None:
                token.revoked_at = self.clock()
                session.flush()
            return _info(token, owner)

    def authenticate(self, token: str) -> Account | None:
        """The active account a valid token stands for, or None (unknown, revoked, expired)."""
        if not token.startswith(PREFIX) or len(token) > 200:
            return None
        now = self.clock()
        with self.db.Session() as session:
            found = session.execute(_BY_HASH, {"token_hash": token_hash(token)}).first()
            if found is None:
                return None
            token_id, expires_at, last_used_at, revoked_at, user = found
            if revoked_at is not None or not user.active:
                return None
            if expires_at is not None and expires_at <= now:
                return None
            account = Account.of(user)
            if last_used_at is None or now - last_used_at >= LAST_USED_EVERY:
                session.execute(
                    update(ApiToken).where(ApiToken.id == token_id).values(last_used_at=now)
                )
                session.commit()
            return account
