"""Two deployed versions compared in the analyst's words, and running instances moved between them.

On SQLite and PostgreSQL, with a save/restore round trip after the move."""

from __future__ import annotations

import pytest

from engine.errors import EngineError, Forbidden
from tests.conftest import PROCESSES
from tests.factories import PROCESS

SOURCE = (PROCESSES / "permohonan_data_agregat.bpmn").read_text(encoding="utf-8")

#: version 2: the Kasi's access step takes 15 minutes and asks for a note field more
LONGER_ACCESS = SOURCE.replace(
    '<camunda:property name="sop_step" value="3" /><camunda:property name="standard_minutes" '
    'value="10" />',
    '<camunda:property name="sop_step" value="3" /><camunda:property name="standard_minutes" '
    'value="15" />',
).replace(
    '<camunda:formField id="kasi_isi_disposisi"',
    '<camunda:formField id="kasi_catatan_akses" label="Catatan hak akses" type="string" />'
    '<camunda:formField id="kasi_isi_disposisi"',
)
#: a version whose Kabid report step has another id (to SpiffWorkflow: removed and added)
RENAMED_REPORT = SOURCE.replace("laporan_kabid", "laporan_kabid_piak")


def deploy(engine, xml: str) -> int:
    [result] = engine.deploy(xml.encode(), "permohonan_data_agregat.bpmn", "analis", force=True)
    return result.version


def test_the_diff_names_the_changed_step_its_standard_time_and_its_new_field(engine):
    assert LONGER_ACCESS != SOURCE
    version = deploy(engine, LONGER_ACCESS)

    diff = engine.versions.diff(PROCESS, 1, version)

    assert diff.added == [] and diff.removed == []
    [change] = diff.changed
    assert change.element_id == "beri_akses"
    assert "waktu baku: 10 → 15 menit" in change.what
    assert "isian baru: Catatan hak akses" in change.what


def test_renaming_a_step_shows_as_removed_and_added(engine):
    version = deploy(engine, RENAMED_REPORT)
    diff = engine.versions.diff(PROCESS, 1, version).to_dict()
    assert "laporan_kabid" in [c["element_id"] for c in diff["removed"]]
    assert "laporan_kabid_piak" in [c["element_id"] for c in diff["added"]]
    with pytest.raises(EngineError, match="tidak punya versi 9"):
        engine.versions.diff(PROCESS, 1, 9)


def test_running_instances_move_to_the_new_version_and_finish_there(engine, actions):
    waiting = actions.run_until(actions.start().id, stop_before="beri_akses")
    version = deploy(engine, LONGER_ACCESS)

    [candidate] = engine.versions.preview(PROCESS, 1, version)
    assert candidate.instance_id == waiting.id and candidate.can_move
    with pytest.raises(Forbidden):
        engine.versions.migrate(PROCESS, 1, version, "operator")
    [moved] = engine.versions.migrate(PROCESS, 1, version, "admin")
    assert moved.can_move

    assert engine.instance(waiting.id).version == version
    engine.instances.cache.clear()  # restored against the new version's specs
    task = actions.open_task(waiting.id, "beri_akses")
    assert "kasi_catatan_akses" in [f.id for f in engine.task(task.id, "kasi").fields]
    assert actions.run_until(waiting.id).status == "completed"


def test_an_instance_past_a_removed_step_stays_and_says_why(engine, actions):
    early = actions.run_until(actions.start().id, stop_before="beri_akses")
    late = actions.run_until(actions.start().id, stop_before="tanda_tangan_kadin")
    version = deploy(engine, RENAMED_REPORT)

    outcome = {c.instance_id: c for c in engine.versions.migrate(PROCESS, 1, version, "admin")}

    assert outcome[early.id].can_move
    assert not outcome[late.id].can_move
    assert "tidak ada di versi baru" in outcome[late.id].reason
    assert engine.instance(late.id).version == 1
    assert engine.instance(early.id).version == version
    engine.instances.cache.clear()
    assert actions.run_until(late.id).status == "completed"
    moved_on = actions.run_until(early.id, stop_before="laporan_kabid_piak")
    assert moved_on.current_tasks == ["laporan_kabid_piak"]  # the new version's step
