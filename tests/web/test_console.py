"""The operations console (/konsol): a stuck request is fixed, an instance's course is changed and
running requests move to a new version through the pages, the JSON API and the CLI."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from flask.cli import ScriptInfo

from engine.services import ServiceError
from tests.engine.test_versions import LONGER_ACCESS
from tests.factories import PROCESS
from tests.web.test_api import basic
from web.cli import cli


@pytest.fixture
def stuck(engine, actions):
    """A request stopped at an incident: the query step refuses the period 2099-9."""
    good = engine.services.get("warehouse.aggregate")

    def aggregate(call):
        if call.data.get("permintaan_periode") == "2099-9":
            raise ServiceError("periode 2099-9 tidak ada di gudang data")
        return good(call)

    engine.services.register("warehouse.aggregate", aggregate)
    instance = actions.run_until(actions.start().id, stop_before="ekstraksi_data")
    done = actions.complete(instance.id, "ekstraksi_data", permintaan_periode="2099-9")
    assert done.status == "incident"
    [incident] = engine.incidents(instance_id=instance.id)
    return instance, incident


@pytest.fixture
def waiting(engine, actions):
    """A request waiting for the Kasi's access step (it has passed three steps)."""
    return actions.run_until(actions.start().id, stop_before="beri_akses")


@pytest.fixture
def two_versions(engine):
    [result] = engine.deploy(LONGER_ACCESS.encode(), f"{PROCESS}.bpmn", "analis", force=True)
    assert result.version == 2
    return result.version


def page(response) -> str:
    return response.get_data(as_text=True)


# ---------------------------------------------------------------------- who may open it
def test_every_console_page_opens_for_administrators_and_analysts_only(
    as_user, stuck, two_versions
):
    instance, incident = stuck
    urls = [
        "/konsol",
        f"/konsol/insiden/{incident.id}",
        f"/konsol/permohonan/{instance.id}",
        f"/konsol/versi/{PROCESS}?dari=1&ke=2",
    ]
    for role in ("admin", "analis"):
        client = as_user(role)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, (role, url)
        assert "Konsol operasi" in page(client.get("/kotak-masuk"))
    client = as_user("operator")
    for url in urls:
        assert client.get(url).status_code == 403, url
    assert "Konsol operasi" not in page(client.get("/kotak-masuk"))


def test_the_overview_lists_open_incidents_and_suspended_requests(as_user, engine, stuck, waiting):
    instance, incident = stuck
    engine.suspend(waiting.id, "analis", "menunggu klarifikasi")
    html = page(as_user("analis").get("/konsol"))
    assert "periode 2099-9 tidak ada di gudang data" in html
    assert f"/konsol/insiden/{incident.id}" in html
    assert f"/konsol/permohonan/{waiting.id}" in html
    assert "12 Mar 2026" in html  # WIB, through the `when` filter


# ---------------------------------------------------------------------- a stuck request
def test_an_administrator_edits_the_data_and_the_request_runs_on(as_user, engine, stuck):
    instance, incident = stuck
    client = as_user("admin")
    html = page(client.get(f"/konsol/insiden/{incident.id}"))
    assert "periode 2099-9 tidak ada di gudang data" in html
    assert 'name="data-permintaan_periode" value="2099-9"' in html
    assert "Ubah data lalu ulangi" in html and "Lewati langkah" in html

    no_reason = client.post(
        f"/konsol/insiden/{incident.id}/ubah", data={"data-permintaan_periode": "2026-1"}
    )
    assert no_reason.status_code == 422 and "Alasan wajib diisi" in page(no_reason)
    bad_json = client.post(
        f"/konsol/insiden/{incident.id}/ubah",
        data={"data-kadin_harap_proses": "ya", "alasan": "periode salah ketik"},
    )
    assert bad_json.status_code == 422
    assert "kadin_harap_proses: bukan JSON yang sah" in page(bad_json)
    assert "Traceback" not in page(bad_json)

    # the browser sends every field back, pre-filled as the page shows them
    form = {
        f"data-{key}": value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
        for key, value in engine.incident_data(incident.id).items()
    }
    form.update({"data-permintaan_periode": "2026-1", "alasan": "periode salah ketik"})
    fixed = client.post(f"/konsol/insiden/{incident.id}/ubah", data=form)
    assert fixed.status_code == 302
    assert fixed.headers["Location"].endswith(f"/konsol/permohonan/{instance.id}")
    after = client.get(fixed.headers["Location"])
    assert "berhasil dijalankan ulang" in page(after)
    view = engine.instance(instance.id)
    assert view.status == "running" and view.current_tasks == ["pemeriksaan_kasi"]
    edits = [h for h in engine.history(instance.id) if h.action == "data_edited"]
    assert edits[0].data["after"] == {"permintaan_periode": "2026-1"}  # only what changed


