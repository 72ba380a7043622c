"""A call activity without a binding (or ``latest``) runs the called process's latest version at
the moment the call starts; ``deployment`` and ``version`` keep the version chosen at deploy.

``uji_dua_panggilan`` calls ``uji_periksa`` twice in a row. Version 1 of ``uji_periksa`` has the
user task ``periksa_lama``; version 2 replaces it with ``periksa_baru`` (a form field ``catatan``)
inside an embedded subprocess that version 1 does not have. Every step restores the instance
from its stored state (``complete``/``open_tasks`` drop the cached workflows and specs); the
suite runs on SQLite and PostgreSQL."""

from __future__ import annotations

from engine.call_binding import BoundCallActivity
from tests.engine.diagram_tools import DIAGRAMS, complete, deploy, forget, open_tasks

CALLER = "call_twice.bpmn"


def caller_with(binding: str, pid: str) -> bytes:
    """The two-call caller under another process id, both calls with ``binding``."""
    xml = (DIAGRAMS / CALLER).read_text()
    xml = xml.replace('calledElement="uji_periksa"', f'calledElement="uji_periksa" {binding}')
    return xml.replace('id="uji_dua_panggilan"', f'id="{pid}"').encode()


def open_steps(engine, instance_id: int) -> list[str]:
    return [t.element_id for t in open_tasks(engine, instance_id)]


def finish_step(engine, instance_id: int, element_id: str, data: dict | None = None):
    return complete(engine, instance_id, element_id, "kasi", data)


def test_the_next_call_runs_the_version_deployed_since_and_a_running_call_keeps_its_own(engine):
    deploy(engine, "periksa_v1.bpmn")
    deploy(engine, CALLER)
    inside_v1 = engine.start("uji_dua_panggilan", {}, user="kasi")
    assert open_steps(engine, inside_v1.id) == ["periksa_lama"]

    [v2] = deploy(engine, "periksa_v2.bpmn")
    assert v2.version == 2  # the caller is not deployed again
    # the instance already inside version 1 finishes it; its next call runs version 2
    assert open_steps(engine, inside_v1.id) == ["periksa_lama"]
    finish_step(engine, inside_v1.id, "periksa_lama")
    assert open_steps(engine, inside_v1.id) == ["periksa_baru"]

    started_after = engine.start("uji_dua_panggilan", {}, user="kasi")
    [task] = open_tasks(engine, started_after.id, "periksa_baru")
    forget(engine)
    view = engine.task(task.id)
    assert (view.name, [f.id for f in view.fields]) == ("Periksa cara baru", ["catatan"])
    finish_step(engine, started_after.id, "periksa_baru", {"catatan": "lengkap"})
    assert open_steps(engine, started_after.id) == ["periksa_baru"]
    done = finish_step(engine, started_after.id, "periksa_baru", {"catatan": "sesuai"})
    assert done.status == "completed"
    assert engine.instance_data(started_after.id)["catatan"] == "sesuai"

    assert finish_step(engine, inside_v1.id, "periksa_baru", {"catatan": "ok"}).status == (
        "completed"
    )


def test_pinned_and_deployment_bound_calls_keep_the_version_chosen_at_deploy(engine):
    deploy(engine, "periksa_v1.bpmn")
    pinned = 'camunda:calledElementBinding="version" camunda:calledElementVersion="1"'
    deploy(engine, "dipin.bpmn", caller_with(pinned, "uji_dipin"))
    binding = 'camunda:calledElementBinding="deployment"'
    deploy(engine, "saat_terap.bpmn", caller_with(binding, "uji_saat_terap"))
    deploy(engine, "periksa_v2.bpmn")
    for process_id in ("uji_dipin", "uji_saat_terap"):
        instance = engine.start(process_id, {}, user="kasi")
        assert open_steps(engine, instance.id) == ["periksa_lama"]
        finish_step(engine, instance.id, "periksa_lama")
        assert open_steps(engine, instance.id) == ["periksa_lama"]
        assert finish_step(engine, instance.id, "periksa_lama").status == "completed"


def test_the_binding_is_kept_with_the_deployed_spec(engine):
    deploy(engine, "periksa_v1.bpmn")
    deploy(engine, CALLER)
    deploy(
        engine,
        "dipin.bpmn",
        caller_with(
            'camunda:calledElementBinding="version" camunda:calledElementVersion="1"', "uji_dipin"
        ),
    )
    forget(engine)
    for process_id, binding in (("uji_dua_panggilan", "latest"), ("uji_dipin", "version")):
        with engine.db.Session() as session:
            definition = engine.definitions.latest(session, process_id)
            spec, _subprocess_specs = engine.definitions.spec(session, definition.id)
        call = spec.task_specs["panggil_pertama"]
        assert isinstance(call, BoundCallActivity) and call.binding == binding


def test_moving_the_caller_to_its_new_version_leaves_a_running_call_in_its_version(engine):
    deploy(engine, "periksa_v1.bpmn")
    deploy(engine, CALLER)
    instance = engine.start("uji_dua_panggilan", {}, user="kasi")
    deploy(engine, "periksa_v2.bpmn")
    [caller_v2] = engine.deploy((DIAGRAMS / CALLER).read_bytes(), CALLER, force=True)
    forget(engine)
    [moved] = engine.versions.migrate("uji_dua_panggilan", 1, caller_v2.version, "admin")
    assert (moved.instance_id, moved.can_move, moved.reason) == (instance.id, True, "")
    assert engine.instance(instance.id).version == caller_v2.version
    assert open_steps(engine, instance.id) == ["periksa_lama"]
    finish_step(engine, instance.id, "periksa_lama")
    assert open_steps(engine, instance.id) == ["periksa_baru"]
    assert finish_step(engine, instance.id, "periksa_baru").status == "completed"
