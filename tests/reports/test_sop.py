"""The SOP document follows the diagram: steps in flow order, roles from lanes, standard times, total."""

import pytest

from reports import sop_document
from reports.bpmn_sop import SopParseError, parse_sop

from .helpers import MINI_BPMN, PROCESS_FILE, pdf_pages, pdf_text, render_png

SOP_STEPS = [
    ("disposisi_kadin", "Kepala Dinas", 5),
    ("disposisi_kabid", "Kabid PIAK", 5),
    ("beri_akses", "Kasi", 10),
    ("ekstraksi_data", "Operator", 60),
    ("pemeriksaan_kasi", "Kasi", 15),
    ("laporan_kabid", "Kabid PIAK", 5),
    ("tanda_tangan_kadin", "Kepala Dinas", 5),
    ("pengiriman_jfu", "JFU", 20),
]


def test_mini_diagram_steps_in_flow_order_with_roles_and_times():
    model = parse_sop(MINI_BPMN.read_bytes())
    assert [(s.element_id, s.role, s.minutes) for s in model.steps] == [
        ("catat", "Loket", 7),
        ("olah", "Operator", 30),
        ("periksa", "Kepala Seksi", 12),
        ("serahkan", "Loket", 6),
    ]
    assert model.roles == ["Loket", "Kepala Seksi", "Operator"]
    assert model.total_minutes == 55
    check = model.steps[2]
    assert check.symbol == "decision"
    assert [(e.label, e.target) for e in check.exits] == [("Benar", 4), ("Salah", 2)]
    assert (model.steps[0].symbol, model.steps[-1].symbol) == ("start", "end")


def test_mini_sop_document_text_and_png(tmp_path):
    pdf = sop_document.render_bpmn(MINI_BPMN.read_bytes())
    text = " ".join(pdf_text(pdf).split())
    for phrase in (
        "STANDAR OPERASIONAL PROSEDUR",
        "001/Contoh/2026",
        "1 Februari 2026",
        "Kepala Dinas Contoh",
        "1. Peraturan Contoh Nomor 1 Tahun 2026",
        "LAYANAN CONTOH",
        "Mencatat permohonan",
        "Kelengkapan",
        "Waktu",
        "Output",
        "7 menit",
        "30 menit",
        "Jumlah waktu penyelesaian 55 menit",
        "Salah:",
        "kembali ke langkah",
        "Gratis",
    ):
        assert phrase in text, phrase
    assert render_png(pdf, tmp_path, "sop")


def test_bpmn_entities_are_not_resolved(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("RAHASIA-NEGARA")
    xml = MINI_BPMN.read_text().replace(
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file://{secret}">]>',
    )
    xml = xml.replace('name="Layanan Contoh"', 'name="Layanan &x;"')
    try:
        model = parse_sop(xml)
    except SopParseError:
        return
    assert "RAHASIA-NEGARA" not in model.name


def test_not_bpmn_is_refused():
    with pytest.raises(SopParseError):
        parse_sop(b"<html><body>no</body></html>")
    with pytest.raises(SopParseError):
        parse_sop(b"<unclosed")


@pytest.mark.skipif(
    not PROCESS_FILE.exists(), reason="processes/permohonan_data_agregat.bpmn not written yet"
)
def test_data_sop_lists_eight_steps_roles_times_and_125_minutes(tmp_path):
    model = parse_sop(PROCESS_FILE.read_bytes())
    assert [(s.element_id, s.role, s.minutes) for s in model.steps] == SOP_STEPS
    pdf = sop_document.render(model)
    flowchart = " ".join(" ".join(pdf_pages(pdf)[1:]).split())
    for number, step in enumerate(model.steps, start=1):
        assert f"{number}. " in flowchart
        assert " ".join(step.name.split()[:2]) in flowchart
        assert f"{int(step.minutes)} menit" in flowchart
    for role in ("Kepala", "Dinas", "Kabid PIAK", "Kasi", "Operator", "JFU"):
        assert role in flowchart
    assert "Jumlah waktu penyelesaian 125 menit" in flowchart
    assert render_png(pdf, tmp_path, "sop-data")
