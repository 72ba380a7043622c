"""Scale 1.0: the whole regency, calibrated exactly to kecamatan_population.csv."""

from __future__ import annotations

import pytest

from warehouse.build import build_synthetic
from warehouse.query import fetch_table
from warehouse.regions import kecamatan_population
from warehouse.spec import parse_spec
from warehouse.store import Warehouse


@pytest.mark.slow
def test_the_whole_regency_matches_the_published_kecamatan_and_sex_totals(tmp_path):
    store = Warehouse(f"duckdb:///{tmp_path / 'full.duckdb'}")
    try:
        summary = build_synthetic(store, scale=1.0)
        assert summary["persons"] == 1_071_977
        table = fetch_table(store, parse_spec({"preset": "penduduk_kecamatan_jk"}), "2026-1")
        published = {k.code: (k.male, k.female) for k in kecamatan_population()}
        got = {r.code: tuple(int(v) for v in table.values[i]) for i, r in enumerate(table.rows)}
        assert got == published
        assert int(table.values.sum()) == 1_071_977
        assert store.stats()["families"] == summary["families"]
    finally:
        store.dispose()
