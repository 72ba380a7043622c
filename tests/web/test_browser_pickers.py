"""Browser walk of the data SOP counting what people type and click (issue 13's target).

Every role does its step in Chromium from its inbox: a whole request needs at most 15 typed
fields (log-ins aside) and two clicks per step from the inbox (open the task, complete it); the
Kasi picks the operator and the operator picks kecamatan and desa at phone width, where no page
scrolls sideways. Screenshots of the operator's and the Kasi's pages go to
test-artifacts/pickers/.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pytest
from playwright.sync_api import expect

from tests.web import test_browser as shared
from tests.web.conftest import PDF
from tests.web.live import ARTIFACTS
from tests.web.test_browser import sign_in

#: the live server, the browser and the page factory of the browser tests
live, new_page = shared.live, shared.new_page

pytestmark = pytest.mark.browser
SHOTS = ARTIFACTS / "pickers"
TYPED_LIMIT = 15


@dataclass
class Tally:
    """What one person did on one step: fields typed into, clicks on links and buttons, picks."""

    typed: dict[str, int] = field(default_factory=dict)
    clicks: dict[str, int] = field(default_factory=dict)
    picks: dict[str, int] = field(default_factory=dict)

    def type(self, page, step: str, selector: str, text: str) -> None:
        page.fill(selector, text)
        self.typed[step] = self.typed.get(step, 0) + 1

    def click(self, page, step: str, selector: str) -> None:
        page.click(selector)
        self.clicks[step] = self.clicks.get(step, 0) + 1

    def pick(self, page, step: str, selector: str, value: str | None = None) -> None:
        if value is None:
            page.check(selector)
        else:
            page.select_option(selector, value)
        self.picks[step] = self.picks.get(step, 0) + 1

    def open_from_inbox(self, page, live, step: str, name: str) -> None:
        page.goto(f"{live.url}/kotak-masuk")
        self.click(page, step, f"a.task-name:has-text('{name}')")
        page.wait_for_selector("form.task-form")
        # the pickers' deferred script filters the lists; a pick before it runs sees them whole
        page.wait_for_load_state("load")

    def complete(self, page, step: str) -> str:
        self.click(page, step, "#selesaikan")
        page.wait_for_url(re.compile(r".*/kotak-masuk"))
        return page.inner_text(".flashes")


def _fits(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{name}: {overflow}px wider than the screen"


def _as(new_page, live, username: str, width: int = 1280, height: int = 900):
    page = new_page(width, height)
    sign_in(page, live, username)
    return page


def _register(page, tally: Tally, letter) -> None:
    step = "registrasi_surat"
    page.goto(f"{live_url(page)}/kotak-masuk")
    tally.click(page, step, "nav >> text=Surat masuk baru")
    for selector, text in (
        ("#f-instansi_pengirim", "Dinas Pemberdayaan Masyarakat dan Desa"),
        ("#f-pimpinan_instansi", "Kepala Dinas PMD Kabupaten Banjarnegara"),
        ("#f-nomor_surat", "140/88/DPMD/2026"),
        ("#f-tanggal_surat", page.input_value("#f-tanggal_diterima")),
        ("#f-perihal", "Permohonan data penduduk desa"),
        ("#f-data_diminta", "Penduduk Desa Bawang menurut kelompok umur dan jenis kelamin"),
    ):
        tally.type(page, step, selector, text)
    page.set_input_files("#f-surat", str(letter))
    tally.click(page, step, "button:has-text('Catat dan teruskan')")
    page.wait_for_selector(".flashes")


def live_url(page) -> str:
    return re.match(r"https?://[^/]+", page.url).group(0)


def _operator_picks(page, tally: Tally) -> None:
    step = "ekstraksi_data"
    desa = "#f-permintaan_wilayah-desa"
    tally.pick(page, step, "#f-permintaan_wilayah-kecamatan", "33.04.05")  # Bawang
    groups = page.eval_on_selector_all(f"{desa} optgroup", "gs => gs.map(g => g.label)")
    assert groups == ["Kecamatan Bawang"], "the desa list follows the kecamatan"
    tally.pick(page, step, desa, label_value(page, desa, "Desa Bawang"))
    tally.pick(page, step, "#f-permintaan_preset", "kelompok_umur_jk")
    assert page.is_hidden("#f-permintaan_spec-kolom1")  # the builder only for a custom table


def label_value(page, selector: str, label: str) -> str:
    return page.eval_on_selector(
        selector,
        "(s, label) => [...s.options].find(o => o.text === label).value",
        label,
    )


def test_a_whole_request_by_picking_within_15_typed_fields_and_2_clicks_a_step(
    new_page, live, tmp_path
):
    letter = tmp_path / "surat.pdf"
    letter.write_bytes(PDF)
    tally = Tally()
    _register(_as(new_page, live, "sekretariat"), tally, letter)

    page = _as(new_page, live, "kepala_dinas")
    tally.open_from_inbox(page, live, "disposisi_kadin", "Menerima surat dan mendisposisikan")
    tally.type(page, "disposisi_kadin", "#f-kadin_isi_disposisi", "Mohon diproses")
    tally.complete(page, "disposisi_kadin")

    page = _as(new_page, live, "kabid_piak")
    tally.open_from_inbox(page, live, "disposisi_kabid", "Menerima disposisi")
    tally.type(page, "disposisi_kabid", "#f-kabid_isi_disposisi", "Siapkan data desa")
    tally.complete(page, "disposisi_kabid")

    for width, height in ((1280, 900), (390, 844)):  # the Kasi's operator picker at both widths
        kasi = _as(new_page, live, "kasi", width, height)
        tally_for_look = Tally()
        tally_for_look.open_from_inbox(kasi, live, "beri_akses", "Memberikan hak akses")
        assert kasi.input_value("#f-akses_operator") == "operator"  # the only operator, chosen
        assert kasi.input_value("#f-akses_berlaku_sampai")  # a week ahead, nothing to type
        _fits(kasi, f"kasi-beri-akses-{width}")
    tally.open_from_inbox(kasi, live, "beri_akses", "Memberikan hak akses")
    tally.complete(kasi, "beri_akses")

    operator = _as(new_page, live, "operator", 390, 844)
    tally.open_from_inbox(operator, live, "ekstraksi_data", "Membuka gudang data")
    assert "Semester I 2026" in operator.inner_text("#f-permintaan_periode")
    _operator_picks(operator, tally)
    operator.click("button:has-text('Pratinjau data')")  # a look, not a step of the walk
    operator.wait_for_selector("#pratinjau table.dataset")
    assert "Bawang" in operator.inner_text("#pratinjau caption")
    _fits(operator, "operator-ekstraksi-390")
    wide = _as(new_page, live, "operator")
    wide.goto(operator.url.split("/pratinjau")[0])
    _fits(wide, "operator-ekstraksi-1280")
    assert "Desa Bawang" in operator.inner_text("#f-permintaan_wilayah-desa option:checked")
    tally.complete(operator, "ekstraksi_data")

    page = _as(new_page, live, "kasi")
    tally.open_from_inbox(page, live, "pemeriksaan_kasi", "Memeriksa data")
    _fits(page, "kasi-pemeriksaan-1280")
    with page.expect_download() as download:
        page.click(".decision-summary a.download-xlsx")  # a look, not a step of the walk
    assert download.value.suggested_filename.endswith(".xlsx")
    tally.pick(page, "pemeriksaan_kasi", "#f-pemeriksaan_hasil", "sesuai")
    tally.complete(page, "pemeriksaan_kasi")

    page = _as(new_page, live, "kabid_piak")
    tally.open_from_inbox(page, live, "laporan_kabid", "Menerima data dan melaporkan")
    tally.complete(page, "laporan_kabid")

    page = _as(new_page, live, "kepala_dinas")
    tally.open_from_inbox(page, live, "tanda_tangan_kadin", "Menerima dan menandatangani")
    expect(page.locator("#selesaikan")).to_have_text(
        "Setujui dan tandatangani"
    )  # the choice is the act
    tally.complete(page, "tanda_tangan_kadin")

    page = _as(new_page, live, "jfu")
    tally.open_from_inbox(page, live, "pengiriman_jfu", "Menggandakan, mengarsipkan")
    assert page.input_value("#f-penerima_instansi") == "Dinas Pemberdayaan Masyarakat dan Desa"
    assert page.input_value("#f-penerima_jabatan") == "Kepala Dinas PMD Kabupaten Banjarnegara"
    assert page.input_value("#f-tanggal_terima")
    tally.type(page, "pengiriman_jfu", "#f-penerima_nama", "Sri Wahyuni")
    assert "sudah tuntas" in tally.complete(page, "pengiriman_jfu")

    typed = sum(tally.typed.values())
    print(f"typed fields by step: {tally.typed} = {typed}; picks and ticks: {tally.picks}")
    assert typed <= TYPED_LIMIT, tally.typed
    assert all(count == 2 for count in tally.clicks.values()), tally.clicks
    assert len(tally.clicks) == 9  # registration and the eight SOP steps, each by its role
    assert "tanda_tangan_kadin" not in tally.picks  # signing: open, press; no consent tick


def test_a_custom_tables_preview_shows_every_column_across_the_page(new_page, live):
    task_id = shared._advance(live, shared._start(live), "ekstraksi_data")
    page = _as(new_page, live, "operator")
    page.goto(f"{live.url}/tugas/{task_id}")
    assert page.is_hidden("#f-permintaan_spec-kolom1")
    page.select_option("#f-permintaan_preset", "kustom")
    page.select_option("#f-permintaan_spec-kolom1", "age_group")
    page.select_option("#f-permintaan_spec-kolom2", "religion")
    assert page.is_visible("#f-permintaan_spec-bands")  # age groupings only with an age column
    page.select_option("#f-permintaan_spec-bands", "sepuluh_tahunan")
    page.select_option("#f-permintaan_spec-filter_dim", "sex")
    assert page.is_hidden("[data-filter=religion]") and page.is_visible("[data-filter=sex]")
    page.check("[data-filter=sex] input[value='2']")  # women only
    page.click("button:has-text('Pratinjau data')")
    page.wait_for_selector("#pratinjau table.dataset")
    headers = page.locator("#pratinjau thead th").count()
    assert headers == 8 * 7 + 3  # 8 age groups x 7 religions, code, region and total
    card = page.locator("#pratinjau").bounding_box()
    assert card is not None and card["width"] > 1200  # the page's width, not half of it
    scroll = page.eval_on_selector(
        "#pratinjau .table-wrap", "w => [w.scrollWidth > w.clientWidth, w.clientWidth]"
    )
    assert scroll[0], "a wide table scrolls inside its card"
    _fits(page, "operator-tabel-kustom-1280")
    assert "Jenis Kelamin: PEREMPUAN" in page.inner_text("#pratinjau")
    assert page.input_value("#f-permintaan_spec-kolom2") == "religion"  # the picks are kept
