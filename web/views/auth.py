"""Signing in and out, the language switch, and changing one's own password."""

from __future__ import annotations

from functools import cache
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from engine.models import User
from engine.users import find_user, hash_password, verify_password

from ..app import get_engine
from ..extensions import limiter
from ..forms import LoginForm, PasswordChangeForm
from ..i18n import LANGUAGES
from ..security import login_required, public, signed_in_user

bp = Blueprint("auth", __name__)


@cache
def _dummy_user() -> User:
    """Verified against when the user does not exist, so that both cases take as long.

    Hashed on first use, not at import: every command and worker imports this module.
    """
    return User(username="", password_hash=hash_password("laksana-dummy-password"))


def safe_next(target: str | None, fallback: str) -> str:
    """Only a path on this site (no scheme, no host, no '//' trick)."""
    if not target:
        return fallback
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return fallback
    return target


def check_credentials(username: str, password: str):
    """The signed-in user for these credentials, or None (same work either way)."""
    with get_engine().db.transaction() as db:
        user = find_user(db, username.strip().lower())
        if user is None or not user.active:
            verify_password(_dummy_user(), password)
            return None
        return signed_in_user(user) if verify_password(user, password) else None


def _fresh_session() -> None:
    """A new session at sign-in and sign-out (no fixation), keeping only the chosen language."""
    language = session.get("lang")
    session.clear()
    if language:
        session["lang"] = language


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


@bp.route("/masuk", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
@public
def login():
    form = LoginForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        user = check_credentials(form.username.data, form.password.data)
        if user is not None:
            _fresh_session()
            login_user(user)
            session.permanent = True
            flash(_("Selamat datang, %(name)s.", name=user.full_name), "success")
            return redirect(safe_next(form.next.data, url_for("inbox.index")))
        form.password.errors.append(_("Nama pengguna atau kata sandi salah."))
    return render_template("auth/login.html", form=form)


@bp.post("/keluar")
@login_required
def logout():
    logout_user()
    _fresh_session()
    flash(_("Anda telah keluar."), "info")
    return redirect(url_for("home.index"))


@bp.post("/bahasa")
@public
def language():
    chosen = request.form.get("lang", "")
    if chosen in LANGUAGES:
        session["lang"] = chosen
    return redirect(safe_next(request.form.get("next"), url_for("home.index")))


@bp.route("/akun/kata-sandi", methods=["GET", "POST"])
@login_required
def password():
    form = PasswordChangeForm()
    if form.validate_on_submit():
        with get_engine().db.transaction() as db:
            user = find_user(db, current_user.username)
            changed = verify_password(user, form.current.data)
            if changed:
                user.password_hash = hash_password(form.new.data)
        if changed:
            login_user(signed_in_user(user), fresh=True)
            flash(_("Kata sandi sudah diganti."), "success")
            return redirect(url_for("inbox.index"))
        form.current.errors.append(_("Kata sandi sekarang salah."))
    return render_template("auth/password.html", form=form)
