"""A DuckDB warehouse many processes read at once, while another process rebuilds it.

Before, every process opened the file read-write: the second one failed with "Could not
set lock on file", and a build could not run while the web was up. Readers in other
processes are started with ``spawn`` (what they run is in ``wh_processes.py``).
"""

from __future__ import annotations

import json
import multiprocessing
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, delete, func, insert, select, text
from sqlalchemy.exc import DBAPIError

from warehouse import schema
from warehouse.build import build_synthetic
from warehouse.duckfile import WarehouseBusy, file_identity
from warehouse.generator import generate
from warehouse.store import Warehouse

from . import wh_processes as procs
from .conftest import PG_URL, _with_search_path
from .test_wh_cli import GRANTED, cli  # noqa: F401 (the fixture)
from .test_wh_import_export import person_rows, write_rows

OLD = (0.002, 7)  # (scale, seed) of the build the tests start from
NEW = (0.003, 11)  # of the build that replaces it
TIMEOUT = 240


@pytest.fixture(scope="module")
def expected() -> dict[int, int]:
    """{persons: families} of the two builds: an answer is complete when it is one of them."""
    counts = {}
    for scale, seed in (OLD, NEW):
        population = generate(scale, seed, procs.PERIOD)
        counts[population.person_count] = population.family_count
    assert len(counts) == 2
    return counts


def persons_of(build: tuple[float, int], expected: dict[int, int]) -> int:
    return sorted(expected)[0 if build == OLD else 1]


@pytest.fixture
def small(tmp_path) -> Iterator[Warehouse]:
    store = Warehouse(f"duckdb:///{tmp_path / 'warehouse.duckdb'}")
    build_synthetic(store, scale=OLD[0], seed=OLD[1], period=procs.PERIOD)
    yield store
    store.dispose()


def leftovers(store: Warehouse) -> list[str]:
    assert store.file is not None
    return sorted(
        p.name for p in store.file.parent.iterdir() if p.name.endswith((".wal", ".building"))
    )


@pytest.fixture
def pg_small() -> Iterator[Warehouse]:
    """The same small warehouse on PostgreSQL, in a schema of its own."""
    if not PG_URL:
        pytest.skip("PostgreSQL warehouse tests need LAKSANA_TEST_DATABASE_URL")
    name = f"wh_conc_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{name}"'))
    store = Warehouse(_with_search_path(PG_URL, name))
    try:
        build_synthetic(store, scale=OLD[0], seed=OLD[1], period=procs.PERIOD)
        yield store
    finally:
        store.dispose()
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{name}" CASCADE'))
        admin.dispose()


def test_readers_in_many_processes_never_fail_while_another_process_rebuilds(small, expected):
    readers_against_rebuilds(small.url, expected)
    assert leftovers(small) == []


@pytest.mark.postgres
def test_on_postgresql_readers_never_fail_while_another_process_rebuilds(pg_small, expected):
    readers_against_rebuilds(pg_small.url, expected)


def readers_against_rebuilds(url: str, expected: dict[int, int]) -> None:
    """Three reader processes query ``url`` while a fourth rebuilds it five times."""
    ctx = multiprocessing.get_context("spawn")
    ready, stop, results, built = ctx.Queue(), ctx.Event(), ctx.Queue(), ctx.Queue()
    # two web/job workers (pooled connections) and a CLI user (a new Warehouse per query)
    readers = [
        ctx.Process(target=procs.reader, args=(url, expected, fresh, ready, stop, results))
        for fresh in (False, False, True)
    ]
    writer = ctx.Process(target=procs.rebuilder, args=(url, [NEW, OLD, NEW, OLD, NEW], built))
    try:
        for process in readers:
            process.start()
        for _ in readers:
            ready.get(timeout=TIMEOUT)  # every reader has answered once before the builds start
        writer.start()
        build_errors, began, ended = built.get(timeout=TIMEOUT)
        stop.set()
        reports = [results.get(timeout=TIMEOUT) for _ in readers]
    finally:
        stop.set()
        for process in (*readers, writer):
            process.join(30)
            if process.is_alive():
                process.terminate()
    assert build_errors == []
    assert [error for _, errors, _, _ in reports for error in errors] == []
    during = [t for times, _, _, _ in reports for t in times if began <= t <= ended]
    assert len(during) >= 10  # the readers did query while the builds ran
    # the readers answered from both builds, and after the last one from the new file
    assert set().union(*(seen for _, _, seen, _ in reports)) == set(expected)
    assert {last for _, _, _, last in reports} == {persons_of(NEW, expected)}


def test_the_cli_queries_builds_and_imports_while_another_process_holds_a_query_connection(
    cli,  # noqa: F811
    small,
    expected,
    monkeypatch,
    tmp_path,
):
    monkeypatch.setenv("LAKSANA_WAREHOUSE_URL", small.url)
    ctx = multiprocessing.get_context("spawn")
    ready, release = ctx.Queue(), ctx.Event()
    holder = ctx.Process(target=procs.hold_connection, args=(small.url, ready, release))
    holder.start()
    try:
        assert ready.get(timeout=TIMEOUT) == persons_of(OLD, expected)
        stats = cli("stats", "--json")
        assert stats.exit_code == 0, stats.output
        assert json.loads(stats.stdout)["persons"] == persons_of(OLD, expected)
        query = cli("query", "--preset", "agama", *GRANTED, "--json")
        assert query.exit_code == 0, query.output
        assert json.loads(query.stdout)["period"]["code"] == procs.PERIOD
        rebuilt = cli("build", "--scale", str(NEW[0]), "--seed", str(NEW[1]))
        assert rebuilt.exit_code == 0, rebuilt.output
        again = cli("stats", "--json")
        assert json.loads(again.stdout)["persons"] == persons_of(NEW, expected)
        rows = person_rows(generate(OLD[0], OLD[1], procs.PERIOD))
        imported = cli("import", str(write_rows(tmp_path / "siak.csv", rows)))
        assert imported.exit_code == 0, imported.output
        last = cli("stats", "--json")
        assert json.loads(last.stdout)["persons"] == persons_of(OLD, expected)
    finally:
        release.set()
        holder.join(30)
        if holder.is_alive():
            holder.terminate()
    assert holder.exitcode == 0


