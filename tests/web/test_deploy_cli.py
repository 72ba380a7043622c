"""`laksana deploy` keeps a change note and prints the warnings the editor shows; a form field
naming a picker the pages do not draw is refused at deploy, naming the field and its step."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from flask.cli import ScriptInfo

from web.cli import cli

HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" '
    'xmlns:camunda="http://camunda.org/schema/1.0/bpmn" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" id="defs" targetNamespace="t">\n'
)


def _diagram(
    minutes: int, timer_minutes: int, picker: str = "pengguna", role: str = "operator"
) -> str:
    return (
        f'{HEAD}<bpmn:process id="uji_cli" name="Uji CLI" isExecutable="true">\n'
        '<bpmn:laneSet id="ls"><bpmn:lane id="l" name="Kasi"><bpmn:flowNodeRef>mulai'
        "</bpmn:flowNodeRef><bpmn:flowNodeRef>periksa</bpmn:flowNodeRef>"
        "<bpmn:flowNodeRef>selesai</bpmn:flowNodeRef><bpmn:flowNodeRef>tenggat</bpmn:flowNodeRef>"
        "<bpmn:flowNodeRef>diingatkan</bpmn:flowNodeRef></bpmn:lane></bpmn:laneSet>\n"
        '<bpmn:startEvent id="mulai" name="Mulai"/>\n'
        '<bpmn:userTask id="periksa" name="Memeriksa berkas"><bpmn:extensionElements>'
        '<camunda:formData><camunda:formField id="petugas" label="Petugas pemeriksa" '
        'type="string"><camunda:properties><camunda:property id="picker" '
        f'value="{picker}"/><camunda:property id="picker_role" value="{role}"/>'
        "</camunda:properties></camunda:formField></camunda:formData>"
        f'<camunda:properties><camunda:property name="standard_minutes" value="{minutes}"/>'
        "</camunda:properties></bpmn:extensionElements></bpmn:userTask>\n"
        '<bpmn:boundaryEvent id="tenggat" name="Lewat batas" cancelActivity="false" '
        'attachedToRef="periksa"><bpmn:timerEventDefinition><bpmn:timeDate '
        f'xsi:type="bpmn:tFormalExpression">office_minutes_from_now({timer_minutes})'
        "</bpmn:timeDate></bpmn:timerEventDefinition></bpmn:boundaryEvent>\n"
        '<bpmn:endEvent id="selesai" name="Selesai"/>\n'
        '<bpmn:endEvent id="diingatkan" name="Diingatkan"/>\n'
        '<bpmn:sequenceFlow id="f3" sourceRef="tenggat" targetRef="diingatkan"/>\n'
        '<bpmn:sequenceFlow id="f1" sourceRef="mulai" targetRef="periksa"/>\n'
        '<bpmn:sequenceFlow id="f2" sourceRef="periksa" targetRef="selesai"/>\n'
        "</bpmn:process></bpmn:definitions>\n"
    )


@pytest.fixture
def run(app):
    info = ScriptInfo(create_app=lambda *_args: app)
    return lambda *args: CliRunner().invoke(cli, [str(a) for a in args], obj=info)


def _versions(engine) -> dict[int, str]:
    return {
        d.version: d.change_note for d in engine.list_definitions() if d.process_id == "uji_cli"
    }


def test_deploy_keeps_the_change_note_and_prints_the_timer_warning(run, engine, tmp_path):
    path = tmp_path / "uji_cli.bpmn"
    path.write_text(_diagram(7, 7), encoding="utf-8")
    first = run("deploy", path, "--note", "Versi pertama")
    assert first.exit_code == 0, first.output
    assert "peringatan" not in first.output
    path.write_text(_diagram(7, 5), encoding="utf-8")
    second = run("deploy", path, "--note", "Timer belum disamakan")
    assert second.exit_code == 0, second.output
    assert "deployed: uji_cli version 2" in second.stdout
    assert "peringatan: " in second.stderr
    assert "waktu baku tugas pengguna 'Memeriksa berkas' (periksa) 7 menit" in second.stderr
    assert "berbunyi setelah 5 menit" in second.stderr
    assert _versions(engine) == {1: "Versi pertama", 2: "Timer belum disamakan"}


def test_a_misspelt_picker_is_refused_naming_the_field_and_the_step(run, engine, tmp_path):
    path = tmp_path / "uji_cli.bpmn"
    path.write_text(_diagram(7, 7, picker="pengguan"), encoding="utf-8")
    refused = run("deploy", path)
    assert refused.exit_code == 2
    assert "isian 'Petugas pemeriksa' (petugas) pada tugas pengguna 'Memeriksa berkas'" in (
        refused.stderr
    )
    assert "picker 'pengguan' yang tidak dikenal" in refused.stderr
    assert "pengguna, periode, tabel, wilayah" in refused.stderr
    assert "Traceback" not in refused.output
    assert _versions(engine) == {}


def test_the_editor_check_refuses_a_misspelt_picker_too(app, as_user):
    client = as_user("analis")
    answer = client.post(
        "/model/validasi",
        data=_diagram(7, 7, picker="wilayahh").encode(),
        headers={"X-Filename": "uji_cli.bpmn", "Content-Type": "application/xml"},
    )
    assert answer.status_code == 422
    [issue] = answer.get_json()["issues"]
    assert issue["element_id"] == "petugas" and issue["line"] == 6
    assert "picker 'wilayahh' yang tidak dikenal" in issue["message"]


def test_a_known_picker_deploys(run, engine, tmp_path):
    path = tmp_path / "uji_cli.bpmn"
    path.write_text(_diagram(7, 7, picker="pengguna"), encoding="utf-8")
    assert run("deploy", path).exit_code == 0
    assert list(_versions(engine)) == [1]


def test_a_picker_role_nobody_knows_is_refused_naming_the_field(run, engine, tmp_path):
    path = tmp_path / "uji_cli.bpmn"
    path.write_text(_diagram(7, 7, role="operatr"), encoding="utf-8")
    refused = run("deploy", path)
    assert refused.exit_code == 2
    assert "isian 'Petugas pemeriksa' (petugas) pada tugas pengguna 'Memeriksa berkas'" in (
        refused.stderr
    )
    assert "memilih orang dari peran 'operatr' yang belum dikenal" in refused.stderr
    assert _versions(engine) == {}
    # a role the diagram's own lane brings (created with --create-roles) is known
    path.write_text(
        _diagram(7, 7, role="kasi")
        .replace('name="Kasi"', 'name="Kasi Baru"')
        .replace('value="kasi"', 'value="kasi_baru"'),
        encoding="utf-8",
    )
    assert run("deploy", path, "--create-roles").exit_code == 0
