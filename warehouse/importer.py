"""Real data path: ``laksana warehouse import FILE.csv`` (person rows as SIAK exports them).

Columns (header required, comma or semicolon separated, UTF-8)::

    nik,no_kk,kode_desa,jenis_kelamin,tanggal_lahir,agama,pendidikan,pekerjaan,
    status_perkawinan,golongan_darah,shdk,kewarganegaraan,disabilitas,akta_lahir,ktp_el

Codes are the SIAK codes of ``siak_code_lists.json`` (``disabilitas`` 0 or
empty = none; ``akta_lahir`` 1 has / 2 has not; ``ktp_el`` 0 not obliged, 1 not
recorded, 2 recorded); dates are YYYY-MM-DD. Every row is checked, and every
family card must have exactly one head (shdk 1) and one village. A file with
any mistake loads nothing; mistakes are reported by row number (the header is
row 1), up to MAX_REPORTED of them.
"""

from __future__ import annotations

import csv
import io
import re
import time
from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

from .codes import dimensions, five_year_groups
from .generator import Population
from .identifiers import ages_at, nik_matches
from .periods import Period
from .regions import regions
from .store import Warehouse

REQUIRED_COLUMNS = (
    "nik",
    "no_kk",
    "kode_desa",
    "jenis_kelamin",
    "tanggal_lahir",
    "agama",
    "pendidikan",
    "pekerjaan",
    "status_perkawinan",
    "golongan_darah",
    "shdk",
    "kewarganegaraan",
    "akta_lahir",
    "ktp_el",
)
OPTIONAL_COLUMNS = ("disabilitas",)
CODE_COLUMNS = tuple(
    c
    for c in (*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS)
    if c not in ("nik", "no_kk", "kode_desa", "tanggal_lahir")
)
MAX_REPORTED = 100
MAX_AGE = 120
_SIXTEEN_DIGITS = re.compile(r"^\d{16}$")


class ImportFailed(ValueError):
    """The file has mistakes; ``errors`` lists the first MAX_REPORTED, ``total`` counts all."""

    def __init__(self, errors: list[str], total: int) -> None:
        more = f" (dan {total - len(errors)} kesalahan lain)" if total > len(errors) else ""
        super().__init__(f"{total} kesalahan{more}; tidak ada data yang dimuat")
        self.errors, self.total = errors, total


def _allowed_codes() -> dict[str, set[int]]:
    by_column = {dim.column: set(dim.codes) for dim in dimensions().values() if not dim.derived}
    return {column: by_column[column] for column in CODE_COLUMNS}


class _Collector:
    def __init__(self, cutoff: date) -> None:
        self.cutoff = cutoff
        self.errors: list[str] = []
        self.total_errors = 0
        self.columns: dict[str, list] = defaultdict(list)
        self.first_row_of_nik: dict[str, int] = {}
        self.families: dict[str, list[tuple[int, str, int]]] = defaultdict(
            list
        )  # kk -> (row, desa, shdk)
        self.allowed = _allowed_codes()
        self.villages = {code for code, r in regions().items() if r.level == "desa"}

    def fail(self, row: int, message: str) -> None:
        self.total_errors += 1
        if len(self.errors) < MAX_REPORTED:
            self.errors.append(f"baris {row}: {message}")

    def add(self, row: int, record: dict[str, str]) -> None:
        values = self.parse(row, record)
        kk, shdk = (record.get("no_kk") or "").strip(), (record.get("shdk") or "").strip()
        if _SIXTEEN_DIGITS.match(kk) and shdk.isdigit():  # family checks see rejected rows too
            self.families[kk].append((row, (record.get("kode_desa") or "").strip(), int(shdk)))
        if values is not None:
            for name, value in values.items():
                self.columns[name].append(value)

    def parse(self, row: int, record: dict[str, str]) -> dict[str, Any] | None:
        before = self.total_errors
        text = {
            key: (record.get(key) or "").strip() for key in (*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS)
        }
        codes = {column: self.code(row, column, text[column]) for column in CODE_COLUMNS}
        birth = self.birth_date(row, text["tanggal_lahir"])
        for column in ("nik", "no_kk"):
            if not _SIXTEEN_DIGITS.match(text[column]):
                self.fail(row, f"{column}: '{text[column]}' harus 16 angka")
        if text["kode_desa"] not in self.villages:
            self.fail(
                row,
                f"kode_desa: '{text['kode_desa']}' bukan desa/kelurahan di Kabupaten Banjarnegara",
            )
        self.check_nik(row, text["nik"], birth, codes["jenis_kelamin"])
        if self.total_errors > before:
            return None
        return {
            "nik": text["nik"],
            "no_kk": text["no_kk"],
            "kode_desa": text["kode_desa"],
            "tanggal_lahir": birth,
            **codes,
        }

    def code(self, row: int, column: str, text: str) -> int | None:
        if column == "disabilitas" and text == "":
            return 0
        if text.isdigit() and int(text) in self.allowed[column]:
            return int(text)
        self.fail(row, f"{column}: '{text}' bukan kode yang dikenal")
        return None

    def birth_date(self, row: int, text: str) -> date | None:
        try:
            birth = date.fromisoformat(text)
        except ValueError:
            self.fail(row, f"tanggal_lahir: '{text}' bukan tanggal (YYYY-MM-DD)")
            return None
        if birth > self.cutoff or self.cutoff.year - birth.year > MAX_AGE:
            self.fail(
                row,
                f"tanggal_lahir: {text} di luar rentang (sesudah tanggal keadaan atau umur > {MAX_AGE})",
            )
            return None
        return birth

    def check_nik(self, row: int, nik: str, birth: date | None, sex: int | None) -> None:
        if not _SIXTEEN_DIGITS.match(nik):
            return
        if nik in self.first_row_of_nik:
            self.fail(row, f"nik: {nik} sudah ada di baris {self.first_row_of_nik[nik]}")
        else:
            self.first_row_of_nik[nik] = row
        if birth is not None and sex is not None and not nik_matches(nik, birth, sex):
            self.fail(
                row,
                "nik: bagian tanggal lahir (DDMMYY, +40 untuk perempuan) tidak cocok dengan tanggal_lahir dan jenis_kelamin",
            )

    def check_families(self) -> None:
        for kk, members in self.families.items():
            heads = [row for row, _, shdk in members if shdk == 1]
            if len(heads) != 1:
                rows = ", ".join(str(row) for row, _, _ in members[:10])
                self.fail(
                    members[0][0],
                    f"no_kk {kk}: harus tepat satu kepala keluarga (shdk 1), ada {len(heads)} (baris {rows})",
                )
            if len({desa for _, desa, _ in members}) > 1:
                self.fail(
                    members[0][0], f"no_kk {kk}: anggota keluarga tercatat di lebih dari satu desa"
                )