def test_an_analyst_retries_but_may_not_edit_or_skip(as_user, engine, stuck):
    instance, incident = stuck
    client = as_user("analis")
    html = page(client.get(f"/konsol/insiden/{incident.id}"))
    assert "Ulangi langkah" in html and "Ubah data lalu ulangi" not in html
    again = client.post(f"/konsol/insiden/{incident.id}/ulangi")
    assert again.headers["Location"].endswith(f"/konsol/insiden/{incident.id}")
    assert "Langkah gagal lagi" in page(client.get(again.headers["Location"]))
    assert engine.incidents(instance_id=instance.id)[0].attempts == 2
    assert (
        client.post(f"/konsol/insiden/{incident.id}/lewati", data={"alasan": "x" * 9}).status_code
        == 403
    )


def test_an_administrator_skips_the_failed_step(as_user, engine, stuck):
    instance, incident = stuck
    client = as_user("admin")
    short = client.post(f"/konsol/insiden/{incident.id}/lewati", data={"alasan": "ok"})
    assert short.status_code == 422 and "paling sedikit 5 huruf" in page(short)
    done = client.post(
        f"/konsol/insiden/{incident.id}/lewati", data={"alasan": "data dikirim manual"}
    )
    assert done.status_code == 302
    assert engine.instance(instance.id).current_tasks == ["pemeriksaan_kasi"]
    again = client.post(f"/konsol/insiden/{incident.id}/lewati", data={"alasan": "sekali lagi"})
    assert again.status_code == 409 and "sudah diselesaikan" in page(again)


# ---------------------------------------------------------------------- an instance's course
def test_suspend_resume_and_terminate_through_the_pages(as_user, engine, waiting):
    client = as_user("analis")
    url = f"/konsol/permohonan/{waiting.id}"
    html = page(client.get(url))
    assert "Tangguhkan" in html and "Kembalikan ke langkah sebelumnya" not in html  # admin only

    refused = client.post(f"{url}/tangguhkan", data={"alasan": ""})
    assert refused.status_code == 422 and "Alasan wajib diisi" in page(refused)
    assert (
        client.post(f"{url}/tangguhkan", data={"alasan": "menunggu klarifikasi"}).status_code == 302
    )
    assert engine.instance(waiting.id).status == "suspended"
    twice = client.post(f"{url}/tangguhkan", data={"alasan": "menunggu klarifikasi"})
    assert twice.status_code == 409 and "sudah ditangguhkan" in page(twice)

    assert "Ditangguhkan" in page(client.get(url))
    assert client.post(f"{url}/lanjutkan").status_code == 302
    assert engine.instance(waiting.id).status == "running"

    unconfirmed = client.post(f"{url}/hentikan", data={"alasan": "pemohon menarik"})
    assert unconfirmed.status_code == 422 and "Centang konfirmasi" in page(unconfirmed)
    assert engine.instance(waiting.id).status == "running"
    ended = client.post(f"{url}/hentikan", data={"alasan": "pemohon menarik", "konfirmasi": "ya"})
    assert ended.status_code == 302
    assert engine.instance(waiting.id).status == "cancelled"
    assert "sudah berakhir" in page(client.get(url))


