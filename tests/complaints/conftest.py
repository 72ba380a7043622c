"""Complaint fixtures: the engine with the complaint process and its topic, a desk that drives it."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

import complaints  # noqa: F401 - the complaint tables, before the database fixture creates the schema
from complaints import register
from complaints.intake import parse_intake, register_complaint
from complaints.models import Complaint
from engine.models import Notification
from tests.conftest import PROCESSES

DIAGRAM = PROCESSES / "pengaduan_layanan.bpmn"
#: the 2026 cuti bersama around Nyepi/Idul Fitri and Christmas, as the office configures them
CUTI_2026 = "2026-03-18,2026-03-20,2026-03-23,2026-03-24,2026-12-24"

ROLE_OF_STEP = {
    "verifikasi_pengaduan": "petugas_pengaduan",
    "balas_verifikasi": "petugas_pengaduan",
    "klasifikasi_pengaduan": "petugas_pengaduan",
    "investigasi_analisis": "petugas_pengaduan",
    "tanggapan_pengadu": "petugas_pengaduan",
    "konfirmasi_pengadu": "petugas_pengaduan",
    "penyelesaian_unit": "unit_layanan",
    "tindak_lanjut_unit": "unit_layanan",
    "penanganan_berat": "kabid_piak",
    "rapat_pembahasan": "kepala_dinas",
    "keputusan_pimpinan": "kabid_piak",
}


def gen_intake(**overrides: Any) -> dict[str, Any]:
    """A complaint as the staff form sends it (telephone, named complainant)."""
    form = {
        "saluran": "telepon",
        "pelapor_nama": "Siti Rahayu",
        "pelapor_telepon": "0812-2710-5566",
        "pelapor_email": "siti.rahayu@example.org",
        "pelapor_nik": "3304014107850002",
        "judul": "KTP-el belum jadi",
        "isi": "Sudah tiga minggu sejak perekaman, KTP-el saya belum juga dicetak.",
        "unit_diadukan": "dafduk",
        "kategori": "dokumen",
    }
    form.update(overrides)
    return form


def gen_step(step: str, **overrides: Any) -> dict[str, Any]:
    """Valid form data for each user task of ``pengaduan_layanan``."""
    forms = {
        "verifikasi_pengaduan": {
            "hasil_verifikasi": "lengkap",
            "ringkasan": "KTP-el belum dicetak tiga minggu setelah perekaman",
            "kategori": "dokumen",
            "unit_terlapor": "dafduk",
        },
        "balas_verifikasi": {"tanggapan": "Mohon lengkapi nomor registrasi perekaman KTP-el Anda."},
        "klasifikasi_pengaduan": {
            "klasifikasi": "ringan",
            "unit_penanganan": "dafduk",
            "alasan_klasifikasi": "Keterlambatan satu dokumen",
        },
        "penyelesaian_unit": {
            "uraian_tindakan": "KTP-el dicetak dan siap diambil",
            "tanggal_tindakan": "2026-03-13",
        },
        "penanganan_berat": {"cara_penanganan": "investigasi", "arahan_pimpinan": "Periksa loket"},
        "investigasi_analisis": {
            "temuan_investigasi": "Blangko habis dua minggu",
            "hasil_analisis": "Stok terlambat",
            "rekomendasi": "Tambah stok",
        },
        "rapat_pembahasan": {
            "tanggal_rapat": "2026-03-16",
            "peserta_rapat": "Kadin, Kabid Dafduk, Kasi",
            "notulen_rapat": "Dibahas keterlambatan dan pungutan",
            "kesimpulan_rapat": "Teguran",
        },
        "keputusan_pimpinan": {
            "keputusan_penyelesaian": "Petugas ditegur, biaya dikembalikan",
            "instruksi_unit": "Kembalikan biaya",
        },
        "tindak_lanjut_unit": {
            "uraian_tindakan": "Biaya dikembalikan kepada pengadu",
            "tanggal_tindakan": "2026-03-17",
        },
        "tanggapan_pengadu": {"tanggapan": "KTP-el Anda sudah dapat diambil di loket Dafduk."},
        "konfirmasi_pengadu": {
            "kepuasan": "puas",
            "balasan_pengadu": "Terima kasih, sudah saya ambil.",
        },
    }
    form = dict(forms[step])
    form.update(overrides)
    return form


@pytest.fixture(autouse=True)
def office_calendar(monkeypatch):
    monkeypatch.setenv("LAKSANA_CUTI_BERSAMA", CUTI_2026)
    for name in ("LAKSANA_SMTP_HOST", "LAKSANA_SMTP_USER"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def complaint_engine(engine):
    """The shared engine fixture (processes/ deployed): its registry has the real ``complaints.log``."""
    assert engine.services.get("complaints.log") is not None
    return engine


class Desk:
    """The complaint desk: receive complaints and do each step as the role it belongs to."""

    def __init__(self, engine, clock) -> None:
        self.engine = engine
        self.clock = clock

    def receive(
        self, staff: bool = True, user: str | None = "petugas_pengaduan", **form
    ) -> Complaint:
        intake = parse_intake(gen_intake(**form), self.clock(), staff=staff)
        return register_complaint(self.engine, intake, user if staff else None)

    def open_steps(self, complaint: Complaint) -> list[str]:
        return self.engine.instance(complaint.instance_id).current_tasks

    def task(self, complaint: Complaint, step: str):
        found = [
            t for t in self.engine.tasks(instance_id=complaint.instance_id) if t.element_id == step
        ]
        assert found, f"{step} is not open; open: {self.open_steps(complaint)}"
        return found[0]

    def do(
        self,
        complaint: Complaint,
        step: str,
        minutes: int = 10,
        user: str | None = None,
        **overrides,
    ):
        self.clock.advance(minutes=minutes)
        task = self.task(complaint, step)
        return self.engine.complete(
            task.id, user or ROLE_OF_STEP[step], gen_step(step, **overrides)
        )

    def reply(
        self,
        complaint: Complaint,
        kepuasan: str = "puas",
        balasan: str = "Terima kasih, sudah saya ambil.",
        minutes: int = 10,
    ):
        """The complainant replies on the public status page (the message reaches the process)."""
        self.clock.advance(minutes=minutes)
        tracked = register.track(
            self.engine, complaint.kode_pelacakan, {"kepuasan": kepuasan, "balasan": balasan}
        )
        assert tracked is not None and tracked.errors == {}, tracked
        return tracked

    def row(self, complaint: Complaint) -> Complaint:
        with self.engine.db.transaction() as session:
            return session.get(Complaint, complaint.id)

    def notifications(
        self, complaint: Complaint | None = None, kind: str | None = None
    ) -> list[Notification]:
        query = select(Notification).order_by(Notification.id)
        if complaint is not None:
            query = query.where(Notification.instance_id == complaint.instance_id)
        if kind is not None:
            query = query.where(Notification.kind == kind)
        with self.engine.db.transaction() as session:
            return list(session.scalars(query))

    def tick_at(self, moment):
        self.clock.now = moment
        return self.engine.tick()


@pytest.fixture
def desk(complaint_engine, clock) -> Desk:
    return Desk(complaint_engine, clock)


@pytest.fixture
def app(complaint_engine, settings):
    """The staff app as the composition root builds it, on the complaint engine."""
    from web.app import create_app
    from webkit.access import undeclared_routes

    app = create_app(
        {
            "TESTING": True,
            "LAKSANA_SETTINGS": settings,
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
        },
        engine=complaint_engine,
    )
    assert "complaints" in app.blueprints  # declared by complaints.plugin
    assert undeclared_routes(app) == []
    return app


@pytest.fixture
def as_user(app, client):
    """``as_user("kabid_piak")`` signs the test client in as that demo user (None: signed out)."""
    from tests.web.conftest import sign_in, sign_out

    def switch(username: str | None):
        sign_out(client)
        if username:
            sign_in(client, app, username)
        return client

    return switch


__all__ = ["CUTI_2026", "DIAGRAM", "ROLE_OF_STEP", "gen_intake", "gen_step"]
