"""Every paper renders with its key fields readable, the letterhead, embedded fonts, and as PNG pages."""

from datetime import UTC, datetime

import pytest

from reports import (
    buku_agenda,
    lembar_disposisi,
    log_pengaduan,
    riwayat_instance,
    samples,
    surat_data,
    surat_penolakan,
    tanda_terima,
)
from reports.layout import Official

from .helpers import START, pdf_fonts, pdf_text, render_png, request_data

LETTERHEAD = (
    "PEMERINTAH KABUPATEN BANJARNEGARA",
    "DINAS KEPENDUDUKAN DAN PENCATATAN SIPIL",
    "Jl. Letjend Suprapto No. 234 B, Banjarnegara 53418",
    "(0286) 591538",
    "dindukcapil.banjarnegarakab.go.id",
)
HEAD = samples.KEPALA_DINAS


def _disposition() -> bytes:
    actors = {
        "disposisi_kadin": (HEAD.name, datetime(2026, 7, 8, 2, 10, tzinfo=UTC)),
        "disposisi_kabid": ("Ratna Kusumawardani, S.Kom.", datetime(2026, 7, 8, 2, 40, tzinfo=UTC)),
        "beri_akses": ("Agus Prasetyo, S.T.", datetime(2026, 7, 8, 3, 5, tzinfo=UTC)),
    }
    data = request_data()
    return lembar_disposisi.render(data, lembar_disposisi.hops_from_task_data(data, actors))


def _letter() -> bytes:
    return surat_data.render(
        request_data(),
        number="400.12.4/17/2026",
        letter_date="2026-07-10",
        dataset=samples.desa_by_sex(30),
        signer=HEAD,
    )


def _refusal() -> bytes:
    data = request_data() | {"kadin_alasan_penolakan": "Permohonan meminta data perseorangan (NIK)"}
    return surat_penolakan.render(
        data, number="400.12.4/18/2026", letter_date="2026-07-09", signer=HEAD
    )


def _receipt() -> bytes:
    data = request_data() | {
        "kirim_media": "xlsx",
        "penerima_nama": "Siti Rahmawati, S.E.",
        "penerima_jabatan": "Analis Perencanaan",
        "penerima_instansi": "Bappeda",
        "penerima_nip_nik": "3304014402880003",
        "penerima_telepon": "0812-2700-1122",
        "tanggal_terima": "2026-07-13",
        "jumlah_lembar": 7,
    }
    items = tanda_terima.items_for_data(data, samples.desa_by_sex(30), "400.12.4/17/2026")
    return tanda_terima.render(
        data,
        number="400.12.4/TT.4/2026",
        items=items,
        officer=Official(name="Bambang Setiawan", nip="19780301 200604 1 009"),
    )


def _history() -> bytes:
    events = [
        {"action": "started", "at": START},
        {
            "action": "completed",
            "element_id": "disposisi_kadin",
            "element_name": "Disposisi Kepala Dinas",
            "actor": "kadin",
            "at": "2026-07-08T01:34:00+00:00",
        },
        {
            "action": "completed",
            "element_id": "ekstraksi_data",
            "element_name": "Ekstraksi data",
            "actor": "operator1",
            "at": "2026-07-08T03:04:00+00:00",
        },
        {
            "action": "incident",
            "element_name": "Menjalankan kueri",
            "at": "2026-07-08T03:05:00+00:00",
            "data": {"message": "Gudang data tidak dapat dihubungi"},
        },
    ]
    steps, notes = riwayat_instance.timeline(
        events,
        {"disposisi_kadin": (5, "1"), "ekstraksi_data": (60, "4")},
        {"kadin": HEAD.name, "operator1": "Yoga Pratama"},
    )
    return riwayat_instance.render(
        {
            "id": 7,
            "title": "Permohonan Bappeda",
            "process_name": "Data Agregat",
            "status": "running",
            "started_at": START,
        },
        steps,
        notes,
    )


