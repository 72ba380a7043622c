"""The data SOP's paths end to end through the facade: happy, refusal, rework."""

import pytest
from sqlalchemy import select

from engine.errors import FormInvalid
from engine.models import Document, Notification
from tests.factories import PROCESS, SOP_STEPS, gen_form


def test_happy_path_runs_from_letter_to_receipt(engine, actions):
    instance = actions.start()
    assert instance.current_tasks == ["registrasi_surat"]

    finished = actions.run_until(instance.id)

    assert finished.status == "completed"
    assert finished.ended is not None
    completed_steps = [h.element_id for h in engine.history(instance.id) if h.action == "completed"]
    assert completed_steps == ["registrasi_surat", *SOP_STEPS]
    assert [h.action for h in engine.history(instance.id)][-1] == "ended"
    assert engine.tasks(instance_id=instance.id) == []


def test_happy_path_records_who_did_each_step_and_what_they_entered(engine, actions):
    instance = actions.start()
    actions.run_until(instance.id)

    entries = {h.element_id: h for h in engine.history(instance.id) if h.action == "completed"}
    assert entries["beri_akses"].actor == "kasi"
    assert entries["beri_akses"].data["akses_operator"] == "operator"
    assert entries["ekstraksi_data"].actor == "operator"
    assert entries["pengiriman_jfu"].data["penerima_nama"] == "Budi Hartono"
    services = [h.element_id for h in engine.history(instance.id) if h.action == "service_ok"]
    assert services == [
        "catat_akses",
        "buat_lembar_disposisi",
        "jalankan_kueri",
        "buat_surat_data",
        "tandatangani",
        "buat_tanda_terima",
        "arsipkan",
        "beritahu_pemohon",
    ]


def test_documents_are_archived_and_the_requester_is_notified(engine, actions):
    instance = actions.start()
    actions.run_until(instance.id)

    with engine.db.transaction() as session:
        documents = session.scalars(
            select(Document).where(Document.instance_id == instance.id)
        ).all()
        notes = session.scalars(
            select(Notification).where(Notification.instance_id == instance.id)
        ).all()
        signed = [d for d in documents if d.signed]
        assert {d.kind for d in signed} == {"dokumen_surat_id", "dokumen_lampiran_id"}
        assert all(d.archived for d in signed)
        assert any(
            n.recipient_email == "bappeda@example.invalid" and "dikirim" in n.subject for n in notes
        )


def test_kepala_dinas_can_refuse_a_request_with_a_letter(engine, actions):
    instance = actions.start()
    actions.complete(instance.id, "registrasi_surat")
    drafted = actions.complete(
        instance.id,
        "disposisi_kadin",
        kadin_keputusan="tolak",
        kadin_alasan_penolakan="Permintaan data individu, bukan data agregat",
        kadin_konfirmasi_tolak=True,
    )
    # the refusal letter is a draft the Kepala Dinas reviews and signs like every other letter
    assert drafted.status == "running"
    assert drafted.current_tasks == ["ttd_penolakan_kadin"]
    refused = actions.complete(instance.id, "ttd_penolakan_kadin")

    assert refused.status == "completed"
    steps = [h.element_id for h in engine.history(instance.id)]
    assert steps.index("buat_surat_penolakan") < steps.index("ttd_penolakan_kadin")
    assert steps.index("ttd_penolakan_kadin") < steps.index("tandatangani_penolakan")
    assert "disposisi_kabid" not in steps
    with engine.db.transaction() as session:
        documents = session.scalars(
            select(Document).where(Document.instance_id == instance.id)
        ).all()
        notice = session.scalars(
            select(Notification).where(
                Notification.instance_id == instance.id, Notification.recipient_email.is_not(None)
            )
        ).one()
    assert [(d.kind, d.signed) for d in documents] == [
        ("dokumen_penolakan_id", False),
        ("dokumen_penolakan_id", True),
    ]
    assert "data individu" in notice.body


def test_a_refusal_without_a_reason_or_confirmation_is_refused(engine, actions):
    instance = actions.start()
    actions.complete(instance.id, "registrasi_surat")
    task = actions.open_task(instance.id, "disposisi_kadin")
    with pytest.raises(FormInvalid) as info:
        engine.complete(
            task.id, "kepala_dinas", gen_form("disposisi_kadin", kadin_keputusan="tolak")
        )
    errors = info.value.by_field()
    assert "wajib diisi" in errors["kadin_alasan_penolakan"]
    assert "wajib dicentang" in errors["kadin_konfirmasi_tolak"]
    # forwarding needs neither
    forwarded = actions.complete(instance.id, "disposisi_kadin")
    assert forwarded.current_tasks == ["disposisi_kabid"]


