"""`laksana warehouse ...`: build, stats, presets, query (grant, override, exports) and import."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from sqlalchemy import select

from engine.db import Database
from engine.models import ProcessDefinition, ProcessInstance, User
from warehouse.access import create_grant
from warehouse.cellkey import MAX_PERTURBATION
from warehouse.cli import warehouse
from warehouse.models import QueryLog

from .test_wh_spec import FORM_PRESET_NAMES


@pytest.fixture
def cli(monkeypatch, tmp_path, duck, duck_url):
    """Run the command group against the session warehouse and a fresh engine store."""
    store_url = f"sqlite:///{tmp_path / 'engine.db'}"
    database = Database(store_url)
    database.create_all()
    _seed_request_with_grant(database)
    monkeypatch.setenv("LAKSANA_WAREHOUSE_URL", duck_url)
    monkeypatch.setenv("LAKSANA_DATABASE_URL", store_url)
    monkeypatch.setenv("LAKSANA_INSTANCE_DIR", str(tmp_path / "instance"))
    runner = CliRunner()

    def run(*args):
        return runner.invoke(warehouse, list(args), catch_exceptions=False)

    run.database = database
    yield run
    database.dispose()


GRANTED = ("--request", "1", "--user", "budi")


def _seed_request_with_grant(database) -> None:
    """Request #1 with a grant for operator budi; an administrator 'adm'; an operator 'wati'."""
    with database.transaction() as session:
        session.add_all(
            [
                User(username="budi", full_name="Budi", roles=["operator"]),
                User(username="wati", full_name="Wati", roles=["operator"]),
                User(username="adm", full_name="Admin", roles=["admin"]),
            ]
        )
        definition = ProcessDefinition(
            process_id="permohonan_data_agregat", version=1, bpmn_xml="", spec_json="", checksum="x"
        )
        session.add(definition)
        session.flush()
        session.add(
            ProcessInstance(
                definition_id=definition.id,
                process_id=definition.process_id,
                version=1,
                state_json="{}",
            )
        )
        session.flush()
        now = datetime.now(timezone.utc)
        create_grant(session, 1, "budi", date.today() + timedelta(days=2), "kasi", now)


def log_entries(database):
    with database.transaction() as session:
        return [
            (e.username, e.instance_id, e.outcome, e.message)
            for e in session.scalars(select(QueryLog).order_by(QueryLog.id))
        ]


def assert_one_line_error(result, words):
    assert result.exit_code != 0
    assert "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error:") and words in lines[0], result.stderr


def test_build_generates_and_if_missing_skips(cli, tmp_path, monkeypatch):
    monkeypatch.setenv("LAKSANA_WAREHOUSE_URL", f"duckdb:///{tmp_path / 'new.duckdb'}")
    built = cli("build", "--scale", "0.002", "--seed", "3", "--period", "2026-2")
    assert built.exit_code == 0, built.output
    assert "2.144 penduduk" in built.stdout.replace(",", ".") and "Semester II 2026" in built.stdout
    skipped = cli("build", "--if-missing")
    assert skipped.exit_code == 0 and "dilewati" in skipped.stdout
    stats = json.loads(cli("stats", "--json").stdout)
    assert stats["period"]["cutoff"] == "2026-12-31" and stats["persons"] == 2144


def test_stats_json_and_table(cli, population):
    document = json.loads(cli("stats", "--json").stdout)
    assert document["persons"] == population.person_count
    assert document["families"] == population.family_count
    assert sum(k["persons"] for k in document["kecamatan"]) == document["persons"]
    table = cli("stats").stdout
    assert "Susukan" in table and "Jumlah" in table


def test_presets_lists_the_form_names(cli):
    listed = json.loads(cli("presets", "--json").stdout)
    assert [p["name"] for p in listed] == FORM_PRESET_NAMES
    assert "kecamatan_jk_umur" in cli("presets").stdout


def test_query_prints_json_writes_exports_and_is_logged(cli, tmp_path, population):
    csv_path, xlsx_path = tmp_path / "out.csv", tmp_path / "out.xlsx"
    result = cli(
        "query",
        "--preset",
        "kelompok_umur_jk",
        *GRANTED,
        "--json",
        "--csv",
        str(csv_path),
        "--xlsx",
        str(xlsx_path),
    )
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert abs(document["grand_total"] - population.person_count) <= MAX_PERTURBATION
    assert csv_path.read_bytes().decode().startswith("Judul,")
    assert load_workbook(xlsx_path).active["A1"].value == document["title"]
    with cli.database.transaction() as session:
        [entry] = session.scalars(select(QueryLog)).all()
        assert (entry.username, entry.instance_id, entry.outcome) == ("budi", 1, "ok")
        assert entry.rows == 20 and entry.spec["period"] == "2026-1"


