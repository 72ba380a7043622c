"""Real-data import (validated, all or nothing) and the CSV/XLSX exports of a result."""

from __future__ import annotations

import csv
import io

import numpy as np
import pytest
from openpyxl import load_workbook

from warehouse.export import to_csv, to_xlsx
from warehouse.generator import generate
from warehouse.importer import (
    MAX_REPORTED,
    REQUIRED_COLUMNS,
    ImportFailed,
    import_file,
    read_population,
)
from warehouse.query import fetch_table, run_query
from warehouse.sdc import SdcPolicy
from warehouse.spec import parse_spec

COLUMNS = [*REQUIRED_COLUMNS, "disabilitas"]


@pytest.fixture(scope="module")
def tiny():
    return generate(0.002, 11, "2026-1")


def person_rows(population) -> list[dict[str, str]]:
    persons = population.persons
    rows = []
    for i in range(population.person_count):
        row = {name: str(persons[name][i]) for name in COLUMNS}
        row["tanggal_lahir"] = str(persons["tanggal_lahir"][i])
        rows.append(row)
    return rows


def write_rows(path, rows, columns=COLUMNS, delimiter=","):
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(
            handle, fieldnames=columns, delimiter=delimiter, extrasaction="ignore"
        )
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_a_clean_file_loads_and_counts_like_the_source(tmp_path, empty_duck, tiny):
    path = write_rows(tmp_path / "dkb.csv", person_rows(tiny), delimiter=";")
    summary = import_file(empty_duck, path, "2026-1")
    assert (summary["persons"], summary["families"]) == (tiny.person_count, tiny.family_count)
    stats = empty_duck.stats("2026-1")
    assert stats["persons"] == tiny.person_count and stats["families"] == tiny.family_count
    assert stats["male"] == int(np.sum(tiny.persons["jenis_kelamin"] == 1))
    assert empty_duck.periods()[0]["sumber"] == "import"
    spec = parse_spec({"preset": "kelompok_umur_jk"})
    table = fetch_table(empty_duck, spec, "2026-1")
    assert table.values[:, table.labels.index("75+ / PEREMPUAN")].sum() == int(
        np.sum((tiny.persons["umur"] >= 75) & (tiny.persons["jenis_kelamin"] == 2))
    )


def test_imported_persons_keep_their_record_keys_when_the_period_is_loaded_again(
    tmp_path, empty_duck, tiny
):
    path = write_rows(tmp_path / "dkb.csv", person_rows(tiny))
    spec = parse_spec({"preset": "agama", "row_level": "desa", "scope": "33.04.06"})
    import_file(empty_duck, path, "2026-1")
    first = run_query(empty_duck, spec, SdcPolicy(threshold=5))
    keys = fetch_table(empty_duck, spec, "2026-1").keys
    import_file(empty_duck, path, "2026-1")
    assert run_query(empty_duck, spec, SdcPolicy(threshold=5))["rows"] == first["rows"]
    assert (fetch_table(empty_duck, spec, "2026-1").keys == keys).all() and keys.any()


def test_every_bad_row_is_reported_by_number_and_nothing_is_loaded(tmp_path, empty_duck, tiny):
    rows = person_rows(tiny)
    rows[0]["jenis_kelamin"] = "3"  # file row 2
    rows[4]["kode_desa"] = "33.04.99.2001"  # row 6
    rows[9]["tanggal_lahir"] = "2026-13-01"  # row 11
    rows[14]["nik"] = rows[15]["nik"]  # row 16 duplicates row 17... reported at the later row
    rows[20]["agama"] = "islam"  # row 22
    rows[25]["nik"] = (
        rows[25]["nik"][:6] + "999999" + rows[25]["nik"][12:]
    )  # row 27: date part wrong
    heads = [i for i, r in enumerate(rows) if r["shdk"] == "1"]
    rows[heads[3]]["shdk"] = "4"  # a family card without a head
    path = write_rows(tmp_path / "bad.csv", rows)
    with pytest.raises(ImportFailed) as caught:
        import_file(empty_duck, path, "2026-1")
    report = "\n".join(caught.value.errors)
    for expected in (
        "baris 2: jenis_kelamin",
        "baris 6: kode_desa",
        "baris 11: tanggal_lahir",
        "baris 17: nik",
        "baris 22: agama",
        "baris 27: nik",
        "kepala keluarga",
    ):
        assert expected in report, expected
    assert caught.value.total == len(caught.value.errors) >= 7
    assert "tidak ada data yang dimuat" in str(caught.value)
    assert empty_duck.periods() == []


