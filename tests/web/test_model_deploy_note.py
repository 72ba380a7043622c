"""Deploying from the editor: what changes is shown first, a change note is required and kept,
a timer left at the old standard time is a warning naming the step, and the peran list."""

from __future__ import annotations

from urllib.parse import quote

from tests.conftest import PROCESSES

SOP = (PROCESSES / "permohonan_data_agregat.bpmn").read_bytes()
STEP = "Menerima surat dan mendisposisikan kepada Kabid PIAK"
#: waktu baku of the first step 5 -> 7 minutes, its escalation timer left at 5
SEVEN_MINUTES = SOP.replace(
    b'<camunda:property name="sop_step" value="1" /><camunda:property name="standard_minutes" '
    b'value="5" />',
    b'<camunda:property name="sop_step" value="1" /><camunda:property name="standard_minutes" '
    b'value="7" />',
)
NEW_FIELD = (
    b'<camunda:formField id="kadin_catatan_baru" label="Catatan untuk Kabid" type="string" />'
)


def _post(client, url: str, xml: bytes, note: str | None = None):
    headers = {"X-Filename": "permohonan_data_agregat.bpmn"}
    if note is not None:
        headers["X-Change-Note"] = quote(note)
    return client.post(url, data=xml, content_type="application/xml", headers=headers)


def _with_new_field(xml: bytes) -> bytes:
    anchor = b'<camunda:formField id="kadin_isi_disposisi"'
    return xml.replace(anchor, NEW_FIELD + anchor, 1)


def test_preview_shows_the_changed_step_its_standard_time_and_form_field(as_user):
    assert SEVEN_MINUTES != SOP
    body = _post(as_user("analis"), "/model/pratinjau", _with_new_field(SEVEN_MINUTES)).get_json()
    assert body["ok"] is True
    [change] = body["changes"]
    assert (change["old_version"], change["new_version"]) == (1, 2)
    assert "<bpmn:definitions" in change["old_xml"]
    step = next(c for c in change["changed"] if c["element_id"] == "disposisi_kadin")
    assert step["name"] == STEP
    assert "waktu baku: 5 → 7 menit" in step["what"]
    assert "isian baru: Catatan untuk Kabid" in step["what"]


def test_a_timer_left_at_the_old_standard_time_is_a_warning_naming_the_step(as_user):
    body = _post(as_user("analis"), "/model/validasi", SEVEN_MINUTES).get_json()
    assert body["ok"] is True and body["issues"] == []
    [warning] = body["warnings"]
    assert STEP in warning["message"] and "7 menit" in warning["message"]
    assert "5 menit" in warning["message"]
    assert warning["element_id"] == "tenggat_disposisi_kadin" and warning["line"]
    fixed = SEVEN_MINUTES.replace(
        b'<bpmn:timerEventDefinition id="tenggat_disposisi_kadin_def"><bpmn:timeDate '
        b'xsi:type="bpmn:tFormalExpression">office_minutes_from_now(5)',
        b'<bpmn:timerEventDefinition id="tenggat_disposisi_kadin_def"><bpmn:timeDate '
        b'xsi:type="bpmn:tFormalExpression">office_minutes_from_now(7)',
    )
    assert _post(as_user("analis"), "/model/validasi", fixed).get_json()["warnings"] == []


def test_deploy_without_a_note_is_refused_and_deploys_nothing(as_user, engine):
    for note in (None, "   "):
        response = _post(as_user("analis"), "/model/terapkan", SEVEN_MINUTES, note)
        assert response.status_code == 422
        assert "Catatan perubahan wajib diisi" in response.get_json()["message"]
    assert [d.version for d in engine.list_definitions() if d.process_id == SOP_ID] == [1]


SOP_ID = "permohonan_data_agregat"


