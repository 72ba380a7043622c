"""Web fixtures: signing in as a role user, a request in progress, an app with CSRF and limits on."""

from __future__ import annotations

import pytest

from engine import users
from engine.facade import BpmnEngine
from engine.models import User
from tests.conftest import DEMO_PASSWORD, deployed_engine
from tests.factories import PROCESS, gen_letter
from web.app import create_app
from webkit.access import session_key

ROLES = (
    "sekretariat",
    "kepala_dinas",
    "kabid_piak",
    "kasi",
    "operator",
    "jfu",
    "petugas_pengaduan",
    "unit_layanan",
    "analis",
    "manajer",
    "admin",
)
#: a small valid PDF for uploads
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


@pytest.fixture(scope="session")
def demo_hash() -> str:
    """The demo password hashed once: argon2 is slow on purpose, eleven users per test add up."""
    return users.hash_password(DEMO_PASSWORD)


@pytest.fixture
def engine(database, settings, clock, demo_hash, deployed_stores, monkeypatch) -> BpmnEngine:
    """As tests/conftest.py's engine (a copy of the deployed store), seeded with the session's
    demo hash when the store is not empty."""
    with monkeypatch.context() as patch:
        patch.setattr(
            users,
            "hash_password",
            lambda password: (
                demo_hash if password == DEMO_PASSWORD else users._hasher.hash(password)
            ),
        )
        return deployed_engine(database, settings, clock, deployed_stores)


def sign_in(client, app, username: str) -> None:
    """Put a signed-in session in the client's cookie jar (what a successful login leaves)."""
    engine = app.extensions["laksana.engine"]
    with engine.db.transaction() as session:
        user = session.query(User).filter_by(username=username).one()
        user_id, password_hash = user.id, user.password_hash
    with app.app_context():
        key = session_key(password_hash)
    with client.session_transaction() as session:
        session["_user_id"] = f"{user_id}:{key}"
        session["_fresh"] = True


def sign_out(client) -> None:
    with client.session_transaction() as session:
        session.clear()


@pytest.fixture
def as_user(app, client):
    """``as_user("kasi")`` signs the test client in as that demo user and returns the client."""

    def switch(username: str):
        sign_out(client)
        sign_in(client, app, username)
        return client

    return switch


@pytest.fixture
def started(engine):
    """A request registered by the Sekretariat (tracking code as business key), waiting for the Kepala Dinas."""
    letter = gen_letter(kode_pelacakan="TESTKODE23")
    instance = engine.start(PROCESS, letter, user="sekretariat", business_key="TESTKODE23")
    task = next(t for t in engine.tasks(instance_id=instance.id))
    engine.complete(
        task.id, "sekretariat", {k: v for k, v in letter.items() if k != "kode_pelacakan"}
    )
    return engine.instance(instance.id)


def open_task(engine, instance_id: int, element_id: str | None = None):
    tasks = [t for t in engine.tasks(instance_id=instance_id) if element_id in (None, t.element_id)]
    assert tasks, f"no open task {element_id} in instance {instance_id}"
    return tasks[0]


@pytest.fixture
def strict_app(engine, settings):
    """The app as in production: CSRF on, rate limits on (a fresh in-memory limiter per app)."""
    from webkit.extensions import limiter

    app = create_app({"TESTING": True, "LAKSANA_SETTINGS": settings}, engine=engine)
    with app.app_context():
        limiter.reset()
    return app


__all__ = ["DEMO_PASSWORD", "PDF", "ROLES", "open_task", "sign_in", "sign_out"]


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Remember each phase's outcome on the test item (browser tests screenshot on failure)."""
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"report_{report.when}", report)


@pytest.fixture(scope="module")
def browser(live):
    """Debian's Chromium for a browser test module (which defines its own ``live`` server)."""
    from playwright import sync_api as playwright_api

    from tests.web.live import launch

    with playwright_api.sync_playwright() as playwright:
        try:
            chromium = launch(playwright)
        except Exception as exc:  # noqa: BLE001
            pytest.skip(f"Chromium does not start here: {exc}")
        yield chromium
        chromium.close()
