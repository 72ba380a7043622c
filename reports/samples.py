"""Demo data for the documents: synthetic warehouse results, a registered letter, fictional officials.

Used by the tests, the benchmark and ``laksana report sample``; nothing here is
real population data, and the officials are invented.
"""

from __future__ import annotations

import random
from typing import Any

from .layout import Official

AGE_GROUPS = (
    "0-4",
    "5-9",
    "10-14",
    "15-19",
    "20-24",
    "25-29",
    "30-34",
    "35-39",
    "40-44",
    "45-49",
    "50-54",
    "55-59",
    "60-64",
    "65-69",
    "70-74",
    "75+",
)
SEXES = ("LAKI-LAKI", "PEREMPUAN")
_HEADS = (
    "Suka",
    "Karang",
    "Sido",
    "Tegal",
    "Kali",
    "Gunung",
    "Bojong",
    "Wana",
    "Pekan",
    "Mergo",
    "Bantar",
    "Pager",
    "Rejo",
    "Sumber",
    "Kebon",
)
_TAILS = (
    "jaya",
    "rejo",
    "makmur",
    "sari",
    "tengah",
    "wangi",
    "mulya",
    "asri",
    "kulon",
    "wetan",
    "anyar",
    "legi",
    "tirta",
    "kerta",
    "mukti",
    "harja",
    "lor",
    "kidul",
    "agung",
)

PERIOD = {"code": "2026-1", "label": "Semester I 2026", "cutoff": "2026-06-30"}
SCOPE = {"code": "33.04", "name": "Kabupaten Banjarnegara", "level": "kabupaten"}

KEPALA_DINAS = Official(
    name="Dr. Hendra Wicaksana, S.Sos., M.Si.",
    nip="19700512 199503 1 004",
    rank="Pembina Utama Muda (IV/c)",
)


