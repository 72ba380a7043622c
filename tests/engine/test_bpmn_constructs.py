"""BPMN beyond the office's two SOPs runs end to end, with a save/restore between steps."""

from tests.engine.diagram_tools import DIAGRAMS, complete, deploy, open_tasks


def test_standard_loop_embedded_subprocess_and_manual_task(engine):
    deploy(engine, "loop_and_subprocess.bpmn")
    instance = engine.start("uji_loop", {}, user="kasi")
    complete(engine, instance.id, "ulangi", "kasi", {"lagi": True})
    assert [t.element_id for t in open_tasks(engine, instance.id)] == ["ulangi"]
    complete(engine, instance.id, "ulangi", "kasi", {"lagi": False})
    complete(engine, instance.id, "isi_sub", "kasi")
    [manual] = open_tasks(engine, instance.id, "konfirmasi")
    assert manual.role == "kasi" and manual.fields == []
    assert complete(engine, instance.id, "konfirmasi", "kasi").status == "completed"
    loops = [h for h in engine.history(instance.id) if h.element_id == "ulangi"]
    assert [h.action for h in loops] == ["completed", "completed"]


def _event_subprocess(engine, data):
    deploy(engine, "event_subprocess.bpmn")
    instance = engine.start("uji_event_sub", {}, user="kasi")
    assert [t.element_id for t in open_tasks(engine, instance.id)] == ["periksa"]
    complete(engine, instance.id, "periksa", "kasi", data)
    return instance


def test_an_error_end_event_starts_its_event_subprocess(engine):
    instance = _event_subprocess(engine, {"rusak": True})
    assert [t.element_id for t in open_tasks(engine, instance.id)] == ["tangani_galat"]
    assert complete(engine, instance.id, "tangani_galat", "kasi").status == "completed"


def test_an_escalation_starts_its_non_interrupting_event_subprocess(engine):
    instance = _event_subprocess(engine, {"lambat": True})
    assert [t.element_id for t in open_tasks(engine, instance.id)] == ["catat_eskalasi"]
    assert complete(engine, instance.id, "catat_eskalasi", "kasi").status == "completed"


def test_without_an_event_no_event_subprocess_runs(engine):
    instance = _event_subprocess(engine, {})
    assert engine.instance(instance.id).status == "completed"


def test_a_call_activity_runs_another_deployed_process(engine):
    deploy(engine, "called.bpmn")
    deploy(engine, "caller.bpmn")
    instance = engine.start("uji_pemanggil", {"lembar": 3}, user="kasi")
    [task] = open_tasks(engine, instance.id, "setujui")
    assert engine.task(task.id).data["biaya"] == 6000
    assert complete(engine, instance.id, "setujui", "kasi").status == "completed"


def test_the_call_activity_file_refused_before_its_called_process_is_deployed(engine):
    from engine.errors import DiagramInvalid

    try:
        deploy(engine, "caller.bpmn")
    except DiagramInvalid as exc:
        [issue] = exc.issues
        assert issue.element_id == "panggil" and issue.line
        assert "'uji_dipanggil'" in issue.message and "belum diterapkan" in issue.message
    else:
        raise AssertionError("deployed")
    assert (DIAGRAMS / "called.bpmn").exists()