def test_the_note_is_kept_with_the_version_and_shown_in_the_version_list(as_user, engine):
    note = "Waktu baku disposisi 5 → 7 menit (permintaan Kadin)"
    response = _post(as_user("analis"), "/model/terapkan", SEVEN_MINUTES, note)
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["warnings"][0]["element_id"] == "tenggat_disposisi_kadin"
    latest = max(
        (d for d in engine.list_definitions() if d.process_id == SOP_ID), key=lambda d: d.version
    )
    assert (latest.version, latest.change_note) == (2, note)
    page = as_user("analis").get("/model/").get_data(as_text=True)
    assert "Catatan perubahan" in page and note in page


def test_the_editor_offers_the_active_roles_by_name(as_user, engine):
    engine.accounts.roles.add("juru_ukur", "Juru Ukur Jaringan")
    engine.accounts.roles.deactivate("juru_ukur")
    roles = as_user("analis").get("/model/peran.json").get_json()["roles"]
    by_code = {r["code"]: r["name"] for r in roles}
    assert by_code["kasi"] and "kepala_dinas" in by_code
    assert "juru_ukur" not in by_code


DMN = PROCESSES / "klasifikasi_pengaduan.dmn"
DMN_URL = "/model/pengaduan_layanan/1/keputusan/klasifikasi_pengaduan.dmn"


def test_the_decision_editor_opens_a_deployed_table_and_only_that(as_user):
    client = as_user("analis")
    page = client.get(DMN_URL).get_data(as_text=True)
    assert "Penyunting tabel keputusan" in page and "aturan_data_lapor" in page
    assert client.get("/model/pengaduan_layanan/1/keputusan/lain.dmn").status_code == 404
    assert (
        client.get("/model/pengaduan_layanan/9/keputusan/klasifikasi_pengaduan.dmn").status_code
        == 404
    )
    shown = client.get("/model/pengaduan_layanan/1").get_data(as_text=True)
    assert "Sunting tabel keputusan" in shown and DMN_URL in shown


def test_an_edited_table_is_checked_like_the_cli_and_deployed_with_a_note(as_user, engine):
    client = as_user("analis")
    text = DMN.read_bytes()
    broken = text.replace(b'<text>"ringan"</text>', b"<text>ringan ==</text>", 1)
    refused = _post(client, f"{DMN_URL}/validasi", broken).get_json()
    assert refused["ok"] is False
    [issue] = refused["issues"]
    assert issue["message"].startswith("klasifikasi_pengaduan.dmn: ")
    assert "bukan ungkapan Python yang sah" in issue["message"] and issue["line"]
    changed = text.replace(b'<text>"ringan"</text>', b'<text>"berat"</text>', 1)
    without_note = _post(client, f"{DMN_URL}/terapkan", changed)
    assert without_note.status_code == 422
    deployed = _post(client, f"{DMN_URL}/terapkan", changed, "Tabel: data daring berat")
    assert deployed.status_code == 200, deployed.get_json()
    versions = {
        d.version: d for d in engine.list_definitions() if d.process_id == "pengaduan_layanan"
    }
    assert versions[2].change_note == "Tabel: data daring berat"
    kept = engine.definition_decision_files("pengaduan_layanan", 2)["klasifikasi_pengaduan.dmn"]
    first = engine.definition_decision_files("pengaduan_layanan", 1)["klasifikasi_pengaduan.dmn"]
    assert kept.count('"ringan"') == first.count('"ringan"') - 1
    assert engine.definition_xml("pengaduan_layanan", 2) == engine.definition_xml(
        "pengaduan_layanan", 1
    )


def test_an_unchanged_diagram_shows_no_changes_and_a_new_process_none_to_compare(as_user):
    client = as_user("analis")
    for name in ("permohonan_data_agregat.bpmn", "pengaduan_layanan.bpmn"):
        body = _post(client, "/model/pratinjau", (PROCESSES / name).read_bytes()).get_json()
        [change] = body["changes"]
        assert (change["added"], change["removed"], change["changed"]) == ([], [], []), name
    new = SOP.replace(b'id="permohonan_data_agregat"', b'id="permohonan_data_baru"')
    assert _post(client, "/model/pratinjau", new).get_json()["changes"] == []
