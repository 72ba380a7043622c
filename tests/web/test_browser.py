"""Browser tests: Debian's Chromium driven by Playwright against the app served in a thread.

A whole request of the data SOP through the pages as the role users (with the
real handlers of every plug-in, as the composition root registers them), the
public request and tracking pages, the diagram viewer, the modeler changing and
deploying a diagram, and the inbox on a phone-sized screen. Screenshots of
failures go to test-artifacts/.
"""

from __future__ import annotations

import logging
import re
from datetime import timedelta

import pytest

from engine.clock import office_date, system_now
from engine.config import Settings
from engine.db import Database
from engine.facade import BpmnEngine
from tests.conftest import DEMO_PASSWORD, PROCESSES
from tests.web.conftest import PDF
from tests.web.live import ARTIFACTS, LiveServer, chromium_path, launch
from web.app import create_app

pytestmark = pytest.mark.browser
playwright_api = pytest.importorskip(
    "playwright.sync_api", reason="Playwright for Python is not installed"
)
BUILD = PROCESSES.parent / "web" / "static" / "build"


def needs_bundle(name: str) -> None:
    """Skip at once, saying why, when the front-end bundle is missing (never wait for a canvas)."""
    if not (BUILD / name).exists():
        pytest.skip(f"the diagram bundle web/static/build/{name} is not built (make assets)")


def _registry(settings: Settings):
    """The real handlers of every plug-in (the composition root's), on a small warehouse."""
    from warehouse.build import build_synthetic
    from warehouse.store import warehouse_for
    from web.composition import registration

    build_synthetic(warehouse_for(settings.warehouse_url), scale=0.01, seed=7, period="2026-1")
    return registration().services, True


@pytest.fixture(scope="module")
def live(tmp_path_factory, demo_hash):
    if chromium_path() is None:
        pytest.skip("no Chromium (install the Debian package 'chromium': make sysdeps-test)")
    from engine import users
    from office.roles import seed_demo_users

    root = tmp_path_factory.mktemp("browser")
    settings = Settings(
        instance_dir=root / "instance",
        database_url=f"sqlite:///{root / 'laksana.db'}",
        warehouse_url=f"duckdb:///{root / 'warehouse.duckdb'}",
        base_url="http://127.0.0.1",
    )
    database = Database(settings.database_url)
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
    registry, real = _registry(settings)
    engine = BpmnEngine(database, registry, settings, clock=system_now)
    engine.deploy_path(PROCESSES)
    app = create_app(
        {"TESTING": True, "LAKSANA_SETTINGS": settings, "RATELIMIT_ENABLED": False}, engine=engine
    )
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    with LiveServer(app) as server:
        server.engine, server.real_handlers = engine, real
        yield server
    database.dispose()


@pytest.fixture(scope="module")
def browser(live):
    with playwright_api.sync_playwright() as playwright:
        try:
            chromium = launch(playwright)
        except Exception as exc:  # noqa: BLE001
            pytest.skip(f"Chromium does not start here: {exc}")
        yield chromium
        chromium.close()


@pytest.fixture
def new_page(browser, request):
    """``new_page(width)``: a fresh browser context (no cookies); screenshots when the test fails."""
    pages = []

    def make(width: int = 1280, height: int = 900):
        context = browser.new_context(
            viewport={"width": width, "height": height}, accept_downloads=True
        )
        page = context.new_page()
        page.set_default_timeout(15000)
        pages.append(page)
        return page

    yield make
    failed = getattr(request.node, "report_call", None)
    for number, page in enumerate(pages):
        if failed is not None and failed.failed:
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(
                path=str(ARTIFACTS / f"{request.node.name}-{number}.png"), full_page=True
            )
        page.context.close()


def sign_in(page, live, username: str):
    page.goto(f"{live.url}/masuk")
    page.fill("#username", username)
    page.fill("#password", DEMO_PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r".*/kotak-masuk"))


def open_task_named(page, live, name: str):
    page.goto(f"{live.url}/kotak-masuk")
    page.click(f"a.task-name:has-text('{name}')")
    page.wait_for_selector("form.form-grid")


def complete(page) -> str:
    page.click("button:has-text('Selesaikan tugas')")
    page.wait_for_url(re.compile(r".*/kotak-masuk"))
    return page.inner_text(".flashes")


