"""The manager's dashboard and the register of outgoing letters in Chromium at 1280 px and 390 px: the weekly chart shows the current
week inside its card, the heat map's cells are readable, steps without a standard time and steps
under a minute are said so. Screenshots in test-artifacts/dashboard/ to look at."""

from __future__ import annotations

import logging
import re
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest

from engine.clock import office_date
from engine.facade import BpmnEngine
from tests.conftest import DEMO_PASSWORD, PROCESSES, Clock
from tests.factories import PROCESS, ROLE_OF_STEP, fake_registry, gen_form, gen_letter
from tests.web.live import ARTIFACTS, LiveServer, chromium_path, module_settings, seeded_store
from web.app import create_app

pytestmark = pytest.mark.browser
playwright_api = pytest.importorskip(
    "playwright.sync_api", reason="Playwright for Python is not installed"
)
SHOTS = ARTIFACTS / "dashboard"
#: Wednesday 11 March 2026, 09.00 WIB: "today" of the dashboard
NOW = datetime(2026, 3, 11, 2, 0, tzinfo=UTC)
THIS_WEEK = 5


def _request(engine: BpmnEngine, clock: Clock, kadin_minutes: int) -> None:
    """A request registered in 20 seconds, disposed by the Kepala Dinas in ``kadin_minutes``."""
    today = office_date(clock())
    instance = engine.start(PROCESS, gen_letter(today), user="sekretariat")
    for step, wait in (("registrasi_surat", timedelta(seconds=20)), ("disposisi_kadin", None)):
        clock.advance(**({"seconds": wait.seconds} if wait else {"minutes": kadin_minutes}))
        task = next(t for t in engine.tasks(instance_id=instance.id) if t.element_id == step)
        engine.complete(task.id, ROLE_OF_STEP[step], gen_form(step, today))


def _history(engine: BpmnEngine, clock: Clock) -> None:
    """A few requests a week for eight weeks, then five in the current week."""
    for weeks_ago, count in ((8, 2), (6, 3), (5, 1), (3, 4), (2, 2), (1, 3), (0, THIS_WEEK)):
        clock.now = NOW - timedelta(weeks=weeks_ago) - timedelta(hours=1)
        for number in range(count):
            _request(engine, clock, kadin_minutes=3 + 4 * number)
    clock.now = NOW


@pytest.fixture(scope="module")
def live(tmp_path_factory, demo_hash):
    if chromium_path() is None:
        pytest.skip("no Chromium (install the Debian package 'chromium': make sysdeps-test)")
    root = tmp_path_factory.mktemp("dashboard")
    settings = module_settings(root)
    database = seeded_store(settings.database_url, demo_hash)
    clock = Clock(NOW - timedelta(weeks=9))
    engine = BpmnEngine(database, fake_registry(), settings, clock=clock)
    engine.deploy_path(PROCESSES)
    _history(engine, clock)
    app = create_app(
        {"TESTING": True, "LAKSANA_SETTINGS": settings, "RATELIMIT_ENABLED": False}, engine=engine
    )
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    with LiveServer(app) as server:
        server.engine, server.settings = engine, settings
        yield server
    database.dispose()


def _dashboard(browser, live, width: int, height: int):
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.set_default_timeout(15000)
    page.goto(f"{live.url}/masuk")
    page.fill("#username", "manajer")
    page.fill("#password", DEMO_PASSWORD)
    page.click("main form button[type=submit]")
    page.goto(f"{live.url}/dasbor/")
    return page


#: the right edges of the chart, its current week's bar and its card, and the count over that bar
CHART_BOXES = """() => {
    const card = document.querySelector('section.weekly').getBoundingClientRect();
    const svg = document.querySelector('svg.bar-chart').getBoundingClientRect();
    const bar = document.querySelector('svg.bar-chart rect.bar-current').getBoundingClientRect();
    const count = document.querySelector('svg.bar-chart .week-current text.count');
    return {card: [card.left, card.right], svg: [svg.left, svg.right], bar: [bar.left, bar.right, bar.height],
            count: count ? count.textContent.trim() : null, viewport: window.innerWidth};
}"""
#: the width the selected process name needs in the select's own font, and the select's width
SELECT_FITS = """() => {
    const select = document.querySelector('#proses');
    const style = getComputedStyle(select);
    const context = document.createElement('canvas').getContext('2d');
    context.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    const text = context.measureText(select.selectedOptions[0].textContent).width;
    return {text, inner: select.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) - 20};
}"""


@pytest.mark.parametrize(("width", "height"), [(1280, 900), (390, 844)])
def test_the_dashboard_fits_its_cards_and_shows_the_current_week(browser, live, width, height):
    page = _dashboard(browser, live, width, height)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"dasbor-{width}.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= width

    boxes = page.evaluate(CHART_BOXES)
    assert boxes["card"][0] <= boxes["svg"][0] and boxes["svg"][1] <= boxes["card"][1], boxes
    assert boxes["bar"][1] <= boxes["svg"][1] and boxes["bar"][2] > 0, (
        boxes
    )  # not clipped, not empty
    assert boxes["count"] == str(THIS_WEEK)

    # the heat map: one readable cell per step, the step without a standard said so
    cells = page.locator("ol.heat-grid li.heat-cell")
    assert cells.count() == 2
    first = cells.first.bounding_box()
    assert first is not None and first["width"] >= 200 and first["height"] >= 60
    assert page.locator(".heat-legend span").count() == 4
    untimed = page.locator("li.heat-cell[data-element='registrasi_surat']")
    assert "heat-0" in (untimed.get_attribute("class") or "")
    assert "tanpa waktu baku" in untimed.inner_text() and "20 detik" in untimed.inner_text()

    # the steps in the diagram's order: the agenda step first, its standard time missing in words
    rows = page.locator("table.step-durations tbody tr")
    assert rows.first.get_attribute("data-element") == "registrasi_surat"
    assert "tanpa waktu baku" in rows.first.inner_text()
    assert not re.search(r"(?<![\d,])0 menit", page.inner_text("main"))
    page.context.close()