def test_the_signing_step_can_refuse_with_a_reason(engine, actions):
    instance = actions.run_until(actions.start().id, stop_before="tanda_tangan_kadin")
    task = actions.open_task(instance.id, "tanda_tangan_kadin")
    with pytest.raises(FormInvalid) as info:
        engine.complete(task.id, "kepala_dinas", {"ttd_keputusan": "tolak"})
    assert {"kadin_alasan_penolakan", "kadin_konfirmasi_tolak"} <= set(info.value.by_field())
    after = actions.complete(
        instance.id,
        "tanda_tangan_kadin",
        ttd_keputusan="tolak",
        kadin_alasan_penolakan="Keperluan data tidak sesuai dengan surat",
        kadin_konfirmasi_tolak=True,
    )
    assert after.current_tasks == ["ttd_penolakan_kadin"]
    done = actions.complete(instance.id, "ttd_penolakan_kadin")
    assert done.status == "completed"
    steps = [h.element_id for h in engine.history(instance.id)]
    assert "tandatangani" not in steps and "pengiriman_jfu" not in steps


@pytest.mark.parametrize(
    ("target", "reopened"), [("kabid_piak", "laporan_kabid"), ("operator", "ekstraksi_data")]
)
def test_the_signing_step_can_send_back_for_revision(engine, actions, target, reopened):
    instance = actions.run_until(actions.start().id, stop_before="tanda_tangan_kadin")
    task = actions.open_task(instance.id, "tanda_tangan_kadin")
    with pytest.raises(FormInvalid) as info:
        engine.complete(task.id, "kepala_dinas", {"ttd_keputusan": "kembalikan"})
    assert {"ttd_kembalikan_kepada", "ttd_catatan_revisi"} <= set(info.value.by_field())
    back = actions.complete(
        instance.id,
        "tanda_tangan_kadin",
        ttd_keputusan="kembalikan",
        ttd_kembalikan_kepada=target,
        ttd_catatan_revisi="Periode data harus Semester I 2026",
    )
    assert back.current_tasks == [reopened]
    done = actions.run_until(back.id)
    assert done.status == "completed"
    completed = [h.element_id for h in engine.history(instance.id) if h.action == "completed"]
    assert completed.count("tanda_tangan_kadin") == 2
    assert completed[-1] == "pengiriman_jfu"
    with engine.db.transaction() as session:
        signed = session.scalars(
            select(Document.kind).where(
                Document.instance_id == instance.id, Document.signed.is_(True)
            )
        ).all()
    assert sorted(signed) == ["dokumen_lampiran_id", "dokumen_surat_id"]


def test_kasi_sends_data_back_to_the_operator_with_notes(engine, actions):
    instance = actions.start()
    actions.run_until(instance.id, stop_before="pemeriksaan_kasi")
    back = actions.complete(
        instance.id,
        "pemeriksaan_kasi",
        pemeriksaan_hasil="perbaiki",
        pemeriksaan_catatan="Tambahkan rincian desa",
    )

    assert back.current_tasks == ["ekstraksi_data"]
    redo = actions.open_task(instance.id, "ekstraksi_data")
    assert engine.task(redo.id).data["pemeriksaan_catatan"] == "Tambahkan rincian desa"
    actions.complete(instance.id, "ekstraksi_data", permintaan_tingkat="desa")
    done = actions.run_until(instance.id)

    assert done.status == "completed"
    extractions = [
        h
        for h in engine.history(instance.id)
        if h.element_id == "ekstraksi_data" and h.action == "completed"
    ]
    assert [e.data["permintaan_tingkat"] for e in extractions] == ["kecamatan", "desa"]


def test_element_states_mark_the_path_taken(engine, actions):
    instance = actions.start()
    actions.run_until(instance.id, stop_before="beri_akses")

    states = engine.element_states(instance.id)
    assert "disposisi_kadin" in states["completed"]
    assert states["active"] == ["beri_akses"]  # its waiting boundary timer is not listed
    assert "flow_teruskan" in states["flows"]
    assert "flow_tolak" not in states["flows"]


def test_each_action_returns_the_tasks_it_opened(engine, actions):
    instance = actions.start()
    assert engine.tasks(instance_id=instance.id)[0].id == instance.open_task_ids[0]
    after = actions.complete(instance.id, "registrasi_surat")
    [next_task] = engine.tasks(instance_id=instance.id)
    assert after.open_task_ids == [next_task.id] and after.current_tasks == ["disposisi_kadin"]
    assert engine.instance(instance.id).open_task_ids is None  # a plain read does not know them


def test_an_instance_is_found_by_its_business_key(engine):
    started = engine.start(PROCESS, user="sekretariat", business_key="K7QX2M9RTA")
    found = engine.instance_by_key("K7QX2M9RTA")
    assert found is not None and found.id == started.id and found.status == "running"
    assert engine.instance_by_key("K7QX2M9RTB") is None


def test_who_takes_part_in_an_instance(engine, actions):
    instance = actions.start()  # started by the Sekretariat, which also holds the registration
    assert engine.takes_part(instance.id, "sekretariat") and not engine.takes_part(
        instance.id, "kepala_dinas"
    )
    actions.complete(instance.id, "registrasi_surat")
    assert engine.takes_part(instance.id, "kepala_dinas")  # holds the open disposition by role
    actions.complete(instance.id, "disposisi_kadin")
    assert engine.takes_part(instance.id, "kepala_dinas")  # completed a step
    assert not engine.takes_part(instance.id, "operator") and not engine.takes_part(
        instance.id, "bukan_pegawai"
    )