def _open_rows(path: Path) -> tuple[list[str], Any]:
    text = path.read_text(encoding="utf-8-sig")
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    return [name.strip() for name in (reader.fieldnames or [])], reader


def read_population(path: str | Path, period: str) -> Population:
    """Validate the whole file and return its population; raises :class:`ImportFailed`."""
    cutoff = Period.parse(period).cutoff
    header, reader = _open_rows(Path(path))
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    unknown = [c for c in header if c not in REQUIRED_COLUMNS + OPTIONAL_COLUMNS]
    if missing or unknown:
        problems = ([f"kolom wajib tidak ada: {', '.join(missing)}"] if missing else []) + (
            [f"kolom tidak dikenal: {', '.join(unknown)}"] if unknown else []
        )
        raise ImportFailed([f"baris 1 (judul kolom): {p}" for p in problems], len(problems))
    collector = _Collector(cutoff)
    for index, record in enumerate(reader, start=2):
        collector.add(index, {(k or "").strip(): v for k, v in record.items()})
    collector.check_families()
    if collector.total_errors:
        raise ImportFailed(collector.errors, collector.total_errors)
    if not collector.columns:
        raise ImportFailed(["berkas tidak berisi baris data"], 1)
    return _population(collector.columns, cutoff)


def _population(columns: dict[str, list], cutoff: date) -> Population:
    birth = np.array(columns["tanggal_lahir"], dtype="datetime64[D]")
    ages = ages_at(birth, cutoff)
    persons: dict[str, np.ndarray] = {
        "nik": np.array(columns["nik"], dtype=np.int64),
        "no_kk": np.array(columns["no_kk"], dtype=np.int64),
        "kode_desa": np.array(columns["kode_desa"]),
        "kode_kecamatan": np.array([code[:8] for code in columns["kode_desa"]]),
        "tanggal_lahir": birth,
        "umur": ages,
        "kelompok_umur": five_year_groups(ages),
        **{column: np.array(columns[column], dtype=np.int16) for column in CODE_COLUMNS},
    }
    heads = np.flatnonzero(persons["shdk"] == 1)
    head_order = heads[np.argsort(persons["no_kk"][heads], kind="stable")]
    kk_numbers, sizes = np.unique(persons["no_kk"], return_counts=True)
    families = {
        "no_kk": kk_numbers,
        "kode_desa": persons["kode_desa"][head_order],
        "kode_kecamatan": persons["kode_kecamatan"][head_order],
        "nik_kepala": persons["nik"][head_order],
        "jumlah_anggota": sizes.astype(np.int32),
    }
    return Population(persons, families, {"source": "import"})


def import_file(warehouse: Warehouse, path: str | Path, period: str) -> dict[str, Any]:
    """Validate ``path`` and replace ``period`` with its rows; returns a summary."""
    started = time.perf_counter()
    population = read_population(path, period)
    parsed = Period.parse(period)
    warehouse.replace_period(parsed, population, "import")
    return {
        "period": parsed.as_dict(),
        "persons": population.person_count,
        "families": population.family_count,
        "seconds": round(time.perf_counter() - started, 2),
    }