def test_an_administrator_moves_a_request_back_to_a_step_it_passed(as_user, engine, waiting):
    client = as_user("admin")
    url = f"/konsol/permohonan/{waiting.id}"
    html = page(client.get(url))
    assert '<option value="disposisi_kadin"' in html and '<option value="beri_akses"' not in html
    never = client.post(f"{url}/pindahkan", data={"langkah": "laporan_kabid", "alasan": "lompat"})
    assert never.status_code == 422 and "Langkah: pilih salah satu" in page(never)
    moved = client.post(
        f"{url}/pindahkan", data={"langkah": "disposisi_kabid", "alasan": "disposisi keliru"}
    )
    assert moved.status_code == 302
    assert engine.instance(waiting.id).current_tasks == ["disposisi_kabid"]
    assert (
        as_user("analis")
        .post(f"{url}/pindahkan", data={"langkah": "disposisi_kabid", "alasan": "disposisi keliru"})
        .status_code
        == 403
    )


def test_an_administrator_moves_a_request_forward_and_a_parallel_branch_is_refused(
    as_user, engine, waiting
):
    client = as_user("admin")
    url = f"/konsol/permohonan/{waiting.id}"
    html = page(client.get(url))
    assert "Majukan ke langkah berikutnya" in html
    ahead = html.split('id="langkah-maju"')[1].split("</select>")[0]
    assert '<option value="ekstraksi_data"' in ahead and 'value="disposisi_kadin"' not in ahead
    behind = client.post(
        f"{url}/majukan", data={"langkah-maju": "disposisi_kadin", "alasan": "coba mundur"}
    )
    assert behind.status_code == 422 and "pilih salah satu langkah di depan" in page(behind)
    moved = client.post(
        f"{url}/majukan", data={"langkah-maju": "ekstraksi_data", "alasan": "akses sudah ada"}
    )
    assert moved.status_code == 302
    assert engine.instance(waiting.id).current_tasks == ["ekstraksi_data"]
    forward = {"langkah-maju": "laporan_kabid", "alasan": "bukan admin"}
    assert as_user("analis").post(f"{url}/majukan", data=forward).status_code == 403


def test_the_api_moves_a_request_forward_or_says_why_not(client, engine, waiting):
    base = f"/api/v1/instances/{waiting.id}"
    odd = client.post(
        f"{base}/move",
        headers=basic("admin"),
        json={"element_id": "laporan_kabid", "direction": "samping", "reason": "arah aneh"},
    )
    assert odd.status_code == 400 and "'direction'" in odd.get_json()["error"]["message"]
    gateway = client.post(
        f"{base}/move",
        headers=basic("admin"),
        json={"element_id": "gw_pemeriksaan", "direction": "forward", "reason": "ke gerbang"},
    )
    assert (
        gateway.status_code == 400
        and "bukan langkah kerja" in gateway.get_json()["error"]["message"]
    )
    moved = client.post(
        f"{base}/move",
        headers=basic("admin"),
        json={"element_id": "pemeriksaan_kasi", "direction": "forward", "reason": "data siap"},
    )
    assert moved.status_code == 200 and moved.get_json()["current_tasks"] == ["pemeriksaan_kasi"]


def test_the_instance_page_links_to_the_console_for_administrators(as_user, waiting):
    assert f"/konsol/permohonan/{waiting.id}" in page(
        as_user("admin").get(f"/riwayat/{waiting.id}")
    )
    assert "/konsol/" not in page(as_user("manajer").get(f"/riwayat/{waiting.id}"))


