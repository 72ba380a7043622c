"""The complaint's task screens read as the office's work: the complaint itself above the form,
codes in words, times in WIB, the complaint named by its register number (issue 13, points 2, 10
and 12)."""

from __future__ import annotations

import re

import pytest

from complaints.catalog import CATEGORIES, CHANNELS, UNITS

ISO_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}T")
#: what a page would show if a catalogue code leaked: the code between tags or after a colon/space
CODES = set(CATEGORIES) | set(CHANNELS) | set(UNITS)


def text_of(html: str) -> str:
    """The page's visible text (no tags, no attribute values, no scripts)."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    html = re.sub(r"<option\b[^>]*>", "<option>", html)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def leaked_codes(html: str) -> set[str]:
    """Catalogue codes shown to people: a code with an underscore anywhere in the text, or any
    code that is the whole text of an element (``<dd>dafduk</dd>``, ``· web ·``)."""
    text = text_of(html)
    shown = {code for code in CODES if "_" in code and code in text}
    for code in CODES:
        if re.search(rf"(>|·)\s*{re.escape(code)}\s*(<|·)", html):
            shown.add(code)
    return shown


def verification_page(desk, as_user, **form):
    complaint = desk.receive(**form)
    task = desk.task(complaint, "verifikasi_pengaduan")
    client = as_user("petugas_pengaduan")
    return complaint, task, client, client.get(f"/tugas/{task.id}")


def test_verification_task_shows_the_complaint_before_the_summary_to_write(desk, as_user):
    complaint, _task, _client, response = verification_page(desk, as_user, staff=False)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    # what the officer reads: the text, the complainant, channel and category in words, a link
    assert "Sudah tiga minggu sejak perekaman, KTP-el saya belum juga dicetak." in html
    assert "Siti Rahayu" in html and "3304014107850002" in html
    assert "Penerbitan dokumen (KTP-el, KK, KIA, akta)" in html
    assert "Bidang Pelayanan Pendaftaran Penduduk" in html and "Formulir web" in html
    assert f'href="/pengaduan/{complaint.id}"' in html
    # ... before the field they must write
    assert html.index("belum juga dicetak") < html.index('name="ringkasan"')
    # the complaint is named as one, not as "Permohonan #n"
    assert f"Pengaduan {complaint.nomor_register}" in html and "Permohonan #" not in html


def test_no_raw_code_or_iso_time_on_the_verification_task(desk, as_user):
    _complaint, _task, _client, response = verification_page(desk, as_user)
    text = text_of(response.get_data(as_text=True))
    assert not ISO_MOMENT.search(text), ISO_MOMENT.search(text)
    assert leaked_codes(response.get_data(as_text=True)) == set()
    assert re.search(
        r"\d{1,2} (Januari|Februari|Maret|April|Mei|Juni|Juli|Agustus|September|"
        r"Oktober|November|Desember) \d{4} \d{2}\.\d{2} WIB",
        text,
    )


def test_the_time_received_is_the_office_day_not_utc(desk, as_user, clock):
    """21.32 UTC on 1 December is 04.32 WIB on 2 December: the page says the office's day."""
    from datetime import datetime, timezone

    clock.now = datetime(2026, 12, 1, 21, 32, 30, tzinfo=timezone.utc)
    _complaint, _task, _client, response = verification_page(desk, as_user)
    assert "2 Desember 2026 04.32 WIB" in response.get_data(as_text=True)


def test_the_flash_after_verifying_names_the_complaint(desk, as_user):
    from tests.complaints.conftest import gen_step

    complaint, task, client, _page = verification_page(desk, as_user)
    done = client.post(
        f"/tugas/{task.id}", data=gen_step("verifikasi_pengaduan"), follow_redirects=True
    )
    html = done.get_data(as_text=True)
    assert f"Pengaduan {complaint.nomor_register} diteruskan ke" in html
    assert "Permohonan diteruskan" not in html


