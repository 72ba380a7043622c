"""The Flask extensions, created once and bound to an app in ``web.app.create_app``."""

from __future__ import annotations

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect

csrf = CSRFProtect()
login_manager = LoginManager()
babel = Babel()
#: the counters' store is the app's RATELIMIT_STORAGE_URI (``Settings.ratelimit_storage``: memory for
#: one process, Redis when several workers or servers must count together); keyed by client address
#: (behind a proxy, the address ProxyFix takes from X-Forwarded-For when LAKSANA_TRUSTED_PROXIES is set)
limiter = Limiter(key_func=get_remote_address, default_limits=[], strategy="fixed-window")
