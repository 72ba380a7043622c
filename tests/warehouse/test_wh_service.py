"""Grants (SOP step 3), the aggregate service task, the operator preview and the query log."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from engine.services import ServiceCall, ServiceError
from warehouse import topics as service
from warehouse.access import AccessRefused
from warehouse.cellkey import MAX_PERTURBATION
from warehouse.models import AccessGrant, Dataset, QueryLog

from .conftest import NOW

FORM = {
    "permintaan_preset": "agama",
    "permintaan_wilayah": "33.04",
    "permintaan_tingkat": "kecamatan",
    "permintaan_periode": "2026-1",
    "operator_catatan": "",
}


def make_call(session, settings, topic, data, actor, instance_id=1, now=NOW) -> ServiceCall:
    return ServiceCall(
        instance_id=instance_id,
        process_id="permohonan_data_agregat",
        task_id="t1",
        element_id="catat_akses" if topic == "warehouse.grant" else "jalankan_kueri",
        element_name="",
        topic=topic,
        data=data,
        properties={},
        session=session,
        settings=settings,
        now=now,
        actor=actor,
    )


def grant(store_db, settings, operator="budi", until="2026-07-15", instance_id=1, now=NOW):
    with store_db.transaction() as session:
        data = {"akses_operator": operator, "akses_berlaku_sampai": until}
        return service.grant(
            make_call(session, settings, "warehouse.grant", data, "kasi", instance_id, now)
        )


def aggregate(store_db, settings, form=FORM, actor="budi", instance_id=1, now=NOW):
    with store_db.transaction() as session:
        return service.aggregate(
            make_call(session, settings, "warehouse.aggregate", dict(form), actor, instance_id, now)
        )


def log_entries(store_db) -> list[QueryLog]:
    with store_db.transaction() as session:
        return list(session.scalars(select(QueryLog).order_by(QueryLog.id)))


def run_refused(store_db, settings, **kwargs) -> str:
    """Run aggregate expecting a refusal; the log row survives because the caller keeps the session's writes."""
    with store_db.transaction() as session:
        call = make_call(
            session,
            settings,
            "warehouse.aggregate",
            dict(FORM),
            kwargs.get("actor", "budi"),
            kwargs.get("instance_id", 1),
            kwargs.get("now", NOW),
        )
        with pytest.raises(AccessRefused) as caught:
            service.aggregate(call)
    return str(caught.value)


def test_the_kasi_grants_an_operator_access_until_the_end_of_the_day(store_db, wh_settings):
    result = grant(store_db, wh_settings, until="2026-07-15")
    with store_db.transaction() as session:
        created = session.get(AccessGrant, result["akses_id"])
        assert (created.instance_id, created.operator, created.granted_by) == (1, "budi", "kasi")
        assert created.expires_at == datetime(
            2026, 7, 15, 17, 0, tzinfo=timezone.utc
        )  # 16 Juli 00:00 WIB


@pytest.mark.parametrize(
    "operator, until, words",
    [
        ("nobody", "2026-07-15", "tidak ditemukan"),
        ("kasi", "2026-07-15", "bukan operator"),
        ("lama", "2026-07-15", "bukan operator"),
        ("budi", "2026-07-01", "sudah lewat"),
        ("budi", "besok", "bukan tanggal"),
        ("", "2026-07-15", "akses_operator"),
    ],
)
def test_a_grant_is_refused_for_a_wrong_operator_or_date(
    store_db, wh_settings, operator, until, words
):
    with pytest.raises(ServiceError, match=words):
        grant(store_db, wh_settings, operator=operator, until=until)


def test_the_operator_with_a_grant_gets_a_dataset_and_the_query_is_logged(
    store_db, wh_settings, population
):
    grant(store_db, wh_settings)
    returned = aggregate(store_db, wh_settings)
    summary = returned["dataset_ringkasan"]
    assert abs(summary["grand_total"] - population.person_count) <= MAX_PERTURBATION
    assert summary["rows"] == 20 and summary["suppressed"] == 0
    with store_db.transaction() as session:
        dataset = session.get(Dataset, returned["dataset_id"])
        assert dataset.instance_id == 1 and dataset.created_by == "budi"
        assert dataset.spec["preset"] == "agama" and dataset.spec["period"] == "2026-1"
        assert dataset.result["grand_total"] == summary["grand_total"]
        assert dataset.result["protection"]["method"] == "cell_key"
        assert (
            dataset.result["title"]
            == "Jumlah Penduduk per Kecamatan menurut Agama dan Jenis Kelamin"
        )
    [entry] = log_entries(store_db)
    assert (entry.username, entry.instance_id, entry.outcome, entry.rows) == ("budi", 1, "ok", 20)
    assert entry.spec["dimensions"] == ["religion", "sex"] and entry.milliseconds > 0


