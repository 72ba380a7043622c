"""The operations console in Chromium: the version diff colours the changed step in both diagrams.

A small live app of its own (stand-in service handlers, no warehouse build), so it starts fast.
Set LAKSANA_CONSOLE_SCREENSHOTS=1 to keep screenshots of the incident and diff pages (1280 px)
under test-artifacts/.
"""

from __future__ import annotations

import logging
import os
from datetime import datetime, timezone

import pytest

from engine.facade import BpmnEngine
from engine.services import ServiceError
from tests.conftest import DEMO_PASSWORD, PROCESSES, Actions, Clock
from tests.engine.test_versions import LONGER_ACCESS
from tests.factories import PROCESS, fake_registry
from tests.web.live import (
    ARTIFACTS,
    LiveServer,
    chromium_path,
    launch,
    module_settings,
    seeded_store,
)
from web.app import create_app

pytestmark = pytest.mark.browser
playwright_api = pytest.importorskip(
    "playwright.sync_api", reason="Playwright for Python is not installed"
)
BUILD = PROCESSES.parent / "web" / "static" / "build"
SCREENSHOTS = bool(os.environ.get("LAKSANA_CONSOLE_SCREENSHOTS"))


@pytest.fixture(scope="module")
def live(tmp_path_factory, demo_hash):
    if chromium_path() is None:
        pytest.skip("no Chromium (install the Debian package 'chromium': make sysdeps-test)")
    if not (BUILD / "viewer.js").exists():
        pytest.skip("the diagram bundle web/static/build/viewer.js is not built (make assets)")
    root = tmp_path_factory.mktemp("console")
    settings = module_settings(root)
    database = seeded_store(settings.database_url, demo_hash)
    registry = fake_registry()
    good = registry.get("warehouse.aggregate")

    def aggregate(call):
        if call.data.get("permintaan_periode") == "2099-9":
            raise ServiceError("periode 2099-9 tidak ada di gudang data")
        return good(call)

    registry.register("warehouse.aggregate", aggregate)
    clock = Clock(datetime(2026, 3, 12, 1, 0, tzinfo=timezone.utc))  # the forms' office date
    engine = BpmnEngine(database, registry, settings, clock=clock)
    engine.deploy_path(PROCESSES)
    actions = Actions(engine, clock)
    stuck = actions.run_until(actions.start().id, stop_before="ekstraksi_data")
    actions.complete(stuck.id, "ekstraksi_data", permintaan_periode="2099-9")
    waiting = actions.run_until(actions.start().id, stop_before="beri_akses")
    engine.deploy(LONGER_ACCESS.encode(), f"{PROCESS}.bpmn", "analis", force=True)
    app = create_app(
        {"TESTING": True, "LAKSANA_SETTINGS": settings, "RATELIMIT_ENABLED": False}, engine=engine
    )
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    with LiveServer(app) as server:
        server.engine = engine
        server.incident = engine.incidents(instance_id=stuck.id)[0]
        server.waiting = waiting
        yield server
    database.dispose()


@pytest.fixture(scope="module")
def page(live):
    with playwright_api.sync_playwright() as playwright:
        try:
            chromium = launch(playwright)
        except Exception as exc:  # noqa: BLE001
            pytest.skip(f"Chromium does not start here: {exc}")
        context = chromium.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.set_default_timeout(15000)
        page.goto(f"{live.url}/masuk")
        page.fill("#username", "admin")
        page.fill("#password", DEMO_PASSWORD)
        page.click("main form button[type=submit]")
        page.wait_for_url("**/kotak-masuk")
        yield page
        context.close()
        chromium.close()


def shoot(page, name: str) -> None:
    if SCREENSHOTS:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"console-{name}.png"), full_page=True)


def test_the_incident_page_offers_the_data_to_edit(page, live):
    page.goto(f"{live.url}/konsol/insiden/{live.incident.id}")
    shoot(page, "incident")
    page.click("details.edit-data summary")
    assert page.locator("input[name='data-permintaan_periode']").input_value() == "2099-9"
    page.fill("input[name='data-kadin_harap_proses']", "ya")
    page.fill("#alasan-ubah", "periode salah ketik")
    page.click("button:has-text('Simpan data dan ulangi')")
    error = page.locator("details.edit-data[open] .error-text")
    assert "kadin_harap_proses: bukan JSON yang sah" in error.inner_text()
    assert page.locator("#alasan-ubah").input_value() == "periode salah ketik"
    shoot(page, "incident-error")


def test_the_diff_page_colours_the_changed_step_in_both_diagrams(page, live):
    page.goto(f"{live.url}/konsol/versi/{PROCESS}?dari=1&ke=2")
    page.wait_for_selector("#diagram-old[data-ready='true']")
    page.wait_for_selector("#diagram-new[data-ready='true']")
    for diagram in ("#diagram-old", "#diagram-new"):
        changed = page.locator(
            f"{diagram} .djs-element.lk-diff-changed[data-element-id='beri_akses']"
        )
        assert changed.count() == 1
        fill = changed.locator(".djs-visual > :first-child").evaluate(
            "node => getComputedStyle(node).fill"
        )
        assert fill == "rgb(255, 244, 214)"  # amber, as the legend says
    assert page.locator(".djs-element.lk-diff-added, .djs-element.lk-diff-removed").count() == 0
    shoot(page, "diff")


def test_the_instance_page_moves_a_request_forward(page, live):
    page.goto(f"{live.url}/konsol/permohonan/{live.waiting.id}")
    page.click("button:has-text('Majukan')")  # nothing chosen: the fields say so
    assert "pilih salah satu langkah di depan" in page.locator("#langkah-maju-error").inner_text()
    page.select_option("#langkah-maju", "ekstraksi_data")
    page.fill("#alasan-majukan", "hak akses sudah diberikan lewat telepon")
    shoot(page, "move-forward")
    page.set_viewport_size({"width": 390, "height": 844})
    shoot(page, "move-forward-390")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.click("button:has-text('Majukan')")
    assert "dimajukan ke langkah yang dipilih" in page.locator("main").inner_text()
    assert live.engine.instance(live.waiting.id).current_tasks == ["ekstraksi_data"]
