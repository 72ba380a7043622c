"""The analyst's editor in Chromium: Indonesian palette and panel, the Laksana group (waktu baku
and peran written where the engine reads them, the escalation timer following), and deploy
showing what changes and requiring a change note.

A small live app of its own (stand-in service handlers). Set LAKSANA_EDITOR_SCREENSHOTS=1 to
keep screenshots of the editor and the deploy dialog (1280 and 390 px) under test-artifacts/.
"""

from __future__ import annotations

import os

import pytest

from engine.facade import BpmnEngine
from tests.conftest import DEMO_PASSWORD, PROCESSES
from tests.factories import fake_registry
from tests.web.live import ARTIFACTS, chromium_path, module_settings, seeded_store, serving

pytestmark = pytest.mark.browser
playwright_api = pytest.importorskip(
    "playwright.sync_api", reason="Playwright for Python is not installed"
)
BUILD = PROCESSES.parent / "web" / "static" / "build"
SCREENSHOTS = bool(os.environ.get("LAKSANA_EDITOR_SCREENSHOTS"))
PROCESS = "permohonan_data_agregat"
EDITOR = f"/model/penyunting?proses={PROCESS}&versi=1"
SELECT_FIRST_STEP = """() => {  // the palette may cover the task at this zoom: select it as a click would
    const modeler = window.laksanaModeler;
    modeler.get('selection').select(modeler.get('elementRegistry').get('disposisi_kadin'));
}"""
SAVED_XML = "async () => (await window.laksanaModeler.saveXML({ format: true })).xml"


@pytest.fixture(scope="module")
def live(tmp_path_factory, demo_hash):
    if chromium_path() is None:
        pytest.skip("no Chromium (install the Debian package 'chromium': make sysdeps-test)")
    if not (BUILD / "modeler.js").exists():
        pytest.skip("the diagram bundle web/static/build/modeler.js is not built (make assets)")
    root = tmp_path_factory.mktemp("editor")
    settings = module_settings(root)
    database = seeded_store(settings.database_url, demo_hash)
    engine = BpmnEngine(database, fake_registry(), settings)
    engine.deploy_path(PROCESSES)
    with serving(engine, settings, database) as server:
        yield server


@pytest.fixture
def analyst(browser, live):
    """``analyst(width)``: a page signed in as the analyst, on the editor of version 1."""
    contexts = []

    def make(width: int = 1280, language: str | None = None):
        context = browser.new_context(viewport={"width": width, "height": 900})
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15000)
        page.goto(f"{live.url}/masuk")
        if language:
            page.click(f"form.lang button[value='{language}']")
        page.fill("#username", "analis")
        page.fill("#password", DEMO_PASSWORD)
        page.click("main form button[type=submit]")
        page.wait_for_url("**/kotak-masuk")
        page.goto(f"{live.url}{EDITOR}")
        page.wait_for_selector("#modeler-canvas[data-ready='true']")
        return page

    yield make
    for context in contexts:
        context.close()


def shoot(page, name: str) -> None:
    if SCREENSHOTS:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"editor-{name}.png"), full_page=True)


def _group(page, label: str):
    return page.locator("#modeler-properties .bio-properties-panel-group-header", has_text=label)


def test_palette_context_pad_and_panel_speak_indonesian(analyst):
    page = analyst()
    assert page.locator(".djs-palette .entry[aria-label='Buat tugas']").count() == 1
    assert page.locator(".djs-palette .entry[aria-label='Buat gerbang']").count() == 1
    page.evaluate(SELECT_FIRST_STEP)
    page.locator(".djs-context-pad .entry[title='Sambung tugas']").wait_for()
    assert page.locator(".djs-context-pad .entry[title='Hapus']").count() == 1
    for label in ("Umum", "Laksana (SOP)", "Dokumentasi", "Properti tambahan", "Isian formulir"):
        assert _group(page, label).count() >= 1, label
    assert _group(page, "General").count() == 0
    _group(page, "Isian formulir").first.click()
    fields = page.locator("#modeler-properties .bio-properties-panel-collapsible-entry-header")
    names = fields.all_inner_texts()
    assert any("Keputusan" in n for n in names) and not any("kadin_keputusan" in n for n in names)
    shoot(page, "panel-1280")


def test_english_is_bpmn_js_own_with_the_laksana_group_from_the_catalogue(analyst):
    page = analyst(language="en")
    assert page.locator(".djs-palette .entry[aria-label='Create task']").count() == 1
    page.evaluate(SELECT_FIRST_STEP)
    assert _group(page, "General").count() == 1
    assert _group(page, "Laksana (SOP)").count() == 1
    _group(page, "Laksana (SOP)").click()
    assert "Standard time (minutes)" in page.inner_text("#modeler-properties")


