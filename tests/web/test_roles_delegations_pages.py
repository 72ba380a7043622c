"""The administrators' role pages, the "Delegasi" page, reassignment, and the CLI for roles and users."""

from __future__ import annotations

from datetime import timedelta

import pytest
from click.testing import CliRunner
from flask.cli import ScriptInfo

from engine.models import User
from tests.engine.test_roles_delegations import add_user
from tests.factories import gen_form
from tests.web.conftest import open_task
from web.cli import cli


def test_admin_adds_a_role_that_is_then_offered_on_the_user_form_and_named(as_user, engine):
    admin = as_user("admin")
    page = admin.get("/admin/peran").get_data(as_text=True)
    assert "kepala_dinas" in page and "Kepala Dinas" in page
    made = admin.post(
        "/admin/peran/baru",
        data={"code": "juru_sita", "name": "Juru Sita", "bidang": "Sekretariat"},
        follow_redirects=True,
    )
    assert "Peran juru_sita dibuat" in made.get_data(as_text=True)
    form = admin.get("/admin/pengguna/baru").get_data(as_text=True)
    assert 'value="juru_sita"' in form and "Juru Sita" in form
    created = admin.post(
        "/admin/pengguna/baru",
        data={
            "username": "sita",
            "full_name": "Sita",
            "roles": ["juru_sita"],
            "active": "y",
            "password": "kata-sandi-awal-123",
        },
        follow_redirects=True,
    )
    assert "Pengguna sita dibuat" in created.get_data(as_text=True)
    assert "Juru Sita" in admin.get("/admin/pengguna").get_data(as_text=True)


def test_role_form_refuses_bad_input_with_a_message_on_the_field(as_user):
    admin = as_user("admin")
    bad = admin.post("/admin/peran/baru", data={"code": "Bukan Kode", "name": ""})
    page = bad.get_data(as_text=True)
    assert bad.status_code == 422
    assert 'id="code-error"' in page and 'id="name-error"' in page
    taken = admin.post("/admin/peran/baru", data={"code": "kasi", "name": "Kasi lagi"})
    assert taken.status_code == 422 and "Kode peran sudah dipakai" in taken.get_data(as_text=True)
    assert admin.get("/admin/peran/tidak_ada").status_code == 404


def test_admin_deactivates_a_role_and_it_is_no_longer_offered(as_user, engine):
    admin = as_user("admin")
    engine.accounts.roles.add("juru_sita", "Juru Sita")
    done = admin.post(
        "/admin/peran/juru_sita", data={"name": "Juru Sita", "bidang": ""}, follow_redirects=True
    )
    assert "Peran juru_sita diperbarui" in done.get_data(as_text=True)
    assert engine.accounts.roles.get("juru_sita").active is False
    assert 'value="juru_sita"' not in admin.get("/admin/pengguna/baru").get_data(as_text=True)


def test_an_official_sets_a_plh_who_then_completes_their_task(as_user, engine, started):
    today = engine.delegations.today()
    kadin = as_user("kepala_dinas")
    assert kadin.get("/delegasi/").status_code == 200
    saved = kadin.post(
        "/delegasi/baru",
        data={
            "delegator": "kepala_dinas",
            "delegate": "kabid_piak",
            "kind": "plh",
            "starts_on": today.isoformat(),
            "ends_on": (today + timedelta(days=2)).isoformat(),
            "reason": "Dinas luar ke provinsi",
        },
        follow_redirects=True,
    )
    assert "Delegasi disimpan" in saved.get_data(as_text=True)
    task = open_task(engine, started.id, "disposisi_kadin")
    kabid = as_user("kabid_piak")
    inbox = kabid.get("/kotak-masuk").get_data(as_text=True)
    assert task.id in inbox and "Anda Plh. untuk Drs. Bambang Setiawan, M.Si." in inbox
    done = kabid.post(f"/tugas/{task.id}", data=gen_form("disposisi_kadin"))
    assert done.status_code == 302
    history = as_user("admin").get(f"/riwayat/{started.id}").get_data(as_text=True)
    assert "Rina Kusumawati, S.Kom. (Plh. Kepala Dinas)" in history


def test_delegation_form_refusals_are_clear_and_not_500(as_user, engine):
    today = engine.delegations.today()
    kadin = as_user("kepala_dinas")
    base = {"delegator": "kepala_dinas", "delegate": "kabid_piak", "kind": "plh", "reason": "Cuti"}
    backwards = kadin.post(
        "/delegasi/baru",
        data={
            **base,
            "starts_on": today.isoformat(),
            "ends_on": (today - timedelta(days=1)).isoformat(),
        },
    )
    assert backwards.status_code == 422
    assert "sebelum tanggal mulai" in backwards.get_data(as_text=True)
    ok = {**base, "starts_on": today.isoformat(), "ends_on": today.isoformat()}
    assert kadin.post("/delegasi/baru", data=ok).status_code == 302
    overlap = kadin.post("/delegasi/baru", data={**ok, "delegate": "kasi"})
    assert overlap.status_code == 422 and "bertumpang tindih" in overlap.get_data(as_text=True)
    missing = kadin.post("/delegasi/baru", data={"kind": "plh"})
    assert missing.status_code == 422 and "Wajib diisi" in missing.get_data(as_text=True)
    # someone else's delegation cannot be set by a non-administrator (the choice is not offered)
    other = kadin.post("/delegasi/baru", data={**ok, "delegator": "kasi", "delegate": "operator"})
    assert other.status_code == 422
    (made,) = engine.delegations.list("kepala_dinas")
    assert as_user("operator").post(f"/delegasi/{made.id}/akhiri").status_code == 403
    ended = as_user("kepala_dinas").post(f"/delegasi/{made.id}/akhiri", follow_redirects=True)
    assert "Delegasi diakhiri" in ended.get_data(as_text=True)


