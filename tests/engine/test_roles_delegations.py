"""Roles as data, assignee expressions, acting officials (Plh/Plt) and reassignment."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from engine.errors import Conflict, DiagramInvalid, EngineError, Forbidden, NotFound
from engine.facade import BpmnEngine
from engine.models import AuditEntry, Notification
from tests.conftest import DEMO_PASSWORD, PROCESSES, seeded
from tests.factories import fake_registry

#: a step the Kasi does (choosing the operator), then one offered to the operator chosen
ASSIGNEE = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="d" targetNamespace="http://laksana/uji">
  <bpmn:process id="uji_tugas" name="Uji tugas" isExecutable="true">
    <bpmn:laneSet id="lanes">
      <bpmn:lane id="lane_kasi" name="LANE"><bpmn:flowNodeRef>pilih</bpmn:flowNodeRef></bpmn:lane>
    </bpmn:laneSet>
    <bpmn:startEvent id="mulai"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:userTask id="pilih" name="Pilih operator">
      <bpmn:extensionElements><camunda:formData>
        <camunda:formField id="akses_operator" label="Operator" type="string" />
      </camunda:formData></bpmn:extensionElements>
      <bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing></bpmn:userTask>
    <bpmn:userTask id="kerjakan" name="Kerjakan" camunda:candidateGroups="GROUPS" ASSIGN>
      <bpmn:incoming>f2</bpmn:incoming><bpmn:outgoing>f3</bpmn:outgoing></bpmn:userTask>
    <bpmn:endEvent id="selesai"><bpmn:incoming>f3</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="mulai" targetRef="pilih" />
    <bpmn:sequenceFlow id="f2" sourceRef="pilih" targetRef="kerjakan" />
    <bpmn:sequenceFlow id="f3" sourceRef="kerjakan" targetRef="selesai" />
  </bpmn:process>
</bpmn:definitions>
"""


def diagram(lane="Kasi", groups="operator", assign='camunda:assignee="${akses_operator}"') -> bytes:
    text = ASSIGNEE.replace("LANE", lane).replace("GROUPS", groups).replace("ASSIGN", assign)
    return text.encode()


def add_user(engine, username: str, roles: list[str], full_name: str = "") -> None:
    from engine.accounts import AccountChange

    engine.accounts.create(
        username,
        AccountChange(full_name or username, "", "", "", roles, True, password=DEMO_PASSWORD),
    )


def today(engine) -> date:
    return engine.delegations.today()


# ------------------------------------------------------------------ roles as data
def test_roles_are_data_added_edited_and_deactivated(engine):
    roles = engine.accounts.roles
    assert roles.get("kepala_dinas").name == "Kepala Dinas"
    added = roles.add("juru_sita", "Juru Sita", "Sekretariat")
    assert (added.code, added.name, added.bidang, added.active) == (
        "juru_sita",
        "Juru Sita",
        "Sekretariat",
        True,
    )
    assert engine.accounts.role_labels()["juru_sita"] == "Juru Sita"
    assert roles.edit("juru_sita", name="Juru Sita Dinas").name == "Juru Sita Dinas"
    assert roles.deactivate("juru_sita").active is False
    assert "juru_sita" not in {r.code for r in roles.list(active_only=True)}
    with pytest.raises(Conflict, match="sudah ada"):
        roles.add("juru_sita", "Lagi")
    with pytest.raises(EngineError, match="kode peran 'Bukan Kode' tidak sah"):
        roles.add("Bukan Kode", "x")
    with pytest.raises(EngineError, match="nama peran wajib diisi"):
        roles.add("kosong", "  ")
    with pytest.raises(NotFound):
        roles.edit("tidak_ada", name="x")


def test_an_account_gets_only_active_known_roles(engine):
    with pytest.raises(EngineError, match="peran juru_sita tidak dikenal atau tidak aktif"):
        add_user(engine, "budi", ["juru_sita"])
    engine.accounts.roles.add("juru_sita", "Juru Sita")
    add_user(engine, "budi", ["juru_sita"])
    assert engine.accounts.by_username("budi").roles == ("juru_sita",)


# ------------------------------------------------------------------ deploying names roles
def test_deploying_a_diagram_with_an_unknown_role_is_refused_naming_it(engine):
    with pytest.raises(DiagramInvalid) as refused:
        engine.deploy(diagram(lane="Juru Sita"), "uji.bpmn")
    message = str(refused.value)
    assert "uji.bpmn:" in message and "elemen pilih" in message
    assert "'Pilih operator'" in message and "peran 'juru_sita' yang belum dikenal" in message
    assert "kepala_dinas" in message  # the known roles are listed
    assert engine.accounts.roles.get("juru_sita") is None


