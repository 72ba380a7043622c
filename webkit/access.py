"""Who is signed in, and the access rules every route declares.

Every view function carries an ``access`` attribute set by one of the three
decorators here (``public``, ``login_required``, ``roles_required``); the app
factory refuses to start when a route has none, and the authorization-matrix
test calls every route as every role. Task-level rules (who may do a task) are
the engine's; instance-level rules (who may read a request) are in
``web.policy``.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import wraps

from flask import abort, current_app, request
from flask_login import UserMixin, current_user

from engine.accounts import Account

from .current import get_engine
from .extensions import login_manager

#: roles that read every request and its history
OVERSEERS = frozenset({"manajer", "admin"})


@dataclass(frozen=True)
class SignedInUser(UserMixin):
    """What a request knows about its user: no SQLAlchemy object outlives its session."""

    id: int
    username: str
    full_name: str
    roles: tuple[str, ...]
    session_key: str

    def get_id(self) -> str:
        return f"{self.id}:{self.session_key}"

    def has_any(self, roles: Iterable[str]) -> bool:
        return bool(set(self.roles) & set(roles))

    @property
    def oversees(self) -> bool:
        return self.has_any(OVERSEERS)


def session_key(password_hash: str) -> str:
    """Changes with the password: a password change or reset signs out every other session."""
    secret = current_app.config["SECRET_KEY"].encode()
    return hmac.new(secret, password_hash.encode(), hashlib.sha256).hexdigest()[:16]


def signed_in_user(account: Account) -> SignedInUser:
    return SignedInUser(
        account.id,
        account.username,
        account.full_name or account.username,
        tuple(account.roles),
        session_key(account.password_hash),
    )


@login_manager.user_loader
def load_user(user_id: str) -> SignedInUser | None:
    if request.path.startswith("/api/") and request.authorization is not None:
        return None  # credentials sent to the API decide, not a session cookie beside them
    key, _, expected = user_id.partition(":")
    if not key.isdigit():
        return None
    account = get_engine().accounts.by_id(int(key))
    if account is None or not account.active:
        return None
    user = signed_in_user(account)
    return user if hmac.compare_digest(user.session_key, expected) else None


@login_manager.unauthorized_handler
def unauthorized():
    from flask import flash, redirect, url_for
    from flask_babel import gettext as _

    if request.path.startswith("/api/"):
        abort(401)
    flash(_("Silakan masuk terlebih dahulu."), "info")
    return redirect(
        url_for("auth.login", next=request.full_path if request.query_string else request.path)
    )


def _mark(view: Callable, access: str, roles: frozenset[str] = frozenset()) -> Callable:
    view.access = access
    view.roles = roles
    return view


def public(view: Callable) -> Callable:
    """Anyone, signed in or not (the institution's request, tracking, verification)."""
    return _mark(view, "public")


def login_required(view: Callable) -> Callable:
    """Any signed-in user; finer checks (the task's role, the request's participants) inside."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        return view(*args, **kwargs)

    return _mark(wrapped, "login")


def roles_required(*roles: str) -> Callable[[Callable], Callable]:
    """Signed in and holding at least one of ``roles``; 403 otherwise."""
    allowed = frozenset(roles)

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not current_user.has_any(allowed):
                abort(403)
            return view(*args, **kwargs)

        return _mark(wrapped, "roles", allowed)

    return decorate


def may_open(endpoint: str) -> bool:
    """Whether the current user may open a route (menus show only what the user may open).

    Read from the route's declared rule, so a menu never disagrees with the route; an endpoint
    that is not registered (an optional blueprint) is never shown.
    """
    view = current_app.view_functions.get(endpoint)
    if view is None:
        return False
    access = getattr(view, "access", None)
    if access == "public":
        return True
    if not current_user.is_authenticated:
        return False
    return access == "login" or (access == "roles" and current_user.has_any(view.roles))


def undeclared_routes(app) -> list[str]:
    """Endpoints whose view declares no access rule (the factory refuses to start with any)."""
    return sorted(
        endpoint
        for endpoint, view in app.view_functions.items()
        if endpoint != "static" and not hasattr(view, "access")
    )
