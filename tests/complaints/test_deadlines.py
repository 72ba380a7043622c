"""Time limits in working days: escalation on a controlled clock, and what the log book shows as late."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from complaints.logbook import LogFilter, find_complaints
from engine.calendar import step_deadline

WIB = timezone(timedelta(hours=7))
ONE_MINUTE = timedelta(minutes=1)


def escalations(desk, complaint):
    return desk.notifications(complaint, kind="escalation")


def test_unverified_complaint_escalates_after_three_working_days(desk):
    complaint = desk.receive()  # Thursday 12 March 2026, 08:00 WIB
    deadline = datetime(2026, 3, 17, 8, 0, tzinfo=WIB)  # Fri 13, Mon 16, Tue 17
    assert desk.row(complaint).batas_verifikasi == deadline
    assert desk.tick_at(deadline - ONE_MINUTE) == []
    assert escalations(desk, complaint) == []

    assert desk.tick_at(deadline + ONE_MINUTE) == [complaint.instance_id]
    [note] = escalations(desk, complaint)
    assert note.recipient_role == "kabid_piak"
    assert note.subject == "Terlambat: Memverifikasi pengaduan (pengaduan P-2026-001)"
    assert "3 hari kerja sejak diterima" in note.body
    assert desk.open_steps(complaint) == ["verifikasi_pengaduan"]  # the step stays with the officer
    assert desk.tick_at(deadline + timedelta(days=1)) == []  # it escalates once
    assert [h.action for h in desk.engine.history(complaint.instance_id)][-3:] == [
        "timer_fired",
        "escalated",
        "service_ok",
    ]


def test_late_verification_shows_in_the_log_book_filter(desk, clock):
    late = desk.receive()
    on_time = desk.receive()
    desk.do(on_time, "verifikasi_pengaduan")
    clock.now = datetime(2026, 3, 18, 9, 0, tzinfo=WIB)
    with desk.engine.db.transaction() as session:
        found = find_complaints(session, LogFilter(overdue=True), clock.now)
        assert [c.nomor_register for c in found] == [late.nomor_register]
        assert found[0].overdue_limits(clock.now) == ["verifikasi"]


def test_first_follow_up_counts_five_working_days_from_forwarding_across_cuti_bersama(desk):
    complaint = desk.receive()
    desk.do(complaint, "verifikasi_pengaduan")  # forwarded Thursday 12 March
    desk.do(complaint, "klasifikasi_pengaduan")
    forwarded = desk.row(complaint).pemberitahuan_unit.astimezone(WIB)
    # 13, 16, 17, (18 cuti, 19 Nyepi, 20 cuti, weekend, 23-24 cuti) 25, 26 March
    deadline = forwarded.replace(day=26)
    assert desk.row(complaint).batas_tindak_lanjut == deadline
    assert desk.tick_at(deadline - ONE_MINUTE) == []
    assert desk.tick_at(deadline + ONE_MINUTE) == [complaint.instance_id]
    [note] = escalations(desk, complaint)
    assert note.subject.startswith("Terlambat: Menyelesaikan pengaduan ringan secara langsung")
    assert note.recipient_role == "kabid_piak"


def test_heavy_complaint_escalates_to_the_head_after_sixty_days(desk):
    complaint = desk.receive()  # 2026-03-12 01:00 UTC
    desk.do(complaint, "verifikasi_pengaduan")
    desk.do(complaint, "klasifikasi_pengaduan", klasifikasi="berat")
    desk.do(complaint, "penanganan_berat")
    desk.do(complaint, "investigasi_analisis")
    limit = datetime(2026, 5, 11, 1, 0, tzinfo=timezone.utc)
    assert desk.row(complaint).batas_penyelesaian == limit
    assert desk.tick_at(limit - ONE_MINUTE) == []
    assert desk.tick_at(limit + ONE_MINUTE) == [complaint.instance_id]
    [note] = escalations(desk, complaint)
    assert note.recipient_role == "kepala_dinas"
    assert "60 hari sejak diterima" in note.body
    with desk.engine.db.transaction() as session:
        row = find_complaints(session, LogFilter(overdue=True), limit + ONE_MINUTE)[0]
        assert row.overdue_limits(limit + ONE_MINUTE) == ["penyelesaian"]


def test_a_step_done_in_time_never_escalates(desk):
    complaint = desk.receive()
    desk.do(complaint, "verifikasi_pengaduan")
    desk.do(complaint, "klasifikasi_pengaduan")
    desk.do(complaint, "penyelesaian_unit")
    desk.do(complaint, "tanggapan_pengadu")
    desk.reply(complaint)
    desk.do(complaint, "konfirmasi_pengadu")
    assert desk.tick_at(datetime(2026, 7, 1, tzinfo=timezone.utc)) == []
    assert escalations(desk, complaint) == []


def test_each_steps_declared_deadline_is_when_its_timer_fires(desk):
    """``engine.calendar.step_deadline`` (for the inbox's due dates) agrees with the diagram's timers."""
    complaint = desk.receive()
    steps = [
        "verifikasi_pengaduan",
        "klasifikasi_pengaduan",
        "penanganan_berat",
        "investigasi_analisis",
        "keputusan_pimpinan",
        "tindak_lanjut_unit",
        "tanggapan_pengadu",
        "konfirmasi_pengadu",
    ]
    overrides = {"klasifikasi_pengaduan": {"klasifikasi": "berat"}}
    for step in steps:
        if step == "konfirmasi_pengadu":
            desk.reply(complaint)  # the step opens when the complainant's reply arrives
        task = desk.task(complaint, step)
        data = desk.engine.instance_data(complaint.instance_id)
        declared = step_deadline(task.properties, data, task.ready_at)
        assert declared == desk.engine.instance(complaint.instance_id).next_timer, step
        desk.do(complaint, step, **overrides.get(step, {}))


def test_step_deadline_falls_back_quietly():
    ready = datetime(2026, 3, 12, 1, 0, tzinfo=timezone.utc)
    assert step_deadline({"standard_minutes": "30"}, {}, ready) is None
    assert step_deadline({"deadline_working_days": "dua"}, {}, ready) is None
    assert step_deadline(
        {"deadline_days": "60", "deadline_from": "waktu_diterima"},
        {"waktu_diterima": "kemarin"},
        ready,
    ) == ready + timedelta(days=60)
    assert step_deadline({"deadline_working_days": "1"}, {}, ready) == datetime(
        2026, 3, 13, 1, 0, tzinfo=timezone.utc
    )