def test_deploy_with_create_roles_adds_the_missing_roles_named_as_their_lane(engine):
    engine.deploy(diagram(lane="Juru Sita", groups="pencatat"), "uji.bpmn", create_roles=True)
    assert engine.accounts.roles.get("juru_sita").name == "Juru Sita"
    assert engine.accounts.roles.get("pencatat").name == "pencatat"


def test_the_office_diagrams_deploy_on_a_store_seeded_with_its_roles(database, settings, clock):
    engine = BpmnEngine(seeded(database), fake_registry(), settings, clock=clock)
    assert {r.process_id for r in engine.deploy_path(PROCESSES)} >= {"permohonan_data_agregat"}


def test_an_empty_roles_table_refuses_the_office_diagrams(database, settings, clock):
    engine = BpmnEngine(database, fake_registry(), settings, clock=clock)
    with pytest.raises(DiagramInvalid, match="belum dikenal"):
        engine.deploy_path(PROCESSES)
    engine.deploy_path(PROCESSES, create_roles=True)
    assert engine.accounts.roles.get("kepala_dinas") is not None


# ------------------------------------------------------------------ assignee expressions
def start_assigned(engine, operator: str = "operator2", **kwargs):
    engine.deploy(diagram(**kwargs), "uji.bpmn")
    instance = engine.start("uji_tugas", user="kasi")
    (pick,) = engine.tasks(instance_id=instance.id)
    engine.complete(pick.id, "kasi", {"akses_operator": operator})
    (work,) = engine.tasks(instance_id=instance.id)
    return instance, work


def test_an_assignee_expression_offers_the_task_to_the_user_chosen(engine):
    add_user(engine, "operator2", ["operator"])
    instance, work = start_assigned(engine)
    assert work.claimed_by == "operator2" and work.candidate_users == ["operator2"]
    assert [t.id for t in engine.tasks(user="operator2")] == [work.id]
    assert engine.tasks(user="operator") == []  # claimed for the operator chosen
    assert engine.inbox("operator2").total == 1 and engine.inbox("operator").total == 0
    with pytest.raises(Exception, match="claimed"):
        engine.complete(work.id, "operator", {})
    assert engine.complete(work.id, "operator2", {}).status == "completed"


def test_candidate_users_let_a_user_without_the_role_do_the_task(engine):
    add_user(engine, "tamu", ["jfu"])
    instance, work = start_assigned(
        engine, operator="tamu", assign='camunda:candidateUsers="${akses_operator}, sekretariat"'
    )
    assert work.claimed_by is None and work.candidate_users == ["tamu", "sekretariat"]
    assert [t.id for t in engine.tasks(user="tamu")] == [work.id]
    assert engine.takes_part(instance.id, "sekretariat")
    assert engine.complete(work.id, "tamu", {}).status == "completed"


# ------------------------------------------------------------------ acting officials
def kadin_task(engine, actions):
    instance = actions.start()
    actions.complete(instance.id, "registrasi_surat")
    return instance, actions.open_task(instance.id, "disposisi_kadin")


def test_a_callers_form_check_runs_for_the_rightful_user_only_and_refuses_before_saving(
    engine, actions
):
    from engine.errors import FormInvalid
    from tests.factories import gen_form

    instance, task = kadin_task(engine, actions)
    history_before = [e.action for e in engine.history(instance.id)]
    seen: list[list[str]] = []

    def no_kabid(fields, data):
        seen.append([f.id for f in fields])
        return {"catatan_kadin": "bukan pilihan yang tersedia"}

    with pytest.raises(Forbidden):
        engine.complete(task.id, "kabid_piak", gen_form("disposisi_kadin"), no_kabid)
    assert seen == []  # a stranger learns nothing about the form
    with pytest.raises(FormInvalid) as refused:
        engine.complete(task.id, "kepala_dinas", gen_form("disposisi_kadin"), no_kabid)
    assert refused.value.by_field() == {"catatan_kadin": "bukan pilihan yang tersedia"}
    assert seen == [[f.id for f in engine.task(task.id).fields]]
    assert actions.open_task(instance.id, "disposisi_kadin").id == task.id
    after = [e.action for e in engine.history(instance.id)]
    assert after.count("completed") == history_before.count("completed")