# ---------------------------------------------------------------------- versions
def test_the_version_page_shows_the_change_in_words_and_moves_a_request(
    as_user, engine, waiting, two_versions
):
    client = as_user("admin")
    html = page(client.get(f"/konsol/versi/{PROCESS}?dari=1&ke=2"))
    assert "waktu baku: 10 → 15 menit" in html and "isian baru: Catatan hak akses" in html
    config = json.loads(html.split('id="diagram-new-config">')[1].split("</script>")[0])
    assert config["markers"]["lk-diff-changed"] == ["beri_akses"]
    assert f'name="permohonan" value="{waiting.id}"' in html and "Pindahkan ke versi 2" in html

    empty = client.post(f"/konsol/versi/{PROCESS}/pindahkan", data={"dari": "1", "ke": "2"})
    assert empty.status_code == 422 and "Pilih paling sedikit satu permohonan" in page(empty)
    moved = client.post(
        f"/konsol/versi/{PROCESS}/pindahkan",
        data={"dari": "1", "ke": "2", "permohonan": str(waiting.id)},
    )
    assert moved.status_code == 200 and "1 permohonan dipindahkan ke versi 2" in page(moved)
    assert engine.instance(waiting.id).version == 2

    analyst = as_user("analis").get(f"/konsol/versi/{PROCESS}?dari=1&ke=2")
    assert "Pindahkan ke versi" not in page(analyst)
    bad = client.get(f"/konsol/versi/{PROCESS}?dari=satu&ke=9")
    assert bad.status_code == 422
    assert "Versi asal (dari): tulis nomor versi" in page(bad)
    assert "Versi tujuan (ke): versi 9 tidak ada" in page(bad)
    assert client.get("/konsol/versi/tidak_ada").status_code == 404


def test_the_model_pages_link_to_the_version_comparison(as_user, two_versions):
    html = page(as_user("analis").get("/model/"))
    assert f"/konsol/versi/{PROCESS}?dari=1&amp;ke=2" in html


# ---------------------------------------------------------------------- JSON API
def test_the_api_lists_and_fixes_incidents(client, engine, stuck):
    instance, incident = stuck
    listed = client.get("/api/v1/incidents", headers=basic("analis")).get_json()
    assert [i["id"] for i in listed["incidents"]] == [incident.id]
    assert client.get("/api/v1/incidents", headers=basic("operator")).status_code == 403
    refused = client.post(
        f"/api/v1/incidents/{incident.id}/retry",
        headers=basic("analis"),
        json={"data": {"permintaan_periode": "2026-1"}, "reason": "periode salah"},
    )
    assert (
        refused.status_code == 403
        and "hanya administrator" in refused.get_json()["error"]["message"]
    )
    bad = client.post(
        f"/api/v1/incidents/{incident.id}/retry", headers=basic("admin"), json={"data": [1]}
    )
    assert bad.status_code == 400 and "data" in bad.get_json()["error"]["message"]
    fixed = client.post(
        f"/api/v1/incidents/{incident.id}/retry",
        headers=basic("admin"),
        json={"data": {"permintaan_periode": "2026-1"}, "reason": "periode salah"},
    )
    assert fixed.status_code == 200, fixed.get_json()
    body = fixed.get_json()
    assert body["incident"]["status"] == "resolved"
    assert body["instance"]["current_tasks"] == ["pemeriksaan_kasi"]


def test_the_api_skips_a_failed_step(client, engine, stuck):
    instance, incident = stuck
    url = f"/api/v1/incidents/{incident.id}/skip"
    assert client.post(url, headers=basic("analis"), json={"reason": "manual"}).status_code == 403
    short = client.post(url, headers=basic("admin"), json={"reason": "x"})
    assert short.status_code == 400 and "alasan" in short.get_json()["error"]["message"]
    done = client.post(url, headers=basic("admin"), json={"reason": "data dikirim manual"})
    assert done.status_code == 200 and done.get_json()["instance"]["status"] == "running"