def test_without_a_grant_the_query_is_refused_and_the_refusal_logged(store_db, wh_settings):
    message = run_refused(store_db, wh_settings)
    assert "ditolak" in message and "#1" in message
    [entry] = log_entries(store_db)
    assert (entry.outcome, entry.username, entry.instance_id, entry.rows) == (
        "refused",
        "budi",
        1,
        0,
    )
    assert entry.spec["permintaan_preset"] == "agama"


def test_a_grant_is_for_one_request_one_operator_and_a_limited_time(store_db, wh_settings):
    grant(store_db, wh_settings, operator="budi", until="2026-07-15")
    run_refused(store_db, wh_settings, actor="wati")  # another operator
    run_refused(store_db, wh_settings, instance_id=2)  # another request
    run_refused(
        store_db, wh_settings, now=datetime(2026, 7, 15, 17, 0, tzinfo=timezone.utc)
    )  # 16 Juli WIB
    aggregate(
        store_db, wh_settings, now=datetime(2026, 7, 15, 16, 59, tzinfo=timezone.utc)
    )  # 23:59 WIB
    assert [e.outcome for e in log_entries(store_db)] == ["refused", "refused", "refused", "ok"]


def test_a_new_grant_for_the_request_revokes_the_old_one(store_db, wh_settings):
    grant(store_db, wh_settings, operator="budi")
    grant(store_db, wh_settings, operator="wati", now=NOW + timedelta(hours=1))
    run_refused(store_db, wh_settings, actor="budi")
    assert aggregate(store_db, wh_settings, actor="wati")["dataset_id"]


def test_a_bad_request_names_the_form_field_and_is_logged(store_db, wh_settings):
    grant(store_db, wh_settings)
    with pytest.raises(ServiceError, match="permintaan_wilayah: kode wilayah '33.99'"):
        aggregate(store_db, wh_settings, form=FORM | {"permintaan_wilayah": "33.99"})
    with pytest.raises(ServiceError, match="permintaan_spec: bukan JSON"):
        aggregate(
            store_db,
            wh_settings,
            form=FORM | {"permintaan_preset": "kustom", "permintaan_spec": "{oops"},
        )
    with pytest.raises(ServiceError, match=r"permintaan_spec\.dimensions\[0\]"):
        aggregate(
            store_db,
            wh_settings,
            form=FORM
            | {"permintaan_preset": "kustom", "permintaan_spec": '{"dimensions": ["umur"]}'},
        )
    with pytest.raises(
        ServiceError, match="permintaan_periode: Periode 2025-1 belum dimuat|2025-1 belum dimuat"
    ):
        aggregate(store_db, wh_settings, form=FORM | {"permintaan_periode": "2025-1"})
    assert [e.outcome for e in log_entries(store_db)] == ["invalid", "invalid", "invalid", "error"]


def test_a_custom_request_uses_its_spec_and_the_form_region(store_db, wh_settings, population):
    grant(store_db, wh_settings)
    form = FORM | {
        "permintaan_preset": "kustom",
        "permintaan_wilayah": "33.04.06",
        "permintaan_tingkat": "desa",
        "permintaan_spec": '{"dimensions": ["age_group"], "age_bands": [0, 17, 60]}',
    }
    returned = aggregate(store_db, wh_settings, form=form)
    with store_db.transaction() as session:
        result = session.get(Dataset, returned["dataset_id"]).result
    assert result["scope"]["code"] == "33.04.06" and result["row_level"] == "desa"
    assert result["columns"] == ["0-16", "17-59", "60+"]
    true_total = int((population.persons["kode_kecamatan"] == "33.04.06").sum())
    assert abs(result["grand_total"] - true_total) <= MAX_PERTURBATION


def test_a_level_named_preset_keeps_its_level(store_db, wh_settings):
    grant(store_db, wh_settings)
    returned = aggregate(
        store_db, wh_settings, form=FORM | {"permintaan_preset": "penduduk_desa_jk"}
    )
    assert returned["dataset_ringkasan"]["rows"] == 278


def test_a_refusal_is_logged_although_the_engine_rolls_back_the_handlers_savepoint(
    store_db, wh_settings
):
    with store_db.transaction() as session:
        call = make_call(session, wh_settings, "warehouse.aggregate", dict(FORM), "budi")
        with pytest.raises(AccessRefused), session.begin_nested():  # as engine.runner dispatches
            service.aggregate(call)
    assert [e.outcome for e in log_entries(store_db)] == ["refused"]


def test_the_preview_checks_the_grant_and_logs(store_db, wh_settings):
    with (
        pytest.raises(AccessRefused),
        store_db.transaction() as session,
    ):  # the whole request rolls back
        service.preview(session, wh_settings, 1, "budi", {"preset": "agama"}, now=NOW)
    grant(store_db, wh_settings)
    with store_db.transaction() as session:
        result = service.preview(
            session, wh_settings, 1, "budi", {"preset": "kartu_keluarga"}, now=NOW
        )
        from_form = service.preview(session, wh_settings, 1, "budi", FORM, now=NOW)
    assert result["measure"] == "families" and from_form["preset"] == "agama"
    assert [e.outcome for e in log_entries(store_db)] == ["refused", "ok", "ok"]
