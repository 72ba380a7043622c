"""People's mistakes get a clear error and leave the instance unchanged."""

import pytest

from engine.errors import Conflict, DiagramInvalid, EngineError, Forbidden, FormInvalid, NotFound
from engine.models import AuditEntry, ProcessInstance
from engine.users import create_user
from tests.conftest import PROCESSES

GOOD_XML = (PROCESSES / "permohonan_data_agregat.bpmn").read_text()


def snapshot(engine, instance_id):
    with engine.db.transaction() as session:
        row = session.get(ProcessInstance, instance_id)
        return row.row_version, row.state_json, list(row.current_tasks)


def deploy_error(engine, xml: str) -> DiagramInvalid:
    with pytest.raises(DiagramInvalid) as info:
        engine.deploy(xml.encode(), "broken.bpmn")
    return info.value


def test_malformed_xml_names_the_line(engine):
    broken = GOOD_XML.replace("</bpmn:userTask>", "</bpmn:userTsk>", 1)
    error = deploy_error(engine, broken)
    assert "tidak tersusun dengan benar" in str(error)
    assert error.issues[0].line is not None and error.issues[0].line > 1


def test_unknown_topic_is_refused_naming_the_element(engine):
    error = deploy_error(
        engine,
        GOOD_XML.replace(
            'camunda:topic="warehouse.aggregate"', 'camunda:topic="warehouse.agregate"'
        ),
    )
    issue = error.issues[0]
    assert issue.element_id == "jalankan_kueri"
    assert "topik 'warehouse.agregate' yang tidak dikenal" in issue.message
    assert issue.line is not None


def test_user_task_with_no_role_is_refused(engine):
    xml = GOOD_XML.replace("<bpmn:flowNodeRef>pemeriksaan_kasi</bpmn:flowNodeRef>", "")
    error = deploy_error(engine, xml)
    assert [i.element_id for i in error.issues] == ["pemeriksaan_kasi"]
    assert "tidak dapat dikerjakan siapa pun" in error.issues[0].message


def test_task_without_outgoing_flow_is_refused(engine):
    xml = GOOD_XML.replace(
        'sourceRef="laporan_kabid" targetRef="buat_surat_data"',
        'sourceRef="buat_surat_data" targetRef="buat_surat_data"',
    )
    issues = deploy_error(engine, xml).issues
    assert any(
        i.element_id == "laporan_kabid" and "tidak punya aliran keluar" in i.message for i in issues
    )


def test_a_required_if_naming_no_field_of_the_form_is_refused(engine):
    error = deploy_error(
        engine, GOOD_XML.replace('config="kadin_keputusan=tolak"', 'config="keputusan=tolak"', 1)
    )
    assert error.issues[0].element_id == "disposisi_kadin"
    assert (
        "required_if" in error.issues[0].message and "isian_lain=nilai" in error.issues[0].message
    )


def test_required_if_asks_for_a_field_only_for_the_named_values():
    from engine.forms import FormFieldView, validate_form

    views = [
        FormFieldView(
            "hasil", "Hasil", "enum", options=[{"id": "a", "name": "A"}, {"id": "b", "name": "B"}]
        ),
        FormFieldView("catatan", "Catatan", "string", constraints={"required_if": "hasil=b|c"}),
        FormFieldView("yakin", "Yakin", "boolean", constraints={"required_if": "hasil=b"}),
    ]
    assert validate_form(views, {"hasil": "a"}) == {"hasil": "a", "catatan": None, "yakin": False}
    with pytest.raises(FormInvalid) as info:
        validate_form(views, {"hasil": "b", "yakin": False})
    assert set(info.value.by_field()) == {"catatan", "yakin"}
    assert validate_form(views, {"hasil": "b", "catatan": "x", "yakin": "on"})["yakin"] is True


def test_condition_with_python_syntax_error_is_refused(engine):
    error = deploy_error(
        engine, GOOD_XML.replace('kadin_keputusan == "tolak"', 'kadin_keputusan = "tolak"')
    )
    assert error.issues[0].element_id == "flow_tolak"
    assert "bukan ekspresi Python yang sah" in error.issues[0].message


def test_flow_to_a_missing_element_is_named(engine):
    error = deploy_error(
        engine, GOOD_XML.replace('targetRef="selesai_terkirim"', 'targetRef="selesai_hilang"')
    )
    assert any("selesai_hilang" in i.message for i in error.issues)


def test_nothing_is_stored_for_a_refused_diagram(engine):
    deploy_error(engine, GOOD_XML.replace('camunda:topic="notify.send"', 'camunda:topic="nope"'))
    assert [d.version for d in engine.list_definitions()] == [1] * len(
        list(PROCESSES.glob("*.bpmn"))
    )


