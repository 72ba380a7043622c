"""The complaint pages: public form and status, the desk's form, the log book and its exports, the recap."""

from __future__ import annotations

import io
import re

from openpyxl import load_workbook
from sqlalchemy import select

from complaints.intake import find_by_tracking_code
from complaints.models import Complaint
from tests.complaints.conftest import gen_intake

PUBLIC_FORM = {
    "judul": "Antrean loket terlalu lama",
    "isi": "Saya menunggu empat jam di loket KK tanpa kepastian.",
    "pelapor_nama": "Budi Santoso",
    "pelapor_email": "budi@example.org",
    "kategori": "waktu_layanan",
}


def page(response) -> str:
    return response.get_data(as_text=True)


def test_public_complaint_without_an_account_gets_a_tracking_code(client, desk):
    assert "Kirim pengaduan" in page(client.get("/pengaduan"))
    response = client.post("/pengaduan", data=PUBLIC_FORM)
    assert response.status_code == 302 and response.headers["Location"].endswith(
        "/pengaduan/terkirim"
    )
    sent = page(client.get("/pengaduan/terkirim"))
    code = re.search(r'data-code="([A-Z0-9-]+)"', sent).group(1)
    with desk.engine.db.transaction() as session:
        complaint = find_by_tracking_code(session, code)
        assert (complaint.saluran, complaint.pelapor_nama, complaint.dicatat_oleh) == (
            "web",
            "Budi Santoso",
            None,
        )
    status = page(client.get(f"/pengaduan/status?kode={code.lower()}"))
    assert "Diterima, sedang diverifikasi" in status and "Antrean loket terlalu lama" in status
    assert "Budi Santoso" not in status  # the status page never shows who complained


def test_public_form_explains_every_mistake_and_keeps_what_was_typed(client, desk):
    response = client.post(
        "/pengaduan",
        data={
            **PUBLIC_FORM,
            "judul": "",
            "isi": "<b>Lambat</b>",
            "pelapor_email": "budi@",
            "pelapor_nik": "12345",
            "unit_diadukan": "' OR 1=1 --",
        },
    )
    text = page(response)
    assert response.status_code == 422
    for field, message in {
        "judul": "Pokok pengaduan wajib diisi.",
        "isi": "Uraian pengaduan terlalu pendek (paling sedikit 20 karakter).",
        "pelapor_email": "Alamat surel tidak sah",
        "pelapor_nik": "NIK terdiri atas 16 angka.",
        "unit_diadukan": "Pilihan unit tidak dikenal.",
    }.items():
        assert re.search(rf'id="f-{field}-error">{re.escape(message)}', text), field
    assert "&lt;b&gt;Lambat&lt;/b&gt;" in text and "<b>Lambat</b>" not in text
    assert 'value="Budi Santoso"' in text
    assert desk.engine.list_instances() == []


def test_unknown_or_malformed_codes_get_a_message(client, desk):
    for code in ("ABCD-EFGH-JKMN", "x' OR '1'='1", "<script>"):
        response = client.get("/pengaduan/status", query_string={"kode": code})
        assert response.status_code == 404 and "tidak ditemukan" in page(response)
        assert "<script>" not in page(response)


def test_complainant_replies_on_the_status_page(client, desk):
    complaint = desk.receive()
    for step in (
        "verifikasi_pengaduan",
        "klasifikasi_pengaduan",
        "penyelesaian_unit",
        "tanggapan_pengadu",
    ):
        desk.do(complaint, step)
    url = f"/pengaduan/status?kode={complaint.kode_pelacakan}"
    shown = page(client.get(url))
    assert "KTP-el Anda sudah dapat diambil" in shown
    assert (
        "Balas paling lambat 2 Apr 2026" in shown
    )  # 10 working days: Nyepi and cuti bersama skipped
    refused = client.post(
        "/pengaduan/status",
        data={"kode": complaint.kode_pelacakan, "kepuasan": "", "balasan": "Oke"},
    )
    assert refused.status_code == 422 and "Pilih tingkat kepuasan Anda." in page(refused)
    done = client.post(
        "/pengaduan/status",
        data={"kode": complaint.kode_pelacakan, "kepuasan": "puas", "balasan": "Sudah saya ambil"},
    )
    assert done.status_code == 302
    assert "Kepuasan Anda: Puas" in page(client.get(url))
    again = client.post(
        "/pengaduan/status", data={"kode": complaint.kode_pelacakan, "kepuasan": "tidak_puas"}
    )
    assert again.status_code == 422 and "Balasan Anda sudah kami terima" in page(again)
    assert (desk.row(complaint).kepuasan, desk.row(complaint).balasan_pengadu) == (
        "puas",
        "Sudah saya ambil",
    )


