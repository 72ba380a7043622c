"""``gen_*`` builders for test data, and stand-in handlers for topics whose package is absent."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from engine.archive import store_document
from engine.builtins import register_builtins
from engine.models import Document
from engine.services import ServiceCall, ServiceRegistry
from warehouse.models import Dataset

PROCESS = "permohonan_data_agregat"

ROLE_OF_STEP = {
    "registrasi_surat": "sekretariat",
    "disposisi_kadin": "kepala_dinas",
    "disposisi_kabid": "kabid_piak",
    "beri_akses": "kasi",
    "ekstraksi_data": "operator",
    "pemeriksaan_kasi": "kasi",
    "laporan_kabid": "kabid_piak",
    "tanda_tangan_kadin": "kepala_dinas",
    "pengiriman_jfu": "jfu",
    "ttd_penolakan_kadin": "kepala_dinas",
}

SOP_STEPS = [
    "disposisi_kadin",
    "disposisi_kabid",
    "beri_akses",
    "ekstraksi_data",
    "pemeriksaan_kasi",
    "laporan_kabid",
    "tanda_tangan_kadin",
    "pengiriman_jfu",
]


TEST_DAY = date(2026, 3, 12)  # the office date of the tests' clock


def gen_letter(today: date = TEST_DAY, **overrides: Any) -> dict[str, Any]:
    letter = {
        "instansi_pengirim": "Badan Perencanaan Pembangunan Daerah Kabupaten Banjarnegara",
        "pimpinan_instansi": "Kepala Bappeda Kabupaten Banjarnegara",
        "alamat_instansi": "Jl. Dipayuda No. 14, Banjarnegara",
        "email_pemohon": "bappeda@example.invalid",
        "nomor_surat": "050/123/Bappeda/2026",
        "tanggal_surat": (today - timedelta(days=3)).isoformat(),
        "tanggal_diterima": today.isoformat(),
        "perihal": "Permohonan data agregat kependudukan",
        "sifat": "biasa",
        "data_diminta": "Jumlah penduduk per kecamatan menurut jenis kelamin",
    }
    letter.update(overrides)
    return letter


def gen_form(step: str, today: date = TEST_DAY, **overrides: Any) -> dict[str, Any]:
    """Valid form data for each step of the data SOP (the happy path) on the office date ``today``."""
    expiry = (today + timedelta(days=7)).isoformat()
    forms = {
        "registrasi_surat": gen_letter(today),
        "disposisi_kadin": {
            "kadin_keputusan": "teruskan",
            "kadin_harap_proses": True,
            "kadin_isi_disposisi": "Mohon diproses sesuai SOP",
            "kadin_batas_waktu": (today + timedelta(days=1)).isoformat(),
        },
        "disposisi_kabid": {"kabid_harap_proses": True, "kabid_isi_disposisi": "Siapkan data"},
        "beri_akses": {
            "akses_operator": "operator",
            "akses_berlaku_sampai": expiry,
            "kasi_isi_disposisi": "Ekstraksi data per kecamatan",
        },
        "ekstraksi_data": {
            "permintaan_preset": "penduduk_kecamatan_jk",
            "permintaan_wilayah": "33.04",
            "permintaan_tingkat": "kecamatan",
            "permintaan_periode": "2026-1",
        },
        "pemeriksaan_kasi": {"pemeriksaan_hasil": "sesuai", "pemeriksaan_catatan": "Data lengkap"},
        "laporan_kabid": {},
        "tanda_tangan_kadin": {
            "ttd_keputusan": "setuju",
            "kadin_instruksi_jfu": "Kirim kepada pemohon",
        },
        "ttd_penolakan_kadin": {},
        "pengiriman_jfu": {
            "kirim_media": "pdf",
            "penerima_nama": "Budi Hartono",
            "tanggal_terima": today.isoformat(),
            "jumlah_lembar": 3,
        },
    }
    form = dict(forms[step])
    form.update(overrides)
    return form


def gen_result(grand_total: int = 1000) -> dict[str, Any]:
    male = grand_total // 2
    return {
        "title": "Jumlah penduduk menurut jenis kelamin",
        "preset": "penduduk_kecamatan_jk",
        "measure": "persons",
        "period": {"code": "2026-1", "label": "Semester I 2026", "cutoff": "2026-06-30"},
        "scope": {"code": "33.04", "name": "Kabupaten Banjarnegara", "level": "kabupaten"},
        "row_level": "kecamatan",
        "dimensions": ["sex"],
        "columns": ["LAKI-LAKI", "PEREMPUAN"],
        "column_parts": [["LAKI-LAKI"], ["PEREMPUAN"]],
        "rows": [
            {
                "code": "33.04.01",
                "name": "Susukan",
                "cells": {"LAKI-LAKI": male, "PEREMPUAN": grand_total - male},
                "total": grand_total,
            }
        ],
        "column_totals": {"LAKI-LAKI": male, "PEREMPUAN": grand_total - male},
        "grand_total": grand_total,
        "suppressed": [],
        "notes": [],
    }


FAKE_PDF = b"%PDF-1.4\n% stand-in document for tests\n%%EOF\n"


def _fake_grant(call: ServiceCall) -> dict:
    return {"akses_id": 1}


def _fake_aggregate(call: ServiceCall) -> dict:
    dataset = Dataset(
        instance_id=call.instance_id,
        created_by=call.actor,
        spec={"preset": "test"},
        result=gen_result(),
    )
    call.session.add(dataset)
    call.session.flush()
    return {
        "dataset_id": dataset.id,
        "dataset_ringkasan": {"grand_total": 1000, "rows": 1, "suppressed": 0},
    }


_RENDERED_KEYS = {
    "surat_penolakan": ["dokumen_penolakan_id"],
    "lembar_disposisi": ["dokumen_disposisi_id"],
    "surat_dan_lampiran": ["dokumen_surat_id", "dokumen_lampiran_id"],
    "tanda_terima": ["dokumen_tanda_terima_id"],
}


def _fake_render(call: ServiceCall) -> dict:
    keys = _RENDERED_KEYS[call.properties["document"]]
    return {
        key: store_document(
            call.session,
            kind=key,
            filename=f"{key}.pdf",
            content=FAKE_PDF + key.encode(),
            instance_id=call.instance_id,
        ).id
        for key in keys
    }


def _fake_sign(call: ServiceCall) -> dict:
    signed = {}
    for key in call.properties["documents"].split(","):
        original = call.session.get(Document, call.data[key])
        signed[key] = store_document(
            call.session,
            kind=original.kind,
            filename=original.filename,
            content=original.content + b"%signed",
            instance_id=call.instance_id,
            signed=True,
            supersedes=original.id,
        ).id
    return signed


def fake_registry(skip: tuple[str, ...] = ()) -> ServiceRegistry:
    """Builtins, the complaint register's own topic, and stand-ins for the warehouse and reports
    topics (every topic the shipped diagrams name, so they deploy)."""
    from complaints.termination import tell_complainant
    from complaints.topics import TOPIC, log_step

    registry = register_builtins(ServiceRegistry())
    if TOPIC not in skip:
        registry.register(TOPIC, log_step)
        registry.termination_notices.append(tell_complainant)
    fakes = {
        "warehouse.grant": _fake_grant,
        "warehouse.aggregate": _fake_aggregate,
        "reports.render": _fake_render,
        "reports.sign": _fake_sign,
    }
    for topic, handler in fakes.items():
        if topic not in skip:
            registry.register(topic, handler)
    # the shipped Word templates are checked at deploy as the app checks them
    from reports.word import DOCX_FORMAT

    registry.template_formats[DOCX_FORMAT.suffix] = DOCX_FORMAT
    return registry