def test_the_laksana_group_writes_waktu_baku_and_peran_and_the_timer_follows(analyst):
    page = analyst()
    page.evaluate(SELECT_FIRST_STEP)
    _group(page, "Laksana (SOP)").click()
    minutes = page.locator("#bio-properties-panel-laksana-standard_minutes")
    assert minutes.input_value() == "5"
    assert page.locator("#bio-properties-panel-laksana-sop_step").input_value() == "1"
    minutes.fill("7")
    minutes.press("Tab")
    page.locator("#modeler-status", has_text="7 menit").wait_for()
    role = page.locator("#bio-properties-panel-laksana-role")
    assert "Kepala Dinas" in role.inner_text()  # the roles table's names
    role.select_option("kabid_piak")
    xml = page.evaluate(SAVED_XML)
    start = xml.index('id="disposisi_kadin"')
    task = xml[start - 20 : xml.index("</bpmn:userTask>", start)]
    assert 'camunda:candidateGroups="kabid_piak"' in task
    assert '<camunda:property name="standard_minutes" value="7" />' in task
    timer = xml[xml.index('id="tenggat_disposisi_kadin"') - 30 :]
    timer = timer[: timer.index("</bpmn:boundaryEvent>")]
    assert "office_minutes_from_now(7)" in timer and 'name="Lewat 7 menit"' in timer
    # another step's timer (also 5 minutes) is left alone
    other = xml[xml.index('id="tenggat_disposisi_kabid"') :]
    assert "office_minutes_from_now(5)" in other[: other.index("</bpmn:boundaryEvent>")]
    shoot(page, "laksana-1280")


def test_deploy_shows_the_changes_and_requires_a_note(analyst, live):
    page = analyst()
    page.evaluate(SELECT_FIRST_STEP)
    _group(page, "Laksana (SOP)").click()
    minutes = page.locator("#bio-properties-panel-laksana-standard_minutes")
    minutes.fill("8")
    minutes.press("Tab")
    page.click("#modeler-deploy")
    page.wait_for_selector("#deploy-dialog[open][data-ready='true']")
    dialog = page.locator("#deploy-dialog")
    for side in ("old", "new"):
        changed = dialog.locator(
            f"#deploy-{side}-{PROCESS} .djs-element.lk-diff-changed"
            "[data-element-id='disposisi_kadin']"
        )
        assert changed.count() == 1, side
    assert "waktu baku: 5 → 8 menit" in dialog.inner_text()
    assert "Pemanfaatan Data Agregat Kependudukan" in dialog.inner_text()  # the process by name
    shoot(page, "deploy-1280")
    page.click("#deploy-confirm")
    assert "Catatan perubahan wajib diisi" in page.inner_text("#deploy-note-error")
    versions = [d.version for d in live.engine.list_definitions() if d.process_id == PROCESS]
    assert versions == [1]
    page.fill("#deploy-note", "Waktu baku disposisi Kadin menjadi 8 menit")
    page.click("#deploy-confirm")
    page.locator("#modeler-status", has_text="versi 2").wait_for()
    latest = max(
        (d for d in live.engine.list_definitions() if d.process_id == PROCESS),
        key=lambda d: d.version,
    )
    assert latest.change_note == "Waktu baku disposisi Kadin menjadi 8 menit"
    page.goto(f"{live.url}/model/")
    assert "Waktu baku disposisi Kadin menjadi 8 menit" in page.inner_text("main")


def test_the_editor_and_the_dialog_fit_a_phone(analyst):
    page = analyst(390)
    page.evaluate(SELECT_FIRST_STEP)
    _group(page, "Laksana (SOP)").click()
    shoot(page, "laksana-390")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390 + 1
    page.click("#modeler-deploy")
    page.wait_for_selector("#deploy-dialog[open][data-ready='true']")
    assert "Perubahan dari versi" in page.inner_text("#deploy-dialog")
    page.locator("#deploy-confirm").scroll_into_view_if_needed()
    assert page.locator("#deploy-confirm").is_visible()
    shoot(page, "deploy-390")
    page.click("#deploy-cancel")
    assert page.locator("#deploy-dialog[open]").count() == 0


DMN_EDITOR = "/model/pengaduan_layanan/1/keputusan/klasifikasi_pengaduan.dmn"


def _edit_cell(page, element_id: str, value: str) -> None:
    cell = page.locator(f"#dmn-canvas td[data-element-id='{element_id}'] .content-editable")
    cell.click()
    page.keyboard.press("Control+A")
    page.keyboard.type(value)
    page.click("#dmn-canvas .decision-table-name")  # leave the cell: dmn-js commits the edit


def test_the_decision_table_is_edited_checked_and_deployed_with_a_note(analyst, live):
    page = analyst()
    page.goto(f"{live.url}{DMN_EDITOR}")
    page.wait_for_selector("#dmn-canvas[data-ready='true']")
    assert "Tabel keputusan dimuat" in page.inner_text("#dmn-status")
    assert page.locator("#dmn-canvas th", has_text="Keterangan").count() >= 1  # Indonesian
    _edit_cell(page, "aturan_data_bobot", "berat ==")  # not a Python expression
    page.click("#dmn-validate")
    page.locator("#dmn-status.status-error").wait_for()
    issues = page.inner_text("#dmn-issues")
    assert "klasifikasi_pengaduan.dmn" in issues and "aturan_data" in issues
    _edit_cell(page, "aturan_data_bobot", '"berat"')
    page.click("#dmn-deploy")
    assert "Catatan perubahan wajib diisi" in page.inner_text("#dmn-note-error")
    shoot(page, "dmn-1280")
    page.fill("#dmn-note", "Kesalahan data kependudukan menjadi pengaduan berat")
    page.click("#dmn-deploy")
    page.locator("#dmn-status", has_text="versi 2").wait_for()
    texts = live.engine.definition_decision_files("pengaduan_layanan", 2)
    table = texts["klasifikasi_pengaduan.dmn"]
    rule = table[table.index('id="aturan_data"') :]
    assert '"berat"' in rule[: rule.index("</rule>")]
    assert (
        '"ringan"'
        in live.engine.definition_decision_files("pengaduan_layanan", 1)[
            "klasifikasi_pengaduan.dmn"
        ]
        .split('id="aturan_data"')[1]
        .split("</rule>")[0]
    )
