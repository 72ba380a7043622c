"""One action starts an instance, keeps its documents and completes its first step: all or nothing.

``BpmnEngine.start(documents=..., complete_first=...)`` is what a letter's registration uses; a
failure anywhere in it leaves no instance, no document, no open task, no audit row and no
running number taken.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import func, select

from engine.documents import NewDocument
from engine.errors import Conflict, Forbidden, FormInvalid
from engine.models import AuditEntry, Counter, Document, HumanTask, ProcessInstance
from tests.factories import PROCESS, gen_form

STEP = "registrasi_surat"
LETTER = NewDocument(
    kind="surat_masuk",
    filename="surat-masuk-{instance_id}.pdf",
    content=b"%PDF-1.4 letter",
    title="Surat permohonan",
    number="005/1/2026",
)


def _counts(engine) -> dict[str, int]:
    with engine.db.Session() as session:
        return {
            model.__tablename__: session.scalar(select(func.count()).select_from(model))
            for model in (ProcessInstance, Document, HumanTask, AuditEntry, Counter)
        }


def test_start_keeps_the_letter_and_completes_the_registration(engine, clock):
    form = gen_form(STEP) | {"nomor_agenda": ""}
    instance = engine.start(
        PROCESS, form, "sekretariat", documents=[LETTER], complete_first=(STEP, form)
    )
    [doc] = engine.documents.for_instance(instance.id)
    assert doc.filename == f"surat-masuk-{instance.id}.pdf"
    assert (doc.kind, doc.number, doc.created_by) == ("surat_masuk", "005/1/2026", "sekretariat")
    assert engine.documents.get(doc.id, content=True).content == LETTER.content
    assert engine.documents.get(doc.id).content is None
    assert STEP not in [task.element_id for task in engine.tasks(instance_id=instance.id)]
    assert engine.instance_data(instance.id)["nomor_agenda"] == f"001/{clock.now.year}"
    actions = [entry.action for entry in engine.history(instance.id)]
    assert actions[:1] == ["started"] and "completed" in actions


@pytest.mark.parametrize(
    "user, values, error",
    [
        ("sekretariat", {"perihal": ""}, FormInvalid),  # the completion's form check fails
        ("kasi", {}, Forbidden),  # the starter may not do the first step
    ],
)
def test_a_failed_completion_leaves_nothing(engine, user, values, error):
    before = _counts(engine)
    form = gen_form(STEP) | {"nomor_agenda": ""} | values
    with pytest.raises(error):
        engine.start(PROCESS, {}, user, documents=[LETTER], complete_first=(STEP, form))
    assert _counts(engine) == before


def test_a_failure_after_the_completion_leaves_nothing(engine, monkeypatch):
    """Even when the step was completed and saved, a later failure rolls all of it back."""
    before = _counts(engine)
    complete_in = engine._complete_in

    def complete_then_fail(*args, **kwargs):
        complete_in(*args, **kwargs)
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(engine, "_complete_in", complete_then_fail)
    form = gen_form(STEP) | {"nomor_agenda": ""}
    with pytest.raises(RuntimeError):
        engine.start(PROCESS, form, "sekretariat", documents=[LETTER], complete_first=(STEP, form))
    assert _counts(engine) == before
    monkeypatch.undo()
    instance = engine.start(
        PROCESS, form, "sekretariat", documents=[LETTER], complete_first=(STEP, form)
    )
    assert engine.instance_data(instance.id)["nomor_agenda"].startswith("001/")


def test_a_step_that_is_not_open_is_a_conflict_and_leaves_nothing(engine):
    before = _counts(engine)
    with pytest.raises(Conflict):
        engine.start(PROCESS, {}, "sekretariat", documents=[LETTER], complete_first=("nope", {}))
    assert _counts(engine) == before


def test_documents_store_keeps_a_file_in_its_own_transaction(engine):
    kept = engine.documents.store(replace(LETTER, filename="surat.pdf"), created_by="sekretariat")
    assert kept.instance_id is None and kept.filename == "surat.pdf"
    assert kept.size == len(LETTER.content) and kept.created_by == "sekretariat"
    assert engine.documents.get(kept.id, content=True).content == LETTER.content
    assert engine.documents.get("no-such-document") is None
