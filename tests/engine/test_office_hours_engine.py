"""The engine counts standard minutes in office hours: due times, escalation timers, durations."""

from datetime import datetime, timedelta, timezone

from sqlalchemy import select

from engine.clock import spiff_time
from engine.models import Notification
from engine.script_sandbox import bounded_evaluate, is_plainly_bounded
from tests.factories import PROCESS

WIB = timezone(timedelta(hours=7))


def wib(day: int, hour: int, minute: int) -> datetime:
    """A moment in March 2026 on the office's clock (12 March is a Thursday)."""
    return datetime(2026, 3, day, hour, minute, tzinfo=WIB)


def escalations(engine) -> list[str | None]:
    with engine.db.transaction() as session:
        query = select(Notification.recipient_role).where(Notification.kind == "escalation")
        return list(session.scalars(query))


def test_a_step_arriving_before_opening_is_due_after_opening(engine, actions, clock):
    clock.now = wib(12, 4, 24)
    instance = actions.start()
    actions.complete(instance.id, "registrasi_surat")  # 04:27
    kadin = actions.open_task(instance.id, "disposisi_kadin")  # 5 standard minutes
    assert kadin.ready_at == wib(12, 4, 27) and kadin.due == wib(12, 7, 35)
    assert engine.instance(instance.id).next_timer == kadin.due
    # the escalation timer counts office minutes too: not at 04:32, but after 07:35
    assert engine.tick(wib(12, 4, 33)) == []
    assert engine.tick(wib(12, 7, 34)) == []
    assert escalations(engine) == []
    assert engine.tick(wib(12, 7, 36)) == [instance.id]
    assert escalations(engine) == ["kepala_dinas"]


def test_escalation_fires_at_the_office_minutes_due_time_next_working_day(engine, actions, clock):
    clock.now = wib(12, 15, 47)  # Thursday
    instance = actions.run_until(
        actions.start().id, stop_before="beri_akses"
    )  # 3 steps, 3 min each
    task = actions.open_task(instance.id, "beri_akses")  # Kasi: 10 standard minutes
    assert task.ready_at == wib(12, 15, 56)
    assert task.due == wib(13, 7, 36)  # 4 minutes before Thursday's closing, 6 on Friday
    assert engine.instance(instance.id).next_timer == task.due

    assert engine.tick(wib(12, 16, 7)) == []  # wall-clock minutes would have fired at 16:06
    assert engine.tick(wib(13, 7, 35)) == []
    assert escalations(engine) == []
    assert engine.tick(wib(13, 7, 37)) == [instance.id]
    assert escalations(engine) == ["kabid_piak"]
    assert engine.instance(instance.id).current_tasks == ["beri_akses"]
    assert engine.tick(wib(13, 9, 0)) == []  # fires once


def test_escalation_waits_over_the_weekend(engine, actions, clock):
    clock.now = wib(13, 16, 17)  # Friday, open until 16:30
    instance = actions.run_until(actions.start().id, stop_before="beri_akses")
    task = actions.open_task(instance.id, "beri_akses")
    assert task.ready_at == wib(13, 16, 26)
    assert task.due == wib(16, 7, 36)  # 4 minutes on Friday, 6 on Monday morning
    assert engine.tick(wib(14, 10, 0)) == []  # Saturday
    assert engine.tick(wib(16, 7, 37)) == [instance.id]


def test_dashboard_durations_count_office_minutes(engine, actions, clock):
    clock.now = wib(13, 16, 14)  # Friday
    instance = actions.start()
    actions.complete(instance.id, "registrasi_surat", minutes=6)  # disposisi_kadin ready 16:20
    clock.now = wib(16, 7, 40)  # Monday
    actions.complete(instance.id, "disposisi_kadin", minutes=0, kadin_batas_waktu="2026-03-17")

    stats = {
        s.element_id: s for s in engine.statistics.step_stats(PROCESS, wib(9, 0, 0), wib(17, 0, 0))
    }
    kadin = stats["disposisi_kadin"]
    assert kadin.count == 1 and kadin.median == 20  # 16:20-16:30 Friday, 07:30-07:40 Monday
    assert kadin.standard == 5 and kadin.within == 0 and kadin.level == 3
    assert stats["registrasi_surat"].median == 6


def test_from_now_in_the_script_worker_counts_from_the_engines_time():
    assert is_plainly_bounded("office_minutes_from_now(5)")
    assert is_plainly_bounded("office_minutes_deadline(waktu_diterima, 30)")
    expression = "office_minutes_from_now(menit)"  # not a constant: evaluated in the worker process
    assert not is_plainly_bounded(expression)
    with spiff_time(wib(12, 4, 24)):
        assert bounded_evaluate(expression, {"menit": 5})[0] == "2026-03-12T00:35:00+00:00"
        assert bounded_evaluate("office_minutes_from_now(5)", {})[0] == "2026-03-12T00:35:00+00:00"
