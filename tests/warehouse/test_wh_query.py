"""Aggregate queries: the result document, and the true counts checked against the raw arrays.

The GROUP BY is checked through ``fetch_table`` (true counts, what the cell key
method starts from); ``run_query`` must publish exactly ``cellkey.published`` of
those counts and key sums, with every total a cell of its own.
"""

from __future__ import annotations

import numpy as np
import pytest

from warehouse.build import build_synthetic
from warehouse.cellkey import published
from warehouse.codes import siak_lists
from warehouse.presets import PRESETS
from warehouse.query import QueryError, fetch_table, resolve_period, run_query
from warehouse.regions import kecamatans, regions_at
from warehouse.sdc import SdcPolicy
from warehouse.spec import parse_spec
from warehouse.store import OutdatedSchema, Warehouse

RESULT_KEYS = {
    "title",
    "preset",
    "measure",
    "period",
    "scope",
    "row_level",
    "dimensions",
    "columns",
    "column_parts",
    "rows",
    "column_totals",
    "grand_total",
    "suppressed",
    "protection",
    "notes",
}
POLICY = SdcPolicy(threshold=5)


def query(store, **spec):
    """The true counts of ``spec`` in the shape of a result (rows, cells, totals)."""
    parsed = parse_spec(spec)
    table = fetch_table(store, parsed, resolve_period(store, parsed).code)
    labels = table.labels
    rows = [
        {
            "code": r.code,
            "cells": {label: int(table.values[i, j]) for j, label in enumerate(labels)},
            "total": int(table.values[i].sum()),
        }
        for i, r in enumerate(table.rows)
    ]
    return {
        "columns": labels,
        "column_parts": table.column_parts,
        "rows": rows,
        "column_totals": {label: int(table.values[:, j].sum()) for j, label in enumerate(labels)},
        "grand_total": int(table.values.sum()),
    }


def assert_totals_true(result):
    """Row totals, column totals and grand total of true counts add up."""
    for row in result["rows"]:
        assert row["total"] == sum(row["cells"].values())
    for label in result["columns"]:
        assert result["column_totals"][label] == sum(row["cells"][label] for row in result["rows"])
    assert result["grand_total"] == sum(row["total"] for row in result["rows"])
    assert result["grand_total"] == sum(result["column_totals"].values())


@pytest.mark.parametrize("name", list(PRESETS))
def test_every_preset_gives_a_complete_table_of_true_counts(duck, population, name):
    assert_totals_true(query(duck, preset=name))
    counted = query(duck, preset=name)["grand_total"]
    expected = population.family_count if PRESETS[name].spec.get("measure") == "families" else None
    assert counted == (expected or population.person_count)


@pytest.mark.parametrize("name", list(PRESETS))
def test_every_preset_publishes_the_cell_key_values_of_its_counts(duck, name):
    spec = parse_spec({"preset": name})
    result = run_query(duck, spec, POLICY)
    table = fetch_table(duck, spec, "2026-1")
    assert set(result) == RESULT_KEYS
    assert result["preset"] == name
    assert result["period"] == {
        "code": "2026-1",
        "label": "Semester I 2026",
        "cutoff": "2026-06-30",
    }
    assert result["scope"] == {
        "code": "33.04",
        "name": "Kabupaten Banjarnegara",
        "level": "kabupaten",
    }
    assert [r["code"] for r in result["rows"]] == [
        r.code for r in regions_at(result["row_level"], "33.04")
    ]
    assert len(result["columns"]) == len(result["column_parts"]) == len(set(result["columns"]))
    cells = np.array([[row["cells"][c] for c in result["columns"]] for row in result["rows"]])
    assert (cells == published(table.values, table.keys, 5)).all()
    assert [r["total"] for r in result["rows"]] == published(
        table.values.sum(axis=1), table.keys.sum(axis=1), 5
    ).tolist()
    assert (
        list(result["column_totals"].values())
        == published(table.values.sum(axis=0), table.keys.sum(axis=0), 5).tolist()
    )
    assert result["grand_total"] == published(table.values.sum(), table.keys.sum(), 5)
    assert not ((cells > 0) & (cells < 5)).any() and ((table.values == 0) <= (cells == 0)).all()
    assert result["suppressed"] == [] and result["protection"]["method"] == "cell_key"
    assert result["notes"][:2] == [
        "Sumber: Data Konsolidasi Bersih (DKB) Semester I 2026, keadaan 30 Juni 2026.",
        result["protection"]["notice"],
    ]


