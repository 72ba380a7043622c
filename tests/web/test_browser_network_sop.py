"""Browser test of the proof of issue 11: Pengelolaan Jaringan, a new SOP shipped without Python.

Started from the "Layanan" page by the Pelapor, every role does its step through the pages
(Kasi SIAK, Teknisi Jaringan, Pelapor again, Kabid PIAK), and the Berita Acara comes out of its
Word template signed: the /verifikasi page accepts the downloaded file. The roles come from the
bundle's peran.csv and their demo users from ``seed_demo_users`` (data roles), as ``make run`` does.
"""

from __future__ import annotations

import re

import pytest

from engine.clock import system_now
from engine.facade import BpmnEngine
from office.roles import seed_demo_users
from reports.office_pdf import soffice_path
from tests.conftest import DEMO_PASSWORD, PROCESSES
from tests.web.live import ARTIFACTS, chromium_path, module_settings, seeded_store, serving

pytestmark = pytest.mark.browser
playwright_api = pytest.importorskip(
    "playwright.sync_api", reason="Playwright for Python is not installed"
)
SHOTS = ARTIFACTS / "jaringan"


@pytest.fixture(scope="module")
def live(tmp_path_factory, demo_hash):
    if chromium_path() is None:
        pytest.skip("no Chromium (install the Debian package 'chromium': make sysdeps-test)")
    if soffice_path() is None:
        pytest.skip("no LibreOffice (install libreoffice-writer-nogui: make sysdeps-test)")
    from web.composition import registration

    root = tmp_path_factory.mktemp("jaringan")
    settings = module_settings(root, base_url="http://127.0.0.1")
    database = seeded_store(settings.database_url, demo_hash)
    engine = BpmnEngine(database, registration().services, settings, clock=system_now)
    engine.deploy_path(PROCESSES)  # brings the roles of processes/pengelolaan_jaringan/peran.csv
    with database.transaction() as session:  # their demo users, as `laksana seed-demo` after deploy
        seed_demo_users(session, DEMO_PASSWORD)
    with serving(engine, settings, database) as server:
        yield server


def signed_in(browser, live, username: str, width: int = 1280):
    context = browser.new_context(viewport={"width": width, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(30000)
    page.goto(f"{live.url}/masuk")
    page.fill("#username", username)
    page.fill("#password", DEMO_PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r".*/kotak-masuk"))
    return page


def shoot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def do_task(browser, live, username: str, step_name: str, fill) -> None:
    page = signed_in(browser, live, username)
    page.click(f"a.task-name:has-text('{step_name}')")
    page.wait_for_selector("form.form-grid")
    page.wait_for_load_state("load")  # the deferred scripts that show and hide fields
    fill(page)
    shoot(page, username)
    page.click("#selesaikan")
    page.wait_for_url(re.compile(r".*/kotak-masuk"))
    page.context.close()


def test_the_network_sop_runs_from_the_web_and_its_word_letter_is_signed_and_verifiable(
    browser, live, tmp_path
):
    reporter = signed_in(browser, live, "pelapor")
    reporter.goto(f"{live.url}/layanan")
    assert "004/Dukcapil/PIAK/035" in reporter.inner_text("main")
    reporter.click("a:has-text('Pengelolaan Jaringan')")
    reporter.fill("[name=lokasi_gangguan]", "Loket Kecamatan Bawang")
    reporter.select_option("[name=jenis_gangguan]", "koneksi_putus")
    reporter.fill("[name=tanggal_gangguan]", system_now().date().isoformat())
    reporter.fill("[name=uraian_gangguan]", "Koneksi ke server SIAK terputus sejak pagi.")
    shoot(reporter, "mulai")
    reporter.click("button:has-text('Mulai layanan')")
    reporter.wait_for_selector(".flashes")
    flash = reporter.inner_text(".flashes")
    instance_id = int(re.search(r"#(\d+)", flash).group(1))
    reporter.context.close()

    do_task(
        browser,
        live,
        "kasi_siak",
        "Verifikasi laporan",
        lambda p: (
            p.select_option("[name=prioritas_gangguan]", "tinggi"),
            p.fill("[name=arahan_penanganan]", "Periksa router dan kabel uplink."),
        ),
    )
    do_task(
        browser,
        live,
        "teknisi_jaringan",
        "Periksa dan perbaiki jaringan",
        lambda p: (
            p.fill("[name=penyebab_gangguan]", "Kabel uplink putus."),
            p.fill("[name=tindakan_perbaikan]", "Kabel diganti dan koneksi diuji."),
        ),
    )
    do_task(
        browser,
        live,
        "pelapor",
        "Pastikan jaringan sudah normal",
        lambda p: p.select_option("[name=hasil_konfirmasi]", "normal"),
    )
    do_task(
        browser,
        live,
        "kabid_piak",
        "Setujui berita acara",
        lambda p: p.check("[name=persetujuan_berita_acara]"),
    )

    assert live.engine.instance(instance_id).status == "completed", live.engine.incidents()
    head = signed_in(browser, live, "kabid_piak")
    head.goto(f"{live.url}/riwayat/{instance_id}")
    href = head.locator("a:has-text('Berita Acara Perbaikan Jaringan')").last.get_attribute("href")
    response = head.context.request.get(f"{live.url}{href}")  # the signed-in user's download
    letter = tmp_path / "berita-acara.pdf"
    letter.write_bytes(response.body())
    assert response.ok and letter.read_bytes().startswith(b"%PDF")
    shoot(head, "riwayat")

    head.goto(f"{live.url}/verifikasi")
    head.set_input_files("#berkas", str(letter))
    head.click("main form button[type=submit]")
    head.wait_for_load_state()
    shoot(head, "verifikasi")
    verdict = head.inner_text("main")
    assert "Dokumen asli" in verdict and "Berita Acara Perbaikan Jaringan" in verdict
    head.context.close()


@pytest.mark.parametrize("width", [1280, 390])
def test_the_model_page_lists_the_word_template_on_desktop_and_phone(browser, live, width):
    page = signed_in(browser, live, "analis", width)
    page.goto(f"{live.url}/model/pengelolaan_jaringan/1")
    link = page.locator("a:has-text('berita_acara_perbaikan_jaringan.docx')")
    assert link.is_visible()
    shoot(page, f"model-{width}")
    page.goto(f"{live.url}/model/")
    assert page.locator("input[name=templates]").is_visible()
    shoot(page, f"unggah-{width}")
    page.context.close()