def test_form_data_of_the_wrong_type_names_each_field(engine, actions):
    instance = actions.start()
    task = actions.open_task(instance.id)
    before = snapshot(engine, instance.id)
    with pytest.raises(FormInvalid) as info:
        engine.complete(
            task.id,
            "sekretariat",
            {"tanggal_surat": "kemarin", "sifat": "kilat", "perihal": "", "nomor_rahasia": "x"},
        )
    errors = info.value.by_field()
    assert "tanggal" in errors["tanggal_surat"].lower()
    assert "harus salah satu" in errors["sifat"]
    assert "wajib" in errors["perihal"]
    assert "nomor_rahasia" in errors
    assert "instansi_pengirim" in errors
    assert snapshot(engine, instance.id) == before


def test_long_fields_respect_their_bounds(engine, actions):
    instance = actions.run_until(actions.start().id, stop_before="pengiriman_jfu")
    task = actions.open_task(instance.id, "pengiriman_jfu")
    with pytest.raises(FormInvalid) as info:
        from tests.factories import gen_form

        engine.complete(task.id, "jfu", gen_form("pengiriman_jfu", jumlah_lembar="0"))
    assert "paling kecil 1" in info.value.by_field()["jumlah_lembar"]


def test_required_check_box_must_be_ticked(engine, actions):
    instance = actions.run_until(actions.start().id, stop_before="disposisi_kadin")
    task = actions.open_task(instance.id, "disposisi_kadin")
    with pytest.raises(FormInvalid) as info:
        engine.complete(
            task.id,
            "kepala_dinas",
            {
                "kadin_keputusan": "tolak",
                "kadin_alasan_penolakan": "Data perseorangan",
                "kadin_konfirmasi_tolak": False,
            },
        )
    assert "wajib dicentang" in info.value.by_field()["kadin_konfirmasi_tolak"]


def test_unknown_user_is_refused(engine, actions):
    instance = actions.start()
    task = actions.open_task(instance.id)
    before = snapshot(engine, instance.id)
    with pytest.raises(NotFound, match="unknown user 'hacker'"):
        engine.complete(task.id, "hacker", {})
    assert snapshot(engine, instance.id) == before


def test_user_without_the_role_is_refused_and_the_refusal_logged(engine, actions):
    instance = actions.start()
    task = actions.open_task(instance.id)
    before = snapshot(engine, instance.id)
    with pytest.raises(Forbidden, match="needs the role sekretariat"):
        engine.complete(task.id, "operator", {})
    assert snapshot(engine, instance.id) == before
    with engine.db.transaction() as session:
        refused = session.query(AuditEntry).filter_by(action="refused").one()
        assert refused.actor == "operator" and refused.task_id == task.id


def test_only_the_holder_or_an_administrator_gives_a_task_back(engine, actions):
    instance = actions.start()
    task = actions.open_task(instance.id)
    with engine.db.transaction() as session:
        create_user(
            session, "sekretariat2", "kata-sandi-panjang", ["sekretariat"], "Staf Sekretariat"
        )
    with pytest.raises(Forbidden, match="needs the role sekretariat"):
        engine.unclaim(task.id, "operator")  # an outsider, even before anyone claimed it
    with pytest.raises(Conflict, match="not claimed"):
        engine.unclaim(task.id, "sekretariat")
    engine.claim(task.id, "sekretariat")
    with pytest.raises(Forbidden, match="claimed by sekretariat, not by sekretariat2"):
        engine.unclaim(task.id, "sekretariat2")  # the same role is not enough
    assert engine.unclaim(task.id, "admin").claimed_by is None
    with engine.db.transaction() as session:
        refusals = session.query(AuditEntry).filter_by(action="refused", task_id=task.id).all()
    assert [r.actor for r in refusals] == ["operator"]


def test_task_list_of_a_user_holds_only_their_roles(engine, actions):
    actions.start()
    assert [t.element_id for t in engine.tasks(user="sekretariat")] == ["registrasi_surat"]
    assert engine.tasks(user="kasi") == []


def test_bad_start_data_is_refused(engine):
    with pytest.raises(EngineError, match="JSON object"):
        engine.start("permohonan_data_agregat", ["not", "an", "object"], user="sekretariat")
    with pytest.raises(NotFound, match="no deployed process 'tidak_ada'"):
        engine.start("tidak_ada")


def test_date_bounds_follow_the_office_calendar(engine, actions):
    instance = actions.run_until(actions.start().id, stop_before="beri_akses")
    task = actions.open_task(instance.id, "beri_akses")
    with pytest.raises(FormInvalid) as info:
        engine.complete(
            task.id, "kasi", {"akses_operator": "operator", "akses_berlaku_sampai": "2026-03-11"}
        )
    assert "paling awal 2026-03-12" in info.value.by_field()["akses_berlaku_sampai"]
