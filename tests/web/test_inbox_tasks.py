"""The inbox and the task page as the people of the data SOP use them."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import update

from engine.errors import NotFound
from engine.models import User
from engine.users import create_user
from tests.conftest import Actions
from tests.factories import gen_form, gen_letter
from tests.web.conftest import open_task


def _start(actions: Actions, **letter):
    instance = actions.start(**gen_letter(**letter))
    actions.complete(instance.id, "registrasi_surat", **letter)
    return instance


def test_inbox_lists_my_roles_tasks_by_due_time_with_overdue_marked(as_user, actions, clock):
    first = _start(actions, instansi_pengirim="Dinas Pendidikan")
    clock.advance(minutes=2)
    second = _start(actions, instansi_pengirim="Dinas Kesehatan")
    clock.advance(minutes=4)  # the first disposition (5 minutes standard) is now late
    page = as_user("kepala_dinas").get("/kotak-masuk").get_data(as_text=True)
    assert page.index("Dinas Pendidikan") < page.index("Dinas Kesehatan")
    assert page.count("Terlambat") == 1
    assert "2 tugas terbuka" in page and "1 terlambat" in page
    assert first.id != second.id


def test_inbox_is_empty_for_other_roles_and_filters_narrow_it(as_user, actions, clock):
    _start(actions)
    assert "Tidak ada tugas untuk Anda" in as_user("operator").get("/kotak-masuk").get_data(
        as_text=True
    )
    client = as_user("kepala_dinas")
    assert "Menerima surat" in client.get("/kotak-masuk?langkah=disposisi_kadin").get_data(
        as_text=True
    )
    assert "Tidak ada tugas yang cocok" in client.get("/kotak-masuk?terlambat=1").get_data(
        as_text=True
    )
    assert "Tidak ada tugas yang cocok" in client.get("/kotak-masuk?dari=2026-03-13").get_data(
        as_text=True
    )
    assert "Menerima surat" in client.get(
        "/kotak-masuk?dari=2026-03-12&sampai=2026-03-12"
    ).get_data(as_text=True)


def test_inbox_query_agrees_with_the_engine_for_every_user(engine, actions):
    stops = ["disposisi_kabid", "beri_akses", "beri_akses", "ekstraksi_data"]
    instances = [_start(actions, instansi_pengirim=f"Instansi {n}") for n in range(len(stops))]
    for instance, stop in zip(instances, stops, strict=True):
        actions.run_until(instance.id, stop_before=stop)
    with engine.db.transaction() as session:
        create_user(session, "kasi2", "kata-sandi-panjang", ["kasi"], "Kasi Kedua")
    engine.claim(
        open_task(engine, instances[1].id).id, "kasi"
    )  # a claimed task stays only in the claimer's
    assert len(engine.tasks(user="kasi2")) == 1
    for username in ("kepala_dinas", "kabid_piak", "kasi", "kasi2", "operator", "jfu", "admin"):
        expected = [t.id for t in engine.tasks(user=username)]
        page = engine.inbox(username)
        assert sorted(row.id for row in page.rows) == sorted(expected), username


def test_the_engine_refuses_an_inbox_for_an_unknown_or_inactive_user(engine, actions):
    _start(actions)
    assert engine.inbox("kepala_dinas").total == 1
    with engine.db.transaction() as session:
        session.execute(update(User).where(User.username == "kepala_dinas").values(active=False))
    for username in ("kepala_dinas", "bukan_pegawai"):
        with pytest.raises(NotFound, match=username):
            engine.inbox(username)


def test_claim_and_give_back(as_user, engine, started):
    task = open_task(engine, started.id)
    client = as_user("kepala_dinas")
    response = client.post(f"/tugas/{task.id}/ambil", follow_redirects=True)
    assert "Diambil oleh Anda" in response.get_data(as_text=True)
    assert engine.task(task.id).claimed_by == "kepala_dinas"
    response = client.post(f"/tugas/{task.id}/lepas", follow_redirects=True)
    assert "dikembalikan" in response.get_data(as_text=True)
    assert engine.task(task.id).claimed_by is None


def test_task_page_shows_the_letter_history_and_form(as_user, engine, started):
    task = open_task(engine, started.id)
    page = as_user("kepala_dinas").get(f"/tugas/{task.id}").get_data(as_text=True)
    assert "Badan Perencanaan Pembangunan Daerah" in page  # the letter
    assert "Mencatat surat masuk di buku agenda" in page and "Sri Wahyuni" in page  # history: who
    assert (
        'name="kadin_keputusan"' in page and "Teruskan kepada Kabid PIAK" in page
    )  # the enum field
    assert 'type="date"' in page and 'min="2026-03-12"' in page  # "today" resolved for the browser


def test_invalid_form_shows_messages_next_to_the_fields(as_user, engine, started):
    task = open_task(engine, started.id)
    response = as_user("kepala_dinas").post(
        f"/tugas/{task.id}",
        data={
            "kadin_keputusan": "",
            "kadin_batas_waktu": "2026-03-01",
            "kadin_isi_disposisi": "Tolong",
        },
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert re.search(r'id="f-kadin_keputusan-error">[^<]*wajib diisi', page)
    assert re.search(r'id="f-kadin_batas_waktu-error">[^<]*paling awal 2026-03-12', page)
    assert "Tolong" in page  # what was typed stays
    assert open_task(engine, started.id).id == task.id  # not completed


def test_completing_returns_to_the_inbox_with_a_confirmation(as_user, engine, started):
    task = open_task(engine, started.id)
    response = as_user("kepala_dinas").post(
        f"/tugas/{task.id}",
        data={
            "kadin_keputusan": "teruskan",
            "kadin_harap_proses": "true",
            "kadin_isi_disposisi": "Proses",
        },
        follow_redirects=True,
    )
    page = response.get_data(as_text=True)
    assert response.request.path == "/kotak-masuk"
    assert "Tugas selesai" in page and "Menerima disposisi dan mendisposisikan kepada Kasi" in page
    assert engine.instance(started.id).current_tasks == ["disposisi_kabid"]


def test_a_task_done_by_someone_else_sends_me_back_with_a_message(as_user, engine, started):
    task = open_task(engine, started.id)
    engine.complete(task.id, "kepala_dinas", gen_form("disposisi_kadin"))
    response = as_user("kepala_dinas").get(f"/tugas/{task.id}", follow_redirects=True)
    assert "sudah dikerjakan" in response.get_data(as_text=True)


def test_kasi_check_shows_the_result_table_and_signing_step_the_documents(as_user, actions, engine):
    instance = _start(actions)
    actions.run_until(instance.id, stop_before="pemeriksaan_kasi")
    page = as_user("kasi").get(f"/tugas/{open_task(engine, instance.id).id}").get_data(as_text=True)
    assert "Hasil:" in page and "Susukan" in page and "Tidak ada sel yang disembunyikan" in page
    # the decision comes before the data, which is folded away with its downloads
    assert page.index('id="form-h"') < page.index('class="dataset-fold"')
    assert "data.csv" in page and "data.xlsx" in page
    actions.run_until(instance.id, stop_before="tanda_tangan_kadin")
    page = (
        as_user("kepala_dinas")
        .get(f"/tugas/{open_task(engine, instance.id).id}")
        .get_data(as_text=True)
    )
    assert "Pratinjau dokumen yang akan ditandatangani" in page
    # no consent tick: the button is named after the decision, so pressing it is the consent
    assert 'name="ttd_setuju"' not in page
    assert 'data-label-from="f-ttd_keputusan"' in page
    signing = page.split("Pratinjau dokumen yang akan ditandatangani")[1].split("</section>")[0]
    assert "dokumen_surat_id" in signing and "dokumen_disposisi_id" not in signing


def test_signing_is_the_decision_itself_and_a_refusal_still_needs_its_confirmation(
    as_user, actions, engine
):
    instance = _start(actions)
    actions.run_until(instance.id, stop_before="tanda_tangan_kadin")
    task = open_task(engine, instance.id)
    kadin = as_user("kepala_dinas")
    response = kadin.post(f"/tugas/{task.id}", data={"ttd_keputusan": "tolak"})
    assert response.status_code == 422
    assert "wajib dicentang" in response.get_data(as_text=True)  # kadin_konfirmasi_tolak
    response = kadin.post(
        f"/tugas/{task.id}", data={"ttd_keputusan": "setuju", "kadin_instruksi_jfu": "Kirim"}
    )
    assert response.status_code == 302
    assert open_task(engine, instance.id).element_id == "pengiriman_jfu"


def test_operator_preview_explains_when_the_warehouse_refuses(as_user, actions, engine):
    instance = _start(actions)
    actions.run_until(instance.id, stop_before="ekstraksi_data")
    task = open_task(engine, instance.id)
    response = as_user("operator").post(  # no period: this test's warehouse holds none
        f"/tugas/{task.id}/pratinjau", data=gen_form("ekstraksi_data", permintaan_periode="")
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert (
        "notice-bad" in page
    )  # the stand-in grant is not a real grant: refused with a message, no crash
    assert 'value="33.04"' in page  # the operator's values are kept


def test_refusing_without_a_reason_is_refused_on_the_page(as_user, actions, engine):
    instance = _start(actions)
    task = open_task(engine, instance.id)
    kadin = as_user("kepala_dinas")
    page = kadin.get(f"/tugas/{task.id}").get_data(as_text=True)
    # the reason and the confirmation are drawn only for a refusal, marked as required then
    assert 'data-show-if="f-kadin_keputusan" data-show-values="tolak"' in page
    response = kadin.post(f"/tugas/{task.id}", data={"kadin_keputusan": "tolak"})
    text = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Alasan penolakan" in text and "wajib diisi" in text and "wajib dicentang" in text
    assert engine.tasks(instance_id=instance.id)[0].id == task.id  # nothing was completed
    response = kadin.post(
        f"/tugas/{task.id}",
        data={
            "kadin_keputusan": "tolak",
            "kadin_alasan_penolakan": "Permintaan data individu",
            "kadin_konfirmasi_tolak": "true",
        },
    )
    assert response.status_code == 302
    review = open_task(engine, instance.id)
    assert review.element_id == "ttd_penolakan_kadin"
    page = kadin.get(f"/tugas/{review.id}").get_data(as_text=True)
    assert "Pratinjau dokumen yang akan ditandatangani" in page  # the draft, before he signs


def test_work_sent_back_is_marked_in_the_inbox_and_explained_on_the_page(as_user, actions, engine):
    instance = _start(actions)
    actions.run_until(instance.id, stop_before="pemeriksaan_kasi")
    operator = as_user("operator")
    assert "dikembalikan" not in operator.get("/kotak-masuk").get_data(as_text=True)
    actions.complete(
        instance.id,
        "pemeriksaan_kasi",
        pemeriksaan_hasil="perbaiki",
        pemeriksaan_catatan="Rinci per desa, bukan per kecamatan",
    )
    inbox = operator.get("/kotak-masuk").get_data(as_text=True)
    assert "returned-mark" in inbox and "dikembalikan" in inbox
    task = open_task(engine, instance.id)
    page = operator.get(f"/tugas/{task.id}").get_data(as_text=True)
    banner = page.split('id="dikembalikan"')[1].split("</div>")[0]
    assert "Dikembalikan untuk diperbaiki" in banner
    assert "Rinci per desa, bukan per kecamatan" in banner
    assert "Memeriksa data yang akan diberikan" in banner  # the step that sent it back


def test_the_kepala_dinas_sends_the_letter_back_to_the_kabid_from_the_page(
    as_user, actions, engine
):
    instance = _start(actions)
    actions.run_until(instance.id, stop_before="tanda_tangan_kadin")
    task = open_task(engine, instance.id)
    kadin = as_user("kepala_dinas")
    missing = kadin.post(f"/tugas/{task.id}", data={"ttd_keputusan": "kembalikan"})
    assert missing.status_code == 422 and "Catatan perbaikan" in missing.get_data(as_text=True)
    sent = kadin.post(
        f"/tugas/{task.id}",
        data={
            "ttd_keputusan": "kembalikan",
            "ttd_kembalikan_kepada": "kabid_piak",
            "ttd_catatan_revisi": "Sebutkan keperluan data dalam laporan",
        },
        follow_redirects=True,
    )
    assert "Menerima data dan melaporkan" in sent.get_data(as_text=True)
    again = open_task(engine, instance.id)
    page = as_user("kabid_piak").get(f"/tugas/{again.id}").get_data(as_text=True)
    assert "Sebutkan keperluan data dalam laporan" in page.split('id="dikembalikan"')[1]
    assert actions.run_until(instance.id).status == "completed"


def test_refusing_at_signing_shows_only_the_refusal_letter_to_sign(as_user, actions, engine):
    instance = _start(actions)
    actions.run_until(instance.id, stop_before="tanda_tangan_kadin")
    actions.complete(
        instance.id,
        "tanda_tangan_kadin",
        ttd_keputusan="tolak",
        kadin_alasan_penolakan="Keperluan data tidak disebutkan",
        kadin_konfirmasi_tolak=True,
    )
    review = open_task(engine, instance.id)
    assert review.element_id == "ttd_penolakan_kadin"
    page = as_user("kepala_dinas").get(f"/tugas/{review.id}").get_data(as_text=True)
    signing = page.split('id="pratinjau-dokumen"')[1].split("</section>")[0]
    assert "dokumen_penolakan_id" in signing and "dokumen_surat_id" not in signing