def test_the_api_changes_an_instances_course(client, engine, waiting):
    base = f"/api/v1/instances/{waiting.id}"
    suspended = client.post(f"{base}/suspend", headers=basic("analis"), json={"reason": "tunggu"})
    assert suspended.status_code == 200 and suspended.get_json()["status"] == "suspended"
    again = client.post(f"{base}/suspend", headers=basic("analis"), json={"reason": "tunggu"})
    assert again.status_code == 409
    assert client.post(f"{base}/resume", headers=basic("analis")).get_json()["status"] == "running"
    no_element = client.post(f"{base}/move", headers=basic("admin"), json={"reason": "keliru"})
    assert (
        no_element.status_code == 400 and "element_id" in no_element.get_json()["error"]["message"]
    )
    moved = client.post(
        f"{base}/move",
        headers=basic("admin"),
        json={"element_id": "disposisi_kabid", "reason": "disposisi keliru"},
    )
    assert moved.get_json()["current_tasks"] == ["disposisi_kabid"]
    assert (
        client.post(f"{base}/terminate", headers=basic("kasi"), json={"reason": "x"}).status_code
        == 403
    )
    ended = client.post(f"{base}/terminate", headers=basic("admin"), json={"reason": "ditarik"})
    assert ended.get_json()["status"] == "cancelled"


def test_the_api_diff_and_migration(client, engine, waiting, two_versions):
    diff = client.get(f"/api/v1/processes/{PROCESS}/diff?from=1&to=2", headers=basic("analis"))
    assert diff.status_code == 200
    assert diff.get_json()["changed"][0]["element_id"] == "beri_akses"
    missing = client.get(f"/api/v1/processes/{PROCESS}/diff?from=1", headers=basic("analis"))
    assert missing.status_code == 400 and "to" in missing.get_json()["error"]["message"]
    url = f"/api/v1/processes/{PROCESS}/migration"
    preview = client.get(f"{url}?from=1&to=2", headers=basic("analis")).get_json()
    assert preview["candidates"][0]["instance_id"] == waiting.id
    assert preview["candidates"][0]["can_move"] is True
    assert client.post(url, headers=basic("analis"), json={"from": 1, "to": 2}).status_code == 403
    moved = client.post(
        url, headers=basic("admin"), json={"from": 1, "to": 2, "instance_ids": [waiting.id]}
    )
    assert moved.status_code == 200 and moved.get_json()["candidates"][0]["can_move"] is True
    assert engine.instance(waiting.id).version == 2


# ---------------------------------------------------------------------- CLI
@pytest.fixture
def run(app):
    runner = CliRunner()
    info = ScriptInfo(create_app=lambda *_args: app)

    def invoke(*args):
        return runner.invoke(cli, [str(a) for a in args], obj=info, catch_exceptions=False)

    return invoke


def test_the_cli_fixes_a_stuck_request(run, engine, stuck):
    instance, incident = stuck
    refused = run(
        "retry", incident.id, "--user", "admin", "--data", '{"permintaan_periode": "2026-1"}'
    )
    assert refused.exit_code == 1 and "alasan wajib diisi" in refused.output
    assert "Traceback" not in refused.output
    fixed = run(
        "retry",
        incident.id,
        "--user",
        "admin",
        "--data",
        '{"permintaan_periode": "2026-1"}',
        "--reason",
        "periode salah ketik",
    )
    assert fixed.exit_code == 0 and "resolved" in fixed.output
    assert engine.instance(instance.id).current_tasks == ["pemeriksaan_kasi"]


def test_the_cli_skips(run, engine, stuck):
    instance, incident = stuck
    assert run("skip", incident.id, "--user", "analis", "--reason", "manual saja").exit_code == 1
    done = run("skip", incident.id, "--user", "admin", "--reason", "manual saja", "--data", "{}")
    assert done.exit_code == 0 and "skipped" in done.output