def test_male_plus_female_is_the_total_and_kecamatan_add_up_to_the_regency(duck, population):
    result = query(duck, preset="penduduk_kecamatan_jk")
    assert result["columns"] == ["LAKI-LAKI", "PEREMPUAN"]
    for row in result["rows"]:
        assert row["cells"]["LAKI-LAKI"] + row["cells"]["PEREMPUAN"] == row["total"]
        assert row["total"] == int(np.sum(population.persons["kode_kecamatan"] == row["code"]))
    assert len(result["rows"]) == len(kecamatans())
    assert result["grand_total"] == population.person_count


def test_desa_rows_of_a_kecamatan_add_up_to_its_kecamatan_row(duck):
    by_kecamatan = {r["code"]: r for r in query(duck, preset="kelompok_umur_jk")["rows"]}
    desa = query(duck, preset="kelompok_umur_jk", scope="33.04.08", row_level="desa")
    shown = run_query(duck, parse_spec({"preset": "kelompok_umur_jk", "scope": "33.04.08"}))
    assert shown["scope"] == {
        "code": "33.04.08",
        "name": "Kecamatan Madukara",
        "level": "kecamatan",
    }
    assert len(desa["rows"]) == 20  # 18 desa and 2 kelurahan
    for label in desa["columns"]:
        assert (
            sum(r["cells"][label] for r in desa["rows"]) == by_kecamatan["33.04.08"]["cells"][label]
        )


def test_the_same_persons_have_the_same_published_value_in_every_table(duck):
    kecamatan = run_query(duck, parse_spec({"preset": "agama"}))
    desa = run_query(
        duck, parse_spec({"preset": "agama", "scope": "33.04.08", "row_level": "desa"})
    )
    by_sex = run_query(duck, parse_spec({"preset": "penduduk_kecamatan_jk"}))
    madukara = next(r for r in kecamatan["rows"] if r["code"] == "33.04.08")
    assert desa["column_totals"] == madukara["cells"]
    assert desa["grand_total"] == madukara["total"]
    assert kecamatan["grand_total"] == by_sex["grand_total"]
    assert [r["total"] for r in kecamatan["rows"]] == [r["total"] for r in by_sex["rows"]]


def test_counts_match_the_generated_people(duck, population):
    persons = population.persons
    result = query(duck, preset="kecamatan_jk_umur")
    assert result["column_parts"][0] == ["LAKI-LAKI", "0-4"] and result["column_parts"][-1] == [
        "PEREMPUAN",
        "75+",
    ]
    row = result["rows"][5]
    in_row = persons["kode_kecamatan"] == row["code"]
    for (sex_label, band_label), label in zip(
        result["column_parts"], result["columns"], strict=True
    ):
        sex = 1 if sex_label == "LAKI-LAKI" else 2
        low = int(band_label.rstrip("+").split("-")[0])
        high = 200 if band_label.endswith("+") else int(band_label.split("-")[1])
        expected = np.sum(
            in_row
            & (persons["jenis_kelamin"] == sex)
            & (persons["umur"] >= low)
            & (persons["umur"] <= high)
        )
        assert row["cells"][label] == expected, label


def test_labels_come_from_the_siak_code_lists(duck):
    result = query(duck, preset="pendidikan")
    education = list(siak_lists()["pendidikan_dalam_kk"].values())
    assert [parts[0] for parts in result["column_parts"][::2]] == education
    assert query(duck, preset="golongan_darah")["columns"] == list(
        siak_lists()["golongan_darah"].values()
    )


