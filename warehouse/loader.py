"""Bulk loading of column arrays into the warehouse tables, fast on each backend.

DuckDB scans the numpy arrays directly (registered on the raw connection);
PostgreSQL gets ``COPY ... FROM STDIN`` of a CSV that an in-memory DuckDB
writes from the same arrays; any other backend (SQLite, ...) gets chunked
``executemany``. All of it runs on the caller's connection and transaction.

Arrays follow :class:`warehouse.generator.Population`: NIK and KK numbers as
int64, dates as datetime64[D], codes as small integers, region codes as str.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path

import duckdb
import numpy as np
from sqlalchemy.engine import Connection

NUMBER_COLUMNS = {"nik", "no_kk", "nik_kepala"}  # int64 in, VARCHAR(16) out
DATE_COLUMNS = {"tanggal_lahir"}
CHUNK_ROWS = 50_000
COPY_CHUNK_BYTES = 1 << 20


def load_table(
    conn: Connection, table: str, period_code: str, columns: dict[str, np.ndarray]
) -> None:
    """Append the rows in ``columns`` (plus ``periode``) to ``table``."""
    dialect = conn.dialect.name
    if dialect == "duckdb":
        _load_duckdb(conn, table, period_code, columns)
    elif dialect == "postgresql":
        _load_postgresql(conn, table, period_code, columns)
    else:
        _load_generic(conn, table, period_code, columns)


def _scan_ready(columns: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Arrays DuckDB can scan: dates become day numbers."""
    return {
        name: values.astype("datetime64[D]").astype(np.int32) if name in DATE_COLUMNS else values
        for name, values in columns.items()
    }


def _select_list(columns: dict[str, np.ndarray]) -> str:
    parts = ["CAST(? AS VARCHAR) AS periode"]
    for name in columns:
        if name in NUMBER_COLUMNS:
            parts.append(f"CAST({name} AS VARCHAR) AS {name}")
        elif name in DATE_COLUMNS:
            parts.append(f"DATE '1970-01-01' + {name} AS {name}")
        else:
            parts.append(name)
    return ", ".join(parts)


def _column_list(columns: dict[str, np.ndarray]) -> str:
    return ", ".join(["periode", *columns])


def _load_duckdb(
    conn: Connection, table: str, period_code: str, columns: dict[str, np.ndarray]
) -> None:
    raw = conn.connection.driver_connection
    view = f"_load_{table}"
    raw.register(view, _scan_ready(columns))
    try:
        raw.execute(
            f"INSERT INTO {table} ({_column_list(columns)}) SELECT {_select_list(columns)} FROM {view}",
            [period_code],
        )
    finally:
        raw.unregister(view)


def _write_csv(path: Path, period_code: str, columns: dict[str, np.ndarray]) -> None:
    scratch = duckdb.connect()
    try:
        scratch.register("source", _scan_ready(columns))
        escaped = str(path).replace("'", "''")
        scratch.execute(
            f"COPY (SELECT {_select_list(columns).replace('?', repr(period_code))} FROM source) "
            f"TO '{escaped}' (FORMAT csv, HEADER false)"
        )
    finally:
        scratch.close()


def _load_postgresql(
    conn: Connection, table: str, period_code: str, columns: dict[str, np.ndarray]
) -> None:
    raw = conn.connection.driver_connection
    with tempfile.TemporaryDirectory(prefix="laksana-wh-") as folder:
        path = Path(folder) / f"{table}.csv"
        _write_csv(path, period_code, columns)
        with (
            raw.cursor() as cursor,
            cursor.copy(f"COPY {table} ({_column_list(columns)}) FROM STDIN (FORMAT csv)") as copy,
            open(path, "rb") as source,
        ):
            while chunk := source.read(COPY_CHUNK_BYTES):
                copy.write(chunk)


def _python_values(name: str, values: np.ndarray) -> list:
    if name in NUMBER_COLUMNS:
        return values.astype(str).tolist()
    if name in DATE_COLUMNS:
        return np.datetime_as_string(values.astype("datetime64[D]")).tolist()
    return values.tolist()


def _row_chunks(period_code: str, columns: dict[str, np.ndarray]) -> Iterator[list[tuple]]:
    total = len(next(iter(columns.values()))) if columns else 0
    for start in range(0, total, CHUNK_ROWS):
        stop = min(start + CHUNK_ROWS, total)
        values = [_python_values(name, array[start:stop]) for name, array in columns.items()]
        yield [(period_code, *row) for row in zip(*values, strict=True)]


def _placeholders(conn: Connection, count: int) -> str:
    style = conn.dialect.paramstyle
    if style == "qmark":
        return ", ".join("?" * count)
    if style == "numeric":
        return ", ".join(f":{i + 1}" for i in range(count))
    return ", ".join(["%s"] * count)


def _load_generic(
    conn: Connection, table: str, period_code: str, columns: dict[str, np.ndarray]
) -> None:
    sql = f"INSERT INTO {table} ({_column_list(columns)}) VALUES ({_placeholders(conn, len(columns) + 1)})"
    for rows in _row_chunks(period_code, columns):
        conn.exec_driver_sql(sql, rows)