DOCUMENTS = {
    "lembar_disposisi": (
        _disposition,
        [
            "LEMBAR DISPOSISI",
            "050/212/Bappeda/2026",
            "6 Juli 2026",
            "8 Juli 2026",
            "041/2026",
            "Proses sesuai SOP, prioritaskan.",
            "Kepala Bidang PIAK",
            "Batas waktu: 10 Juli 2026",
            "Ratna Kusumawardani",
            "Disposisi hanya disampaikan kepada yang berhak",
        ],
    ),
    "surat_data": (
        _letter,
        [
            "Nomor : 400.12.4/17/2026",
            "Banjarnegara, 10 Juli 2026",
            "1 (satu) berkas",
            "Penyampaian Data Agregat Kependudukan",
            "Yth. Kepala Badan Perencanaan",
            "Menindaklanjuti surat Saudara Nomor 050/212/Bappeda/2026 tanggal 6 Juli 2026",
            "Semester I 2026",
            "NIP. 19700512 199503 1 004",
            "Tembusan",
        ],
    ),
    "surat_penolakan": (
        _refusal,
        ["400.12.4/18/2026", "belum dapat kami penuhi", "data perseorangan (NIK)", HEAD.name],
    ),
    "tanda_terima": (
        _receipt,
        [
            "TANDA TERIMA",
            "400.12.4/TT.4/2026",
            "Senin, tanggal 13 Juli 2026",
            "telah diterima dari Dinas Kependudukan dan Pencatatan Sipil Kabupaten Banjarnegara",
            "Siti Rahmawati",
            "3304014402880003",
            "Berkas XLSX",
            "7 lembar",
            "Surat pengantar Nomor 400.12.4/17/2026",
            "Yang menyerahkan",
            "Bambang Setiawan",
        ],
    ),
    "buku_agenda": (
        lambda: buku_agenda.render(samples.agenda_entries(), "2026-07-01", "2026-07-31"),
        [
            "BUKU AGENDA SURAT MASUK",
            "Periode 1 Juli 2026 s.d. 31 Juli 2026",
            "041/2026",
            "050/212/Bappeda/2026",
        ],
    ),
    "log_pengaduan": (
        lambda: log_pengaduan.render(samples.complaints(), "2026-07-01", "2026-07-31"),
        [
            "BUKU LOG PENGADUAN",
            "P-2026-014",
            "LAPOR!",
            "LAP-8825103",
            "Wahyu Nugroho",
            "Dirahasiakan",
            "Jumlah pengaduan: 2; selesai: 1",
        ],
    ),
    "riwayat_instance": (
        _history,
        [
            "RIWAYAT PELAKSANAAN LAYANAN",
            "Disposisi Kepala Dinas",
            "Hendra Wicaksana",
            "Terlambat",
            "Tepat waktu",
            "Gudang data tidak dapat dihubungi",
        ],
    ),
}


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_document_shows_its_key_fields_under_the_letterhead(name):
    build, expected = DOCUMENTS[name]
    content = " ".join(pdf_text(build()).split())
    for phrase in (*LETTERHEAD, *expected):
        assert phrase in content, f"{name}: {phrase!r} not on the page"


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_document_embeds_only_its_own_font(name):
    fonts = pdf_fonts(DOCUMENTS[name][0]())
    assert fonts and all("LiberationSans" in font for font in fonts), fonts


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_document_renders_to_png(name, tmp_path):
    pages = render_png(DOCUMENTS[name][0](), tmp_path, name)
    assert pages and all(page.stat().st_size > 2000 for page in pages)


def test_refused_identity_of_a_confidential_complainant_is_not_printed():
    content = pdf_text(log_pengaduan.render(samples.complaints(), "2026-07-01", "2026-07-31"))
    assert "Sri Lestari" not in content and "3304010101900001" not in content


def test_history_marks_overdue_steps_against_the_standard():
    events = [
        {"action": "started", "at": "2026-07-08T01:00:00+00:00"},
        {
            "action": "completed",
            "element_id": "a",
            "element_name": "A",
            "actor": "x",
            "at": "2026-07-08T01:04:00+00:00",
        },
        {
            "action": "completed",
            "element_id": "b",
            "element_name": "B",
            "actor": "y",
            "at": "2026-07-08T01:30:00+00:00",
        },
    ]
    steps, _notes = riwayat_instance.timeline(events, {"a": (5, "1"), "b": (10, "2")})
    assert [(s.minutes, s.overdue) for s in steps] == [(4, False), (26, True)]


def test_empty_registers_say_so():
    assert "Tidak ada pengaduan pada periode ini." in pdf_text(
        log_pengaduan.render([], "2026-01-01", "2026-01-31")
    )
    assert "Tidak ada surat masuk" in pdf_text(buku_agenda.render([], "2026-01-01", "2026-01-31"))
