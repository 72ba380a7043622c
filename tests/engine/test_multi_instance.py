"""Multi-instance tasks show in task lists and history and can be completed; one odd diagram
never breaks the task list of everybody else."""

from engine.errors import DiagramInvalid
from tests.engine.diagram_tools import DIAGRAMS, complete, deploy, forget, open_tasks


def test_parallel_and_sequential_instances_are_listed_and_completed(engine):
    deploy(engine, "multi_instance.bpmn")
    instance = engine.start("uji_multi_instance", {"berkas": ["KTP", "KK"]}, user="kasi")
    parallel = open_tasks(engine, instance.id, "periksa_paralel")
    assert len(parallel) == 2 and all(t.role == "kasi" for t in parallel)
    assert [f.id for f in parallel[0].fields] == ["hasil"]
    assert engine.tasks(user="kasi")  # the list the bug broke for every user
    assert [t.element_id for t in engine.tasks(user="kepala_dinas")] == []
    complete(engine, instance.id, "periksa_paralel", "kasi", {"hasil": "sah"})
    complete(engine, instance.id, "periksa_paralel", "kasi", {"hasil": "kurang"})
    forget(engine)
    assert sorted(engine.instance_data(instance.id)["hasil_paralel"]) == ["kurang", "sah"]
    # the sequential service task ran twice, then the sequential user task opens one at a time
    assert len(open_tasks(engine, instance.id, "periksa_berurutan")) == 1
    complete(engine, instance.id, "periksa_berurutan", "kasi", {"catatan": "satu"})
    assert len(open_tasks(engine, instance.id, "periksa_berurutan")) == 1
    done = complete(engine, instance.id, "periksa_berurutan", "kasi", {"catatan": "dua"})
    assert done.status == "completed"
    history = [(h.action, h.element_id) for h in engine.history(instance.id)]
    assert history.count(("completed", "periksa_paralel")) == 2
    assert history.count(("service_ok", "catat")) == 2
    assert "periksa_berurutan" in engine.element_states(instance.id)["completed"]


def test_camunda_collection_runs_one_instance_per_item(engine):
    xml = (
        (DIAGRAMS / "multi_instance.bpmn")
        .read_text()
        .replace(
            "<bpmn:multiInstanceLoopCharacteristics>",
            '<bpmn:multiInstanceLoopCharacteristics camunda:collection="berkas" '
            'camunda:elementVariable="satu_berkas">',
        )
    )
    # drop the standard references: the Camunda attributes alone say it
    for tag in ("loopDataInputRef", "loopDataOutputRef"):
        start = xml.index(f"<bpmn:{tag}>")
        xml = xml[:start] + xml[xml.index(f"</bpmn:{tag}>") + len(tag) + 8 :]
    for tag in ("inputDataItem", "outputDataItem"):
        start = xml.index(f"<bpmn:{tag}")
        xml = xml[:start] + xml[xml.index("/>", start) + 2 :]
    deploy(engine, "camunda_mi.bpmn", xml.encode())
    first = engine.start("uji_multi_instance", {"berkas": ["a", "b", "c"]}, user="kasi")
    second = engine.start("uji_multi_instance", {"berkas": ["x"]}, user="kasi")
    assert len(open_tasks(engine, first.id, "periksa_paralel")) == 3
    assert len(open_tasks(engine, second.id, "periksa_paralel")) == 1


def test_a_broken_step_form_does_not_break_the_task_list(engine, monkeypatch):
    deploy(engine, "multi_instance.bpmn")
    engine.start("uji_multi_instance", {"berkas": ["a"]}, user="kasi")
    sop = engine.start("permohonan_data_agregat", {}, user="sekretariat")
    real = engine._form_of

    def failing(session, definition_id, element_id):
        if element_id == "periksa_paralel":
            raise AttributeError("a spec without a form")
        return real(session, definition_id, element_id)

    monkeypatch.setattr(engine, "_form_of", failing)
    listed = engine.tasks()
    assert {t.element_id for t in listed} >= {"periksa_paralel", "registrasi_surat"}
    assert any(t.instance_id == sop.id for t in listed)


def test_a_collaboration_with_message_flows_and_a_receive_task_deploys(engine):
    [result] = deploy(engine, "collaboration.bpmn")
    assert result.process_id == "uji_pesan"


def test_multi_instance_without_cardinality_or_input_is_refused_in_indonesian(engine):
    xml = (
        (DIAGRAMS / "multi_instance.bpmn")
        .read_text()
        .replace("<bpmn:loopCardinality>2</bpmn:loopCardinality>", "", 1)
    )
    try:
        deploy(engine, "mi_rusak.bpmn", xml.encode())
    except DiagramInvalid as exc:
        [issue] = exc.issues
        assert issue.element_id == "catat" and issue.line
        assert "multi-instance tanpa jumlah maupun koleksi" in issue.message
        assert "'Catat'" in issue.message
    else:
        raise AssertionError("deployed")
