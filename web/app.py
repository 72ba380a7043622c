"""Flask application factory: configuration, extensions, blueprints, error pages."""

from __future__ import annotations

import math
import os
import secrets
import time
from pathlib import Path
from typing import Any

from flask import Flask, request, session
from flask_wtf.csrf import generate_csrf
from werkzeug.middleware.proxy_fix import ProxyFix

from engine.config import Settings
from engine.facade import BpmnEngine
from engine.plugins import Registration
from engine.texts import set_translator
from webkit.current import ENGINE_KEY, REGISTRATION_KEY
from webkit.extensions import babel, csrf, limiter, login_manager

from . import composition, inputguard
from .pickers import PICKERS
from .templatecache import COMPILED_TEMPLATES

#: upload cap for the whole request: a 10 MB letter plus the form around it
MAX_REQUEST_BYTES = 11 * 1024 * 1024
CSP = (
    "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; script-src 'self'; "
    "font-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


def create_app(
    test_config: dict[str, Any] | None = None,
    engine: BpmnEngine | None = None,
    declared: Registration | None = None,
) -> Flask:
    """The app: ``engine`` and ``declared`` default to what the composition root builds."""
    app = Flask(__name__, instance_relative_config=False)
    app.jinja_options = {**app.jinja_options, "bytecode_cache": COMPILED_TEMPLATES}
    settings: Settings = (test_config or {}).get("LAKSANA_SETTINGS") or Settings()
    settings.ensure_instance_dir()
    app.config.from_mapping(_defaults(settings))
    if test_config:
        app.config.update(test_config)
    if "SESSION_COOKIE_SECURE" not in (test_config or {}):
        app.config["SESSION_COOKIE_SECURE"] = _secure_cookies(app, settings)
    app.config["REMEMBER_COOKIE_SECURE"] = app.config["SESSION_COOKIE_SECURE"]
    if settings.trusted_proxies:
        # the client's address and scheme as the proxies saw them (rate limits, secure cookies)
        n = settings.trusted_proxies
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n)  # type: ignore[method-assign]
    declared = declared or composition.registration()
    app.extensions[REGISTRATION_KEY] = declared
    app.extensions[ENGINE_KEY] = engine or composition.build_engine(settings, declared=declared)
    # a form field's picker is refused at deploy unless the pages draw it (engine.form_pickers)
    app.extensions[ENGINE_KEY].services.form_pickers.update(PICKERS)
    inputguard.install(app)
    _init_extensions(app)
    _register_blueprints(app, declared)
    _check_every_route_declares_access(app)
    return app


def _defaults(settings: Settings) -> dict[str, Any]:
    return dict(
        SECRET_KEY=settings.secret_key or _instance_secret(settings),
        LAKSANA_SETTINGS=settings,
        MAX_CONTENT_LENGTH=MAX_REQUEST_BYTES,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_NAME="laksana_session",
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        PERMANENT_SESSION_LIFETIME=8 * 3600,
        WTF_CSRF_TIME_LIMIT=8 * 3600,
        BABEL_DEFAULT_LOCALE="id",
        BABEL_DEFAULT_TIMEZONE="Asia/Jakarta",
        RATELIMIT_ENABLED=True,
        RATELIMIT_STORAGE_URI=settings.ratelimit_storage,
        #: a shared store that cannot be reached falls back to counting in this process (no 500)
        RATELIMIT_IN_MEMORY_FALLBACK_ENABLED=True,
        #: X-RateLimit-* on every response would cost two more round trips to the limits' store
        #: per request (a third of an API request with Redis); a 429 still says Retry-After
        RATELIMIT_HEADERS_ENABLED=False,
        #: sign-in attempts per client address (every attempt counts)
        LOGIN_RATE_LIMIT="10 per minute;60 per hour",
        #: failed sign-ins per account, from any address (a guesser spread over many addresses)
        LOGIN_ACCOUNT_RATE_LIMIT="5 per minute;20 per hour",
        #: JSON API requests per signed-in account (per address for anonymous callers)
        API_RATE_LIMIT=settings.api_rate_limit,
        PUBLIC_FORM_RATE_LIMIT="5 per 10 minutes;30 per day",
        TRACKING_RATE_LIMIT="30 per minute",
    )


def _secure_cookies(app: Flask, settings: Settings) -> bool:
    """Secure cookies unless debugging or testing; LAKSANA_SECURE_COOKIES=0/1 decides explicitly.

    A plain-http base URL (the laptop default, http://127.0.0.1:5000) also turns them off, or no
    browser would send the session back over http.
    """
    explicit = os.environ.get("LAKSANA_SECURE_COOKIES")
    if explicit not in (None, ""):
        return explicit.strip().lower() not in ("0", "false", "no", "off")
    if app.debug or app.testing:
        return False
    return not settings.base_url.startswith("http://")


def _init_extensions(app: Flask) -> None:
    import webkit.apiauth  # noqa: F401 - the API's Bearer and Basic request loader
    from webkit.access import may_open

    from . import i18n, requestinfo

    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.session_protection = "basic"
    limiter.init_app(app)
    babel.init_app(
        app, locale_selector=i18n.select_locale, default_translation_directories="translations"
    )
    i18n.register_filters(app)
    set_translator(i18n.engine_text)  # the engine's refusals in the page's language
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.filters["doc_title"] = requestinfo.document_title
    app.jinja_env.globals.update(
        csrf_token=generate_csrf,
        languages=i18n.LANGUAGES,
        current_language=i18n.select_locale,
        may_open=may_open,
        bundle_ready=lambda name: (Path(app.static_folder) / "build" / name).is_file(),
    )
    app.after_request(_security_headers)
    app.after_request(_retry_after)


def _retry_after(response):
    """A 429 says in ``Retry-After`` how many seconds until the breached limit's window ends."""
    if response.status_code == 429 and "Retry-After" not in response.headers:
        breached = limiter.current_limit
        if breached is None:
            seconds = 60
        else:  # the store's reset time is rounded up a second: never past the window itself
            window = breached.limit.get_expiry()
            seconds = min(window, math.ceil(breached.reset_at - time.time()))
        response.headers["Retry-After"] = str(max(1, seconds))
    return response


def _security_headers(response):
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    if response.mimetype == "text/html":
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Frame-Options", "DENY")
    if session.get("_user_id") or request.path.startswith(("/api/", "/dokumen/")):
        response.headers.setdefault("Cache-Control", "private, no-store")
    return response


def _register_blueprints(app: Flask, declared: Registration) -> None:
    from . import errors
    from .views import (
        admin,
        agenda,
        api,
        auth,
        console,
        dashboard,
        delegations,
        home,
        inbox,
        instances,
        notifications,
        portal,
        process_models,
        requests,
        services,
        tokens,
        verification,
    )

    for module in (
        home,
        auth,
        inbox,
        requests,
        portal,
        services,
        agenda,
        verification,
        instances,
        process_models,
        dashboard,
        console,
        admin,
        tokens,
        delegations,
        notifications,
        api,
    ):
        app.register_blueprint(module.bp)
    for blueprint in declared.blueprints:
        app.register_blueprint(blueprint)
    csrf.exempt(api.bp)
    errors.register(app)


def _check_every_route_declares_access(app: Flask) -> None:
    from webkit.access import undeclared_routes

    missing = undeclared_routes(app)
    if missing:
        raise RuntimeError(
            f"routes without an access rule (public/login_required/roles_required): {missing}"
        )


def _instance_secret(settings: Settings) -> str:
    """A per-installation secret kept under instance/ (set LAKSANA_SECRET_KEY in production)."""
    path = settings.ensure_instance_dir() / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()
