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
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from engine.clock import office_date, system_now
from engine.config import Settings
from engine.facade import BpmnEngine
from tests.conftest import DEMO_PASSWORD, PROCESSES
from tests.factories import PROCESS, ROLE_OF_STEP, gen_form
from tests.web.conftest import PDF
from tests.web.live import ARTIFACTS, LiveServer, chromium_path, module_settings, seeded_store
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
    root = tmp_path_factory.mktemp("browser")
    settings = module_settings(root, base_url="http://127.0.0.1")
    database = seeded_store(settings.database_url, demo_hash)
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


@pytest.fixture
def new_page(browser, request):
    """``new_page(width)``: a fresh browser context (no cookies, or those of ``storage_state``);
    screenshots when the test fails."""
    pages = []

    def make(width: int = 1280, height: int = 900, storage_state=None):
        context = browser.new_context(
            viewport={"width": width, "height": height},
            accept_downloads=True,
            storage_state=storage_state,
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


def signed_in_page(pages: dict, new_page, live, role: str, width: int, height: int):
    """``pages[role, width]``, made on first use: the role signs in through the form once, and
    its session cookie is carried to the role's page at another width (a sign-in costs about
    0.4 s of Chromium, dozens of times in a walk)."""
    if (role, width) not in pages:
        signed_in = next((page for (r, _), page in pages.items() if r == role), None)
        if signed_in is None:
            pages[role, width] = new_page(width, height)
            sign_in(pages[role, width], live, role)
        else:
            pages[role, width] = new_page(width, height, signed_in.context.storage_state())
    return pages[role, width]


def open_task_named(page, live, name: str):
    page.goto(f"{live.url}/kotak-masuk")
    page.click(f"a.task-name:has-text('{name}')")
    page.wait_for_selector("form.form-grid")
    page.wait_for_load_state("load")  # the deferred scripts that show and hide fields


def complete(page) -> str:
    page.click("#selesaikan")
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
    code = re.search(r"Kode pelacakan untuk pemohon: ([\w-]+)", flash).group(1)

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
    assert not page.is_visible("table.dataset")  # folded away below the decision
    page.click("details.dataset-fold > summary")
    assert page.is_visible("table.dataset")
    page.select_option("#f-pemeriksaan_hasil", "sesuai")
    complete(page)

    page = as_role(new_page, live, "kabid_piak")
    open_task_named(page, live, "Menerima data dan melaporkan")
    complete(page)

    page = as_role(new_page, live, "kepala_dinas")
    open_task_named(page, live, "Menerima dan menandatangani")
    assert page.locator("#pratinjau-dokumen figcaption a, #pratinjau-dokumen li a").count() == 2
    # the button names the decision; choosing another option renames it
    expect(page.locator("#selesaikan")).to_have_text("Setujui dan tandatangani")
    page.select_option("#f-ttd_keputusan", "kembalikan")
    expect(page.locator("#selesaikan")).to_have_text("Kembalikan untuk perbaikan")
    page.select_option("#f-ttd_keputusan", "setuju")
    assert not page.is_visible("#f-ttd_catatan_revisi")
    page.click("button:has-text('Setujui dan tandatangani')")
    page.wait_for_url(re.compile(r".*/kotak-masuk"))

    page = as_role(new_page, live, "jfu")
    open_task_named(page, live, "Menggandakan, mengarsipkan")
    page.fill("#f-penerima_nama", "Budi Hartono")
    page.fill("#f-tanggal_terima", today.isoformat())
    assert "sudah tuntas" in complete(page)

    public = new_page()
    public.goto(f"{live.url}/lacak")
    public.fill("#kode", code)
    public.click("main button[type=submit]")
    assert "Selesai: Data terkirim kepada pemohon" in public.inner_text("main")
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
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", code)
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
    page.click("#modeler-properties .bio-properties-panel-group-header:has-text('Umum')")
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
    page.wait_for_selector("#deploy-dialog[open][data-ready='true']")
    page.fill("#deploy-note", "Nama langkah pencatatan surat")
    page.click("#deploy-confirm")
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


PHONE_SHOTS = ARTIFACTS / "phone"


def _fits_the_phone(page, name: str) -> None:
    """No sideways scrolling, every menu item inside the screen; a screenshot to look at."""
    PHONE_SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(PHONE_SHOTS / f"{name}.png"), full_page=True)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{name}: {overflow}px wider than the screen"
    outside = page.evaluate("""() => [...document.querySelectorAll('.mainnav a, main *')]
        .filter(el => !el.closest('.table-wrap') && el.getClientRects().length)
        .filter(el => el.getBoundingClientRect().right > window.innerWidth + 0.5)
        .map(el => el.tagName + '.' + el.className + ' ' + (el.textContent || '').trim().slice(0, 30))""")
    assert outside == [], f"{name}: sticks out of the screen: {outside}"


