"""Standard minutes count office minutes: the office's hours on its working days, in WIB."""

from datetime import date, datetime, timedelta, timezone
from types import SimpleNamespace

import pytest

from engine.calendar import WorkingCalendar
from engine.config import DEFAULT_OFFICE_HOURS, Settings
from engine.due_times import due_time
from engine.office_hours import (
    OfficeHours,
    OfficeHoursError,
    office_minutes_deadline,
    parse_office_hours,
)

WIB = timezone(timedelta(hours=7))


def wib(day: int, hour: int, minute: int, month: int = 3) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=WIB)


def office(*cuti_bersama: date) -> OfficeHours:
    return OfficeHours.from_setting(DEFAULT_OFFICE_HOURS, WorkingCalendar(frozenset(cuti_bersama)))


def spec(**props):
    return SimpleNamespace(extensions={k: str(v) for k, v in props.items()})


def test_arrival_inside_hours_counts_plain_minutes():
    # Thursday 12 March 2026, 09:00
    assert office().add_minutes(wib(12, 9, 0), 15) == wib(12, 9, 15)


def test_arrival_before_opening_counts_from_the_opening():
    # the bug of issue 15: a task that arrived at 04:24 was late at 04:29
    assert due_time(spec(standard_minutes=5), wib(12, 4, 24)) == wib(12, 7, 35)


def test_arrival_after_closing_counts_from_the_next_opening():
    assert due_time(spec(standard_minutes=5), wib(12, 19, 0)) == wib(13, 7, 35)


def test_arrival_near_closing_goes_on_the_next_working_day():
    # Thursday 15:58: 2 minutes on Thursday, 3 on Friday morning
    assert office().add_minutes(wib(12, 15, 58), 5) == wib(13, 7, 33)
    assert office().add_minutes(wib(12, 15, 55), 5) == wib(12, 16, 0)  # due at the closing


def test_friday_closes_later():
    # 16:20 is after closing on Monday to Thursday, not on Friday (07:30-16:30)
    assert office().add_minutes(wib(13, 16, 20), 5) == wib(13, 16, 25)
    assert office().add_minutes(wib(12, 16, 20), 5) == wib(13, 7, 35)


def test_across_the_weekend():
    # Friday 16:28: 2 minutes on Friday, then Monday 16 March
    assert office().add_minutes(wib(13, 16, 28), 5) == wib(16, 7, 33)
    assert office().add_minutes(wib(14, 10, 0), 5) == wib(16, 7, 35)  # arrived on Saturday


def test_across_a_national_holiday():
    # Wednesday 18 March 15:58; Thursday 19 March 2026 is Nyepi
    assert office().add_minutes(wib(18, 15, 58), 5) == wib(20, 7, 33)


def test_across_cuti_bersama_days():
    # Nyepi (19), cuti bersama (20), the weekend with Idul Fitri (21-22), cuti bersama (23)
    hours = office(date(2026, 3, 20), date(2026, 3, 23))
    assert hours.add_minutes(wib(18, 15, 58), 5) == wib(24, 7, 33)


def test_several_days_of_standard_minutes():
    # 8.5 office hours on Monday to Thursday: 600 minutes from Monday 07:30 end Tuesday 09:00
    assert office().add_minutes(wib(16, 7, 30), 600) == wib(17, 9, 0)


def test_the_result_is_utc():
    due = office().add_minutes(wib(12, 4, 24), 5)
    assert due.utcoffset() == timedelta(0) and due == datetime(
        2026, 3, 12, 0, 35, tzinfo=timezone.utc
    )
    # naive datetimes are UTC, like everywhere in the engine
    assert office().add_minutes(datetime(2026, 3, 11, 21, 24), 5) == wib(12, 7, 35)


def test_minutes_between_counts_only_office_hours():
    hours = office()
    # Friday 16:20 to Monday 07:40: 10 minutes before Friday's closing, 10 after Monday's opening
    assert hours.minutes_between(wib(13, 16, 20), wib(16, 7, 40)) == 20
    assert hours.minutes_between(wib(12, 9, 0), wib(12, 9, 12)) == 12
    assert hours.minutes_between(wib(12, 4, 24), wib(12, 7, 40)) == 10
    assert hours.minutes_between(wib(18, 15, 0), wib(20, 8, 0)) == 90  # over Nyepi
    assert hours.minutes_between(wib(12, 9, 0), wib(12, 8, 0)) == 0


