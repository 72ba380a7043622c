"""Scale 1.0: the whole regency, calibrated exactly to kecamatan_population.csv."""

from __future__ import annotations

import pytest

from warehouse.build import build_synthetic
from warehouse.query import run_query
from warehouse.regions import kecamatan_population
from warehouse.sdc import SdcPolicy
from warehouse.spec import parse_spec
from warehouse.store import Warehouse


@pytest.mark.slow
def test_the_whole_regency_matches_the_published_kecamatan_and_sex_totals(tmp_path):
    store = Warehouse(f"duckdb:///{tmp_path / 'full.duckdb'}")
    try:
        summary = build_synthetic(store, scale=1.0)
        assert summary["persons"] == 1_071_977
        result = run_query(
            store, parse_spec({"preset": "penduduk_kecamatan_jk"}), SdcPolicy.from_settings()
        )
        published = {k.code: (k.male, k.female) for k in kecamatan_population()}
        got = {
            r["code"]: (r["cells"]["LAKI-LAKI"], r["cells"]["PEREMPUAN"]) for r in result["rows"]
        }
        assert got == published
        assert result["column_totals"] == {
            "LAKI-LAKI": sum(m for m, _ in published.values()),
            "PEREMPUAN": sum(f for _, f in published.values()),
        }
        assert result["grand_total"] == 1_071_977
        assert store.stats()["families"] == summary["families"]
    finally:
        store.dispose()
