"""The inbox and the dashboard figures (`BpmnEngine.inbox`, `.statistics`) are hand-written SQL: run them on
PostgreSQL too.

Each test runs on SQLite and, when LAKSANA_TEST_DATABASE_URL is set (CI), on PostgreSQL.
"""

from datetime import timedelta

import pytest

from engine.inbox import InboxFilters
from engine.instance_search import InstanceFilters
from tests.conftest import BACKENDS, database_for


@pytest.fixture(params=BACKENDS)
def database(request, settings):
    yield from database_for(request.param, settings)


@pytest.fixture
def spread(engine, actions):
    """Four requests stopped at different steps, one finished."""
    stops = ["disposisi_kabid", "beri_akses", "ekstraksi_data", None]
    started = [actions.start(instansi_pengirim=f"Instansi {n}") for n in range(len(stops))]
    for instance, stop in zip(started, stops, strict=True):
        actions.run_until(instance.id, stop_before=stop)
    return started


def test_inbox_agrees_with_the_engine(engine, spread):
    for username in ("kepala_dinas", "kabid_piak", "kasi", "operator", "jfu", "admin"):
        expected = [t.id for t in engine.tasks(user=username)]
        page = engine.inbox(username)
        assert sorted(row.id for row in page.rows) == sorted(expected), username
        assert page.total == len(expected)


def test_overdue_filter_and_counts(engine, spread, clock):
    clock.advance(minutes=30)  # every open step is past its standard minutes
    page = engine.inbox("kasi", InboxFilters(overdue=True))
    assert page.total == 1 and page.rows[0].overdue
    assert page.by_role["kasi"] == (1, 1)


def test_dashboard_figures(engine, spread, clock):
    now = engine.clock()
    figures = engine.statistics
    steps = {
        s.element_id: s
        for s in figures.step_stats(
            "permohonan_data_agregat", now - timedelta(days=1), now + timedelta(days=1)
        )
    }
    work = figures.open_work("permohonan_data_agregat", now)
    weeks = figures.weekly_requests("permohonan_data_agregat", 2, now.date())
    assert figures.instances_per_process() == {"permohonan_data_agregat": 4}
    assert steps["disposisi_kadin"].count == 4  # every request passed the first disposition
    assert steps["pengiriman_jfu"].count == 1
    assert steps["disposisi_kadin"].median == pytest.approx(
        3.0
    )  # the tests' clock: 3 minutes a step
    assert sum(w.count for w in work) == 3
    assert sum(count for _monday, count in weeks) == 4


def test_instance_search(engine, spread):
    everything = engine.search_instances()
    assert everything.total == 4 and [r.id for r in everything.rows] == sorted(
        (r.id for r in everything.rows), reverse=True
    )
    assert engine.search_instances(InstanceFilters(status="completed")).total == 1
    assert (
        engine.search_instances(InstanceFilters(search="BAPPEDA")).total == 4
    )  # in the summary, any case
    assert engine.search_instances(InstanceFilters(search="tidak ada")).total == 0
    assert engine.search_instances(InstanceFilters(process="pengaduan_layanan")).total == 0


@pytest.fixture
def two_letters(engine, actions):
    """Two registered letters waiting for the Kepala Dinas, from different institutions."""
    first = actions.start()
    actions.complete(
        first.id,
        "registrasi_surat",
        instansi_pengirim="Dinas Kesehatan",
        nomor_surat="440/77/Dinkes/2026",
        perihal="Jumlah balita per desa",
    )
    second = actions.start()
    actions.complete(second.id, "registrasi_surat", perihal="Penduduk 100% per kecamatan")
    return first, second


def test_inbox_text_search(engine, two_letters):
    first, second = two_letters
    assert engine.inbox("kepala_dinas").total == 2

    def found(text: str) -> list[int]:
        page = engine.inbox("kepala_dinas", InboxFilters(search=text))
        assert page.total == len(page.rows)
        return sorted(row.instance_id for row in page.rows)

    assert found("dinkes") == [first.id]  # nomor surat, any case
    assert found("DINAS KESEHATAN") == [first.id]  # instansi
    assert found("balita") == [first.id]  # perihal (the title)
    assert found("bappeda") == [second.id]
    agenda = engine.instance_data(second.id)["nomor_agenda"]
    assert found(agenda) == [second.id]  # nomor agenda
    assert found("100%") == [second.id]  # '%' is a letter, not a wildcard
    assert found("1_0") == []  # '_' too
    assert found("tidak ada") == []
    assert engine.inbox("kepala_dinas", InboxFilters(search="balita")).steps  # counts stay whole


def test_text_search_finds_the_tracking_code(engine):
    instance = engine.start(
        "permohonan_data_agregat", None, user="sekretariat", business_key="LKS-ABCD-1234"
    )
    assert engine.search_instances(InstanceFilters(search="lks-abcd")).rows[0].id == instance.id
    assert engine.inbox("sekretariat", InboxFilters(search="abcd-1234")).total == 1
    assert engine.inbox("sekretariat", InboxFilters(search="ZZZZ")).total == 0


def test_issued_documents_one_per_letter_within_the_period(engine, spread, clock):
    from tests.web.test_outgoing_register import _issue

    first = spread[0]
    _issue(engine, first.id, "400.12.4/5/2026", "surat_data", "Surat pengantar data", clock())
    since, until = clock() - timedelta(hours=1), clock() + timedelta(hours=1)
    issued = engine.documents.issued(since, until)
    assert [(i.document.number, i.document.kind) for i in issued] == [
        ("400.12.4/5/2026", "surat_data")
    ]
    assert issued[0].business_key == first.business_key and issued[0].summary["instansi_pengirim"]
    assert engine.documents.issued(until, until + timedelta(days=1)) == []
