"""The same query code on DuckDB, SQLite and PostgreSQL gives identical results."""

from __future__ import annotations

import pytest

from warehouse.presets import PRESETS
from warehouse.query import run_query
from warehouse.sdc import SdcPolicy
from warehouse.spec import parse_spec

POLICY = SdcPolicy.from_settings()
EXTRA_SPECS = [
    {
        "dimensions": ["age_group", "wajib_ktp"],
        "age_bands": [0, 17, 60],
        "scope": "33.04.06",
        "row_level": "desa",
    },
    {"dimensions": ["occupation"], "filters": {"sex": [2], "age": {"min": 25, "max": 59}}},
    {"dimensions": ["disability", "sex"], "filters": {"religion": ["ISLAM"]}},
]
CASES = [{"preset": name} for name in PRESETS] + EXTRA_SPECS


@pytest.mark.parametrize(
    "raw", CASES, ids=lambda raw: raw.get("preset") or "+".join(raw["dimensions"])
)
def test_sqlite_matches_duckdb(duck, sqlite_wh, raw):
    spec = parse_spec(raw)
    assert run_query(sqlite_wh, spec, POLICY) == run_query(duck, spec, POLICY)


@pytest.mark.postgres
@pytest.mark.parametrize(
    "raw", CASES, ids=lambda raw: raw.get("preset") or "+".join(raw["dimensions"])
)
def test_postgresql_matches_duckdb(duck, pg_wh, raw):
    spec = parse_spec(raw)
    assert run_query(pg_wh, spec, POLICY) == run_query(duck, spec, POLICY)


@pytest.mark.postgres
def test_postgresql_stats_match_duckdb(duck, pg_wh):
    assert pg_wh.stats() == duck.stats()