def test_a_query_connection_never_writes(small):
    before = (file_identity(small.file), small.file.read_bytes())
    with small.connect() as conn, pytest.raises(DBAPIError, match="read-only"):
        conn.execute(delete(schema.region))
    with small.connect() as conn, pytest.raises(DBAPIError, match="read-only"):
        conn.execute(insert(schema.secret), [{"nama": "lain", "nilai": "00"}])
    assert (file_identity(small.file), small.file.read_bytes()) == before
    assert leftovers(small) == []


def test_a_reader_sees_a_new_build_while_its_process_still_holds_the_old_file(small, expected):
    """The duckdb module caches one database per path: a new connection must not get the old file."""
    count = select(func.count()).select_from(schema.person)
    builder = Warehouse(small.url)
    with small.connect() as held:
        assert held.execute(count).scalar_one() == persons_of(OLD, expected)
        build_synthetic(builder, scale=NEW[0], seed=NEW[1], period=procs.PERIOD)
        assert small.stats()["persons"] == persons_of(NEW, expected)
        assert held.execute(count).scalar_one() == persons_of(OLD, expected)  # its own build
    assert small.stats()["persons"] == persons_of(NEW, expected)  # the pool re-opened it
    builder.dispose()


def test_a_failed_build_leaves_the_file_and_a_second_writer_is_refused(small, expected):
    before = file_identity(small.file)
    second = Warehouse(small.url)
    with pytest.raises(WarehouseBusy, match="sedang dibangun"), small.writing():
        with second.writing():
            pass
    with pytest.raises(RuntimeError, match="gagal di tengah"), small.writing() as conn:
        conn.execute(delete(schema.person))
        raise RuntimeError("gagal di tengah")
    second.dispose()
    assert file_identity(small.file) == before
    assert small.stats()["persons"] == persons_of(OLD, expected)
    assert leftovers(small) == []


def test_a_warehouse_not_built_reads_as_empty_and_is_not_created(tmp_path):
    store = Warehouse(f"duckdb:///{tmp_path / 'none.duckdb'}")
    assert store.periods() == [] and store.stats()["persons"] == 0
    assert not (tmp_path / "none.duckdb").exists()
    store.dispose()


def test_a_build_keeps_what_a_crashed_read_write_process_left_in_the_wal(small, expected):
    """A file opened read-write by a version before this one may have a WAL beside it."""
    crash = (
        "import duckdb, os, sys\n"
        "c = duckdb.connect(sys.argv[1])\n"
        "c.execute(\"SET checkpoint_threshold = '1GB'\")\n"
        "c.execute(\"INSERT INTO wh_secret VALUES ('dari_wal', '01')\")\n"
        "os._exit(0)\n"
    )
    subprocess.run([sys.executable, "-c", crash, str(small.file)], check=True, timeout=120)
    assert leftovers(small) == ["warehouse.duckdb.wal"]
    secret = select(schema.secret.c.nilai).where(schema.secret.c.nama == "dari_wal")
    with small.connect() as conn:  # a read-only reader replays it in memory
        assert conn.execute(secret).scalar() == "01"
    build_synthetic(small, scale=NEW[0], seed=NEW[1], period=procs.PERIOD)
    assert leftovers(small) == []  # not replayed onto the new file
    with small.connect() as conn:
        assert conn.execute(secret).scalar() == "01"
    assert small.stats()["persons"] == persons_of(NEW, expected)


def test_a_reader_opening_the_file_while_builds_replace_it_twice_still_answers(
    small, expected, monkeypatch
):
    """CI failure: "This connection is closed" while builds ran back to back.

    The file is replaced by a build just as a reader attaches it, twice in a row. Before,
    the reader recorded the identity read before attaching (the replaced file): the pool
    discarded the connection at checkout, twice, and SQLAlchemy gave up.
    """
    from warehouse import duckfile

    builds = []
    for scale, seed in (NEW, OLD):
        other = Warehouse(f"duckdb:///{small.file.parent / f'b{seed}.duckdb'}")
        build_synthetic(other, scale=scale, seed=seed, period=procs.PERIOD)
        other.dispose()
        builds.append(other.file)
    real_attach = duckfile._attach

    def attach_while_a_build_lands(path, read_only):
        if builds:
            os.replace(builds.pop(0), path)  # the build lands between stat and attach
        return real_attach(path, read_only)

    small.dispose()
    monkeypatch.setattr(duckfile, "_attach", attach_while_a_build_lands)
    count = select(func.count()).select_from(schema.person)
    with small.connect() as conn:
        assert conn.execute(count).scalar_one() == persons_of(OLD, expected)
    assert builds == []