def test_the_kabid_reassigns_a_task_of_his_bidang_and_both_are_notified(
    as_user, engine, started, actions
):
    kadin_task = open_task(engine, started.id, "disposisi_kadin")
    kabid = as_user("kabid_piak")
    assert kabid.get(f"/tugas/{kadin_task.id}/alihkan").status_code == 403  # not his bidang's
    actions.run_until(started.id, stop_before="beri_akses")
    task = open_task(engine, started.id, "beri_akses")  # the Kasi's: Bidang PIAK
    assert kabid.get(f"/tugas/{task.id}/alihkan").status_code == 200
    empty = kabid.post(f"/tugas/{task.id}/alihkan", data={"to_user": "manajer", "reason": ""})
    assert empty.status_code == 422 and 'id="reason-error"' in empty.get_data(as_text=True)
    done = kabid.post(
        f"/tugas/{task.id}/alihkan",
        data={"to_user": "manajer", "reason": "Kepala Dinas sakit"},
        follow_redirects=True,
    )
    assert "dialihkan kepada manajer" in done.get_data(as_text=True)
    assert task.id in as_user("manajer").get("/kotak-masuk").get_data(as_text=True)
    subjects = {
        (n.recipient_user, n.recipient_role)
        for n in engine.notifications.for_instance(started.id)
        if n.kind == "reassigned"
    }
    assert subjects == {("manajer", None), (None, "kasi")}
    assert as_user("kasi").get(f"/tugas/{task.id}/alihkan").status_code == 403


def test_the_task_page_offers_reassignment_to_the_head_of_its_bidang_only(
    as_user, engine, started, actions
):
    actions.run_until(started.id, stop_before="beri_akses")
    task = open_task(engine, started.id, "beri_akses")
    link = f"/tugas/{task.id}/alihkan"
    assert link not in as_user("kasi").get(f"/tugas/{task.id}").get_data(as_text=True)
    # administrators (they read every request) and the Kabid, who dispositioned it, find the
    # Kasi's open step on the request's history page
    assert link in as_user("admin").get(f"/riwayat/{started.id}").get_data(as_text=True)
    assert link in as_user("kabid_piak").get(f"/riwayat/{started.id}").get_data(as_text=True)
    assert link not in as_user("kasi").get(f"/riwayat/{started.id}").get_data(as_text=True)


def test_a_new_sops_head_of_bidang_reassigns_by_the_roles_table_alone(
    as_user, engine, started, actions
):
    """A role added as data that heads another bidang reassigns that bidang's tasks, not PIAK's."""
    roles = engine.accounts.roles
    roles.add("kabid_jaringan", "Kepala Bidang Jaringan", "Bidang Jaringan", heads_bidang=True)
    roles.edit("jfu", bidang="Bidang Jaringan")  # the JFU's step now belongs to that bidang
    add_user(engine, "kabidjar", ["kabid_jaringan"])
    actions.run_until(started.id, stop_before="beri_akses")
    kasi_task = open_task(engine, started.id, "beri_akses")
    assert not engine.may_reassign(kasi_task.id, "kabidjar")
    assert as_user("kabidjar").get(f"/tugas/{kasi_task.id}/alihkan").status_code == 403
    actions.run_until(started.id, stop_before="pengiriman_jfu")
    jfu_task = open_task(engine, started.id, "pengiriman_jfu")
    assert engine.may_reassign(jfu_task.id, "kabidjar")
    assert not engine.may_reassign(jfu_task.id, "kabid_piak")
    roles.edit("kabid_jaringan", heads_bidang=False)
    assert not engine.may_reassign(jfu_task.id, "kabidjar")


def test_model_upload_deploys_with_new_roles_only_when_asked(as_user, engine):
    import io

    from tests.engine.test_roles_delegations import diagram

    analyst = as_user("analis")
    xml = diagram(lane="Juru Sita", groups="operator", assign="")
    refused = analyst.post(
        "/model/unggah",
        data={"diagram": (io.BytesIO(xml), "uji.bpmn"), "deploy": "y"},
        content_type="multipart/form-data",
    )
    assert refused.status_code == 422 and "belum dikenal" in refused.get_data(as_text=True)
    done = analyst.post(
        "/model/unggah",
        data={"diagram": (io.BytesIO(xml), "uji.bpmn"), "deploy": "y", "create_roles": "y"},
        content_type="multipart/form-data",
    )
    assert done.status_code == 200 and engine.accounts.roles.get("juru_sita") is not None
    editor = analyst.post(
        "/model/terapkan",
        data=diagram(lane="Pencatat", groups="operator", assign=""),
        headers={
            "Content-Type": "application/xml",
            "X-Create-Roles": "1",
            "X-Change-Note": "Lajur%20Pencatat",
        },
    )
    assert editor.status_code == 200 and engine.accounts.roles.get("pencatat") is not None