def test_desk_records_a_lapor_complaint(as_user, desk):
    client = as_user("petugas_pengaduan")
    form = gen_intake(saluran="lapor", nomor_lapor="LAP-8825103", waktu="2026-03-12T07:30")
    response = client.post("/pengaduan/baru", data=form)
    assert response.status_code == 302
    detail = page(client.get(response.headers["Location"]))
    assert "P-2026-001" in detail and "LAP-8825103" in detail and "Siti Rahayu" in detail
    missing = client.post("/pengaduan/baru", data={**form, "nomor_lapor": ""})
    assert missing.status_code == 422 and "Isi nomor pelacakan LAPOR!" in page(missing)


def test_log_book_filters_and_exports(as_user, desk):
    desk.receive()
    desk.receive(saluran="email", rahasia="on", pelapor_nama="Wahyu Nugroho")
    client = as_user("kepala_dinas")
    listing = page(client.get("/pengaduan/buku-log"))
    assert "P-2026-001" in listing and "P-2026-002" in listing
    assert (
        "Siti Rahayu" in listing and "Wahyu Nugroho" not in listing
    )  # leadership: not the confidential one
    only_email = page(client.get("/pengaduan/buku-log?saluran=email"))
    assert "P-2026-002" in only_email and "P-2026-001" not in only_email
    odd = client.get("/pengaduan/buku-log?dari=kemarin&saluran=merpati&status=%3Cscript%3E")
    assert odd.status_code == 200 and "Pilihan saluran tidak dikenal." in page(odd)
    pdf = client.get("/pengaduan/buku-log/unduh/pdf?dari=2026-03-01&sampai=2026-03-31")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    xlsx = client.get(
        "/pengaduan/buku-log/unduh/xlsx?dari=2026-03-01&sampai=2026-03-31&saluran=email"
    )
    sheet = load_workbook(io.BytesIO(xlsx.data)).active
    assert sheet["A3"].value == "P-2026-002" and sheet["E3"].value == "Dirahasiakan"
    assert client.get("/pengaduan/buku-log/unduh/docx").status_code == 404


def test_desk_sees_the_confidential_complainant_and_leadership_does_not(as_user, desk):
    complaint = desk.receive(rahasia="on")
    url = f"/pengaduan/{complaint.id}"
    assert "Siti Rahayu" in page(as_user("petugas_pengaduan").get(url))
    leadership = page(as_user("kabid_piak").get(url))
    assert "Siti Rahayu" not in leadership and "Dirahasiakan" in leadership
    assert complaint.kode_pelacakan not in leadership


def test_monthly_recap_page(as_user, desk):
    complaint = desk.receive()
    desk.do(complaint, "verifikasi_pengaduan")
    text = page(as_user("manajer").get("/pengaduan/rekap?bulan=2026-03"))
    assert "Rekap pengaduan Maret 2026" in text and "Telepon" in text
    bad = as_user("manajer").get("/pengaduan/rekap?bulan=maret")
    assert bad.status_code == 200 and "Bulan tidak sah" in page(bad)


def test_complaint_vocabulary_follows_the_chosen_language(as_user, desk):
    complaint = desk.receive()
    desk.do(complaint, "verifikasi_pengaduan")
    manager = as_user("manajer")
    manager.post("/bahasa", data={"lang": "en", "next": "/pengaduan/rekap"})
    recap = page(manager.get("/pengaduan/rekap?bulan=2026-03"))
    assert "March 2026" in recap and "Telephone" in recap
    assert "Maret 2026" not in recap and ">Telepon<" not in recap
    log = page(manager.get("/pengaduan/buku-log?dari=2026-03-01&sampai=2026-03-31"))
    assert (
        "Telephone" in log
        and "Forwarded to the unit" in log
        and "Diteruskan kepada unit" not in log
    )
    officer = as_user("petugas_pengaduan")
    officer.post("/bahasa", data={"lang": "en", "next": "/pengaduan/baru"})
    desk_form = page(officer.get("/pengaduan/baru"))
    assert "Illegal levies or unofficial fees" in desk_form and "Pungutan liar" not in desk_form
    assert 'value="pungutan_liar"' in desk_form  # the stored code does not change with the language


def test_log_book_csv_link_answers_with_the_filtered_log_in_wib(as_user, desk, clock):
    """The log book's CSV link was a 404 (issue 13, point 13): it is a CSV of the rows shown."""
    import csv
    from datetime import datetime, timezone
    from html import unescape

    clock.now = datetime(2026, 3, 11, 23, 30, tzinfo=timezone.utc)  # 12 March, 06.30 WIB
    desk.receive(judul="=HYPERLINK(1)", isi="Rumus di pokok pengaduan harus tetap teks biasa.")
    desk.receive(saluran="email", rahasia="on", pelapor_nama="Wahyu Nugroho")
    client = as_user("petugas_pengaduan")
    listing = page(client.get("/pengaduan/buku-log?dari=2026-03-01&sampai=2026-03-31"))
    link = unescape(re.search(r'href="([^"]*/unduh/csv[^"]*)"', listing).group(1))
    response = client.get(link)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][:2] == ["No. register", "Diterima (WIB)"]
    by_number = {row[0]: row for row in rows[1:]}
    assert set(by_number) == {"P-2026-001", "P-2026-002"}
    assert by_number["P-2026-001"][1] == "12/03/2026 06.30"
    assert by_number["P-2026-001"][7] == "'=HYPERLINK(1)"
    assert by_number["P-2026-002"][4] == "Dirahasiakan"


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _complaint_with(client, content: bytes, filename: str):
    return client.post(
        "/pengaduan",
        data={**PUBLIC_FORM, "lampiran": (io.BytesIO(content), filename)},
        content_type="multipart/form-data",
    )


