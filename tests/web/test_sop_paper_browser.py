"""The SOP paper in Chromium: the analyst downloads it from the model page, on a desktop and a phone.

Set LAKSANA_SOP_SCREENSHOTS=1 to keep screenshots of the model page (1280 px and 390 px) under
test-artifacts/.
"""

from __future__ import annotations

import logging
import os

import pytest

from engine.facade import BpmnEngine
from tests.conftest import DEMO_PASSWORD, PROCESSES
from tests.factories import fake_registry
from tests.reports.test_sop_paper import remarks_column
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
SCREENSHOTS = bool(os.environ.get("LAKSANA_SOP_SCREENSHOTS"))


@pytest.fixture(scope="module")
def live(tmp_path_factory, demo_hash):
    if chromium_path() is None:
        pytest.skip("no Chromium (install the Debian package 'chromium': make sysdeps-test)")
    root = tmp_path_factory.mktemp("sop-paper")
    settings = module_settings(root)
    database = seeded_store(settings.database_url, demo_hash)
    engine = BpmnEngine(database, fake_registry(), settings)
    engine.deploy_path(PROCESSES)
    app = create_app(
        {"TESTING": True, "LAKSANA_SETTINGS": settings, "RATELIMIT_ENABLED": False}, engine=engine
    )
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    with LiveServer(app) as server:
        yield server
    database.dispose()


@pytest.mark.parametrize("width", [1280, 390])
def test_the_analyst_downloads_the_sop_paper_from_the_model_page(live, width):
    with playwright_api.sync_playwright() as playwright:
        try:
            chromium = launch(playwright)
        except Exception as exc:  # noqa: BLE001
            pytest.skip(f"Chromium does not start here: {exc}")
        context = chromium.new_context(
            viewport={"width": width, "height": 860}, accept_downloads=True
        )
        page = context.new_page()
        page.set_default_timeout(15000)
        page.goto(f"{live.url}/masuk")
        page.fill("#username", "analis")
        page.fill("#password", DEMO_PASSWORD)
        page.click("main form button[type=submit]")
        page.wait_for_url("**/kotak-masuk")
        page.goto(f"{live.url}/model/pengaduan_layanan/1")
        button = page.get_by_role("link", name="Unduh kertas SOP (PDF)")
        assert button.is_visible()
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{overflow} px of sideways scrolling at {width} px"
        if SCREENSHOTS:
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / f"sop-paper-model-{width}.png"))
        with page.expect_download() as download_info:
            button.click()
        download = download_info.value
        assert download.suggested_filename == "SOP-pengaduan_layanan-v1.pdf"
        pdf = open(download.path(), "rb").read()  # noqa: SIM115 (Playwright's temporary file)
        assert pdf.startswith(b"%PDF") and "Rapat: lanjut ke langkah 6." in remarks_column(pdf)
        context.close()
        chromium.close()