def test_a_plh_completes_the_officials_task_and_the_audit_says_on_behalf(engine, actions):
    instance, task = kadin_task(engine, actions)
    with pytest.raises(Forbidden):
        engine.task(task.id, "kabid_piak")
    start = today(engine)
    delegation = engine.delegations.create(
        "kepala_dinas", "kabid_piak", "plh", start, start + timedelta(days=3), "Dinas luar", "admin"
    )
    assert delegation.in_effect(start)
    assert task.id in {t.id for t in engine.tasks(user="kabid_piak")}
    assert task.id in {r.id for r in engine.inbox("kabid_piak").rows}
    from tests.factories import gen_form

    engine.complete(task.id, "kabid_piak", gen_form("disposisi_kadin"))
    done = [e for e in engine.history(instance.id) if e.action == "completed"][-1]
    assert (done.actor, done.on_behalf_of, done.acting_kind) == (
        "kabid_piak",
        "kepala_dinas",
        "plh",
    )
    assert done.to_dict()["on_behalf_of"] == "kepala_dinas"
    with engine.db.Session() as session:
        row = session.query(AuditEntry).filter_by(id=done.id).one()
        assert (row.on_behalf_of, row.acting_kind) == ("kepala_dinas", "plh")


def test_a_delegation_outside_its_dates_or_ended_gives_nothing(engine, actions, clock):
    instance, task = kadin_task(engine, actions)
    start = today(engine) + timedelta(days=1)
    made = engine.delegations.create(
        "kepala_dinas", "kabid_piak", "plt", start, start, "Cuti sehari", "kepala_dinas"
    )
    assert task.id not in {t.id for t in engine.tasks(user="kabid_piak")}
    clock.advance(days=1)
    assert task.id in {t.id for t in engine.tasks(user="kabid_piak")}
    engine.delegations.end(made.id, "kepala_dinas")
    assert task.id not in {t.id for t in engine.tasks(user="kabid_piak")}
    with pytest.raises(Forbidden):
        engine.complete(task.id, "kabid_piak", {})


def test_overlapping_inactive_or_backwards_delegations_are_refused(engine):
    day = today(engine)
    create = engine.delegations.create
    create("kepala_dinas", "kabid_piak", "plh", day, day + timedelta(days=5), "Dinas luar", "admin")
    with pytest.raises(Conflict, match="bertumpang tindih"):
        create(
            "kepala_dinas",
            "kasi",
            "plh",
            day + timedelta(days=5),
            day + timedelta(days=9),
            "x",
            "admin",
        )
    with pytest.raises(EngineError, match="sebelum tanggal mulai"):
        create("kabid_piak", "kasi", "plt", day, day - timedelta(days=1), "Cuti", "admin")
    add_user(engine, "pensiun", ["kasi"])
    engine.accounts.update(
        engine.accounts.by_username_id("pensiun"),
        __import__("engine.accounts", fromlist=["AccountChange"]).AccountChange(
            "pensiun", "", "", "", ["kasi"], False
        ),
    )
    with pytest.raises(EngineError, match="penerima delegasi 'pensiun' tidak aktif"):
        create("kabid_piak", "pensiun", "plt", day, day, "Cuti", "admin")
    with pytest.raises(Forbidden):
        create("kabid_piak", "kasi", "plt", day, day, "Cuti", "operator")
    with pytest.raises(EngineError, match="Plh atau Plt"):
        create("kabid_piak", "kasi", "wakil", day, day, "Cuti", "admin")


# ------------------------------------------------------------------ reassignment
def test_a_kabid_reassigns_an_open_task_to_a_named_user(engine, actions):
    instance = actions.start()
    actions.run_until(instance.id, stop_before="ekstraksi_data")
    task = actions.open_task(instance.id, "ekstraksi_data")
    add_user(engine, "operator2", ["operator"])
    with pytest.raises(Forbidden):
        engine.reassign(task.id, "kasi", "operator2", "Operator sakit")
    with pytest.raises(EngineError, match="alasan pengalihan"):
        engine.reassign(task.id, "kabid_piak", "operator2", "")
    with pytest.raises(EngineError, match="tidak ada"):
        engine.reassign(task.id, "kabid_piak", "siapa", "Operator sakit")
    view = engine.reassign(task.id, "kabid_piak", "jfu", "Operator sakit")
    assert view.claimed_by == "jfu" and view.candidate_users == ["jfu"]
    assert task.id in {t.id for t in engine.tasks(user="jfu")}
    assert task.id not in {t.id for t in engine.tasks(user="operator")}
    moved = [e for e in engine.history(instance.id) if e.action == "reassigned"]
    assert moved[0].actor == "kabid_piak" and moved[0].data["to"] == "jfu"
    assert moved[0].data["reason"] == "Operator sakit"
    with engine.db.Session() as session:
        notes = session.query(Notification).filter_by(kind="reassigned").all()
    assert {(n.recipient_user, n.recipient_role) for n in notes} == {
        ("jfu", None),
        ("operator", None),  # the operator the Kasi chose held it (camunda:assignee)
    }