def test_the_process_select_shows_the_whole_name_and_the_diagram_unfolds(browser, live):
    page = _dashboard(browser, live, 1280, 900)
    fits = page.evaluate(SELECT_FITS)
    assert fits["text"] <= fits["inner"], fits
    page.click("details.heat-diagram > summary")
    page.wait_for_selector("#heatmap[data-ready='true']")
    page.screenshot(path=str(SHOTS / "dasbor-diagram-1280.png"), full_page=True)
    badges = page.locator(".lk-heat").all_text_contents()
    assert "20 detik / tanpa waktu baku" in badges and "7 menit / 5 menit" in badges, badges
    page.context.close()


def _signed_in(browser, live, username: str, width: int, height: int):
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.set_default_timeout(15000)
    page.goto(f"{live.url}/masuk")
    page.fill("#username", username)
    page.fill("#password", DEMO_PASSWORD)
    page.click("main form button[type=submit]")
    return page


def test_the_outgoing_register_reads_and_prints_at_both_widths(browser, live):
    from tests.web.test_outgoing_register import _issue

    instance = live.engine.list_instances(process_id=PROCESS)[-1]
    _issue(live.engine, instance.id, "400.12.4/31/2026", "surat_data", "Surat pengantar data", NOW)
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width, height in ((1280, 900), (390, 844)):
        page = _signed_in(browser, live, "jfu", width, height)
        page.click("nav >> text=Surat keluar")
        assert "400.12.4/31/2026" in page.inner_text("table.outgoing")
        page.wait_for_load_state("load")  # measured with the stylesheet applied, not before
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.screenshot(path=str(SHOTS / f"surat-keluar-{width}.png"), full_page=True)
        page.context.close()
    page = _signed_in(browser, live, "sekretariat", 1123, 794)  # A4 landscape
    page.goto(f"{live.url}/surat-keluar?q=400.12.4/31")
    page.emulate_media(media="print")
    assert not page.is_visible(".mainnav") and not page.is_visible("form.filters")
    assert "400.12.4/31/2026" in page.inner_text("table.outgoing")
    page.screenshot(path=str(SHOTS / "surat-keluar-cetak.png"), full_page=True)
    page.context.close()


def test_the_public_confirmation_fits_and_prints(browser, live, tmp_path):
    from tests.web.conftest import PDF

    letter = tmp_path / "surat.pdf"
    letter.write_bytes(PDF)
    for width, height in ((1280, 900), (390, 844)):
        page = browser.new_context(viewport={"width": width, "height": height}).new_page()
        page.goto(f"{live.url}/permohonan-data")
        page.fill("#instansi_pengirim", "Badan Pusat Statistik Kabupaten Banjarnegara")
        page.fill("#pimpinan_instansi", "Kepala BPS Kabupaten Banjarnegara")
        page.fill("#email_pemohon", "bps3304@example.invalid")
        page.fill("#nomor_surat", "B-15/33040/2026")
        page.fill("#tanggal_surat", office_date(NOW).isoformat())
        page.fill("#perihal", "Permohonan data penduduk")
        page.fill("#data_diminta", "Penduduk per desa menurut jenis kelamin")
        page.set_input_files("#surat", str(letter))
        page.click("button:has-text('Kirim permohonan')")
        page.wait_for_selector("section.next-steps")
        page.wait_for_load_state("load")
        assert page.is_visible("button:has-text('Cetak bukti ini')")
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.screenshot(path=str(SHOTS / f"permohonan-terkirim-{width}.png"), full_page=True)
        page.emulate_media(media="print")
        assert not page.is_visible("button:has-text('Cetak bukti ini')")
        assert page.is_visible(".tracking-code") and page.is_visible("section.next-steps")
        page.context.close()


def test_the_verification_page_names_the_official_at_both_widths(browser, live):
    from tests.web.test_verification_official import _signed_letter

    # signing runs asyncio.run(), which Playwright's loop in this thread does not allow
    with ThreadPoolExecutor(1) as pool:
        document_id = pool.submit(
            _signed_letter, live.engine, live.settings, "kepala_dinas"
        ).result()
    for width, height in ((1280, 900), (390, 844)):
        page = browser.new_context(viewport={"width": width, "height": height}).new_page()
        page.goto(f"{live.url}/verifikasi/{document_id}")
        official = page.inner_text("dd.official")
        assert "Drs. Bambang Setiawan" in official and "NIP" in official
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.screenshot(path=str(SHOTS / f"verifikasi-{width}.png"), full_page=True)
        page.context.close()
