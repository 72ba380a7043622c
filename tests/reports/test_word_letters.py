"""Letters from Word templates at run time: filled, numbered, signed, of the instance's own version."""

from __future__ import annotations

import io

import pypdfium2 as pdfium
import pytest
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields

from reports.office_pdf import find_box, soffice_path
from reports.topics import verify_stored
from reports.word import SIGNATURE_BOX_MM
from tests.conftest import seeded as seed_users
from web.composition import build_engine

from .word_helpers import TEMPLATE, diagram, docx_bytes, letter

pytestmark = pytest.mark.skipif(
    soffice_path() is None, reason="LibreOffice (soffice) is not installed: make test installs it"
)
MM = 72 / 25.4


@pytest.fixture
def engine(db, settings):
    seed_users(db)
    return build_engine(settings, db)


def pdf_text(pdf: bytes) -> str:
    document = pdfium.PdfDocument(pdf)
    try:
        return "\n".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()


def signature_rect(pdf: bytes) -> tuple[float, ...]:
    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    [(_name, _value, ref)] = list(fields.enumerate_sig_fields(reader, filled_status=True))
    return tuple(float(v) for v in ref.get_object()["/Rect"])


def run_to_letter(engine, perihal: str = "Uji & <surat>", note: str | None = "Sudah sesuai"):
    instance = engine.start("surat_uji", {"perihal": perihal, "jenis": "sangat_segera"}, "kasi")
    [task] = engine.tasks(user="kasi", instance_id=instance.id)
    engine.complete(task.id, "kasi", {"catatan_periksa": note})
    return instance.id


def the_letter(engine, instance_id: int):
    docs = [d for d in engine.documents.for_instance(instance_id) if d.signed]
    assert len(docs) == 1, engine.incidents()
    return engine.documents.get(docs[0].id, content=True)


def test_the_letter_is_filled_numbered_signed_and_verifiable(engine, settings):
    engine.deploy(diagram(), "surat_uji.bpmn", templates=[(TEMPLATE, letter())])
    first = the_letter(engine, run_to_letter(engine))
    text = pdf_text(first.content)
    assert "Perihal: Uji & <surat> (Sangat segera)" in text  # escaped, enum by its name
    assert "Catatan: Sudah sesuai" in text
    assert "DINAS KEPENDUDUKAN DAN PENCATATAN SIPIL" in text  # the letterhead
    assert first.number == "400.12.4/1/" + first.number.rsplit("/", 1)[1]
    assert "Kepala Seksi" in text  # signer_step: the Kasi who completed "periksa"
    assert verify_stored(engine.db, settings, first.content).ok
    assert verify_stored(engine.db, settings, first.id).ok
    # the QR mark sits in the spot {{ tanda_tangan }} reserved, not at the fallback place
    _page, box = find_box(first.content, SIGNATURE_BOX_MM[0] * MM, SIGNATURE_BOX_MM[1] * MM)
    assert signature_rect(first.content) == pytest.approx(box, abs=1)
    second = the_letter(engine, run_to_letter(engine, "Kedua"))
    assert second.number.split("/")[1] == "2"


def test_an_empty_optional_field_prints_a_dash_not_none(engine):
    engine.deploy(diagram(), "surat_uji.bpmn", templates=[(TEMPLATE, letter())])
    text = pdf_text(the_letter(engine, run_to_letter(engine, note=None)).content)
    assert "Catatan: -" in text and "None" not in text


def test_a_running_instance_renders_with_the_template_of_its_own_version(engine):
    engine.deploy(diagram(), "surat_uji.bpmn", templates=[(TEMPLATE, letter("Versi satu"))])
    instance = engine.start("surat_uji", {"perihal": "Lama", "jenis": "biasa"}, "kasi")
    engine.deploy(diagram(), "surat_uji.bpmn", templates=[(TEMPLATE, letter("Versi dua"))])
    [task] = engine.tasks(user="kasi", instance_id=instance.id)
    engine.complete(task.id, "kasi", {"catatan_periksa": "ok"})
    text = pdf_text(the_letter(engine, instance.id).content)
    assert "Versi satu" in text and "Versi dua" not in text


def test_a_key_missing_at_run_time_is_an_incident_naming_template_and_key(engine):
    template = docx_bytes("Tindak lanjut: {{ tindak_lanjut }}")  # filled only after the letter
    engine.deploy(diagram(), "surat_uji.bpmn", templates=[(TEMPLATE, template)])
    instance_id = run_to_letter(engine)
    [incident] = [i for i in engine.incidents() if i.instance_id == instance_id]
    assert "Templat 'surat_uji.docx'" in incident.message
    assert "kunci 'tindak_lanjut'" in incident.message
    assert engine.documents.for_instance(instance_id) == []  # nothing stored, no number taken


def test_the_warm_libreoffice_converts_and_a_broken_one_falls_back_to_a_cold_start(monkeypatch):
    from reports import office_pdf, warm_office
    from tests.reports.word_helpers import docx_bytes

    document = docx_bytes("Surat uji")
    if warm_office.available():
        assert office_pdf.docx_to_pdf(document).startswith(b"%PDF")
        assert office_pdf._warm is not None and office_pdf._warm.alive()

    def broken_start(self):
        raise RuntimeError("no LibreOffice here")

    monkeypatch.setattr(office_pdf, "_warm", None)
    monkeypatch.setattr(office_pdf, "_warm_failed", False)
    monkeypatch.setattr(warm_office, "available", lambda: True)
    monkeypatch.setattr(warm_office.WarmOffice, "start", broken_start)
    assert office_pdf.docx_to_pdf(document).startswith(b"%PDF")  # cold, with soffice
    assert office_pdf._warm_failed  # not tried again in this process


def test_without_libreoffice_the_letter_step_is_an_incident_saying_what_to_install(
    engine, monkeypatch
):
    from reports import office_pdf, warm_office

    monkeypatch.setattr(warm_office, "available", lambda: False)
    monkeypatch.setattr(office_pdf, "soffice_path", lambda: None)
    engine.deploy(diagram(), "surat_uji.bpmn", templates=[(TEMPLATE, letter())])
    instance_id = run_to_letter(engine)
    [incident] = [i for i in engine.incidents() if i.instance_id == instance_id]
    assert "LibreOffice (soffice) tidak terpasang" in incident.message
    assert "libreoffice-writer-nogui" in incident.message
    assert engine.documents.for_instance(instance_id) == []
