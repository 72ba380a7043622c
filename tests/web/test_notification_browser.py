"""The notification centre and the portal's form per process in Chromium, at 1280 and 390 px:
the header's count, the page, marking read; screenshots in test-artifacts/notify/ to look at."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest

from engine.clock import system_now
from engine.config import Settings
from engine.facade import BpmnEngine
from tests.conftest import DEMO_PASSWORD, PROCESSES
from tests.factories import PROCESS, fake_registry, gen_letter
from tests.web.conftest import PDF
from tests.web.live import ARTIFACTS, chromium_path, seeded_store, serving

pytestmark = pytest.mark.browser
playwright_api = pytest.importorskip(
    "playwright.sync_api", reason="Playwright for Python is not installed"
)
SHOTS = ARTIFACTS / "notify"
DIAGRAM = Path(__file__).resolve().parent / "diagrams" / "layanan_publik.bpmn"


def _notices(engine: BpmnEngine) -> None:
    """Two requests waiting for the Kepala Dinas, and a delegation naming them."""
    for number in (1, 2):
        code = f"BROWSER{number:02d}"
        letter = gen_letter(kode_pelacakan=code)
        instance = engine.start(PROCESS, letter, user="sekretariat", business_key=code)
        [task] = engine.tasks(instance_id=instance.id)
        engine.complete(
            task.id, "sekretariat", {k: v for k, v in letter.items() if k != "kode_pelacakan"}
        )
    today = engine.delegations.today()
    engine.delegations.create(
        "kabid_piak",
        "kepala_dinas",
        "plh",
        today,
        today + timedelta(days=3),
        "Dinas luar",
        by="admin",
    )


@pytest.fixture(scope="module")
def live(tmp_path_factory, demo_hash):
    if chromium_path() is None:
        pytest.skip("no Chromium (install the Debian package 'chromium': make sysdeps-test)")
    root = tmp_path_factory.mktemp("notify-browser")
    settings = Settings(
        instance_dir=root / "instance",
        database_url=f"sqlite:///{root / 'laksana.db'}",
        base_url="http://127.0.0.1",
    )
    database = seeded_store(settings.database_url, demo_hash)
    engine = BpmnEngine(database, fake_registry(), settings, clock=system_now)
    engine.deploy_path(PROCESSES)
    engine.deploy(DIAGRAM.read_bytes(), DIAGRAM.name)
    _notices(engine)
    with serving(engine, settings, database) as server:
        yield server


def _page(browser, width: int):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    return page


def _sign_in(page, live, username: str) -> None:
    page.goto(f"{live.url}/masuk")
    page.fill("#username", username)
    page.fill("#password", DEMO_PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r".*/kotak-masuk"))


def _shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{name}: {overflow}px wider than the screen"


@pytest.mark.parametrize("width", [1280, 390])
def test_the_header_count_the_page_and_marking_read(browser, live, width):
    page = _page(browser, width)
    try:
        _sign_in(page, live, "kepala_dinas")
        unread = live.engine.notifications.unread_count("kepala_dinas", ("kepala_dinas",))
        assert unread >= 2  # two new tasks and the delegation (each run marks one read)
        assert int(page.locator(".notif-count").inner_text()) == unread
        _shot(page, f"header-{width}")
        page.click("a.notif-link")
        page.wait_for_url(re.compile(r".*/notifikasi$"))
        assert page.locator(".notice-item").count() >= 3
        assert page.is_visible("text=Anda ditunjuk sebagai Plh. Rina Kusumawati, S.Kom.")
        _shot(page, f"notifikasi-{width}")
        page.locator(".notice-item.unread button:has-text('Tandai sudah dibaca')").first.click()
        page.wait_for_url(re.compile(r".*/notifikasi$"))
        assert int(page.locator(".notif-count").inner_text()) == unread - 1
    finally:
        page.context.close()


@pytest.mark.parametrize("width", [1280, 390])
def test_the_portal_form_of_a_public_process(browser, live, width, tmp_path):
    page = _page(browser, width)
    letter = tmp_path / "pengantar.pdf"
    letter.write_bytes(PDF)
    try:
        page.goto(live.url)
        page.click("text=Surat keterangan uji")
        page.fill("#f-nama_pemohon", "Budi Santoso")
        page.fill("#f-email_pemohon", "budi@example.org")
        page.select_option("#f-keperluan", "sekolah")
        _shot(page, f"portal-form-{width}")
        page.set_input_files("#f-surat_pengantar", str(letter))
        page.click("button:has-text('Kirim permohonan')")
        page.wait_for_url(re.compile(r".*/layanan-publik/terkirim$"))
        code = page.locator(".tracking-code").inner_text().strip()
        _shot(page, f"portal-sent-{width}")
        page.click("text=Lihat status permohonan")
        assert code in page.inner_text("main") and page.is_visible("text=Memeriksa permohonan")
    finally:
        page.context.close()
