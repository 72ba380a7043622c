"""Every staff role walks the data SOP in Chromium at 1280 and 390 px (issue 13, "Done when").

The happy path, the Kepala Dinas's refusal (refused without a reason; the refusal letter is a
draft he reviews and signs, and it verifies) and the rework paths (the Kasi sends the data back
to the operator; the Kepala Dinas returns the report for revision). Every staff page visited goes
through ``walks.look_at``: no sideways scrolling, no raw code or ISO timestamp in its text, the
decision on the first screen of an approval task. Screenshots: test-artifacts/walks/.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from engine.clock import office_date, system_now
from tests.factories import ROLE_OF_STEP, SOP_STEPS, gen_form
from tests.web import test_browser as shared
from tests.web.conftest import PDF
from tests.web.test_browser import signed_in_page
from tests.web.walks import first_task_on_first_screen, look_at

#: the live server, the browser and the page factory of the browser tests (one server here)
live, new_page = shared.live, shared.new_page

pytestmark = pytest.mark.browser
SCREENS = ((1280, 800), (390, 844))
APPROVALS = set(shared.APPROVALS) | {"ttd_penolakan_kadin"}


class Staff:
    """One signed-in page per role and screen width, reused through a walk."""

    def __init__(self, new_page, live) -> None:
        self.new_page, self.live, self.pages = new_page, live, {}

    def page(self, role: str, width: int):
        height = dict(SCREENS)[width]
        return signed_in_page(self.pages, self.new_page, self.live, role, width, height)

    def look(self, role: str, path: str, name: str, approval: bool = False) -> dict[int, str]:
        """Open ``path`` as ``role`` at both widths and look at it; the text at each width."""
        texts = {}
        for width, _ in SCREENS:
            page = self.page(role, width)
            page.goto(f"{self.live.url}{path}")
            texts[width] = look_at(page, name, approval=approval)
        return texts

    def task(self, instance_id: int, step: str, name: str | None = None) -> str:
        """Look at the inbox and at the open ``step`` as its role; the task id."""
        task_id = shared._advance(self.live, instance_id, step)
        role = ROLE_OF_STEP[step]
        self.look(role, "/kotak-masuk", f"kotak-masuk-{role}")
        for width, _ in SCREENS:  # the work before the filters, even on a phone
            assert first_task_on_first_screen(self.page(role, width)), f"{role} at {width}px"
        self.look(role, f"/tugas/{task_id}", name or step, approval=step in APPROVALS)
        return task_id

    def submit(self, role: str, width: int, name: str) -> str:
        """Complete the open form; the inbox (looked at) and its flash."""
        page = self.page(role, width)
        page.click("#selesaikan")
        page.wait_for_url(re.compile(r".*/kotak-masuk"))
        look_at(page, name)
        return page.inner_text(".flashes")


def register_letter(staff: Staff, tmp_path, sender: str) -> tuple[int, str]:
    """The Sekretariat records a letter in the browser; the instance id and tracking code."""
    staff.look("sekretariat", "/kotak-masuk", "kotak-masuk-sekretariat")
    staff.look("sekretariat", "/surat-masuk/baru", "surat-masuk-baru")
    letter = tmp_path / "surat.pdf"
    letter.write_bytes(PDF)
    page = staff.page("sekretariat", 390)
    page.fill("#f-instansi_pengirim", sender)
    page.fill("#f-pimpinan_instansi", f"Kepala {sender}")
    page.fill("#f-nomor_surat", "470/31/2026")
    page.fill("#f-tanggal_surat", office_date(system_now()).isoformat())
    page.fill("#f-perihal", "Permohonan data agregat kependudukan")
    page.fill("#f-data_diminta", "Jumlah penduduk per kecamatan menurut jenis kelamin")
    page.set_input_files("#f-surat", str(letter))
    page.click("button:has-text('Catat dan teruskan')")
    page.wait_for_url(re.compile(r".*/tanda-terima"))
    receipt = look_at(page, "tanda-terima")
    code = re.search(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", receipt).group(0)
    staff.look("sekretariat", "/buku-agenda", "buku-agenda")
    instance = next(i for i in staff.live.engine.list_instances() if i.business_key == code)
    return instance.id, code


def test_the_happy_path_as_every_role_at_both_widths(new_page, live, tmp_path):
    staff = Staff(new_page, live)
    instance_id, _ = register_letter(staff, tmp_path, "Dinas Kesehatan Kabupaten Banjarnegara")
    for step in SOP_STEPS:
        staff.task(instance_id, step)
        shared._complete(live, _open(live, instance_id, step), step, gen_form(step, _today()))
    assert live.engine.instance(instance_id).status == "completed"
    staff.look("jfu", "/surat-keluar", "surat-keluar")
    staff.look("manajer", "/riwayat", "daftar-permohonan")
    staff.look("manajer", f"/riwayat/{instance_id}", "riwayat")
    staff.look("manajer", "/dasbor/", "dasbor")


def test_a_refusal_needs_a_reason_and_its_letter_is_signed_after_review(new_page, live, tmp_path):
    staff = Staff(new_page, live)
    instance_id, code = register_letter(staff, tmp_path, "CV Data Nusantara")
    staff.task(instance_id, "disposisi_kadin", "disposisi-kadin")
    page = staff.page("kepala_dinas", 390)
    page.select_option("#f-kadin_keputusan", "tolak")
    page.click("#selesaikan")  # no reason, no confirmation: refused, nothing lost
    refused = look_at(page, "disposisi-kadin-tolak-tanpa-alasan")
    assert "Alasan penolakan" in page.inner_text(".error-summary")
    assert "Menerima surat" in page.inner_text("h1")
    assert page.input_value("#f-kadin_keputusan") == "tolak"
    assert "Tolak permohonan" in refused
    page.fill("#f-kadin_alasan_penolakan", "Data yang diminta adalah data perseorangan")
    page.check("#f-kadin_konfirmasi_tolak")
    flash = staff.submit("kepala_dinas", 390, "kotak-masuk-setelah-tolak")
    assert "Memeriksa dan menandatangani surat penolakan" in flash

    task_id = staff.task(instance_id, "ttd_penolakan_kadin", "ttd-penolakan")
    assert _letters(live, instance_id, signed=False), "a draft to review, not a signed letter"
    page = staff.page("kepala_dinas", 390)
    page.goto(f"{live.url}/tugas/{task_id}")
    assert page.locator("#pratinjau-dokumen figcaption a").count() == 1  # the draft, to read
    expect(page.locator("#selesaikan")).to_have_text("Tandatangani surat penolakan")
    assert "sudah tuntas" in staff.submit("kepala_dinas", 390, "kotak-masuk-setelah-ttd-penolakan")
    assert len(_letters(live, instance_id, signed=True)) == 1

    public = new_page(390, 844)  # the applicant's copy verifies
    public.goto(f"{live.url}/lacak")
    public.fill("#kode", code)
    public.click("main button[type=submit]")
    assert "ditolak" in public.inner_text("main").lower()
    public.click("text=periksa keaslian")
    assert "Dokumen asli." in public.inner_text("main")


def test_rework_is_marked_for_the_operator_and_the_kabid(new_page, live, tmp_path):
    staff = Staff(new_page, live)
    instance_id, _ = register_letter(staff, tmp_path, "Bappeda Kabupaten Banjarnegara")
    staff.task(instance_id, "pemeriksaan_kasi", "pemeriksaan-kasi")
    page = staff.page("kasi", 390)
    page.select_option("#f-pemeriksaan_hasil", "perbaiki")
    page.fill("#f-pemeriksaan_catatan", "Rinci sampai desa")
    assert "Membuka gudang data" in staff.submit("kasi", 390, "kotak-masuk-kasi-setelah-perbaiki")

    inbox = staff.look("operator", "/kotak-masuk", "kotak-masuk-operator-dikembalikan")
    assert all("dikembalikan" in text.lower() for text in inbox.values())
    staff.look("operator", "/notifikasi", "notifikasi-operator")
    task_id = _open(live, instance_id, "ekstraksi_data")
    staff.look("operator", f"/tugas/{task_id}", "ekstraksi-dikembalikan")
    for width, _ in SCREENS:
        banner = staff.page("operator", width).locator("#dikembalikan")
        assert banner.is_visible() and "Rinci sampai desa" in banner.inner_text()
    shared._complete(live, task_id, "ekstraksi_data", gen_form("ekstraksi_data", _today()))

    staff.task(instance_id, "tanda_tangan_kadin", "tanda-tangan-kadin")
    page = staff.page("kepala_dinas", 390)
    page.select_option("#f-ttd_keputusan", "kembalikan")
    page.select_option("#f-ttd_kembalikan_kepada", "kabid_piak")
    page.fill("#f-ttd_catatan_revisi", "Tambahkan ringkasan per kecamatan")
    look_at(page, "tanda-tangan-kembalikan", approval=True)
    staff.submit("kepala_dinas", 390, "kotak-masuk-setelah-kembalikan")

    inbox = staff.look("kabid_piak", "/kotak-masuk", "kotak-masuk-kabid-dikembalikan")
    assert all("dikembalikan" in text.lower() for text in inbox.values())
    task_id = _open(live, instance_id, "laporan_kabid")
    staff.look("kabid_piak", f"/tugas/{task_id}", "laporan-kabid-dikembalikan", approval=True)
    banner = staff.page("kabid_piak", 390).locator("#dikembalikan")
    assert "Tambahkan ringkasan per kecamatan" in banner.inner_text()


def _today():
    return office_date(system_now())


def _open(live, instance_id: int, step: str) -> str:
    tasks = [t for t in live.engine.tasks(instance_id=instance_id) if t.element_id == step]
    assert tasks, f"{step} is not open"
    return tasks[0].id


def _letters(live, instance_id: int, signed: bool) -> list:
    documents = live.engine.documents.for_instance(instance_id)
    return [doc for doc in documents if doc.kind == "surat_penolakan" and doc.signed == signed]