def as_role(new_page, live, username: str):
    page = new_page()
    sign_in(page, live, username)
    return page


def test_a_whole_request_from_registration_to_receipt(new_page, live, tmp_path):
    today = office_date(system_now())
    letter = tmp_path / "surat.pdf"
    letter.write_bytes(PDF)

    page = as_role(new_page, live, "sekretariat")
    page.click("nav >> text=Surat masuk baru")
    page.fill("#f-instansi_pengirim", "Badan Perencanaan Pembangunan Daerah Kabupaten Banjarnegara")
    page.fill("#f-pimpinan_instansi", "Kepala Bappeda Kabupaten Banjarnegara")
    page.fill("#f-nomor_surat", "050/77/Bappeda/2026")
    page.fill("#f-tanggal_surat", today.isoformat())
    page.fill("#f-perihal", "Permohonan data agregat kependudukan")
    page.fill("#f-data_diminta", "Jumlah penduduk per kecamatan menurut jenis kelamin")
    page.set_input_files("#f-surat", str(letter))
    page.click("button:has-text('Catat dan teruskan')")
    flash = page.inner_text(".flashes")
    assert "nomor agenda" in flash and "Kepala Dinas" in flash
    code = re.search(r"Kode pelacakan untuk pemohon: (\w+)", flash).group(1)

    page = as_role(new_page, live, "kepala_dinas")
    open_task_named(page, live, "Menerima surat dan mendisposisikan")
    assert "Badan Perencanaan Pembangunan Daerah" in page.inner_text("main")
    page.select_option("#f-kadin_keputusan", "teruskan")
    page.check("#f-kadin_harap_proses")
    page.fill("#f-kadin_isi_disposisi", "Mohon diproses sesuai SOP")
    assert "Kepala Bidang PIAK" in complete(page)

    page = as_role(new_page, live, "kabid_piak")
    open_task_named(page, live, "Menerima disposisi")
    page.fill("#f-kabid_isi_disposisi", "Siapkan data per kecamatan")
    complete(page)

    page = as_role(new_page, live, "kasi")
    open_task_named(page, live, "Memberikan hak akses")
    page.fill("#f-akses_berlaku_sampai", (today + timedelta(days=7)).isoformat())
    complete(page)

    page = as_role(new_page, live, "operator")
    open_task_named(page, live, "Membuka gudang data")
    page.click("button:has-text('Pratinjau data')")
    if live.real_handlers:
        page.wait_for_selector("#pratinjau table.dataset")
        assert "Banjarnegara" in page.inner_text("#pratinjau")
    complete(page)

    page = as_role(new_page, live, "kasi")
    open_task_named(page, live, "Memeriksa data")
    assert page.is_visible("table.dataset")
    page.select_option("#f-pemeriksaan_hasil", "sesuai")
    complete(page)

    page = as_role(new_page, live, "kabid_piak")
    open_task_named(page, live, "Menerima data dan melaporkan")
    page.check("#f-kabid_setuju")
    complete(page)

    page = as_role(new_page, live, "kepala_dinas")
    open_task_named(page, live, "Menerima dan menandatangani")
    assert page.locator("#ttd-h + p + ul li").count() == 2
    page.click("button:has-text('Selesaikan tugas')")
    assert "wajib dicentang" in page.inner_text("#f-ttd_setuju-error")  # the box must be ticked
    page.check("#f-ttd_setuju")
    complete(page)

    page = as_role(new_page, live, "jfu")
    open_task_named(page, live, "Menggandakan, mengarsipkan")
    page.fill("#f-penerima_nama", "Budi Hartono")
    page.fill("#f-tanggal_terima", today.isoformat())
    assert "sudah tuntas" in complete(page)

    public = new_page()
    public.goto(f"{live.url}/lacak")
    public.fill("#kode", code)
    public.click("main button[type=submit]")
    assert "Selesai: data sudah dikirim" in public.inner_text("main")
    with public.expect_download() as download:
        public.click("main a[href^='/unduh/']")
    assert download.value.suggested_filename.endswith((".pdf", ".xlsx"))
    if live.real_handlers:
        public.click("text=periksa keaslian")
        assert "Dokumen asli." in public.inner_text("main")


