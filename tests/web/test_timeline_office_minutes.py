"""A request's timeline (page and history PDF) counts a step's minutes in office hours."""

from datetime import datetime, timedelta, timezone

from reports import riwayat_instance
from web.timeline import Step

WIB = timezone(timedelta(hours=7))
FRIDAY_16_20 = datetime(2026, 3, 13, 16, 20, tzinfo=WIB)
MONDAY_07_40 = datetime(2026, 3, 16, 7, 40, tzinfo=WIB)


def test_page_timeline_step_over_the_weekend_is_twenty_office_minutes():
    step = Step("disposisi_kadin", "Disposisi", "kepala_dinas", FRIDAY_16_20, MONDAY_07_40, 30, "1")
    assert step.minutes == 20 and not step.overdue  # 16:20-16:30 Friday, 07:30-07:40 Monday
    late = Step("disposisi_kadin", "Disposisi", "kepala_dinas", FRIDAY_16_20, MONDAY_07_40, 5, "1")
    assert late.overdue


def test_history_pdf_step_over_the_weekend_is_twenty_office_minutes():
    events = [
        {"action": "started", "element_id": "p", "element_name": "P", "actor": "x",
         "at": FRIDAY_16_20.isoformat()},
        {"action": "completed", "element_id": "a", "element_name": "A", "actor": "y",
         "at": MONDAY_07_40.isoformat()},
    ]  # fmt: skip
    steps, _notes = riwayat_instance.timeline(events, {"a": (30, "1")})
    assert [(s.minutes, s.overdue) for s in steps] == [(20, False)]
