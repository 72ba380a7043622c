"""Working-day arithmetic: weekends, national holidays (``holidays``) and configured cuti bersama."""

from datetime import date, datetime, timedelta, timezone

import holidays
import pytest
from hypothesis import given
from hypothesis import strategies as st
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition

from engine import calendar
from engine.calendar import CalendarConfigError, WorkingCalendar

WIB = timezone(timedelta(hours=7))
#: The 2026 joint leave days around Idul Fitri and Christmas (SKB 3 Menteri), as an office would configure them.
CUTI_2026 = "2026-03-18,2026-03-20,2026-03-23,2026-03-24,2026-12-24"


def wib(*args) -> datetime:
    return datetime(*args, tzinfo=WIB)


@pytest.fixture
def office() -> WorkingCalendar:
    return WorkingCalendar.from_setting(CUTI_2026)


def test_the_holidays_package_gives_the_2026_dates_the_tests_rely_on():
    public = holidays.Indonesia(years=2026, categories=("public",))
    assert {date(2026, 3, 19), date(2026, 3, 21), date(2026, 3, 22), date(2026, 12, 25)} <= set(
        public
    )
    assert (
        date(2026, 3, 20) not in public
    )  # cuti bersama are not national holidays: the office configures them


def test_weekend_is_skipped(office):
    friday = wib(2026, 3, 6, 10, 0)
    assert office.add_working_days(friday, 1) == wib(2026, 3, 9, 10, 0)
    assert office.add_working_days(friday, 3) == wib(2026, 3, 11, 10, 0)


def test_complaint_on_a_saturday_counts_from_monday(office):
    assert office.add_working_days(wib(2026, 3, 7, 10, 0), 1) == wib(2026, 3, 9, 10, 0)


def test_idul_fitri_2026_with_cuti_bersama(office):
    # Wed 18 cuti, Thu 19 Nyepi, Fri 20 cuti, weekend with Idul Fitri, Mon 23 and Tue 24 cuti
    tuesday = wib(2026, 3, 17, 9, 0)
    assert office.add_working_days(tuesday, 1) == wib(2026, 3, 25, 9, 0)
    assert office.add_working_days(tuesday, 3) == wib(2026, 3, 27, 9, 0)
    assert office.day_off_reason(date(2026, 3, 19)).startswith("libur nasional")
    assert office.day_off_reason(date(2026, 3, 23)) == "cuti bersama"


def test_without_cuti_bersama_only_national_holidays_count():
    plain = WorkingCalendar.from_setting(None)
    assert plain.add_working_days(wib(2026, 3, 17, 9, 0), 1) == wib(2026, 3, 18, 9, 0)
    assert plain.add_working_days(wib(2026, 3, 17, 9, 0), 2) == wib(2026, 3, 20, 9, 0)


def test_christmas_and_new_year(office):
    # Thu 24 Dec cuti bersama, Fri 25 Christmas, Fri 1 Jan 2027 New Year
    assert office.add_working_days(wib(2026, 12, 23, 14, 0), 3) == wib(2026, 12, 30, 14, 0)
    assert office.add_working_days(wib(2026, 12, 30, 14, 0), 2) == wib(2027, 1, 4, 14, 0)
    assert office.working_days_between(wib(2026, 12, 23, 14, 0), wib(2026, 12, 31, 8, 0)) == 4


def test_days_are_counted_on_the_office_clock(office):
    late_thursday_utc = datetime(2026, 3, 12, 20, 0, tzinfo=timezone.utc)  # Friday 03:00 WIB
    assert office.add_working_days(late_thursday_utc, 1) == datetime(
        2026, 3, 15, 20, 0, tzinfo=timezone.utc
    )


def test_dates_and_naive_datetimes(office):
    assert office.add_working_days(date(2026, 12, 23), 1) == date(2026, 12, 28)
    naive_utc = datetime(2026, 3, 6, 3, 0)
    assert office.add_working_days(naive_utc, 1) == datetime(2026, 3, 9, 3, 0, tzinfo=timezone.utc)


def test_negative_count_is_refused(office):
    with pytest.raises(ValueError, match="must not be negative"):
        office.add_working_days(wib(2026, 3, 6, 10, 0), -1)


@given(
    start=st.datetimes(
        min_value=datetime(2025, 1, 1),
        max_value=datetime(2028, 12, 31),
        timezones=st.just(timezone.utc),
    ),
    n=st.integers(min_value=0, max_value=70),
)
def test_working_days_between_undoes_add_working_days(start, n):
    office = WorkingCalendar.from_setting(CUTI_2026)
    later = office.add_working_days(start, n)
    assert office.working_days_between(start, later) == n
    assert office.working_days_between(later, start) == -n
    if n:
        assert office.is_working_day(later.astimezone(WIB).date())


def test_cuti_bersama_from_a_file_and_from_the_package(tmp_path):
    listing = tmp_path / "cuti.txt"
    listing.write_text("# SKB 2026\n2026-05-15  # Kenaikan\n\n2026-05-28\n")
    office = WorkingCalendar.from_setting(f"2026-02-16, {listing}")
    assert office.cuti_bersama == {date(2026, 2, 16), date(2026, 5, 15), date(2026, 5, 28)}
    assert (
        WorkingCalendar.from_setting("bawaan")
        .day_off_reason(date(2026, 12, 24))
        .startswith("cuti bersama")
    )


def test_bad_configuration_names_the_culprit(tmp_path):
    with pytest.raises(CalendarConfigError, match="'2026-13-01' is neither"):
        WorkingCalendar.from_setting("2026-13-01")
    broken = tmp_path / "cuti.txt"
    broken.write_text("2026-03-20\nkemarin\n")
    with pytest.raises(CalendarConfigError, match=r"cuti.txt:2: 'kemarin'"):
        WorkingCalendar.from_setting(str(broken))


def test_module_functions_follow_the_environment(monkeypatch):
    tuesday = wib(2026, 3, 17, 9, 0)
    monkeypatch.delenv("LAKSANA_CUTI_BERSAMA", raising=False)
    assert calendar.add_working_days(tuesday, 1) == wib(2026, 3, 18, 9, 0)
    monkeypatch.setenv("LAKSANA_CUTI_BERSAMA", CUTI_2026)
    assert calendar.add_working_days(tuesday, 1) == wib(2026, 3, 25, 9, 0)
    assert calendar.working_days_between(tuesday, wib(2026, 3, 27, 9, 0)) == 3


def test_timer_deadline_text_is_what_spiffworkflow_reads(monkeypatch):
    monkeypatch.setenv("LAKSANA_CUTI_BERSAMA", CUTI_2026)
    text = calendar.working_days_deadline("2026-03-17T02:00:00+00:00", 1)
    assert text == "2026-03-25T02:00:00+00:00"
    assert TimerEventDefinition.get_datetime(text) == datetime(
        2026, 3, 25, 2, 0, tzinfo=timezone.utc
    )
    assert calendar.days_deadline("2026-03-12T01:00:00+00:00", 60) == "2026-05-11T01:00:00+00:00"
