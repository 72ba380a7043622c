"""Due dates from a step's properties: standard minutes, calendar days, office working days."""

from datetime import datetime, timezone
from types import SimpleNamespace

from engine.due_times import due_time

FRIDAY_10_WIB = datetime(2026, 12, 18, 3, 0, tzinfo=timezone.utc)


def spec(**props):
    return SimpleNamespace(extensions={k: str(v) for k, v in props.items()})


def test_standard_minutes():
    assert due_time(spec(standard_minutes=15), FRIDAY_10_WIB) == datetime(
        2026, 12, 18, 3, 15, tzinfo=timezone.utc
    )


def test_working_days_skip_the_weekend_and_christmas():
    # Fri 18 Dec 2026 + 3 working days: Mon 21, Tue 22, Wed 23 (25 Dec is a holiday, not reached)
    assert due_time(spec(deadline_working_days=3), FRIDAY_10_WIB) == datetime(
        2026, 12, 23, 3, 0, tzinfo=timezone.utc
    )
    # + 5 working days: 21, 22, 23, 24, (25 Christmas) 28
    assert due_time(spec(deadline_working_days=5), FRIDAY_10_WIB).date().isoformat() == "2026-12-28"


def test_calendar_days_and_no_deadline():
    assert due_time(spec(deadline_days=60), FRIDAY_10_WIB).date().isoformat() == "2027-02-16"
    assert due_time(spec(), FRIDAY_10_WIB) is None
    assert due_time(spec(deadline_working_days="x"), FRIDAY_10_WIB) is None


def test_deadline_counts_from_a_moment_in_the_data():
    received = "2026-12-17T03:00:00+00:00"  # Thursday 10:00 WIB
    due = due_time(
        spec(deadline_working_days=3, deadline_from="waktu_diterima"),
        FRIDAY_10_WIB,
        {"waktu_diterima": received},
    )
    assert due == datetime(2026, 12, 22, 3, 0, tzinfo=timezone.utc)
