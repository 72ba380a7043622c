"""What the child processes of test_wh_concurrency.py run (importable, for the spawn start method).

A reader is a web or job worker (one Warehouse, pooled connections, for its whole life)
or a CLI command (a new Warehouse for every query, disposed after it). It queries until
told to stop and reports how many queries ran, every error, and every answer it saw.
"""

from __future__ import annotations

import time
import traceback
from collections import Counter

from sqlalchemy import func, select

from warehouse import schema
from warehouse.build import build_synthetic
from warehouse.query import fetch_table
from warehouse.spec import parse_spec
from warehouse.store import Warehouse

PERIOD = "2026-1"


def _describe(exc: BaseException) -> str:
    return "".join(traceback.format_exception_only(type(exc), exc)).strip()[:400]


def one_answer(store: Warehouse, expected: dict[int, int]) -> tuple[int, str | None]:
    """(persons, problem): stats and a protected query's true counts must be one whole build."""
    stats = store.stats(PERIOD)
    persons, families = stats["persons"], stats["families"]
    if expected.get(persons) != families:
        return persons, f"stats: {persons} persons / {families} families is no build"
    if sum(k["persons"] for k in stats["kecamatan"]) != persons:
        return persons, "stats: kecamatan counts do not add up"
    table = fetch_table(store, parse_spec({"preset": "kelompok_umur_jk"}), PERIOD)
    if int(table.values.sum()) not in expected:
        return persons, f"query: {int(table.values.sum())} persons is no build"
    return persons, None


def reader(url: str, expected: dict[int, int], fresh: bool, ready, stop, results) -> None:
    """Query ``url`` until ``stop`` is set.

    Puts (start time of every query, errors, {persons: times answered}, last answer) on results.
    """
    errors: list[str] = []
    seen: Counter[int] = Counter()
    started: list[float] = []
    last = 0
    store = Warehouse(url)
    while True:
        stopping = stop.is_set()  # read first: the answer after the stop is the final build
        started.append(time.time())
        try:
            last, problem = one_answer(store, expected)
            seen[last] += 1
            if problem:
                errors.append(problem)
        except Exception as exc:  # every failure counts; the test reports them
            errors.append(_describe(exc))
        if len(started) == 1:
            ready.put(url)
        if fresh:
            store.dispose()
            store = Warehouse(url)
        if stopping:
            break
    store.dispose()
    results.put((started, errors, dict(seen), last))


def rebuilder(url: str, builds: list[tuple[float, int]], results) -> None:
    """Build ``url`` again for each (scale, seed); put (errors, start, end) on results."""
    errors: list[str] = []
    store = Warehouse(url)
    began = time.time()
    for scale, seed in builds:
        try:
            build_synthetic(store, scale=scale, seed=seed, period=PERIOD)
        except Exception as exc:
            errors.append(_describe(exc))
    ended = time.time()
    store.dispose()
    results.put((errors, began, ended))


def hold_connection(url: str, ready, release) -> None:
    """Keep a query connection open (mid-request, as a busy web worker does) until released."""
    store = Warehouse(url)
    with store.connect() as conn:
        persons = conn.execute(select(func.count()).select_from(schema.person)).scalar_one()
        ready.put(persons)
        release.wait(120)
    store.dispose()
