"""A live server for browser tests: the app in a thread (werkzeug) and Debian's Chromium via Playwright."""

from __future__ import annotations

import logging
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from werkzeug.serving import make_server

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
CHROMIUM_PATHS = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def chromium_path() -> str | None:
    for candidate in CHROMIUM_PATHS:
        if Path(candidate).exists():
            return candidate
    found = shutil.which("chromium")
    return found


class LiveServer:
    """Serves a WSGI app on 127.0.0.1:<free port> until stopped."""

    def __init__(self, app) -> None:
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(
            target=self.server.serve_forever, name="live-server", daemon=True
        )

    def __enter__(self) -> LiveServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.thread.join(timeout=5)


def launch(playwright):
    return playwright.chromium.launch(
        executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS
    )


def seeded_store(database_url: str, demo_hash: str):
    """A fresh store with the demo users, their password hashed once per session (``demo_hash``)."""
    from engine import users
    from engine.db import Database
    from office.roles import seed_demo_users
    from tests.conftest import DEMO_PASSWORD

    database = Database(database_url)
    database.create_all()
    original = users.hash_password
    users.hash_password = lambda password: (
        demo_hash if password == DEMO_PASSWORD else original(password)
    )
    try:
        with database.transaction() as session:
            seed_demo_users(session, DEMO_PASSWORD)
    finally:
        users.hash_password = original
    return database


@contextmanager
def serving(engine, settings, database) -> Iterator[LiveServer]:
    """The app of ``engine`` on a live server (``server.engine`` set) for a browser test module;
    the store is disposed when the module is done."""
    from web.app import create_app

    app = create_app(
        {"TESTING": True, "LAKSANA_SETTINGS": settings, "RATELIMIT_ENABLED": False}, engine=engine
    )
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    with LiveServer(app) as server:
        server.engine = engine
        yield server
    database.dispose()


def module_settings(root: Path, **overrides):
    """Settings for a browser test module's own store: SQLite, DuckDB and instance/ under ``root``."""
    from engine.config import Settings

    return Settings(
        instance_dir=root / "instance",
        database_url=f"sqlite:///{root / 'laksana.db'}",
        warehouse_url=f"duckdb:///{root / 'warehouse.duckdb'}",
        **overrides,
    )
