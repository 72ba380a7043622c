"""Signing in and out, the language switch, and changing one's own password."""

from __future__ import annotations

import math
import time
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
from flask_limiter import RateLimitExceeded
from flask_login import current_user, login_user, logout_user

from webkit.access import login_required, public, signed_in_user
from webkit.current import get_engine
from webkit.extensions import limiter

from ..forms import LoginForm, PasswordChangeForm
from ..i18n import LANGUAGES

bp = Blueprint("auth", __name__)


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
    account = get_engine().accounts.authenticate(username, password)
    return signed_in_user(account) if account is not None else None


def _fresh_session() -> None:
    """A new session at sign-in and sign-out (no fixation), keeping only the chosen language."""
    language = session.get("lang")
    session.clear()
    if language:
        session["lang"] = language


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _account_limit() -> str:
    return current_app.config["LOGIN_ACCOUNT_RATE_LIMIT"]


def _account_key() -> str:
    """The account tried, as the sign-in compares it (the key of the per-account limit)."""
    return "akun:" + (request.form.get("username") or "").strip().lower()[:64]


@bp.route("/masuk", methods=["GET", "POST"])
@limiter.limit(
    _login_limit,
    methods=["POST"],
    error_message=lambda: _("Terlalu banyak percobaan masuk dari alamat Anda."),
)
@limiter.limit(
    _account_limit,
    methods=["POST"],
    key_func=_account_key,
    # a failed attempt re-renders the form (200); a success redirects and costs nothing
    deduct_when=lambda response: response.status_code == 200,
    exempt_when=lambda: not (request.form.get("username") or "").strip(),
    error_message=lambda: _("Terlalu banyak percobaan masuk yang gagal untuk akun ini."),
)
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


@bp.errorhandler(RateLimitExceeded)
def too_many_attempts(exc: RateLimitExceeded):
    """The sign-in page again (429), saying why and for how long, instead of a bare error page."""
    wait = _minutes_to_wait()
    message = f"{exc.description} " + _(
        "Tunggu sekitar %(minutes)d menit, lalu coba lagi.", minutes=wait
    )
    form = LoginForm(formdata=None, username=request.form.get("username", "")[:64])
    return render_template("auth/login.html", form=form, limited=message), 429


def _minutes_to_wait() -> int:
    current = limiter.current_limit
    if current is None:
        return 1
    return max(1, math.ceil((current.reset_at - time.time()) / 60))


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
        account = get_engine().accounts.change_password(
            current_user.username, form.current.data, form.new.data
        )
        if account is not None:
            login_user(signed_in_user(account), fresh=True)
            flash(_("Kata sandi sudah diganti."), "success")
            return redirect(url_for("inbox.index"))
        form.current.errors.append(_("Kata sandi sekarang salah."))
    return render_template("auth/password.html", form=form)
