"""Any public process shows its refusal on the tracking page: the end event it reached says
``hasil`` = ``ditolak`` and names the data key of the reason, no Python per process."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from tests.web.conftest import PDF

DIAGRAM = Path(__file__).resolve().parent / "diagrams" / "layanan_publik_tolak.bpmn"
FORM = "/layanan-publik/uji_izin_keramaian"


@pytest.fixture
def deployed(engine):
    engine.deploy(DIAGRAM.read_bytes(), DIAGRAM.name)
    return engine


def _request_from_the_portal(client, engine) -> tuple[str, int]:
    sent = client.post(
        FORM,
        data={"nama_pemohon": "Sri Lestari", "surat_pengantar": (io.BytesIO(PDF), "p.pdf")},
        content_type="multipart/form-data",
    )
    assert sent.status_code == 302, sent.get_data(as_text=True)
    page = client.get("/layanan-publik/terkirim").get_data(as_text=True)
    code = re.search(r'data-code="([A-Z0-9-]+)"', page).group(1)
    return code, engine.instance_by_key(code).id


def _complete(engine, instance_id: int, **data) -> None:
    [task] = engine.tasks(instance_id=instance_id)
    engine.complete(task.id, "jfu", data)


def _step(page: str, name: str) -> str:
    return page.split(name)[1].split("</li>")[0]


def test_a_refused_request_of_any_public_process_says_so_with_its_reason(client, deployed):
    code, instance_id = _request_from_the_portal(client, deployed)
    _complete(deployed, instance_id, putusan="tolak", sebab_tolak="Lokasi acara di jalan nasional")
    waiting = client.get(f"/lacak/{code}").get_data(as_text=True)
    assert "Sedang diproses" in waiting and "Alasan penolakan" not in waiting
    _complete(deployed, instance_id)
    page = client.get(f"/lacak/{code}").get_data(as_text=True)
    assert "Permohonan ditolak" in page and "Sedang diproses" not in page
    assert "Alasan penolakan: Lokasi acara di jalan nasional" in page
    refused = _step(page, "Menelaah permohonan")
    assert "ditolak" in refused and "selesai" not in refused
    assert "selesai" in _step(page, "Mengarsipkan berkas")


def test_a_granted_request_of_the_same_process_is_not_called_refused(client, deployed):
    code, instance_id = _request_from_the_portal(client, deployed)
    _complete(deployed, instance_id, putusan="terima")
    page = client.get(f"/lacak/{code}").get_data(as_text=True)
    assert "Permohonan ditolak" not in page and "Alasan penolakan" not in page
    assert (
        "Selesai: Rekomendasi terbit" in page
    )  # the end event it reached, not another SOP's words
    assert "data sudah dikirim" not in page
    assert "ditolak" not in _step(page, "Menelaah permohonan")
