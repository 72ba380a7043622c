"""Warehouse benchmark: build time and protected queries on DuckDB, SQLite and PostgreSQL; medians.

    .venv/bin/python bench/warehouse.py [--scale 1.0] [--repeat 15] [--backends duckdb,sqlite,postgresql]
    .venv/bin/python bench/warehouse.py --smoke     # tiny sizes, a few seconds (CI)
    .venv/bin/python bench/warehouse.py --backends duckdb --read-write-baseline

Builds the synthetic regency at ``--scale`` into each backend (same schema and
indexes), then times the whole ``run_query`` with the cell key method (the
GROUP BY with each cell's count and key sum, the perturbation, the result
document) for the presets "kecamatan x sex x age group" (``kecamatan_jk_umur``),
"desa x religion" (``desa_agama``) and a custom desa table with its own age
bands and an age filter; for DuckDB also the database part alone
(``fetch_table``) and the whole query on a newly opened read-only connection
(what the first query after a rebuild, or a CLI command, pays). PostgreSQL runs when
``--pg-url`` or LAKSANA_TEST_DATABASE_URL is set (a scratch schema, dropped
afterwards). With ``--scale`` other than 1, DuckDB is also built at scale 1
to report how its time grows. All cases are timed round-robin (one run of
each per round) so that a busy machine weighs on every case alike.

Targets: DuckDB median <= 50 ms and >= 20x faster than SQLite; at scale 10
DuckDB's time grows at most 12x.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from warehouse.build import build_synthetic  # noqa: E402
from warehouse.query import fetch_table, run_query  # noqa: E402
from warehouse.sdc import SdcPolicy  # noqa: E402
from warehouse.spec import parse_spec  # noqa: E402
from warehouse.store import Warehouse  # noqa: E402

PRESETS = {
    "kecamatan x sex x age group": {"preset": "kecamatan_jk_umur"},
    "desa x religion": {"preset": "desa_agama"},
    "desa x custom bands x sex, age >= 1": {
        "row_level": "desa",
        "dimensions": ["age_group", "sex"],
        "age_bands": [0, 1, 5, 15, 65],
        "filters": {"age": {"min": 1}},
    },
}
PERIOD = "2026-1"
TARGET_MS = 50.0
TARGET_SPEEDUP = 20.0
TARGET_GROWTH = 12.0


def timed_build(store: Warehouse, scale: float) -> float:
    start = time.perf_counter()
    build_synthetic(store, scale=scale, period=PERIOD)
    return time.perf_counter() - start


def interleaved_medians(cases: dict[str, Callable[[], object]], repeat: int) -> dict[str, float]:
    """Median milliseconds per case, timed round-robin so that every case sees the same machine load."""
    for work in cases.values():
        work()  # warm up: caches, first compilation
    timings: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(repeat):
        for name, work in cases.items():
            start = time.perf_counter()
            work()
            timings[name].append((time.perf_counter() - start) * 1000)
    return {name: statistics.median(values) for name, values in timings.items()}


def reopened_query(store: Warehouse, spec, policy: SdcPolicy) -> object:
    """The query as the first one after a rebuild, or a CLI command's: the file opened afresh."""
    store.engine.dispose()
    return run_query(store, spec, policy)


def query_cases(backend: str, store: Warehouse) -> dict[tuple[str, str], Callable[[], object]]:
    policy = SdcPolicy.from_settings()
    cases = {}
    for label, raw in PRESETS.items():
        spec = parse_spec(raw | {"period": PERIOD})
        cases[(backend, label)] = lambda store=store, spec=spec: run_query(store, spec, policy)
        if backend == "duckdb":
            cases[(backend, f"{label} (GROUP BY only)")] = lambda store=store, spec=spec: (
                fetch_table(store, spec, PERIOD)
            )
            cases[(backend, f"{label} (new read-only connection)")] = (
                lambda store=store, spec=spec: reopened_query(store, spec, policy)
            )
    return cases


def postgres_schema_url(url: str) -> tuple[str, str]:
    schema = f"wh_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(url)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    admin.dispose()
    scoped = make_url(url).update_query_dict({"options": f"-csearch_path={schema}"})
    return scoped.render_as_string(hide_password=False), schema


def drop_postgres_schema(url: str, schema: str) -> None:
    admin = create_engine(url)
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