def test_attachment_of_the_wrong_type_is_refused_in_words_and_the_text_kept(client, desk):
    response = _complaint_with(client, b"MZ\x90\x00 not a picture", "foto.png")
    text = page(response)
    assert response.status_code == 422
    assert "Lampiran harus berupa berkas PDF, JPG atau PNG" in text
    assert 'aria-invalid="true"' in text.split('id="f-lampiran"')[1].split(">")[0]
    assert "Saya menunggu empat jam di loket KK tanpa kepastian." in text  # nothing typed is lost
    with desk.engine.db.transaction() as session:
        assert session.scalars(select(Complaint)).all() == []  # nothing half-registered


def test_attachment_too_large_is_refused_with_the_limit(client, desk):
    from complaints.attachment import MAX_BYTES

    response = _complaint_with(client, b"%PDF-1.7\n" + b"0" * MAX_BYTES, "pindaian.pdf")
    assert response.status_code == 422
    assert "Lampiran terlalu besar: paling besar 5 MB" in page(response)


def test_attachment_is_kept_with_the_complaint_and_shown_to_the_desk(client, desk, as_user):
    response = _complaint_with(client, PNG, "../foto/antrean {loket}.PNG")
    assert response.status_code == 302
    code = re.search(r'data-code="([A-Z0-9-]+)"', page(client.get("/pengaduan/terkirim"))).group(1)
    with desk.engine.db.transaction() as session:
        complaint = find_by_tracking_code(session, code)
    documents = desk.engine.documents.for_instance(complaint.instance_id)
    assert [(d.kind, d.filename, d.mime_type) for d in documents] == [
        ("pengaduan_lampiran", "antrean loket.png", "image/png")
    ]
    task = desk.task(complaint, "verifikasi_pengaduan")
    staff = as_user("petugas_pengaduan")
    html = page(staff.get(f"/tugas/{task.id}"))
    assert f"/dokumen/{documents[0].id}" in html and "antrean loket.png" in html
    kept = staff.get(f"/dokumen/{documents[0].id}")
    assert kept.status_code == 200 and kept.data == PNG


def test_the_desk_records_a_complaint_with_the_scan_it_was_handed(as_user, desk):
    client = as_user("petugas_pengaduan")
    form = {
        **gen_intake(saluran="langsung"),
        "lampiran": (io.BytesIO(b"%PDF-1.4\n%%EOF\n"), "s.pdf"),
    }
    response = client.post("/pengaduan/baru", data=form, content_type="multipart/form-data")
    assert response.status_code == 302
    with desk.engine.db.transaction() as session:
        complaint = session.scalars(select(Complaint)).one()
    kept = desk.engine.documents.for_instance(complaint.instance_id)
    assert [(d.kind, d.mime_type) for d in kept] == [("pengaduan_lampiran", "application/pdf")]
    wrong = {**gen_intake(), "lampiran": (io.BytesIO(b"GIF89a"), "foto.gif")}
    refused = client.post("/pengaduan/baru", data=wrong, content_type="multipart/form-data")
    assert refused.status_code == 422 and "Lampiran harus berupa berkas PDF, JPG atau PNG" in page(
        refused
    )


def test_the_complaint_page_names_whom_its_notices_went_to_in_words(as_user, desk):
    complaint = desk.receive()
    desk.do(complaint, "verifikasi_pengaduan")
    desk.do(complaint, "klasifikasi_pengaduan")
    text = page(as_user("petugas_pengaduan").get(f"/pengaduan/{complaint.id}"))
    notices = text.split("Pemberitahuan dan surel")[1]
    assert "Unit layanan (yang diadukan)" in notices
    assert "unit_layanan" not in notices and "petugas_pengaduan" not in notices


def test_a_complaint_terminated_in_the_console_tells_the_complainant_why(client, desk):
    """Terminating the complaint's request with a reason: the status page no longer says it is
    being handled, gives the reason, and offers no reply form."""
    complaint = desk.receive()
    desk.engine.terminate(complaint.instance_id, "admin", "Pengaduan ganda, sudah dicatat 0012")
    status = page(client.get(f"/pengaduan/status?kode={complaint.kode_pelacakan}"))
    assert "Dihentikan oleh Dinas" in status and "sedang diverifikasi" not in status
    assert "Alasan: Pengaduan ganda, sudah dicatat 0012" in status
    assert "Balas tanggapan" not in status
