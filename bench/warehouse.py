"""Warehouse benchmark: build time and two presets on DuckDB, SQLite and PostgreSQL; medians.

    .venv/bin/python bench/warehouse.py [--scale 1.0] [--repeat 15] [--backends duckdb,sqlite,postgresql]

Builds the synthetic regency at ``--scale`` into each backend (same schema and
indexes), then times the presets "kecamatan x sex x age group"
(``kecamatan_jk_umur``) and "desa x religion" (``desa_agama``): the database
part (the GROUP BY and fetching its rows) and, for DuckDB, the whole
``run_query`` including disclosure control. PostgreSQL runs when
``--pg-url`` or LAKSANA_TEST_DATABASE_URL is set (a scratch schema, dropped
afterwards). With ``--scale`` other than 1, DuckDB is also built at scale 1
to report how its time grows.

Targets: DuckDB median <= 50 ms and >= 20x faster than SQLite; at scale 10
DuckDB's time grows at most 12x.
"""

from __future__ import annotations

import argparse
import os
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

PRESETS = {"kecamatan x sex x age group": "kecamatan_jk_umur", "desa x religion": "desa_agama"}
PERIOD = "2026-1"
TARGET_MS = 50.0
TARGET_SPEEDUP = 20.0
TARGET_GROWTH = 12.0


def median_ms(work: Callable[[], object], repeat: int) -> float:
    work()  # warm up: caches, first compilation
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        timings.append((time.perf_counter() - start) * 1000)
    return statistics.median(timings)


def timed_build(store: Warehouse, scale: float) -> float:
    start = time.perf_counter()
    build_synthetic(store, scale=scale, period=PERIOD)
    return time.perf_counter() - start


def query_timings(store: Warehouse, repeat: int, whole: bool) -> dict[str, float]:
    policy = SdcPolicy.from_settings()
    timings = {}
    for label, preset in PRESETS.items():
        spec = parse_spec({"preset": preset, "period": PERIOD})
        timings[label] = median_ms(lambda spec=spec: fetch_table(store, spec, PERIOD), repeat)
        if whole:
            timings[f"{label} (run_query + SDC)"] = median_ms(lambda spec=spec: run_query(store, spec, policy), repeat)
    return timings


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


def run_backend(name: str, url: str, scale: float, repeat: int) -> dict:
    store = Warehouse(url)
    try:
        build_seconds = timed_build(store, scale)
        return {"build_s": build_seconds, "queries": query_timings(store, repeat, whole=name == "duckdb")}
    finally:
        store.dispose()


def print_report(scale: float, results: dict[str, dict], baseline: dict | None) -> None:
    print(f"scale {scale} ({round(1_071_977 * scale):,} persons), cores: {os.cpu_count()}")
    for backend, outcome in results.items():
        print(f"  build {backend:<10} {outcome['build_s']:7.2f} s")
    duck = results["duckdb"]["queries"]
    for label, duck_ms in duck.items():
        line = f"  {label:<42} duckdb {duck_ms:8.2f} ms"
        if label in PRESETS:
            for other in ("sqlite", "postgresql"):
                if other in results:
                    other_ms = results[other]["queries"][label]
                    line += f" | {other} {other_ms:9.2f} ms ({other_ms / duck_ms:6.1f}x)"
            if scale == 1.0:
                line += "  [target <= 50 ms: " + ("met" if duck_ms <= TARGET_MS else "MISSED") + "]"
        print(line)
    if "sqlite" in results:
        slowest = min(results["sqlite"]["queries"][k] / duck[k] for k in PRESETS)
        print(f"  SQLite/DuckDB lowest ratio {slowest:.1f}x  [target >= {TARGET_SPEEDUP:.0f}x: "
              + ("met" if slowest >= TARGET_SPEEDUP else "MISSED") + "]")
    if baseline:
        for label in PRESETS:
            growth = duck[label] / baseline["queries"][label]
            print(f"  growth from scale 1 to {scale}: {label:<28} {growth:5.1f}x  [target <= {TARGET_GROWTH:.0f}x: "
                  + ("met" if growth <= TARGET_GROWTH else "MISSED") + "]")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--backends", default="duckdb,sqlite,postgresql")
    parser.add_argument("--pg-url", default=os.environ.get("LAKSANA_TEST_DATABASE_URL"))
    args = parser.parse_args()
    backends = [b.strip() for b in args.backends.split(",")]
    results: dict[str, dict] = {}
    with tempfile.TemporaryDirectory(prefix="laksana-bench-") as folder:
        results["duckdb"] = run_backend("duckdb", f"duckdb:///{folder}/bench.duckdb", args.scale, args.repeat)
        baseline = None
        if args.scale != 1.0:
            baseline = run_backend("duckdb", f"duckdb:///{folder}/base.duckdb", 1.0, args.repeat)
        if "sqlite" in backends:
            results["sqlite"] = run_backend("sqlite", f"sqlite:///{folder}/bench.sqlite", args.scale, args.repeat)
        if "postgresql" in backends and args.pg_url:
            url, schema = postgres_schema_url(args.pg_url)
            try:
                results["postgresql"] = run_backend("postgresql", url, args.scale, args.repeat)
            finally:
                drop_postgres_schema(args.pg_url, schema)
        elif "postgresql" in backends:
            print("PostgreSQL skipped: set --pg-url or LAKSANA_TEST_DATABASE_URL", file=sys.stderr)
    print_report(args.scale, results, baseline)


if __name__ == "__main__":
    main()