def test_a_bad_file_leaves_the_loaded_period_as_it_was(tmp_path, empty_duck, tiny):
    rows = person_rows(tiny)
    import_file(empty_duck, write_rows(tmp_path / "good.csv", rows), "2026-1")
    rows[1]["golongan_darah"] = "14"
    with pytest.raises(ImportFailed):
        import_file(empty_duck, write_rows(tmp_path / "bad.csv", rows), "2026-1")
    assert empty_duck.stats()["persons"] == tiny.person_count


def test_many_mistakes_are_capped_but_counted(tmp_path, tiny):
    rows = person_rows(tiny)
    for row in rows[: MAX_REPORTED + 50]:
        row["pendidikan"] = "0"
    with pytest.raises(ImportFailed) as caught:
        read_population(write_rows(tmp_path / "many.csv", rows), "2026-1")
    assert len(caught.value.errors) == MAX_REPORTED
    assert caught.value.total == MAX_REPORTED + 50
    assert "dan 50 kesalahan lain" in str(caught.value)


def test_missing_and_unknown_columns_are_named(tmp_path, tiny):
    rows = person_rows(tiny)[:5]
    path = write_rows(
        tmp_path / "cols.csv",
        [r | {"hobi": "x"} for r in rows],
        columns=[c for c in COLUMNS if c != "agama"] + ["hobi"],
    )
    with pytest.raises(ImportFailed) as caught:
        read_population(path, "2026-1")
    assert caught.value.errors == [
        "baris 1 (judul kolom): kolom wajib tidak ada: agama",
        "baris 1 (judul kolom): kolom tidak dikenal: hobi",
    ]


# -- exports -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def protected_result(duck):
    return run_query(duck, parse_spec({"preset": "agama"}), SdcPolicy(threshold=5))


def test_csv_carries_period_table_totals_and_notes(protected_result):
    text = to_csv(protected_result).decode("utf-8")
    lines = list(csv.reader(io.StringIO(text)))
    assert lines[0] == ["Judul", protected_result["title"]]
    assert lines[1] == ["Periode", "Semester I 2026 (keadaan 2026-06-30)"]
    header_at = lines.index(["Kode", "Kecamatan", *protected_result["columns"], "Jumlah"])
    body = lines[header_at + 1 : header_at + 1 + len(protected_result["rows"])]
    first = protected_result["rows"][0]
    assert body[0][:2] == [first["code"], first["name"]] and body[0][-1] == str(first["total"])
    assert lines[3] == ["Perlindungan data", protected_result["protection"]["notice"]]
    assert "diacak secara terkendali" in lines[3][1]
    assert sum(line == [protected_result["protection"]["notice"]] for line in lines) == 0
    totals = lines[header_at + 1 + len(body)]
    assert totals[1] == "Jumlah" and totals[-1] == str(protected_result["grand_total"])
    assert any("Sumber: Dinas Kependudukan" in line[0] for line in lines if line)


def test_xlsx_has_a_header_line_per_dimension_and_numeric_cells(protected_result):
    sheet = load_workbook(io.BytesIO(to_xlsx(protected_result))).active
    assert sheet["A1"].value == protected_result["title"]
    notice = protected_result["protection"]["notice"]
    assert sheet["A4"].value == f"Perlindungan data: {notice}"
    assert (
        sheet["C6"].value == "ISLAM"
        and sheet["C7"].value == "LAKI-LAKI"
        and sheet["D7"].value == "PEREMPUAN"
    )
    assert "C6:D6" in {str(r) for r in sheet.merged_cells.ranges}
    first = protected_result["rows"][0]
    assert sheet["A8"].value == first["code"]
    assert sheet.cell(8, 3).value == first["cells"]["ISLAM / LAKI-LAKI"]
    last_column = len(protected_result["columns"]) + 3
    totals_row = 8 + len(protected_result["rows"])
    assert sheet.cell(totals_row, last_column).value == protected_result["grand_total"]
    numbers = [
        c.value
        for row in sheet.iter_rows(min_row=8, max_row=totals_row, min_col=3, max_col=last_column)
        for c in row
    ]
    assert all(isinstance(v, int) and not 0 < v < 5 for v in numbers)
