"""The data SOP through the real engine with the real document handlers: every paper, signed and verifiable."""

import os
from pathlib import Path

import pytest

from engine.facade import BpmnEngine
from engine.models import ProcessInstance
from reports import gather, riwayat_instance
from reports import topics as service
from tests.conftest import PROCESSES, Actions, seeded
from tests.factories import fake_registry

from .helpers import PROCESS_FILE, pdf_text

#: set LAKSANA_TEST_DUMP_DIR to keep the papers of the run for a look
DUMP_DIR = (
    Path(os.environ["LAKSANA_TEST_DUMP_DIR"]) if os.environ.get("LAKSANA_TEST_DUMP_DIR") else None
)


@pytest.fixture
def real_documents(database, settings, clock):
    registry = fake_registry(skip=("reports.render", "reports.sign"))
    registry.register("reports.render", service.render)
    registry.register("reports.sign", service.sign)
    engine = BpmnEngine(seeded(database), registry, settings, clock=clock)
    engine.deploy_path(PROCESSES)
    return Actions(engine, clock)


@pytest.mark.skipif(
    not PROCESS_FILE.exists(), reason="processes/permohonan_data_agregat.bpmn not written yet"
)
def test_request_to_receipt_produces_signed_verifiable_papers(real_documents, database, settings):
    view = real_documents.start()
    view = real_documents.run_until(view.id)
    # the whole request ends normally: not stuck, not in an incident (a failed render or signing)
    assert view.status == "completed" and not view.current_tasks, view
    assert real_documents.engine.incidents(open_only=False, instance_id=view.id) == []
    with database.transaction() as session:
        kinds = {}
        for doc in gather.documents_of(session, view.id):  # the signed copy wins over its draft
            if doc.kind not in kinds or doc.signed:
                kinds[doc.kind] = doc
        if DUMP_DIR:
            for doc in kinds.values():
                (DUMP_DIR / doc.filename).write_bytes(doc.content)
        assert {
            "lembar_disposisi",
            "surat_data",
            "lampiran_data",
            "lampiran_data_xlsx",
            "tanda_terima",
        } <= set(kinds)
        for kind in ("surat_data", "lampiran_data"):
            assert (
                kinds[kind].signed and service.verify_document(session, settings, kinds[kind].id).ok
            )
        letter = " ".join(pdf_text(kinds["surat_data"].content).split())
        assert "Nomor : 400.12.4/1/" in letter and "050/123/Bappeda/2026" in letter
        assert f"/verifikasi/{kinds['surat_data'].id}" in letter
        receipt = " ".join(pdf_text(kinds["tanda_terima"].content).split())
        assert "Budi Hartono" in receipt
        instance = session.get(ProcessInstance, view.id)
        standards, side = gather.standards_for(gather.definition_of(session, instance))
        steps, _notes = riwayat_instance.timeline(
            gather.audit_events(session, view.id), standards, gather.user_names(session), side
        )
    assert [s.sop_step for s in steps if s.sop_step] == [str(n) for n in range(1, 9)]


@pytest.mark.skipif(
    not PROCESS_FILE.exists(), reason="processes/permohonan_data_agregat.bpmn not written yet"
)
def test_refusal_letter_is_a_draft_until_the_kepala_dinas_signs_it(
    real_documents, database, settings
):
    reason = "Permohonan meminta data perseorangan (NIK), bukan data agregat"
    view = real_documents.start()
    real_documents.complete(view.id, "registrasi_surat")
    drafted = real_documents.complete(
        view.id,
        "disposisi_kadin",
        kadin_keputusan="tolak",
        kadin_alasan_penolakan=reason,
        kadin_konfirmasi_tolak=True,
    )
    assert drafted.current_tasks == ["ttd_penolakan_kadin"]
    with database.transaction() as session:
        (draft,) = [d for d in gather.documents_of(session, view.id) if d.kind == "surat_penolakan"]
        text = " ".join(pdf_text(draft.content).split())
        assert not draft.signed and "DRAF" in text and reason in text
    done = real_documents.complete(view.id, "ttd_penolakan_kadin")
    assert done.status == "completed"
    assert real_documents.engine.incidents(open_only=False, instance_id=view.id) == []
    with database.transaction() as session:
        signed = [
            d
            for d in gather.documents_of(session, view.id)
            if d.kind == "surat_penolakan" and d.signed
        ]
        assert len(signed) == 1 and signed[0].supersedes == draft.id
        assert service.verify_document(session, settings, signed[0].id).ok
        text = " ".join(pdf_text(signed[0].content).split())
        assert reason in text and "DRAF" not in text
        assert f"/verifikasi/{signed[0].id}" in text