def test_the_cli_changes_an_instances_course(run, engine, waiting):
    refused = run("suspend", waiting.id, "--user", "kasi", "--reason", "bukan wewenang")
    assert refused.exit_code == 1 and "hanya administrator atau analis" in refused.output
    assert run("suspend", waiting.id, "--user", "analis", "--reason", "tunggu dulu").exit_code == 0
    assert engine.instance(waiting.id).status == "suspended"
    assert run("resume", waiting.id, "--user", "analis").exit_code == 0
    moved = run("move", waiting.id, "disposisi_kabid", "--user", "admin", "--reason", "keliru")
    assert moved.exit_code == 0 and "disposisi_kabid" in moved.output
    ahead = run(
        "move", waiting.id, "beri_akses", "--forward", "--user", "admin", "--reason", "lisan"
    )
    assert ahead.exit_code == 0 and "beri_akses" in ahead.output
    assert engine.instance(waiting.id).current_tasks == ["beri_akses"]
    assert run("terminate", waiting.id, "--user", "admin").exit_code == 1  # no reason
    ended = run("terminate", waiting.id, "--user", "admin", "--reason", "ditarik pemohon")
    assert ended.exit_code == 0 and engine.instance(waiting.id).status == "cancelled"


def test_the_cli_diff_and_migrate(run, engine, waiting, two_versions):
    words = run("diff", PROCESS, 1, 2)
    assert words.exit_code == 0 and "waktu baku: 10 → 15 menit" in words.output
    as_json = json.loads(run("diff", PROCESS, 1, 2, "--json").output)
    assert as_json["changed"][0]["element_id"] == "beri_akses"
    assert "tidak punya versi 9" in run("diff", PROCESS, 1, 9).output
    dry = run("migrate", PROCESS, 1, 2, "--user", "admin", "--dry-run")
    assert dry.exit_code == 0 and f"{waiting.id}" in dry.output
    assert engine.instance(waiting.id).version == 1
    refused = run("migrate", PROCESS, 1, 2, "--user", "analis")
    assert refused.exit_code == 1 and "hanya administrator" in refused.output
    moved = run("migrate", PROCESS, 1, 2, "--user", "admin", "--instance", waiting.id)
    assert moved.exit_code == 0 and "moved" in moved.output
    assert engine.instance(waiting.id).version == 2


def test_the_api_shows_an_incident_with_the_data_at_that_moment(client, engine, stuck):
    """As the console's incident page does: the error, the element and the failed step's data."""
    instance, incident = stuck
    url = f"/api/v1/incidents/{incident.id}"
    assert client.get(url, headers=basic("operator")).status_code == 403
    assert client.get("/api/v1/incidents/999999", headers=basic("analis")).status_code == 404
    shown = client.get(url, headers=basic("analis"))
    assert shown.status_code == 200, shown.get_data(as_text=True)
    body = shown.get_json()
    assert body["incident"]["element_id"] == "jalankan_kueri"
    assert "2099-9 tidak ada" in body["incident"]["message"]
    assert body["instance"]["status"] == "incident"
    assert body["data"]["permintaan_periode"] == "2099-9"
    client.post(
        f"{url}/retry",
        headers=basic("admin"),
        json={"data": {"permintaan_periode": "2026-1"}, "reason": "periode salah"},
    )
    resolved = client.get(url, headers=basic("analis")).get_json()
    assert resolved["incident"]["status"] == "resolved" and resolved["data"] is None


def test_the_console_shows_what_scripts_printed(as_user, engine):
    """print() in a script goes into the instance's log; an analyst debugging it reads it in the
    console, even for a request they take no part in."""
    from tests.engine.diagram_tools import DIAGRAMS

    xml = (DIAGRAMS / "script.bpmn").read_text()
    xml = xml.replace("SCRIPT", 'biaya = 150\nprint("biaya dihitung:", biaya)')
    engine.deploy(xml.replace("CONDITION", "biaya > 100").encode(), "cetak.bpmn")
    instance = engine.start("uji_skrip", {}, user="admin")
    shown = page(as_user("analis").get(f"/konsol/permohonan/{instance.id}"))
    assert "Keluaran skrip" in shown
    assert "Hitung biaya" in shown and "biaya dihitung: 150" in shown
