"""Running a spec: one portable GROUP BY (SQLAlchemy Core), then the result document.

The result is the "Warehouse query result" JSON of docs/architecture.md: rows
for every region of the row level inside the scope (zeros included), one
column per combination of the dimensions' categories (SIAK order), and every
cell and total protected by the cell key method (:mod:`warehouse.sdc`): the
GROUP BY returns each cell's count and the sum of its persons' record keys.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

import numpy as np
from sqlalchemy import Select, case, func, or_, select
from sqlalchemy.sql.elements import ColumnElement

from . import schema
from .cellkey import KEY_MODULUS
from .codes import DEFAULT_AGE_BANDS, dimensions
from .periods import Period
from .regions import Region, region, regions_at
from .sdc import ProtectedTable, SdcPolicy, protect, protection_info
from .spec import Spec
from .store import Warehouse

COLUMN_SEPARATOR = " / "
WAJIB_KTP_AGE = 17


class QueryError(ValueError):
    """The query cannot run (no such period loaded); message for people."""


@dataclass
class Table:
    rows: list[Region]
    column_codes: list[tuple[int, ...]]
    column_parts: list[list[str]]
    values: np.ndarray  # rows x columns, true counts
    keys: np.ndarray  # rows x columns, sums of the persons' record keys

    @property
    def labels(self) -> list[str]:
        return [COLUMN_SEPARATOR.join(parts) for parts in self.column_parts]


def dimension_expression(spec: Spec, name: str) -> ColumnElement:
    person = schema.person
    if name == "age_group":
        bands = spec.age_bands
        if tuple(bands) == DEFAULT_AGE_BANDS:
            return person.c.kelompok_umur
        return case(
            *[(person.c.umur < upper, index) for index, upper in enumerate(bands[1:])],
            else_=len(bands) - 1,
        )
    if name == "wajib_ktp":
        return case(
            (or_(person.c.umur >= WAJIB_KTP_AGE, person.c.status_perkawinan != 1), 1), else_=2
        )
    return person.c[dimensions()[name].column]


def build_statement(spec: Spec, period_code: str) -> Select:
    person = schema.person
    row_column = person.c.kode_kecamatan if spec.row_level == "kecamatan" else person.c.kode_desa
    dims = [dimension_expression(spec, name) for name in spec.dimensions]
    conditions = [
        person.c.periode == period_code,
        *_scope_conditions(spec),
        *_filter_conditions(spec),
    ]
    if spec.measure == "families":
        conditions.append(person.c.shdk == 1)  # one head per family card
    return (
        select(
            row_column,
            *[d.label(f"d{i}") for i, d in enumerate(dims)],
            func.count().label("n"),
            func.sum(person.c.kunci_sel).label("k"),
        )
        .where(*conditions)
        .group_by(row_column, *dims)
    )


def _scope_conditions(spec: Spec) -> list[ColumnElement]:
    scope = region(spec.scope)
    if scope.level == "kecamatan":
        return [schema.person.c.kode_kecamatan == scope.code]
    if scope.level == "desa":
        return [schema.person.c.kode_desa == scope.code]
    return []


def _filter_conditions(spec: Spec) -> list[ColumnElement]:
    conditions = [
        dimension_expression(spec, name).in_(codes) for name, codes in spec.filters.items()
    ]
    if spec.age_min is not None:
        conditions.append(schema.person.c.umur >= spec.age_min)
    if spec.age_max is not None:
        conditions.append(schema.person.c.umur <= spec.age_max)
    return conditions


def fetch_table(warehouse: Warehouse, spec: Spec, period_code: str) -> Table:
    rows = regions_at(spec.row_level, spec.scope)
    categories = [spec.dimension(name).categories() for name in spec.dimensions]
    combos = list(itertools.product(*categories))
    column_codes = [tuple(code for code, _ in combo) for combo in combos]
    row_index = {r.code: i for i, r in enumerate(rows)}
    column_index = {codes: i for i, codes in enumerate(column_codes)}
    values = np.zeros((len(rows), len(combos)), dtype=np.int64)
    keys = np.zeros_like(values)
    with warehouse.connect() as conn:
        for row_code, *codes, count, key_sum in conn.execute(build_statement(spec, period_code)):
            r, c = row_index.get(row_code), column_index.get(tuple(int(v) for v in codes))
            if r is not None and c is not None:
                values[r, c] += count
                keys[r, c] += int(key_sum) % KEY_MODULUS
    parts = [[label for _, label in combo] for combo in combos]
    return Table(rows, column_codes, parts, values, keys)


def resolve_period(warehouse: Warehouse, spec: Spec) -> Period:
    loaded = [p["kode"] for p in warehouse.periods()]
    if not loaded:
        raise QueryError(
            "Gudang data masih kosong; jalankan `laksana warehouse build` atau `import`."
        )
    code = spec.period or loaded[0]
    if code not in loaded:
        raise QueryError(
            f"Periode {code} belum dimuat di gudang data (tersedia: {', '.join(loaded)})."
        )
    return Period.parse(code)


def run_query(warehouse: Warehouse, spec: Spec, policy: SdcPolicy | None = None) -> dict[str, Any]:
    """The protected result document for ``spec`` (see docs/architecture.md)."""
    policy = policy or SdcPolicy.from_settings()
    period = resolve_period(warehouse, spec)
    table = fetch_table(warehouse, spec, period.code)
    return assemble(spec, period, table, protect(table.values, table.keys, policy), policy)


def table_title(spec: Spec) -> str:
    subject = "Jumlah Kartu Keluarga" if spec.measure == "families" else "Jumlah Penduduk"
    per = "per Kecamatan" if spec.row_level == "kecamatan" else "per Desa/Kelurahan"
    breakdown = " dan ".join(spec.dimension(name).title for name in spec.dimensions)
    head = " Kepala Keluarga" if spec.measure == "families" else ""
    return f"{subject} {per} menurut {breakdown}{head}"


def assemble(
    spec: Spec, period: Period, table: Table, shown: ProtectedTable, policy: SdcPolicy
) -> dict[str, Any]:
    labels = table.labels
    scope = region(spec.scope)
    rows = [
        {
            "code": r.code,
            "name": r.name,
            "cells": {label: int(shown.cells[i, j]) for j, label in enumerate(labels)},
            "total": int(shown.row_totals[i]),
        }
        for i, r in enumerate(table.rows)
    ]
    protection = protection_info(policy)
    return {
        "title": spec.title or table_title(spec),
        "preset": spec.preset,
        "measure": spec.measure,
        "period": period.as_dict(),
        "scope": {"code": scope.code, "name": scope.display_name, "level": scope.level},
        "row_level": spec.row_level,
        "dimensions": list(spec.dimensions),
        "columns": labels,
        "column_parts": table.column_parts,
        "rows": rows,
        "column_totals": {label: int(shown.column_totals[j]) for j, label in enumerate(labels)},
        "grand_total": shown.grand_total,
        "suppressed": [],
        "protection": protection,
        "notes": _notes(spec, period, protection),
    }


def _notes(spec: Spec, period: Period, protection: dict[str, Any]) -> list[str]:
    notes = [
        f"Sumber: Data Konsolidasi Bersih (DKB) {period.label}, keadaan {period.cutoff_label}.",
        protection["notice"],
    ]
    if spec.measure == "families":
        notes.append(
            "Kartu keluarga dihitung dari kepala keluarga; rincian menurut data kepala keluarga."
        )
    filters = _filter_text(spec)
    if filters:
        notes.append(f"Filter: {filters}.")
    return notes


def _filter_text(spec: Spec) -> str:
    parts = []
    for name, codes in spec.filters.items():
        dim = spec.dimension(name)
        parts.append(f"{dim.title}: {', '.join(dim.codes[c] for c in codes)}")
    if spec.age_min is not None or spec.age_max is not None:
        low = spec.age_min if spec.age_min is not None else 0
        parts.append(
            f"Umur: {low}-{spec.age_max} tahun"
            if spec.age_max is not None
            else f"Umur: {low} tahun ke atas"
        )
    return "; ".join(parts)
