"""The notification centre: the header count, the page, marking read, and each kind of notice
the engine writes from its own events (new task, rework, escalation, delegation, reassignment)."""

from __future__ import annotations

import re
from datetime import timedelta

from tests.web.conftest import open_task


def header_count(page: str) -> int:
    """The unread count the header shows beside "Pemberitahuan" (0 when no badge)."""
    found = re.search(r'class="notif-count">(\d+)<', page)
    return int(found.group(1)) if found else 0


def count_for(as_user, username: str) -> int:
    return header_count(as_user(username).get("/kotak-masuk").get_data(as_text=True))


def test_a_new_task_shows_in_the_header_and_on_the_page_of_its_role_only(as_user, started):
    assert count_for(as_user, "kepala_dinas") == 1
    assert count_for(as_user, "kabid_piak") == 0
    page = as_user("kepala_dinas").get("/notifikasi").get_data(as_text=True)
    assert "Tugas baru: Menerima surat dan mendisposisikan kepada Kabid PIAK" in page
    assert "(TESTKODE23)" in page  # the request, by its tracking code
    assert "Buka tugas" in page
    assert "WIB" in page


def test_taking_the_task_closes_the_roles_notice_for_every_holder(as_user, engine, started):
    task = open_task(engine, started.id, "disposisi_kadin")
    engine.claim(task.id, "kepala_dinas")
    assert count_for(as_user, "kepala_dinas") == 0
    page = as_user("kepala_dinas").get("/notifikasi").get_data(as_text=True)
    assert "Tugas baru: Menerima surat" in page  # still listed, no longer new
    assert "notice-item unread" not in page


def test_mark_one_read_and_open_leads_to_the_task(as_user, engine, started):
    client = as_user("kepala_dinas")
    [entry] = engine.notifications.centre("kepala_dinas", ("kepala_dinas",))
    opened = client.post(f"/notifikasi/{entry.notification.id}/buka")
    task = open_task(engine, started.id, "disposisi_kadin")
    assert opened.headers["Location"].endswith(f"/tugas/{task.id}")
    assert count_for(as_user, "kepala_dinas") == 0
    # read by one holder of the role, still new for the others of it: per person
    assert engine.notifications.unread_count("kadin_lain", ("kepala_dinas",)) == 1


def test_somebody_elses_notification_cannot_be_marked(as_user, engine, started):
    [entry] = engine.notifications.centre("kepala_dinas", ("kepala_dinas",))
    assert as_user("operator").post(f"/notifikasi/{entry.notification.id}/baca").status_code == 404
    assert count_for(as_user, "kepala_dinas") == 1


def test_mark_all_read(as_user, engine, actions, started):
    actions.complete(started.id, "disposisi_kadin")  # a new task for the Kabid
    engine.delegations.create(
        "kepala_dinas",
        "kabid_piak",
        "plh",
        engine.delegations.today(),
        engine.delegations.today() + timedelta(days=2),
        "Dinas luar",
        by="admin",
    )
    client = as_user("kabid_piak")
    assert header_count(client.get("/notifikasi").get_data(as_text=True)) == 2
    done = client.post("/notifikasi/baca-semua", follow_redirects=True).get_data(as_text=True)
    assert "2 pemberitahuan ditandai sudah dibaca" in done
    assert header_count(done) == 0
    assert "Tidak ada pemberitahuan yang belum dibaca" in client.get(
        "/notifikasi?tampil=belum-dibaca"
    ).get_data(as_text=True)


def test_work_sent_back_goes_to_the_person_who_did_it(as_user, engine, actions, started):
    actions.run_until(started.id, stop_before="pemeriksaan_kasi")
    actions.complete(started.id, "pemeriksaan_kasi", pemeriksaan_hasil="perbaiki")
    page = as_user("operator").get("/notifikasi").get_data(as_text=True)
    assert "Dikembalikan untuk diperbaiki: Membuka gudang data" in page
    assert page.count("Dikembalikan untuk diperbaiki") == 1


def test_an_escalation_tells_who_must_do_the_late_step(as_user, engine, clock, started):
    clock.advance(minutes=30)
    engine.tick()
    page = as_user("kepala_dinas").get("/notifikasi").get_data(as_text=True)
    assert "Terlambat: Menerima surat dan mendisposisikan kepada Kabid PIAK" in page
    # the engine's notice and the diagram's escalation to the same role are one, in its words
    assert page.count("Terlambat: Menerima surat") == 1
    assert "melewati waktu baku 5 menit" in page and "Buka tugas" in page


def test_an_escalation_to_the_holder_of_a_taken_task(as_user, engine, clock, actions, started):
    actions.complete(started.id, "disposisi_kadin")
    engine.claim(open_task(engine, started.id, "disposisi_kabid").id, "kabid_piak")
    clock.advance(minutes=30)
    engine.tick()
    page = as_user("kabid_piak").get("/notifikasi").get_data(as_text=True)
    assert "Terlambat: Menerima disposisi dan mendisposisikan kepada Kasi" in page
    assert header_count(page) == 1  # the escalation; the task notice closed when it was claimed


def test_a_delegation_tells_the_delegate(as_user, engine):
    engine.delegations.create(
        "kepala_dinas",
        "sekretariat",
        "plt",
        engine.delegations.today(),
        engine.delegations.today() + timedelta(days=5),
        "Cuti tahunan",
        by="kepala_dinas",
    )
    client = as_user("sekretariat")
    page = client.get("/notifikasi").get_data(as_text=True)
    assert "Anda ditunjuk sebagai Plt. Drs. Bambang Setiawan, M.Si." in page
    assert "Cuti tahunan" in page
    assert header_count(page) == 1


def test_a_reassignment_tells_the_new_holder(as_user, engine, started):
    task = open_task(engine, started.id, "disposisi_kadin")
    engine.reassign(task.id, "admin", "kasi", "Kepala Dinas sakit")
    page = as_user("kasi").get("/notifikasi").get_data(as_text=True)
    assert "Tugas dialihkan kepada Anda" in page
    assert header_count(page) == 1
    # the role's new-task notice closed: the task has a holder now
    assert count_for(as_user, "kepala_dinas") == 1  # "Tugas dialihkan" to the role, nothing else


def test_an_acting_official_sees_the_delegators_task_notices_while_the_delegation_runs(
    as_user, engine, started
):
    assert count_for(as_user, "sekretariat") == 0
    delegation = engine.delegations.create(
        "kepala_dinas",
        "sekretariat",
        "plh",
        engine.delegations.today(),
        engine.delegations.today() + timedelta(days=1),
        "Dinas luar kota",
        by="kepala_dinas",
    )
    client = as_user("sekretariat")
    page = client.get("/notifikasi").get_data(as_text=True)
    assert "Tugas baru: Menerima surat dan mendisposisikan kepada Kabid PIAK" in page
    assert header_count(page) == 2  # the task and the delegation itself
    notice = next(
        e.notification
        for e in engine.notifications.centre("sekretariat", ("sekretariat",))
        if e.notification.task_id
    )
    opened = client.post(f"/notifikasi/{notice.id}/buka")
    task = open_task(engine, started.id, "disposisi_kadin")
    assert opened.headers["Location"].endswith(f"/tugas/{task.id}")
    assert client.get(f"/tugas/{task.id}").status_code == 200
    # read by the Plh only: still new for the Kepala Dinas
    assert count_for(as_user, "kepala_dinas") == 1
    engine.delegations.end(delegation.id, by="kepala_dinas")
    after = as_user("sekretariat").get("/notifikasi").get_data(as_text=True)
    assert "Tugas baru: Menerima surat" not in after