def read_write_baseline(folder: str, stores: dict) -> None:
    """As before the read-only readers: a copy of the DuckDB file under a plain read-write engine."""
    copy = Path(folder) / "baseline.duckdb"
    shutil.copyfile(Path(folder) / "bench.duckdb", copy)
    store = Warehouse(f"duckdb:///{copy}")
    store.dispose()
    store.file, store.engine = None, create_engine(f"duckdb:///{copy}")
    stores["duckdb read-write"] = store


def build_backend(name: str, url: str, scale: float, stores: dict, builds: dict) -> None:
    store = Warehouse(url)
    builds[name] = timed_build(store, scale)
    stores[name] = store


def print_report(
    scale: float, builds: dict[str, float], medians: dict[tuple[str, str], float]
) -> None:
    print(f"scale {scale} ({round(1_071_977 * scale):,} persons), cores: {os.cpu_count()}")
    for backend, seconds in builds.items():
        print(f"  build {backend:<14} {seconds:7.2f} s")
    duck = {label: ms for (backend, label), ms in medians.items() if backend == "duckdb"}
    for label, duck_ms in duck.items():
        line = f"  {label:<52} duckdb {duck_ms:8.2f} ms"
        if label in PRESETS:
            for other in ("duckdb read-write", "sqlite", "postgresql"):
                if (other, label) in medians:
                    other_ms = medians[(other, label)]
                    line += f" | {other} {other_ms:9.2f} ms ({other_ms / duck_ms:6.1f}x)"
            if scale == 1.0:
                line += "  [target <= 50 ms: " + ("met" if duck_ms <= TARGET_MS else "MISSED") + "]"
        print(line)
    if scale == 1.0 and any(backend == "sqlite" for backend, _ in medians):
        lowest = min(medians[("sqlite", k)] / duck[k] for k in PRESETS)
        print(
            f"  SQLite/DuckDB lowest ratio {lowest:.1f}x  [target >= {TARGET_SPEEDUP:.0f}x: "
            + ("met" if lowest >= TARGET_SPEEDUP else "MISSED")
            + "]"
        )
    for label in PRESETS:
        if ("duckdb scale 1", label) in medians:
            growth = duck[label] / medians[("duckdb scale 1", label)]
            print(
                f"  DuckDB growth from scale 1 to {scale}: {label:<28} {growth:5.1f}x  "
                f"[target <= {TARGET_GROWTH:.0f}x: "
                + ("met" if growth <= TARGET_GROWTH else "MISSED")
                + "]"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--backends", default="duckdb,sqlite,postgresql")
    parser.add_argument("--pg-url", default=os.environ.get("LAKSANA_TEST_DATABASE_URL"))
    parser.add_argument(
        "--read-write-baseline",
        action="store_true",
        help="also time DuckDB as before: the file (a copy) opened read-write, not read-only",
    )
    parser.add_argument(
        "--smoke", action="store_true", help="scale 0.01, 3 rounds, DuckDB and SQLite (CI)"
    )
    args = parser.parse_args()
    if args.smoke:
        args.scale, args.repeat, args.backends = 0.01, 3, "duckdb,sqlite"
    backends = [b.strip() for b in args.backends.split(",")]
    stores: dict[str, Warehouse] = {}
    builds: dict[str, float] = {}
    pg_schema = None
    with tempfile.TemporaryDirectory(prefix="laksana-bench-") as folder:
        try:
            build_backend("duckdb", f"duckdb:///{folder}/bench.duckdb", args.scale, stores, builds)
            if args.scale != 1.0 and not args.smoke:
                build_backend(
                    "duckdb scale 1", f"duckdb:///{folder}/base.duckdb", 1.0, stores, builds
                )
            if args.read_write_baseline:
                read_write_baseline(folder, stores)
            if "sqlite" in backends:
                build_backend(
                    "sqlite", f"sqlite:///{folder}/bench.sqlite", args.scale, stores, builds
                )
            if "postgresql" in backends and args.pg_url:
                url, pg_schema = postgres_schema_url(args.pg_url)
                build_backend("postgresql", url, args.scale, stores, builds)
            elif "postgresql" in backends:
                print(
                    "PostgreSQL skipped: set --pg-url or LAKSANA_TEST_DATABASE_URL", file=sys.stderr
                )
            cases = {}
            for name, store in stores.items():
                cases.update(query_cases(name, store))
            medians = interleaved_medians(cases, args.repeat)
        finally:
            for store in stores.values():
                store.dispose()
            if pg_schema:
                drop_postgres_schema(args.pg_url, pg_schema)
    print_report(args.scale, builds, medians)


if __name__ == "__main__":
    main()