def region_names(count: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    names: list[str] = []
    while len(names) < count:
        name = rng.choice(_HEADS) + rng.choice(_TAILS)
        if name not in names:
            names.append(name)
    return names


def _region_rows(level: str, count: int) -> list[tuple[str, str]]:
    names = region_names(count, seed=11 if level == "desa" else 5)
    if level == "kecamatan":
        return [(f"33.04.{i + 1:02d}", names[i]) for i in range(count)]
    return [(f"33.04.{i // 14 + 1:02d}.{2001 + i % 14}", names[i]) for i in range(count)]


def result_from_counts(
    title: str,
    level: str,
    dimensions: list[str],
    parts: list[list[str]],
    counts: list[tuple[str, str, list[int]]],
    suppressed: list[dict] | None = None,
) -> dict[str, Any]:
    """A warehouse-shaped result (totals computed, suppressed cells set to None)."""
    columns = [" / ".join(p) for p in parts]
    hidden = {(s["row"], s["column"]) for s in suppressed or []}
    rows = [
        {
            "code": code,
            "name": name,
            "total": sum(values),
            "cells": {
                c: (None if (code, c) in hidden else v)
                for c, v in zip(columns, values, strict=True)
            },
        }
        for code, name, values in counts
    ]
    column_totals = {c: sum(values[i] for _c, _n, values in counts) for i, c in enumerate(columns)}
    return {
        "title": title,
        "preset": None,
        "measure": "persons",
        "period": PERIOD,
        "scope": SCOPE,
        "row_level": level,
        "dimensions": dimensions,
        "columns": columns,
        "column_parts": parts,
        "rows": rows,
        "column_totals": column_totals,
        "grand_total": sum(column_totals.values()),
        "suppressed": suppressed or [],
        "notes": [],
    }


def desa_by_sex(count: int = 278, seed: int = 3, suppress: int = 2) -> dict[str, Any]:
    """``count`` desa x sex; ``suppress`` rows get one primary and one secondary suppressed cell."""
    rng = random.Random(seed)
    counts = []
    for code, name in _region_rows("desa", count):
        male = rng.randint(900, 6200)
        counts.append((code, name, [male, male + rng.randint(-180, 160)]))
    suppressed = []
    for index in rng.sample(range(count), suppress):
        code = counts[index][0]
        counts[index] = (code, counts[index][1], [rng.randint(1, 4), rng.randint(1, 4)])
        suppressed += [
            {"row": code, "column": "PEREMPUAN", "reason": "primary"},
            {"row": code, "column": "LAKI-LAKI", "reason": "secondary"},
        ]
    return result_from_counts(
        "Jumlah Penduduk menurut Desa/Kelurahan dan Jenis Kelamin",
        "desa",
        ["sex"],
        [[s] for s in SEXES],
        counts,
        suppressed,
    )


def kecamatan_by_age_sex(count: int = 20, seed: int = 5) -> dict[str, Any]:
    rng = random.Random(seed)
    parts = [[age, sex] for age in AGE_GROUPS for sex in SEXES]
    counts = []
    for code, name in _region_rows("kecamatan", count):
        base = rng.randint(1800, 3600)
        values = []
        for index, _age in enumerate(AGE_GROUPS):
            people = int(base * (1.0 - index * 0.045))
            values += [people + rng.randint(-120, 120), people + rng.randint(-120, 150)]
        counts.append((code, name, values))
    return result_from_counts(
        "Jumlah Penduduk menurut Kelompok Umur dan Jenis Kelamin",
        "kecamatan",
        ["age_group", "sex"],
        parts,
        counts,
    )


def kecamatan_by_sex(count: int = 20, seed: int = 9) -> dict[str, Any]:
    rng = random.Random(seed)
    counts = []
    for code, name in _region_rows("kecamatan", count):
        male = rng.randint(20000, 60000)
        counts.append((code, name, [male, male - rng.randint(-900, 1500)]))
    return result_from_counts(
        "Jumlah Penduduk menurut Kecamatan dan Jenis Kelamin",
        "kecamatan",
        ["sex"],
        [[s] for s in SEXES],
        counts,
    )


def registered_letter() -> dict[str, Any]:
    """Task data as written by ``registrasi_surat`` (a fictional requester)."""
    return {
        "nomor_agenda": "041/2026",
        "instansi_pengirim": "Badan Perencanaan Pembangunan Daerah Kabupaten Banjarnegara",
        "pimpinan_instansi": "Kepala Badan Perencanaan Pembangunan Daerah Kabupaten Banjarnegara",
        "alamat_instansi": "Jl. Ahmad Yani No. 16, Banjarnegara",
        "email_pemohon": "bappeda@example.org",
        "nomor_surat": "050/212/Bappeda/2026",
        "tanggal_surat": "2026-07-06",
        "tanggal_diterima": "2026-07-08",
        "perihal": "Permohonan Data Penduduk menurut Desa dan Jenis Kelamin",
        "sifat": "segera",
        "data_diminta": "Jumlah penduduk per desa/kelurahan menurut jenis kelamin, Semester I 2026",
    }


def complaints() -> list[dict[str, Any]]:
    """Complaint log entries (fictional), one closed, one open, one confidential."""
    return [
        {
            "nomor_register": "P-2026-014",
            "waktu": "2026-07-06T01:35:00+00:00",
            "saluran": "lapor",
            "nomor_lapor": "LAP-8825103",
            "pelapor_nama": "Wahyu Nugroho",
            "pelapor_kontak": "0813-2555-0101",
            "ringkasan": "Data agregat yang diminta desa belum dikirim setelah dua minggu.",
            "unit_diadukan": "Bidang PIAK",
            "kategori": "Pelayanan data",
            "hasil_verifikasi": "lengkap",
            "bobot": "ringan",
            "petugas": "Dewi Anggraini",
            "pemberitahuan_unit": "2026-07-06",
            "tindakan": [{"tanggal": "2026-07-07", "uraian": "Data dikirim melalui surel"}],
            "status": "selesai",
            "tanggapan": "Data telah dikirim dan diterima pemohon.",
            "tanggal_selesai": "2026-07-08",
            "kepuasan": "Puas",
        },
        {
            "nomor_register": "P-2026-015",
            "waktu": "2026-07-09T03:10:00+00:00",
            "saluran": "langsung",
            "pelapor_nama": "Sri Lestari",
            "pelapor_kontak": "sri@example.org",
            "pelapor_nik": "3304010101900001",
            "rahasia": True,
            "ringkasan": "Petugas loket meminta biaya untuk pencetakan data.",
            "unit_diadukan": "Sekretariat",
            "kategori": "Pungutan",
            "hasil_verifikasi": "lengkap",
            "bobot": "berat",
            "petugas": "Dewi Anggraini",
            "pemberitahuan_unit": "2026-07-09",
            "tindakan": [
                {"tanggal": "2026-07-10", "uraian": "Klarifikasi kepada petugas loket"},
                {"tanggal": "2026-07-14", "uraian": "Dibahas dalam rapat pimpinan"},
            ],
            "status": "dalam_proses",
        },
    ]


def agenda_entries() -> list[dict[str, Any]]:
    letter = registered_letter()
    return [
        letter
        | {
            "lampiran": "1 berkas",
            "kode_klasifikasi": "400.12.4",
            "diteruskan_kepada": "Kabid PIAK",
            "tindak_lanjut": "Data dikirim 13 Juli 2026",
            "keterangan": "Selesai",
        }
    ]