@pytest.fixture
def run(app):
    """Invoke `laksana ...` against the test app (its engine and store)."""
    runner = CliRunner()
    info = ScriptInfo(create_app=lambda *_args: app)

    def invoke(*args, **kwargs):
        return runner.invoke(cli, list(args), obj=info, catch_exceptions=False, **kwargs)

    return invoke


def test_cli_roles_and_users(run, engine):
    assert "kepala_dinas\tKepala Dinas" in run("roles", "list").output
    assert run("roles", "add", "juru_sita", "--name", "Juru Sita").exit_code == 0
    bad = run("roles", "add", "Bukan Kode", "--name", "x")
    assert bad.exit_code == 1 and "kode peran 'Bukan Kode' tidak sah" in bad.output
    made = run("users", "add", "budi", "--role", "juru_sita", "--name", "Budi")
    assert made.exit_code == 0 and "kata sandi awal (ditampilkan sekali ini): " in made.output
    password = made.output.rsplit(": ", 1)[1].strip()
    assert engine.accounts.authenticate("budi", password) is not None
    given = run(
        "users", "add", "citra", "--role", "kasi", "--password-stdin", input="rahasia-sekali-1\n"
    )
    assert given.exit_code == 0 and "kata sandi" not in given.output
    assert engine.accounts.authenticate("citra", "rahasia-sekali-1") is not None
    short = run("users", "add", "dodi", "--role", "kasi", "--password-stdin", input="pendek\n")
    assert short.exit_code == 1 and "paling sedikit 10 karakter" in short.output
    unknown = run("users", "add", "eka", "--role", "tidak_ada")
    assert unknown.exit_code == 1 and "peran tidak_ada tidak dikenal" in unknown.output
    assert run("users", "edit", "budi", "--role", "kasi", "--position", "Staf").exit_code == 0
    assert engine.accounts.by_username("budi").roles == ("kasi",)
    assert run("users", "deactivate", "budi").exit_code == 0
    assert engine.accounts.by_username("budi").active is False
    assert "budi\tBudi\tkasi\tnonaktif" in run("users", "list").output
    assert run("users", "edit", "siapa").exit_code == 1
    assert run("roles", "deactivate", "juru_sita").exit_code == 0
    assert "juru_sita\tJuru Sita\t-\tnonaktif" in run("roles", "list").output
    assert run("roles", "seed").output.strip() == "peran dibuat: (semua sudah ada)"
    with engine.db.Session() as session:
        assert session.query(User).filter_by(username="budi").one().roles == ["kasi"]


def test_cli_deploy_refuses_unknown_roles_unless_asked(run, engine, tmp_path):
    from tests.engine.test_roles_delegations import diagram

    path = tmp_path / "uji.bpmn"
    path.write_bytes(diagram(lane="Juru Sita", groups="operator", assign=""))
    refused = run("deploy", str(path))
    assert refused.exit_code == 2 and "peran 'juru_sita' yang belum dikenal" in refused.output
    done = run("deploy", str(path), "--create-roles")
    assert done.exit_code == 0 and "deployed: uji_tugas version 1" in done.output


def test_cli_history_says_on_whose_behalf(run, engine, started):
    day = engine.delegations.today()
    engine.delegations.create("kepala_dinas", "kabid_piak", "plh", day, day, "Dinas luar", "admin")
    task = open_task(engine, started.id, "disposisi_kadin")
    engine.complete(task.id, "kabid_piak", gen_form("disposisi_kadin"))
    shown = run("history", str(started.id)).output
    assert "kabid_piak (Plh. kepala_dinas)" in shown
    as_json = run("history", str(started.id), "--json").output
    assert '"on_behalf_of": "kepala_dinas"' in as_json and '"acting_kind": "plh"' in as_json


def test_an_administrator_marks_a_role_as_head_of_its_bidang(as_user, engine):
    admin = as_user("admin")
    made = admin.post(
        "/admin/peran/baru",
        data={"code": "kabid_jar", "name": "Kabid Jaringan", "bidang": "", "heads_bidang": "y"},
    )
    assert made.status_code == 422 and "bidangnya belum diisi" in made.get_data(as_text=True)
    admin.post(
        "/admin/peran/baru",
        data={
            "code": "kabid_jar",
            "name": "Kabid Jaringan",
            "bidang": "Jaringan",
            "heads_bidang": "y",
        },
    )
    assert engine.accounts.roles.get("kabid_jar").heads_bidang
    assert "kepala bidang" in admin.get("/admin/peran").get_data(as_text=True)
