"""Helpers for the reports tests: PDF text, fonts and PNG pages; a seeded request in an SQLite store."""

from __future__ import annotations

import io
import shutil
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pdfplumber
import pytest

from engine.config import PROJECT_ROOT, Settings
from engine.models import AuditEntry, ProcessDefinition, ProcessInstance, User
from engine.services import ServiceCall
from reports import samples
from warehouse.models import Dataset

DATA_DIR = Path(__file__).parent / "data"
MINI_BPMN = DATA_DIR / "mini_sop.bpmn"
PROCESS_BPMN = PROCESS_FILE = PROJECT_ROOT / "processes" / "permohonan_data_agregat.bpmn"
START = datetime(2026, 7, 8, 1, 30, tzinfo=UTC)  # 08.30 WIB

USERS = (
    ("kadin", "Dr. Hendra Wicaksana, S.Sos., M.Si.", "19700512 199503 1 004", ["kepala_dinas"]),
    ("kabid", "Ratna Kusumawardani, S.Kom.", "19790310 200312 2 006", ["kabid_piak"]),
    ("kasi", "Agus Prasetyo, S.T.", "19830722 200904 1 002", ["kasi"]),
    ("operator1", "Yoga Pratama", "19920115 201902 1 001", ["operator"]),
    ("jfu", "Bambang Setiawan", "19780301 200604 1 009", ["jfu"]),
)


def pdf_text(pdf: bytes) -> str:
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        return "\n".join(page.extract_text() or "" for page in document.pages)


def pdf_pages(pdf: bytes) -> list[str]:
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        return [page.extract_text() or "" for page in document.pages]


def pdf_fonts(pdf: bytes) -> set[str]:
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        return {char["fontname"] for page in document.pages for char in page.chars}


def render_png(pdf: bytes, folder: Path, name: str) -> list[Path]:
    """Every page as PNG via pdftoppm (skips the test when poppler-utils is missing)."""
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm not installed (apt-get install -y poppler-utils)")
    source = folder / f"{name}.pdf"
    source.write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-r", "40", "-png", str(source), str(folder / name)],
        check=True,
        capture_output=True,
        timeout=60,
    )
    return sorted(folder.glob(f"{name}-*.png"))


def request_data() -> dict:
    return samples.registered_letter() | {
        "kadin_keputusan": "teruskan",
        "kadin_harap_tanggapan": False,
        "kadin_harap_proses": True,
        "kadin_harap_koordinasi": True,
        "kadin_isi_disposisi": "Proses sesuai SOP, prioritaskan.",
        "kadin_batas_waktu": "2026-07-10",
        "kabid_harap_proses": True,
        "kabid_harap_koordinasi": False,
        "kabid_harap_tanggapan": False,
        "kabid_isi_disposisi": "Beri akses operator, periksa hasilnya.",
        "kabid_batas_waktu": "2026-07-09",
        "akses_operator": "operator1",
        "akses_berlaku_sampai": "2026-07-11",
        "kasi_isi_disposisi": "Ekstraksi data desa menurut jenis kelamin.",
    }


def _audit(
    session,
    instance_id: int,
    action: str,
    element: str,
    name: str,
    actor: str | None,
    minutes: float,
    data: dict | None = None,
) -> None:
    session.add(
        AuditEntry(
            instance_id=instance_id,
            element_id=element,
            element_name=name,
            action=action,
            actor=actor,
            at=START + timedelta(minutes=minutes),
            data=data or {},
        )
    )


def seed_request(session, bpmn: Path = MINI_BPMN) -> ProcessInstance:
    """Users, a deployed definition, an instance, the audit of a dispositioned request and a dataset."""
    for username, full_name, nip, roles in USERS:
        session.add(User(username=username, full_name=full_name, nip=nip, roles=roles))
    xml = bpmn.read_text(encoding="utf-8")
    definition = ProcessDefinition(
        process_id="permohonan_data_agregat",
        version=1,
        name="Pemanfaatan Data Agregat",
        filename=bpmn.name,
        bpmn_xml=xml,
        spec_json="{}",
        checksum="0" * 64,
    )
    session.add(definition)
    session.flush()
    instance = ProcessInstance(
        definition_id=definition.id,
        process_id=definition.process_id,
        version=1,
        title="Permohonan Bappeda",
        state_json="{}",
        started_at=START,
        started_by="sekretariat",
    )
    session.add(instance)
    session.flush()
    data = request_data()
    events = [
        ("started", "permohonan_data_agregat", "Mulai", "sekretariat", 0, None),
        (
            "completed",
            "registrasi_surat",
            "Mencatat surat masuk",
            "sekretariat",
            3,
            samples.registered_letter(),
        ),
        (
            "completed",
            "disposisi_kadin",
            "Disposisi Kepala Dinas",
            "kadin",
            9,
            {"kadin_keputusan": "teruskan"},
        ),
        ("completed", "disposisi_kabid", "Disposisi Kabid", "kabid", 12, None),
        ("completed", "beri_akses", "Memberi hak akses", "kasi", 30, None),
        ("service_ok", "catat_akses", "Mencatat hak akses", "kasi", 30, None),
    ]
    for action, element, name, actor, minutes, payload in events:
        _audit(session, instance.id, action, element, name, actor, minutes, payload)
    dataset = Dataset(
        instance_id=instance.id, created_by="operator1", spec={}, result=samples.desa_by_sex(60)
    )
    session.add(dataset)
    session.flush()
    instance.summary = {"dataset_id": dataset.id, **data}
    return instance


def make_call(
    session,
    settings: Settings,
    instance_id: int,
    data: dict,
    properties: dict,
    *,
    element_id: str = "service",
    actor: str | None = None,
    now: datetime = START + timedelta(hours=2),
) -> ServiceCall:
    return ServiceCall(
        instance_id=instance_id,
        process_id="permohonan_data_agregat",
        task_id="t-1",
        element_id=element_id,
        element_name=element_id,
        topic="reports.render",
        data=dict(data),
        properties=properties,
        session=session,
        settings=settings,
        now=now,
        actor=actor,
    )
