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
#: in-memory counters: one process serves the office (a shared store would need Redis)
limiter = Limiter(
    key_func=get_remote_address, storage_uri="memory://", default_limits=[], strategy="fixed-window"
)