@pytest.mark.parametrize(
    "args, words",
    [
        ((), "memerlukan izin akses"),
        (("--request", "1", "--user", "wati"), "wati tidak memiliki izin akses"),
        (("--request", "2", "--user", "budi"), "permohonan #2"),
        (("--user", "budi", "--admin-override", "pemeriksaan data bulanan"), "bukan administrator"),
        (("--user", "adm", "--admin-override", "cek"), "paling sedikit 10 karakter"),
    ],
)
def test_a_query_without_a_valid_grant_is_refused_and_logged(cli, args, words):
    result = cli("query", "--preset", "agama", *args)
    assert_one_line_error(result, words)
    [(username, _, outcome, message)] = log_entries(cli.database)
    assert outcome == "refused" and words in message and username


def test_an_administrators_override_is_explicit_and_logged_with_its_reason(cli):
    result = cli(
        "query", "--preset", "agama", "--user", "adm", "--admin-override", "audit kualitas data"
    )
    assert result.exit_code == 0, result.output
    [(username, instance_id, outcome, message)] = log_entries(cli.database)
    assert (username, instance_id, outcome) == ("adm", None, "override")
    assert message.startswith("penggantian administrator oleh cli:")
    assert message.endswith(": audit kualitas data")


def test_query_with_a_spec_and_scope_prints_a_readable_table(cli):
    result = cli(
        "query",
        "--spec",
        '{"dimensions": ["wajib_ktp"]}',
        "--scope",
        "33.04.06",
        "--level",
        "desa",
        *GRANTED,
    )
    assert result.exit_code == 0, result.output
    assert "Kecamatan Banjarnegara" in result.stdout and "WAJIB KTP" in result.stdout
    assert "Argasoka" in result.stdout


@pytest.mark.parametrize(
    "args, words",
    [
        (["query", "--preset", "agama", "--spec", "{}"], "exactly one of"),
        (["query", "--preset", "penduduk"], "tidak dikenal"),
        (["query", "--spec", "{oops"], "JSON"),
        (["query", "--spec", '{"dimensions": ["umur"]}'], "dimensions[0]"),
        (["query", "--preset", "agama", "--period", "2019-1", *GRANTED], "2019-1 belum dimuat"),
        (["query", "--preset", "agama", "--scope", "99.99"], "scope"),
        (["stats", "--period", "2026-9"], "kode periode"),
    ],
)
def test_mistakes_are_one_line_on_stderr(cli, args, words):
    assert_one_line_error(cli(*args), words)


def test_build_rejects_a_non_positive_scale(cli, tmp_path, monkeypatch):
    monkeypatch.setenv("LAKSANA_WAREHOUSE_URL", f"duckdb:///{tmp_path / 'zero.duckdb'}")
    assert_one_line_error(cli("build", "--scale", "0"), "--scale")


def test_import_reports_bad_rows_and_fails(cli, tmp_path, monkeypatch):
    monkeypatch.setenv("LAKSANA_WAREHOUSE_URL", f"duckdb:///{tmp_path / 'import.duckdb'}")
    path = tmp_path / "bad.csv"
    path.write_text(
        "nik,no_kk,kode_desa,jenis_kelamin,tanggal_lahir,agama,pendidikan,pekerjaan,status_perkawinan,"
        "golongan_darah,shdk,kewarganegaraan,akta_lahir,ktp_el\n"
        "3304010101900001,3304010101200001,33.04.01.2001,1,1990-01-01,1,3,9,2,13,1,1,1,2\n"
        "3304014101920001,3304010101200001,33.04.01.2001,2,1992-01-01,8,3,2,2,13,3,1,1,2\n"
    )
    result = cli("import", str(path))
    assert "baris 3: agama: '8' bukan kode yang dikenal" in result.stdout
    assert_one_line_error(result, "bad.csv: 1 kesalahan")
    path.write_text(path.read_text().replace(",8,3,2,", ",1,3,2,"))
    loaded = cli("import", str(path))
    assert loaded.exit_code == 0 and "Dimuat: 2 penduduk, 1 KK" in loaded.stdout
