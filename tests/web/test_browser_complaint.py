"""A complaint walked in Chromium at 1280 and 390 px: the public form (with a refused and then a
kept attachment), the desk's verification task, the complaint page and the log book's CSV (issue
13, points 2, 10, 12 and 13). Screenshots go to test-artifacts/complaint/ to be looked at."""

from __future__ import annotations

import logging
import re

import pytest

from complaints.catalog import CATEGORIES, CHANNELS, UNITS
from engine.clock import system_now
from engine.facade import BpmnEngine
from tests.conftest import PROCESSES
from tests.web.live import ARTIFACTS, LiveServer, chromium_path, module_settings, seeded_store
from tests.web.test_browser import sign_in
from web.app import create_app

pytestmark = pytest.mark.browser
playwright_api = pytest.importorskip(
    "playwright.sync_api", reason="Playwright for Python is not installed"
)
SHOTS = ARTIFACTS / "complaint"
ISO_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}T")
CODES = set(CATEGORIES) | set(CHANNELS) | set(UNITS)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
COMPLAINT_TEXT = "Saya menunggu empat jam di loket KK tanpa kepastian kapan dipanggil."


@pytest.fixture(scope="module")
def live(tmp_path_factory, demo_hash):
    if chromium_path() is None:
        pytest.skip("no Chromium (install the Debian package 'chromium': make sysdeps-test)")
    from web.composition import registration

    root = tmp_path_factory.mktemp("complaint-browser")
    settings = module_settings(root, base_url="http://127.0.0.1")
    database = seeded_store(settings.database_url, demo_hash)
    engine = BpmnEngine(database, registration().services, settings, clock=system_now)
    engine.deploy_path(PROCESSES)
    app = create_app(
        {"TESTING": True, "LAKSANA_SETTINGS": settings, "RATELIMIT_ENABLED": False}, engine=engine
    )
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    with LiveServer(app) as server:
        yield server
    database.dispose()


def look(page, name: str, width: int) -> str:
    """Screenshot the page, check it fits the screen, and return its visible text."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{name} at {width}px: {overflow}px wider than the screen"
    return page.inner_text("main")


def assert_in_words(page, name: str, text: str) -> None:
    """No ISO timestamp and no catalogue code where people read (options carry codes as values)."""
    assert not ISO_MOMENT.search(text), f"{name}: {ISO_MOMENT.search(text)}"
    assert not [code for code in CODES if "_" in code and code in text], name
    shown = page.eval_on_selector_all(
        "main dd, main td, main li, main p, main span, main h1, main h2",
        "els => els.map(e => e.innerText.trim())",
    )
    leaked = {part for value in shown for part in re.split(r"\s*·\s*", value) if part in CODES}
    assert leaked == set(), f"{name}: raw codes {leaked}"


def send_public_complaint(page, live, width: int, tmp_path) -> str:
    page.goto(f"{live.url}/pengaduan")
    page.fill("#f-judul", "Antrean loket KK terlalu lama")
    page.fill("#f-isi", COMPLAINT_TEXT)
    page.fill("#f-pelapor_nama", "Budi Santoso")
    page.fill("#f-pelapor_email", "budi@example.org")
    page.select_option("#f-kategori", "waktu_layanan")
    page.select_option("#f-unit_diadukan", "dafduk")
    wrong = tmp_path / f"foto-{width}.png"
    wrong.write_bytes(b"MZ not a picture at all")
    page.set_input_files("#f-lampiran", str(wrong))
    page.click("button:has-text('Kirim pengaduan')")
    refused = look(page, "1-formulir-lampiran-ditolak", width)
    assert "Lampiran harus berupa berkas PDF, JPG atau PNG" in refused
    assert page.input_value("#f-isi") == COMPLAINT_TEXT  # what was typed stays
    right = tmp_path / f"antrean-{width}.png"
    right.write_bytes(PNG)
    page.set_input_files("#f-lampiran", str(right))
    page.click("button:has-text('Kirim pengaduan')")
    page.wait_for_url(re.compile(r".*/pengaduan/terkirim"))
    look(page, "2-terkirim", width)
    code = page.get_attribute(".tracking-code", "data-code")
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", code)
    return code


@pytest.mark.parametrize("width", [1280, 390])
def test_a_complaint_from_the_public_form_through_the_desks_verification(
    browser, live, width, tmp_path
):
    public = browser.new_context(viewport={"width": width, "height": 900})
    send_public_complaint(public.new_page(), live, width, tmp_path)
    public.close()

    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    sign_in(page, live, "petugas_pengaduan")
    look(page, "3-kotak-masuk", width)
    page.click("a.task-name:has-text('Memverifikasi pengaduan')")
    page.wait_for_selector("form.task-form")
    task = look(page, "4-verifikasi", width)
    assert COMPLAINT_TEXT in task and "Budi Santoso" in task
    assert "Lama atau keterlambatan pelayanan" in task and "Formulir web" in task
    assert re.search(r"\d{1,2} \w+ \d{4} \d{2}\.\d{2} WIB", task)
    assert "antrean-" in task  # the attachment, linked for the desk
    assert_in_words(page, "verification task", task)
    panel = page.locator("#isi-pengaduan").bounding_box()
    summary = page.locator("#f-ringkasan").bounding_box()
    assert panel["y"] < summary["y"]  # read the complaint, then write its summary
    register_number = re.search(r"Pengaduan (P-\d{4}-\d{3})", task).group(1)

    page.click("a:has-text('Buka halaman pengaduan')")
    page.wait_for_url(re.compile(r".*/pengaduan/\d+$"))
    complaint_page = look(page, "5-halaman-pengaduan", width)
    assert_in_words(page, "complaint page", complaint_page)
    assert COMPLAINT_TEXT in complaint_page and "antrean-" in complaint_page
    page.go_back()
    page.wait_for_selector("form.task-form")

    page.fill("#f-ringkasan", "Antrean loket KK lama tanpa kepastian")
    page.click("#selesaikan")
    page.wait_for_url(re.compile(r".*/kotak-masuk"))
    flash = page.inner_text(".flashes")
    assert f"Pengaduan {register_number} diteruskan ke" in flash, flash
    look(page, "6-setelah-verifikasi", width)

    page.goto(f"{live.url}/pengaduan/buku-log")
    assert_in_words(page, "log book", look(page, "7-buku-log", width))
    href = page.get_attribute("a:has-text('Unduh CSV')", "href")
    csv = page.request.get(f"{live.url}{href}")
    assert csv.status == 200 and csv.headers["content-type"].startswith("text/csv")
    assert register_number in csv.text()
    context.close()