@pytest.mark.parametrize("reader", ["unit_layanan"])
def test_the_unit_complained_about_gets_neither_the_text_nor_the_complainant(desk, as_user, reader):
    complaint = desk.receive()
    desk.do(complaint, "verifikasi_pengaduan")
    desk.do(complaint, "klasifikasi_pengaduan")
    task = desk.task(complaint, "penyelesaian_unit")
    html = as_user(reader).get(f"/tugas/{task.id}").get_data(as_text=True)
    assert "belum juga dicetak" not in html and "Siti Rahayu" not in html
    assert "KTP-el belum dicetak tiga minggu setelah perekaman" in html  # the summary it works from
    assert leaked_codes(html) == set()
    assert not ISO_MOMENT.search(text_of(html))


#: a heavy complaint's steps in order, and who opens each page
HEAVY_PATH = (
    ("verifikasi_pengaduan", "petugas_pengaduan", {"kategori": "pungutan_liar"}),
    (
        "klasifikasi_pengaduan",
        "petugas_pengaduan",
        {"klasifikasi": "berat", "unit_penanganan": "sekretariat", "alasan_klasifikasi": "Pungli"},
    ),
    ("penanganan_berat", "kepala_dinas", {}),
    ("investigasi_analisis", "petugas_pengaduan", {}),
    ("keputusan_pimpinan", "kabid_piak", {}),
    ("tindak_lanjut_unit", "unit_layanan", {}),
    ("tanggapan_pengadu", "petugas_pengaduan", {}),
    ("konfirmasi_pengadu", "petugas_pengaduan", {"kepuasan": "cukup"}),
)


def test_every_page_of_a_heavy_complaint_reads_in_words(desk, as_user):
    """Each step's task page and the history page, as the role that works it: no catalogue code,
    no ISO timestamp (the reply's time, the time received, the deadlines) anywhere."""
    complaint = desk.receive(kategori="pungutan_liar", judul="Diminta uang untuk KK")
    for step, role, overrides in HEAVY_PATH:
        if step == "konfirmasi_pengadu":
            desk.reply(complaint, kepuasan="cukup")
        task = desk.task(complaint, step)
        client = as_user(role)
        for path in (f"/tugas/{task.id}", f"/riwayat/{complaint.instance_id}"):
            response = client.get(path)
            html = response.get_data(as_text=True)
            assert response.status_code == 200, (step, path)
            assert not ISO_MOMENT.search(text_of(html)), (step, path, ISO_MOMENT.search(html))
            assert leaked_codes(html) == set(), (step, path)
            assert "Permohonan #" not in html, (step, path)
        desk.do(complaint, step, user=role, **overrides)
    assert desk.engine.instance(complaint.instance_id).status == "completed"
    closed = as_user("petugas_pengaduan").get(f"/pengaduan/{complaint.id}").get_data(as_text=True)
    assert not ISO_MOMENT.search(text_of(closed)) and leaked_codes(closed) == set()


def test_the_verification_task_in_english_names_a_complaint(desk, as_user):
    complaint, task, client, _page = verification_page(desk, as_user)
    with client.session_transaction() as session:
        session["lang"] = "en"
    html = client.get(f"/tugas/{task.id}").get_data(as_text=True)
    assert f"Complaint {complaint.nomor_register}" in html
    assert "2026 " in html and " WIB" in html and not ISO_MOMENT.search(text_of(html))
    assert "Open the complaint&#39;s page" in html or "Open the complaint's page" in html


def test_a_failing_plugin_panel_costs_its_panel_not_the_task_page(app, desk, as_user):
    def broken(engine, instance, reader):
        raise RuntimeError("register unreachable")

    app.extensions["laksana.registration"].instance_panels.insert(0, broken)
    _complaint, _task, _client, response = verification_page(desk, as_user)
    assert response.status_code == 200
    assert "belum juga dicetak" in response.get_data(as_text=True)  # the other panel still shows
