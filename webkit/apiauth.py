"""Who calls the JSON API: a personal token (``Authorization: Bearer``) or HTTP Basic.

A token costs one indexed query (``engine.api_tokens``). HTTP Basic would cost an argon2
verification on every request (tens of milliseconds by design), so a verified username and
password are remembered in this process for ``BASIC_CACHE_SECONDS``: the key is a keyed fast hash
of both (the password itself is never kept), and a hit still reads the account, so a deactivated
account or a changed password (the stored hash changes) is refused at once. The pages use the
session cookie, never these.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import threading
import time

from engine.accounts import Account

from .access import SignedInUser, signed_in_user
from .current import get_engine
from .extensions import login_manager

BASIC_CACHE_SECONDS = 60.0
BASIC_CACHE_SIZE = 1024
#: per process: the cache keys mean nothing outside it
_KEY = os.urandom(32)
_lock = threading.Lock()
#: keyed hash of username and password -> (the stored password hash then, monotonic expiry)
_verified: dict[bytes, tuple[str, float]] = {}


def _cache_key(username: str, password: str) -> bytes:
    message = f"{username}\0{password}".encode("utf-8", "surrogatepass")
    return hmac.new(_KEY, message, hashlib.sha256).digest()


def forget_verified() -> None:
    """Empty the cache (tests, and nothing else needs it: hits are checked against the store)."""
    with _lock:
        _verified.clear()


def basic_account(username: str, password: str) -> Account | None:
    """The active account with these credentials; argon2 at most once a minute per client."""
    accounts = get_engine().accounts
    username = username.strip().lower()
    key = _cache_key(username, password)
    remembered = _verified.get(key)
    if remembered is not None and remembered[1] > time.monotonic():
        account = accounts.by_username(username)
        if account is not None and account.active and account.password_hash == remembered[0]:
            return account
    account = accounts.authenticate(username, password)
    with _lock:
        if account is None:
            _verified.pop(key, None)
            return None
        if len(_verified) >= BASIC_CACHE_SIZE:
            now = time.monotonic()
            for stale in [k for k, (_h, until) in _verified.items() if until <= now]:
                del _verified[stale]
            if len(_verified) >= BASIC_CACHE_SIZE:
                _verified.clear()
        _verified[key] = (account.password_hash, time.monotonic() + BASIC_CACHE_SECONDS)
    return account


@login_manager.request_loader
def load_api_user(req) -> SignedInUser | None:
    """The API's caller from the Authorization header (None: anonymous, the route answers 401)."""
    credentials = req.authorization
    if not req.path.startswith("/api/") or credentials is None:
        return None
    if credentials.type == "bearer":
        account = get_engine().tokens.authenticate(credentials.token or "")
    elif credentials.type == "basic":
        account = basic_account(credentials.username or "", credentials.password or "")
    else:
        return None
    return signed_in_user(account) if account is not None else None
