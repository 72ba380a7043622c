"""Input the store cannot keep gets a clear 4xx naming the field, never a 500: on SQLite and on
PostgreSQL, where a NUL byte in text is a DataError and an id above 2^31-1 is "integer out of
range" (each test runs on both when LAKSANA_TEST_DATABASE_URL is set, as in CI)."""

from __future__ import annotations

import html
import io

import pytest

from engine.errors import FormInvalid, NotFound
from engine.models import ProcessInstance
from tests.conftest import BACKENDS, database_for
from tests.factories import PROCESS, gen_form, gen_letter
from tests.web.conftest import PDF, open_task
from tests.web.test_api import basic

HUGE = 674236157416585856
NUL = "\x00"


@pytest.fixture(params=BACKENDS)
def database(request, settings):
    yield from database_for(request.param, settings)


def _unchanged(engine, instance_id):
    with engine.db.Session() as session:
        row = session.get(ProcessInstance, instance_id)
        return row.row_version, list(row.current_tasks)


def _says_field(response, field: str) -> None:
    text = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 400, (response.status_code, text[:300])
    assert f"Isian '{field}' berisi karakter yang tidak sah (NUL)" in text
    assert "Traceback" not in text


def test_a_nul_byte_in_a_task_form_is_refused_naming_the_field(as_user, engine, started):
    task = open_task(engine, started.id)
    before = _unchanged(engine, started.id)
    form = {**gen_form("disposisi_kadin"), "kadin_isi_disposisi": f"Segera{NUL} proses"}
    form = {k: ("true" if v is True else v) for k, v in form.items()}
    _says_field(as_user("kepala_dinas").post(f"/tugas/{task.id}", data=form), "kadin_isi_disposisi")
    assert _unchanged(engine, started.id) == before


def test_a_nul_byte_in_api_json_is_refused_naming_the_field(client, engine, started):
    task = open_task(engine, started.id)
    data = {**gen_form("disposisi_kadin"), "kadin_isi_disposisi": f"x{NUL}y"}
    response = client.post(
        f"/api/v1/tasks/{task.id}/complete", headers=basic("kepala_dinas"), json={"data": data}
    )
    assert response.is_json
    _says_field(response, "data.kadin_isi_disposisi")
    assert open_task(engine, started.id).id == task.id  # still open


def test_a_nul_byte_in_the_public_request_form_is_refused(client, engine):
    letter = {k: v for k, v in gen_letter().items() if isinstance(v, str)}
    data = {**letter, "instansi_pengirim": f"BPS{NUL}", "surat": (io.BytesIO(PDF), "surat.pdf")}
    response = client.post("/permohonan-data", data=data, content_type="multipart/form-data")
    _says_field(response, "instansi_pengirim")
    assert engine.list_instances() == []


def test_a_nul_byte_in_sign_in_search_or_address_is_refused(client, as_user):
    _says_field(client.post("/masuk", data={"username": f"kasi{NUL}", "password": "x"}), "username")
    _says_field(as_user("manajer").get("/riwayat?q=%00"), "q")
    _says_field(client.get("/lacak/AB%00CD"), "alamat halaman")
    refused = client.get("/api/v1/tasks", headers=basic(f"kasi{NUL}"))
    assert refused.status_code == 401  # no such user; not a database error


def test_an_id_beyond_the_integer_range_is_not_found(client, as_user):
    for path in (f"/api/v1/instances/{HUGE}", f"/api/v1/instances/{HUGE}/history"):
        response = client.get(path, headers=basic("manajer"))
        assert response.status_code == 404 and response.is_json, path
    page = as_user("manajer").get(f"/riwayat/{HUGE}")
    assert page.status_code == 404 and "Halaman tidak ditemukan" in page.get_data(as_text=True)
    assert as_user("admin").get(f"/admin/pengguna/{HUGE}").status_code == 404
    assert as_user("kasi").post(f"/akun/token/{HUGE}/cabut").status_code == 404


def test_the_engine_refuses_the_same_for_its_other_callers(engine, started):
    task = open_task(engine, started.id)
    with pytest.raises(FormInvalid) as refused:
        engine.complete(
            task.id, "kepala_dinas", {**gen_form("disposisi_kadin"), "kadin_alasan_penolakan": NUL}
        )
    assert [e.field for e in refused.value.errors] == ["kadin_alasan_penolakan"]
    with pytest.raises(FormInvalid) as refused:
        engine.start(PROCESS, {"instansi_pengirim": f"a{NUL}"}, user="sekretariat")
    assert refused.value.errors[0].field == "instansi_pengirim"
    for call in (engine.instance, engine.history, engine.instance_data, engine.retry):
        with pytest.raises(NotFound):
            call(HUGE)
    with pytest.raises(NotFound):
        engine.tokens.revoke(HUGE)
    assert engine.tasks(instance_id=HUGE) == []
    assert engine.accounts.by_id(HUGE) is None
    assert engine.accounts.authenticate(f"kasi{NUL}", "laksana-demo") is None