def test_public_request_and_tracking(new_page, live, tmp_path):
    letter = tmp_path / "surat.pdf"
    letter.write_bytes(PDF)
    page = new_page(390, 844)
    page.goto(live.url)
    page.click("main >> text=Ajukan permohonan data")
    page.fill("#instansi_pengirim", "Badan Pusat Statistik Kabupaten Banjarnegara")
    page.fill("#pimpinan_instansi", "Kepala BPS Kabupaten Banjarnegara")
    page.fill("#email_pemohon", "bps3304@example.invalid")
    page.fill("#nomor_surat", "B-15/33040/2026")
    page.fill("#tanggal_surat", office_date(system_now()).isoformat())
    page.fill("#perihal", "Permohonan data penduduk")
    page.fill("#data_diminta", "Penduduk per desa menurut jenis kelamin")
    page.set_input_files("#surat", str(letter))
    page.click("button:has-text('Kirim permohonan')")
    code = page.get_attribute(".tracking-code", "data-code")
    assert re.fullmatch(r"[A-Z0-9]{10}", code)
    page.click("text=Lihat status permohonan")
    status = page.inner_text("main")
    assert "Sedang diproses" in status and "Mencatat surat masuk di buku agenda" in status
    page.goto(f"{live.url}/lacak")
    page.fill("#kode", "ZZZZZZZZZZ")
    page.click("main button[type=submit]")
    assert "tidak ditemukan" in page.inner_text("main")


def test_history_diagram_highlights_the_path_and_shows_an_elements_history(new_page, live):
    needs_bundle("viewer.js")
    engine = live.engine
    instance = engine.list_instances()[-1]
    page = as_role(new_page, live, "manajer")
    page.goto(f"{live.url}/riwayat/{instance.id}")
    page.wait_for_selector("#diagram[data-ready='true']")
    assert page.locator(".djs-element.lk-completed").count() >= 3
    assert page.locator(".djs-connection.lk-flow-taken").count() >= 3
    page.click(".djs-element[data-element-id='disposisi_kadin']")
    assert "Menerima surat" in page.inner_text("#element-history")


def test_modeler_loads_changes_validates_and_deploys(new_page, live):
    needs_bundle("modeler.js")
    page = as_role(new_page, live, "analis")
    page.goto(f"{live.url}/model/penyunting?proses=permohonan_data_agregat&versi=1")
    page.wait_for_selector("#modeler-canvas[data-ready='true']")
    assert "Diagram dimuat" in page.inner_text("#modeler-status")
    page.evaluate("""() => {  // the palette covers the task at this zoom: select it as a click would
        const modeler = window.laksanaModeler;
        modeler.get('selection').select(modeler.get('elementRegistry').get('registrasi_surat'));
    }""")
    page.click("#modeler-properties .bio-properties-panel-group-header:has-text('General')")
    name = page.locator("#bio-properties-panel-name")
    name.fill("Mencatat surat masuk (agenda elektronik)")
    name.press("Tab")
    page.evaluate("""() => {
        const modeler = window.laksanaModeler;
        const flow = modeler.get('elementRegistry').get('flow_tolak');
        const body = modeler.get('moddle').create('bpmn:FormalExpression', { body: 'kadin_keputusan == = "tolak"' });
        modeler.get('modeling').updateProperties(flow, { conditionExpression: body });
    }""")
    page.click("#modeler-validate")
    page.wait_for_selector("#modeler-issues li")
    assert "flow_tolak" in page.inner_text("#modeler-issues")
    assert page.locator(".djs-element.lk-invalid[data-element-id='flow_tolak']").count() == 1
    page.evaluate("""() => {
        const modeler = window.laksanaModeler;
        const flow = modeler.get('elementRegistry').get('flow_tolak');
        const body = modeler.get('moddle').create('bpmn:FormalExpression', { body: 'kadin_keputusan == "tolak"' });
        modeler.get('modeling').updateProperties(flow, { conditionExpression: body });
    }""")
    page.click("#modeler-deploy")
    page.locator("#modeler-status", has_text="versi").wait_for()
    assert "versi 2" in page.inner_text("#modeler-status")
    deployed = live.engine.definition_xml("permohonan_data_agregat", 2)
    assert "Mencatat surat masuk (agenda elektronik)" in deployed


def test_inbox_fits_a_phone_screen(new_page, live):
    page = new_page(390, 844)
    sign_in(page, live, "kasi")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    assert page.is_visible("text=Kotak masuk")