def test_minutes_between_and_add_minutes_agree():
    hours = office(date(2026, 3, 20))
    start = wib(12, 5, 17)
    for minutes in (1, 30, 510, 511, 2000, 5000):
        assert hours.minutes_between(start, hours.add_minutes(start, minutes)) == minutes


def test_day_deadlines_are_unchanged():
    friday_10 = wib(18, 10, 0, month=12)
    assert due_time(spec(deadline_working_days=3, standard_minutes=30), friday_10) == wib(
        23, 10, 0, month=12
    )
    assert due_time(spec(deadline_days=60), friday_10).date().isoformat() == "2027-02-16"


def test_timer_helper_gives_iso_utc_text():
    assert office_minutes_deadline("2026-03-12T04:24:00+07:00", 5) == "2026-03-12T00:35:00+00:00"


def test_the_setting_with_a_lunch_break_and_a_saturday_named():
    week = parse_office_hours("mon-thu 07:30-12:00,13:00-16:00; fri 07:30-11:00 ; sat 08:00-12:00")
    assert week[0] == ((450, 720), (780, 960)) and week[4] == ((450, 660),) and week[6] == ()
    hours = OfficeHours(week, WorkingCalendar())
    assert hours.add_minutes(wib(12, 11, 55), 10) == wib(12, 13, 5)
    # Saturday is named, but the working calendar keeps the office closed at weekends
    assert hours.add_minutes(wib(13, 10, 58), 5) == wib(16, 7, 33)


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("mon-thu 7.30-16:00", "'7.30' bukan jam HH:MM"),
        ("mon-thu 07:30", "'07:30' bukan rentang jam HH:MM-HH:MM"),
        ("senin 07:30-16:00", "'senin' bukan nama hari"),
        ("mon-thu 16:00-07:30", "tidak sesudah jam buka"),
        ("mon-thu 07:30-16:00; thu 08:00-12:00", "hari thu disebut dua kali"),
        ("mon-fri", "tidak menyebut jam buka"),
        ("sat-sun 08:00-12:00", "tidak ada jam buka pada hari kerja"),
        ("mon 07:30-25:00", "'25:00' bukan jam HH:MM"),
        ("mon 07:30-12:00,11:00-16:00", "saling tumpang tindih"),
        ("fri-mon 07:30-16:00", "terbalik"),
    ],
)
def test_a_malformed_setting_is_refused_in_one_clear_line(value, reason):
    with pytest.raises(OfficeHoursError) as refused:
        Settings(office_hours=value)
    message = str(refused.value)
    assert message.startswith(f"LAKSANA_OFFICE_HOURS '{value}' tidak sah: ")
    assert reason in message and DEFAULT_OFFICE_HOURS in message and "\n" not in message


def test_the_setting_is_read_from_the_environment(monkeypatch):
    monkeypatch.setenv("LAKSANA_OFFICE_HOURS", "mon-fri 08:00-15:00")
    assert Settings().office_hours == "mon-fri 08:00-15:00"
    monkeypatch.setenv("LAKSANA_OFFICE_HOURS", "setiap hari")
    with pytest.raises(OfficeHoursError, match="LAKSANA_OFFICE_HOURS 'setiap hari' tidak sah"):
        Settings()
    monkeypatch.delenv("LAKSANA_OFFICE_HOURS")
    assert Settings().office_hours == DEFAULT_OFFICE_HOURS


def test_the_configured_hours_apply_to_due_times(monkeypatch):
    monkeypatch.setenv("LAKSANA_OFFICE_HOURS", "mon-fri 08:00-15:00")
    assert due_time(spec(standard_minutes=5), wib(12, 4, 24)) == wib(12, 8, 5)
    monkeypatch.setenv("LAKSANA_CUTI_BERSAMA", "2026-03-13")
    assert due_time(spec(standard_minutes=5), wib(12, 14, 58)) == wib(16, 8, 3)


def test_the_command_line_refuses_a_malformed_setting_in_one_line(monkeypatch, tmp_path):
    from click.testing import CliRunner

    from web.cli import cli

    monkeypatch.setenv("LAKSANA_INSTANCE_DIR", str(tmp_path))
    monkeypatch.setenv("LAKSANA_OFFICE_HOURS", "mon-thu 07:30-16.00")
    result = CliRunner().invoke(cli, ["instances"])
    assert result.exit_code != 0
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert lines == [
        "Error: OfficeHoursError: LAKSANA_OFFICE_HOURS 'mon-thu 07:30-16.00' tidak sah: "
        f"'16.00' bukan jam HH:MM (contoh: \"{DEFAULT_OFFICE_HOURS}\")"
    ]
