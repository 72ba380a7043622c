"""The history PDF's timeline: a step of a few seconds reads "< 0,1" minutes, never "0,0"; an
engine step is done by "Sistem"."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from reports import riwayat_instance
from tests.reports.helpers import pdf_text

START = datetime(2026, 7, 8, 1, 30, tzinfo=UTC)  # 08.30 WIB, a Wednesday


def test_a_step_of_seconds_is_not_zero_minutes_and_the_system_does_engine_steps():
    events = [
        {"action": "started", "at": START},
        {
            "action": "completed",
            "element_id": "catat",
            "element_name": "Mencatat surat",
            "actor": "sekretariat",
            "at": START + timedelta(seconds=2),
        },
        {
            "action": "service_ok",
            "element_id": "buat",
            "element_name": "Membuat lembar",
            "actor": "sekretariat",
            "at": START + timedelta(seconds=3),
        },
    ]
    steps, notes = riwayat_instance.timeline(events, {}, {"sekretariat": "Sri Wahyuni"})
    assert [s.actor for s in steps] == ["Sri Wahyuni", "Sistem"]
    text = pdf_text(riwayat_instance.render({"id": 7, "status": "running"}, steps, notes))
    row = next(line for line in text.splitlines() if "Mencatat surat" in line)
    assert "< 0,1" in row and "0,0" not in row