def test_public_form_inbox_agenda_and_receipt_fit_390_px(new_page, live, tmp_path):
    page = new_page(390, 844)
    page.goto(f"{live.url}/permohonan-data")
    _fits_the_phone(page, "permohonan-data")

    letter = tmp_path / "surat.pdf"
    letter.write_bytes(PDF)
    page = as_role(lambda: new_page(390, 844), live, "sekretariat")
    _fits_the_phone(page, "kotak-masuk-sekretariat")
    page.goto(f"{live.url}/surat-masuk/baru")
    _fits_the_phone(page, "surat-masuk-baru")
    page.fill(
        "#f-instansi_pengirim", "Dinas Pemberdayaan Masyarakat dan Desa Kabupaten Banjarnegara"
    )
    page.fill("#f-pimpinan_instansi", "Kepala Dinas PMD")
    page.fill("#f-nomor_surat", "140/2026/DPMD-Banjarnegara/Bidang-Pemerintahan-Desa")
    page.fill("#f-tanggal_surat", office_date(system_now()).isoformat())
    page.fill("#f-perihal", "Permohonan data jumlah penduduk per desa untuk perencanaan dana desa")
    page.fill("#f-data_diminta", "Jumlah penduduk per desa")
    page.set_input_files("#f-surat", str(letter))
    page.click("button:has-text('Catat dan teruskan')")
    page.wait_for_url(re.compile(r".*/tanda-terima"))
    assert "Kode pelacakan" in page.inner_text(".receipt")
    _fits_the_phone(page, "tanda-terima")
    page.goto(f"{live.url}/buku-agenda")
    assert "DPMD" in page.inner_text("table")
    _fits_the_phone(page, "buku-agenda")
    page.set_viewport_size({"width": 1123, "height": 794})  # A4 landscape
    page.emulate_media(media="print")
    assert not page.is_visible(".mainnav") and not page.is_visible("form.filters")
    assert page.is_visible("table")
    page.screenshot(path=str(PHONE_SHOTS / "buku-agenda-cetak.png"), full_page=True)

    page = as_role(lambda: new_page(390, 844), live, "admin")  # the longest menu
    page.goto(f"{live.url}/kotak-masuk?q=dpmd")
    _fits_the_phone(page, "kotak-masuk-admin")


#: the steps where someone decides, and who: the decision must be on the first screen
APPROVALS = (
    "disposisi_kadin",
    "disposisi_kabid",
    "pemeriksaan_kasi",
    "laporan_kabid",
    "tanda_tangan_kadin",
    "pengiriman_jfu",
)
SCREENS = ((1280, 800), (390, 844))
SHOTS = ARTIFACTS / "ux"


def _complete(live, task_id: str, step: str, form: dict) -> None:
    """Complete a step through the facade in a thread of its own: the signing handler runs
    asyncio.run(), which the Playwright loop of the test's thread does not allow."""
    with ThreadPoolExecutor(1) as pool:
        pool.submit(live.engine.complete, task_id, ROLE_OF_STEP[step], form).result()


def _advance(live, instance_id: int, stop_before: str, **forms) -> str:
    """Complete the open steps through the facade (``forms``: overrides by step) until
    ``stop_before`` is open; return its task id."""
    engine, today = live.engine, office_date(system_now())
    while True:
        tasks = engine.tasks(instance_id=instance_id)
        assert tasks, f"no open step before {stop_before}: {engine.incidents()}"
        if tasks[0].element_id == stop_before:
            return tasks[0].id
        step = tasks[0].element_id
        _complete(live, tasks[0].id, step, gen_form(step, today, **forms.get(step, {})))


def _start(live) -> int:
    return live.engine.start(PROCESS, None, user="sekretariat").id


def _submit_is_on_first_screen(page, height: int) -> bool:
    box = page.locator("#selesaikan").bounding_box()
    return box is not None and box["y"] + box["height"] <= height


def test_every_approval_shows_its_decision_on_the_first_screen(new_page, live):
    instance_id = _start(live)
    pages = {}
    for step in APPROVALS:
        task_id = _advance(live, instance_id, step)
        role = ROLE_OF_STEP[step]
        for width, height in SCREENS:
            page = signed_in_page(pages, new_page, live, role, width, height)
            page.goto(f"{live.url}/tugas/{task_id}")
            SHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SHOTS / f"{step}-{width}.png"))
            assert _submit_is_on_first_screen(page, height), f"{step} at {width}x{height}"
            if step == "pemeriksaan_kasi":  # the data is folded away, with its downloads
                assert not page.is_visible("table.dataset")
                assert page.is_visible(".decision-summary a.download-csv")


