"""State survives a save/restore round trip between every step; versions stay put."""

import json

from engine.models import ProcessInstance
from engine.serialization import WorkflowCodec
from tests.conftest import PROCESSES


def uncached_codec() -> WorkflowCodec:
    """SpiffWorkflow's own task conversion, for comparison with the cached one."""
    from SpiffWorkflow.bpmn.serializer.default.workflow import TaskConverter
    from SpiffWorkflow.task import Task

    codec = WorkflowCodec()
    TaskConverter(Task, codec.serializer.registry)
    return codec


def test_every_step_survives_a_save_and_restore(engine, actions):
    instance = actions.start()
    while True:
        engine.instances.cache.clear()  # force the next action to restore from the stored JSON
        with engine.db.transaction() as session:
            row = session.get(ProcessInstance, instance.id)
            workflow = engine.instances.load(session, row)
            text = engine.codec.state_to_json(workflow)
            spec, subs = engine.definitions.spec(session, row.definition_id)
            restored = engine.codec.state_from_json(text, spec, subs)
            assert engine.codec.state_to_json(restored) == text
            assert json.loads(text) == json.loads(uncached_codec().state_to_json(workflow))
            assert {str(t.id) for t in restored.get_tasks()} == {
                str(t.id) for t in workflow.get_tasks()
            }
        current = engine.instance(instance.id)
        if not current.current_tasks:
            break
        actions.complete(instance.id, current.current_tasks[0])
    assert engine.instance(instance.id).status == "completed"


def test_spec_is_stored_once_per_version_not_in_each_instance(engine, actions):
    instance = actions.start()
    with engine.db.transaction() as session:
        row = session.get(ProcessInstance, instance.id)
        assert '"task_specs"' not in row.state_json
        assert len(row.state_json) < 10_000


def test_running_instance_stays_on_its_version(engine, actions):
    old = actions.start()
    actions.complete(old.id, "registrasi_surat")
    xml = (PROCESSES / "permohonan_data_agregat.bpmn").read_text()
    changed = xml.replace(
        'name="Menerima surat dan mendisposisikan kepada Kabid PIAK"',
        'name="Menerima surat dan mendisposisikan (v2)"',
    )
    results = engine.deploy(changed.encode(), "permohonan_data_agregat.bpmn", user="analis")

    assert [r.version for r in results] == [2]
    assert (
        engine.tasks(instance_id=old.id)[0].name
        == "Menerima surat dan mendisposisikan kepada Kabid PIAK"
    )
    new = actions.start()
    assert new.version == 2
    assert actions.open_task(new.id).name == "Mencatat surat masuk di buku agenda"
    assert actions.run_until(old.id).status == "completed"
    assert engine.instance(old.id).version == 1


def test_redeploying_an_unchanged_diagram_keeps_the_version(engine):
    again = engine.deploy_path(PROCESSES)
    assert [(r.version, r.unchanged) for r in again] == [(1, True)] * len(
        list(PROCESSES.glob("*.bpmn"))
    )


def test_cached_task_conversion_matches_spiffworkflows_own_at_every_step(engine, actions):
    instance = actions.start()
    actions.complete(instance.id, "registrasi_surat")
    actions.complete(instance.id, "disposisi_kadin")
    actions.complete(instance.id, "disposisi_kabid")
    reference = uncached_codec()
    while (current := engine.instance(instance.id)).current_tasks:
        version, workflow = engine.instances.cache._items[instance.id]  # the live, warm workflow
        assert json.loads(engine.codec.state_to_json(workflow)) == json.loads(
            reference.state_to_json(workflow)
        )
        step = current.current_tasks[0]
        extra = (
            {"pemeriksaan_hasil": "perbaiki"} if step == "pemeriksaan_kasi" and version < 9 else {}
        )
        actions.complete(instance.id, step, **extra)
    assert current.status == "completed"
    assert instance.id not in engine.instances.cache._items  # a finished instance is not kept warm
    # the final state was written by the cached conversion: SpiffWorkflow's own gives the same JSON
    with engine.db.transaction() as session:
        row = session.get(ProcessInstance, instance.id)
        stored = row.state_json
        spec, subprocess_specs = engine.definitions.spec(session, row.definition_id)
    restored = engine.codec.state_from_json(stored, spec, subprocess_specs)
    assert json.loads(stored) == json.loads(reference.state_to_json(restored))


def test_after_a_cache_miss_the_saved_state_matches_spiffworkflows_own(engine, actions):
    """Another worker saved the instance last: the workflow is restored from JSON with the saved
    task dicts reused for the tasks that do not change; what is saved must still equal
    SpiffWorkflow's own conversion of the live workflow, at every step, loops included."""
    instance = actions.start()
    reference = uncached_codec()
    sent_back = False
    while (current := engine.instance(instance.id)).current_tasks:
        engine.instances.cache.clear()
        step = current.current_tasks[0]
        extra = {}
        if step == "pemeriksaan_kasi" and not sent_back:
            extra, sent_back = {"pemeriksaan_hasil": "perbaiki"}, True
        actions.complete(instance.id, step, **extra)
        with engine.db.Session() as session:
            stored = session.get(ProcessInstance, instance.id).state_json
        live = engine.instances.cache._items.get(instance.id)
        if live is not None:
            assert json.loads(stored) == json.loads(reference.state_to_json(live[1])), step
    assert current.status == "completed" and sent_back


def _restored_both_ways(engine, instance_id, reference):
    with engine.db.Session() as session:
        row = session.get(ProcessInstance, instance_id)
        spec, subprocess_specs = engine.definitions.spec(session, row.definition_id)
        stored = row.state_json
    return (
        engine.codec.state_from_json(stored, spec, subprocess_specs),
        reference.state_from_json(stored, spec, subprocess_specs),
    )


def _task_facts(task) -> tuple:
    return (
        task.id,
        task._parent,
        list(task._children),
        task.task_spec.name,
        task.state,
        task.triggered,
        task.last_state_change,
        task.data,
        task.internal_data,
    )


def test_a_restored_task_tree_is_spiffworkflows_own_with_each_uuid_parsed_once(engine, actions):
    """The engine restores tasks with its own converter (each UUID string parsed once per load,
    shared by the task map, parents and children): at every step, loop and waiting escalation
    timers included, it must give the same tasks, data and waiting events as SpiffWorkflow's."""
    instance = actions.start()
    reference = uncached_codec()
    sent_back, compared = False, 0
    while (current := engine.instance(instance.id)).current_tasks:
        ours, theirs = _restored_both_ways(engine, instance.id, reference)
        assert [_task_facts(t) for t in ours.tasks.values()] == [
            _task_facts(t) for t in theirs.tasks.values()
        ]
        assert sorted(ours.event_manager.tasks) == sorted(theirs.event_manager.tasks)
        for key, task in ours.tasks.items():
            assert key is task.id  # one object: lookups match by identity
            assert all(ours.tasks[child].parent is task for child in task._children)
        compared += 1
        step = current.current_tasks[0]
        extra = {}
        if step == "pemeriksaan_kasi" and not sent_back:
            extra, sent_back = {"pemeriksaan_hasil": "perbaiki"}, True
        actions.complete(instance.id, step, **extra)
    assert current.status == "completed" and sent_back and compared >= 10
