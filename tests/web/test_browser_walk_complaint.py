"""A complaint walked by every role it reaches, in Chromium at 1280 and 390 px (issue 13).

The public form sends it; the desk verifies and classifies it, the unit settles it, the desk
answers the complainant, the complainant replies on the status page and the desk closes it. Every
staff page visited (inbox, each task, the complaint page, the log book) goes through
``walks.look_at``: no sideways scrolling, no raw code or ISO timestamp, decisions on the first
screen. (tests/web/test_browser_complaint.py looks at the verification task in detail.)
"""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import select

from complaints.models import Complaint
from tests.complaints.conftest import ROLE_OF_STEP, gen_step
from tests.web import test_browser as shared
from tests.web.test_browser import signed_in_page
from tests.web.walks import first_task_on_first_screen, look_at

#: the live server, the browser and the page factory of the browser tests (one server here)
live, new_page = shared.live, shared.new_page

pytestmark = pytest.mark.browser
SCREENS = ((1280, 800), (390, 844))
#: the steps where someone decides on what earlier steps wrote: the decision on the first screen
#: (the verification is read first: the complaint's whole text comes before its form)
DECISIONS = {"klasifikasi_pengaduan", "konfirmasi_pengadu"}
REPLY = "Terima kasih, KTP-el sudah saya terima hari ini."


def send_complaint(page, live) -> str:
    page.goto(f"{live.url}/pengaduan")
    page.fill("#f-judul", "KTP-el belum jadi")
    page.fill("#f-isi", "Sudah tiga minggu sejak perekaman, KTP-el saya belum juga dicetak.")
    page.fill("#f-pelapor_nama", "Siti Rahayu")
    page.fill("#f-pelapor_email", "siti@example.org")
    page.select_option("#f-kategori", "dokumen")
    page.select_option("#f-unit_diadukan", "dafduk")
    page.click("button:has-text('Kirim pengaduan')")
    page.wait_for_url(re.compile(r".*/pengaduan/terkirim"))
    return page.get_attribute(".tracking-code", "data-code")


class Desk:
    """One signed-in page per role and width; each step looked at, then done as its role."""

    def __init__(self, new_page, live, instance_id: int) -> None:
        self.new_page, self.live, self.instance_id, self.pages = new_page, live, instance_id, {}

    def page(self, role: str, width: int):
        height = dict(SCREENS)[width]
        return signed_in_page(self.pages, self.new_page, self.live, role, width, height)

    def look(self, role: str, path: str, name: str, approval: bool = False) -> dict[int, str]:
        texts = {}
        for width, _ in SCREENS:
            page = self.page(role, width)
            page.goto(f"{self.live.url}{path}")
            texts[width] = look_at(page, name, approval=approval)
        return texts

    def step(self, step: str, **form) -> dict[int, str]:
        """Look at the inbox and the task of ``step`` at both widths, then complete it."""
        tasks = self.live.engine.tasks(instance_id=self.instance_id)
        task = next((t for t in tasks if t.element_id == step), None)
        assert task is not None, f"{step} is not open: {[t.element_id for t in tasks]}"
        role = ROLE_OF_STEP[step]
        self.look(role, "/kotak-masuk", f"pengaduan-kotak-masuk-{role}")
        for width, _ in SCREENS:
            assert first_task_on_first_screen(self.page(role, width)), f"{role} at {width}px"
        texts = self.look(role, f"/tugas/{task.id}", f"pengaduan-{step}", step in DECISIONS)
        with ThreadPoolExecutor(1) as pool:  # the handlers may run asyncio: not in this thread
            pool.submit(self.live.engine.complete, task.id, role, gen_step(step, **form)).result()
        return texts


def test_a_complaint_through_every_role_at_both_widths(new_page, live):
    public = new_page(390, 844)
    code = send_complaint(public, live)
    complaint = _complaint(live, code)
    desk = Desk(new_page, live, complaint.instance_id)

    verification = desk.step("verifikasi_pengaduan")
    assert all("Siti Rahayu" in text for text in verification.values())
    desk.step("klasifikasi_pengaduan")
    desk.step("penyelesaian_unit")
    desk.step("tanggapan_pengadu")

    public.goto(f"{live.url}/pengaduan/status?kode={code}")
    public.select_option("select[name=kepuasan]", "puas")
    public.fill("textarea[name=balasan]", REPLY)
    public.click("button:has-text('Kirim balasan')")
    assert "Balasan Anda sudah kami terima" in public.inner_text("main")

    desk.step("konfirmasi_pengadu")
    for width, _ in SCREENS:  # what the citizen sent is there, not retyped
        page = desk.page("petugas_pengaduan", width)
        assert page.input_value("#f-balasan_pengadu") == REPLY
        assert page.input_value("#f-kepuasan") == "puas"
    assert live.engine.instance(complaint.instance_id).status == "completed"
    desk.look("petugas_pengaduan", f"/pengaduan/{complaint.id}", "pengaduan-halaman")
    desk.look("petugas_pengaduan", "/pengaduan/buku-log", "pengaduan-buku-log")


def _complaint(live, code: str) -> Complaint:
    with live.engine.db.transaction() as session:
        return session.scalars(select(Complaint).filter_by(kode_pelacakan=code)).one()
