"""Flask application factory."""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app

from engine.config import Settings
from engine.facade import BpmnEngine

from .wiring import build_engine


def create_app(test_config: dict[str, Any] | None = None, engine: BpmnEngine | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=False)
    settings: Settings = (test_config or {}).get("LAKSANA_SETTINGS") or Settings()
    settings.ensure_instance_dir()
    app.config.from_mapping(
        SECRET_KEY=settings.secret_key or _instance_secret(settings),
        LAKSANA_SETTINGS=settings,
    )
    if test_config:
        app.config.update(test_config)
    app.extensions["laksana.engine"] = engine or build_engine(settings)
    from .views import home

    app.register_blueprint(home.bp)
    return app


def get_engine() -> BpmnEngine:
    return current_app.extensions["laksana.engine"]


def _instance_secret(settings: Settings) -> str:
    """A per-installation secret kept under instance/ (set LAKSANA_SECRET_KEY in production)."""
    import secrets

    path = settings.ensure_instance_dir() / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()