def test_custom_age_bands_filters_and_families(duck, population):
    persons = population.persons
    result = query(
        duck, dimensions=["age_group"], age_bands=[0, 15, 65], filters={"sex": ["PEREMPUAN"]}
    )
    assert result["columns"] == ["0-14", "15-64", "65+"]
    women = persons["jenis_kelamin"] == 2
    assert result["column_totals"]["65+"] == np.sum(women & (persons["umur"] >= 65))
    notes = run_query(duck, parse_spec({"dimensions": ["sex"], "filters": {"sex": [2]}}))["notes"]
    assert "Filter: Jenis Kelamin: PEREMPUAN." in notes
    adults = query(duck, dimensions=["sex"], filters={"age": {"min": 17}})
    assert adults["grand_total"] == np.sum(persons["umur"] >= 17)
    wajib = query(duck, preset="wajib_ktp")
    assert (
        wajib["column_totals"]["WAJIB KTP / LAKI-LAKI"]
        + wajib["column_totals"]["WAJIB KTP / PEREMPUAN"]
        >= adults["grand_total"]
    )
    families = query(duck, preset="kartu_keluarga")
    assert families["grand_total"] == population.family_count
    assert "Kartu Keluarga" in run_query(duck, parse_spec({"preset": "kartu_keluarga"}))["title"]


def test_a_desa_scope_gives_its_single_row(duck, population):
    spec = {"preset": "penduduk_kecamatan_jk", "scope": "33.04.06.1001"}
    result = run_query(duck, parse_spec(spec))
    assert result["row_level"] == "desa"
    assert [r["code"] for r in result["rows"]] == ["33.04.06.1001"]
    assert result["scope"]["name"] == "Kelurahan Argasoka"
    assert result["column_totals"] == result["rows"][0]["cells"]  # the same persons, one value
    assert result["grand_total"] == result["rows"][0]["total"]
    assert query(duck, **spec)["grand_total"] == np.sum(
        population.persons["kode_desa"] == "33.04.06.1001"
    )


def test_the_newest_period_is_used_unless_one_is_named(duck):
    assert run_query(duck, parse_spec({"preset": "agama"}))["period"]["code"] == "2026-1"
    with pytest.raises(QueryError, match="2025-2 belum dimuat"):
        run_query(duck, parse_spec({"preset": "agama", "period": "2025-2"}))


def test_an_empty_warehouse_says_so(empty_duck):
    with pytest.raises(QueryError, match="kosong"):
        run_query(empty_duck, parse_spec({"preset": "agama"}))


def test_stats_count_persons_and_families_per_kecamatan(duck, population):
    stats = duck.stats()
    assert (
        stats["persons"] == population.person_count and stats["families"] == population.family_count
    )
    assert stats["male"] + stats["female"] == stats["persons"]
    assert sum(k["persons"] for k in stats["kecamatan"]) == stats["persons"]
    assert sum(k["families"] for k in stats["kecamatan"]) == stats["families"]
    assert len(stats["kecamatan"]) == 20


def test_a_warehouse_from_an_older_schema_is_refused_until_rebuilt(tmp_path):
    url = f"duckdb:///{tmp_path / 'old.duckdb'}"
    old = Warehouse(url)
    build_synthetic(old, scale=0.001)
    with old.writing() as conn:  # as the first version of the schema had it
        for index in ("ix_wh_person_periode_kecamatan", "ix_wh_person_periode_desa"):
            conn.exec_driver_sql(f"DROP INDEX {index}")
        conn.exec_driver_sql("ALTER TABLE wh_person DROP COLUMN kelompok_umur")
    old.dispose()
    reopened = Warehouse(url)
    with pytest.raises(OutdatedSchema, match="bangun ulang"):
        reopened.periods()
    build_synthetic(reopened, scale=0.001)
    assert reopened.stats()["persons"] == 1072
    reopened.dispose()