def test_refusal_rework_and_signing_pages_as_the_roles_use_them(new_page, live):
    SHOTS.mkdir(parents=True, exist_ok=True)
    instance_id = _start(live)
    task_id = _advance(live, instance_id, "disposisi_kadin")
    for width, height in SCREENS:
        page = new_page(width, height)
        sign_in(page, live, "kepala_dinas")
        page.goto(f"{live.url}/tugas/{task_id}")
        assert not page.is_visible("#f-kadin_alasan_penolakan")  # only asked when refusing
        page.select_option("#f-kadin_keputusan", "tolak")
        assert page.is_visible("#f-kadin_alasan_penolakan")
        assert page.is_visible("#f-kadin_konfirmasi_tolak")
        page.screenshot(path=str(SHOTS / f"kadin-disposisi-tolak-{width}.png"))
    page.click("#selesaikan")  # a refusal without a reason or confirmation is refused
    assert "Alasan penolakan" in page.inner_text(".error-summary")
    assert "wajib dicentang" in page.inner_text(".error-summary")
    assert "Menerima surat" in page.inner_text("h1")  # still the same step

    # forwarded instead; the Kasi sends the data back with a note
    _advance(live, instance_id, "pemeriksaan_kasi")
    _advance(
        live,
        instance_id,
        "ekstraksi_data",
        pemeriksaan_kasi={"pemeriksaan_hasil": "perbaiki", "pemeriksaan_catatan": "Rinci per desa"},
    )
    for width, height in SCREENS:
        page = new_page(width, height)
        sign_in(page, live, "operator")
        row = page.locator("li.task-item", has_text="Membuka gudang data")
        assert "dikembalikan" in row.inner_text()
        row.locator("a.task-name").click()
        page.wait_for_selector("#dikembalikan")
        assert "Rinci per desa" in page.inner_text("#dikembalikan")
        page.screenshot(path=str(SHOTS / f"operator-dikembalikan-{width}.png"))

    task_id = _advance(live, instance_id, "tanda_tangan_kadin")
    for width, height in SCREENS:
        page = new_page(width, height)
        sign_in(page, live, "kepala_dinas")
        page.goto(f"{live.url}/tugas/{task_id}")
        assert _submit_is_on_first_screen(page, height)
        page.select_option("#f-ttd_keputusan", "kembalikan")
        assert page.is_visible("#f-ttd_catatan_revisi")
        assert _submit_is_on_first_screen(page, height)
        page.select_option("#f-ttd_keputusan", "setuju")
        page.screenshot(path=str(SHOTS / f"kadin-tanda-tangan-{width}.png"))
        page.screenshot(path=str(SHOTS / f"kadin-tanda-tangan-{width}-penuh.png"), full_page=True)
    if live.real_handlers:
        page.wait_for_function(
            "() => [...document.querySelectorAll('#pratinjau-dokumen img')]"
            ".every(img => img.complete && img.naturalWidth > 0)"
        )
    # sent back to the Kabid with a note, then signed
    page.select_option("#f-ttd_keputusan", "kembalikan")
    page.select_option("#f-ttd_kembalikan_kepada", "kabid_piak")
    page.fill("#f-ttd_catatan_revisi", "Lengkapi catatan laporan")
    assert "Menerima data dan melaporkan" in complete(page)
    again = _advance(live, instance_id, "tanda_tangan_kadin")
    _complete(live, again, "tanda_tangan_kadin", gen_form("tanda_tangan_kadin"))
    assert _advance_to_end(live, instance_id).status == "completed"


def _advance_to_end(live, instance_id: int):
    engine, today = live.engine, office_date(system_now())
    while tasks := engine.tasks(instance_id=instance_id):
        step = tasks[0].element_id
        _complete(live, tasks[0].id, step, gen_form(step, today))
    return engine.instance(instance_id)


def test_a_refusal_is_reviewed_and_signed_by_the_kepala_dinas(new_page, live):
    SHOTS.mkdir(parents=True, exist_ok=True)
    instance_id = _start(live)
    task_id = _advance(live, instance_id, "disposisi_kadin")
    page = as_role(new_page, live, "kepala_dinas")
    page.goto(f"{live.url}/tugas/{task_id}")
    page.select_option("#f-kadin_keputusan", "tolak")
    page.fill("#f-kadin_alasan_penolakan", "Permohonan meminta data perseorangan, bukan agregat")
    page.check("#f-kadin_konfirmasi_tolak")
    assert "Memeriksa dan menandatangani surat penolakan" in complete(page)

    open_task_named(page, live, "Memeriksa dan menandatangani surat penolakan")
    assert page.locator("#pratinjau-dokumen figcaption a").count() == 1
    if live.real_handlers:
        page.wait_for_function(
            "() => [...document.querySelectorAll('#pratinjau-dokumen img')]"
            ".every(img => img.complete && img.naturalWidth > 0)"
        )
    page.screenshot(path=str(SHOTS / "kadin-surat-penolakan-1280.png"), full_page=True)
    expect(page.locator("#selesaikan")).to_have_text("Tandatangani surat penolakan")
    assert page.locator("form.task-form input[type=checkbox]").count() == 0
    assert "sudah tuntas" in complete(page)
    signed = [
        doc
        for doc in live.engine.documents.for_instance(instance_id)
        if doc.kind == "surat_penolakan" and doc.signed
    ]
    assert len(signed) == 1
