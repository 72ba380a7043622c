"""The first running number of a new year, taken by two actions at once: 1 and 2, no error.

Reading the counter and inserting it when missing lost this race on PostgreSQL (both read no
row, one insert failed with a unique violation, a 500 for the person); found by bench/load.py."""

from __future__ import annotations

import threading

from engine.archive import next_number


def test_two_actions_take_the_first_numbers_of_a_series_in_turn(database):
    first_holds = threading.Event()
    results: dict[str, object] = {}

    def first():
        with database.transaction() as session:
            results["first"] = next_number(session, "uji_seri", 2027)
            first_holds.set()
            # keep the transaction open while the second asks (it must wait, then go on)
            threading.Event().wait(0.5)

    def second():
        first_holds.wait(5)
        try:
            with database.transaction() as session:
                results["second"] = next_number(session, "uji_seri", 2027)
        except Exception as exc:  # noqa: BLE001 - the test reports the raw error
            results["second"] = exc

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)

    assert results == {"first": 1, "second": 2}
    with database.transaction() as session:
        assert next_number(session, "uji_seri", 2027) == 3
        assert next_number(session, "uji_seri", 2028) == 1
