"""A deploy keeps the analyst's change note with the new version, and a diagram not yet deployed
can be compared with the running version first (SQLite and PostgreSQL)."""

import pytest

from engine.errors import DiagramInvalid
from tests.conftest import PROCESSES

SOP = (PROCESSES / "permohonan_data_agregat.bpmn").read_bytes()
PID = "permohonan_data_agregat"
LONGER = SOP.replace(
    b'<camunda:property name="standard_minutes" value="60" />',
    b'<camunda:property name="standard_minutes" value="90" />',
)


def _versions(engine):
    return {d.version: d for d in engine.list_definitions() if d.process_id == PID}


def test_the_note_is_kept_with_the_new_version_only(engine):
    assert LONGER != SOP
    [result] = engine.deploy(LONGER, "sop.bpmn", "analis", note="  Ekstraksi 60 → 90 menit ")
    versions = _versions(engine)
    assert result.version == 2 and versions[2].change_note == "Ekstraksi 60 → 90 menit"
    assert versions[1].change_note == ""
    [again] = engine.deploy(LONGER, "sop.bpmn", "analis", note="lagi")
    assert again.unchanged and _versions(engine)[2].change_note == "Ekstraksi 60 → 90 menit"


def test_a_diagram_is_compared_with_the_running_version_before_it_is_deployed(engine):
    [diff] = engine.versions.against_deployed(LONGER, "sop.bpmn")
    assert (diff.process_id, diff.old_version, diff.new_version) == (PID, 1, 2)
    [step] = diff.changed
    assert step.element_id == "ekstraksi_data" and step.what == ["waktu baku: 60 → 90 menit"]
    assert list(_versions(engine)) == [1]  # nothing deployed by comparing


def test_a_broken_diagram_is_refused_when_compared(engine):
    broken = SOP.replace(b'kadin_keputusan == "tolak"', b'kadin_keputusan == = "tolak"')
    with pytest.raises(DiagramInvalid) as info:
        engine.versions.against_deployed(broken, "sop.bpmn")
    assert info.value.issues[0].element_id == "flow_tolak"
