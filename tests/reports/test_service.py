"""The engine topic handlers against an SQLite store, with a hand-built ServiceCall."""

from datetime import timedelta

import pytest

from engine.archive import sha256_hex
from engine.models import Counter, Document
from engine.services import ServiceError
from reports import topics as service

from .helpers import START, make_call, pdf_text, request_data


def _call(session, settings, instance_id, dataset_id, properties, **kwargs):
    data = request_data() | {"dataset_id": dataset_id} | kwargs.pop("extra", {})
    return make_call(session, settings, instance_id, data, properties, **kwargs)


def _text(session, document_id) -> str:
    return " ".join(pdf_text(session.get(Document, document_id).content).split())


def test_disposition_sheet_reads_the_cascade_from_task_data_and_audit(db, settings, seeded):
    instance_id, dataset_id = seeded
    with db.transaction() as session:
        out = service.render(
            _call(session, settings, instance_id, dataset_id, {"document": "lembar_disposisi"})
        )
        text = _text(session, out["dokumen_disposisi_id"])
    for phrase in (
        "Dr. Hendra Wicaksana",
        "Ratna Kusumawardani",
        "Agus Prasetyo",
        "Yoga Pratama (operator1)",
        "8 Juli 2026 pukul 08.39 WIB",
        "Proses sesuai SOP, prioritaskan.",
        "11 Juli 2026",
    ):
        assert phrase in text, phrase


def test_letter_and_attachment_are_numbered_and_archived(db, settings, seeded):
    instance_id, dataset_id = seeded
    with db.transaction() as session:
        first = service.render(
            _call(session, settings, instance_id, dataset_id, {"document": "surat_dan_lampiran"})
        )
        second = service.render(
            _call(session, settings, instance_id, dataset_id, {"document": "surat_dan_lampiran"})
        )
        assert (first["surat_nomor"], second["surat_nomor"]) == (
            "400.12.4/1/2026",
            "400.12.4/2/2026",
        )
        letter = session.get(Document, first["dokumen_surat_id"])
        assert (
            letter.kind == "surat_data" and letter.instance_id == instance_id and not letter.signed
        )
        assert letter.sha256 == sha256_hex(letter.content)
        assert "Nomor : 400.12.4/1/2026" in _text(session, first["dokumen_surat_id"])
        assert "Lampiran" in _text(session, first["dokumen_lampiran_id"])
        workbook = session.get(Document, first["dokumen_lampiran_xlsx_id"])
        assert workbook.mime_type.endswith("spreadsheetml.sheet") and workbook.content[:2] == b"PK"
        assert session.get(Counter, ("surat_keluar", 2026)).value == 2


def test_missing_dataset_and_unknown_kind_are_refused_for_people(db, settings, seeded):
    instance_id, _dataset_id = seeded
    with db.transaction() as session:
        with pytest.raises(ServiceError, match="tidak ditemukan"):
            service.render(
                _call(session, settings, instance_id, 999, {"document": "surat_dan_lampiran"})
            )
        with pytest.raises(ServiceError, match="tidak dikenal"):
            service.render(_call(session, settings, instance_id, 1, {"document": "brosur"}))


def test_refusal_letter_uses_the_outgoing_letter_series(db, settings, seeded):
    instance_id, dataset_id = seeded
    with db.transaction() as session:
        out = service.render(
            _call(
                session,
                settings,
                instance_id,
                dataset_id,
                {"document": "surat_penolakan"},
                extra={"kadin_alasan_penolakan": "Meminta data perseorangan"},
            )
        )
        assert out["surat_penolakan_nomor"] == "400.12.4/1/2026"
        assert "Meminta data perseorangan" in _text(session, out["dokumen_penolakan_id"])


def _signed_pair(session, settings, instance_id, dataset_id):
    made = service.render(
        _call(session, settings, instance_id, dataset_id, {"document": "surat_dan_lampiran"})
    )
    call = _call(
        session,
        settings,
        instance_id,
        dataset_id,
        {"documents": "dokumen_surat_id,dokumen_lampiran_id"},
        actor="kadin",
        extra=made,
        now=START + timedelta(hours=3),
    )
    return made, service.sign(call)


def test_signing_stores_signed_copies_that_supersede_the_drafts(db, settings, seeded):
    instance_id, dataset_id = seeded
    with db.transaction() as session:
        made, signed = _signed_pair(session, settings, instance_id, dataset_id)
        assert set(signed) == {"dokumen_surat_id", "dokumen_lampiran_id"}
        for key, new_id in signed.items():
            doc = session.get(Document, new_id)
            assert (
                doc.signed
                and doc.supersedes == made[key]
                and doc.signer.startswith("Dr. Hendra Wicaksana")
            )
            assert doc.sha256 == sha256_hex(doc.content)
            assert f"https://laksana.example.go.id/verifikasi/{new_id}" in _text(session, new_id)
            assert service.verify_document(session, settings, new_id).ok
            assert service.verify_document(session, settings, doc.content).ok


def test_signing_twice_keeps_the_signed_ids(db, settings, seeded):
    instance_id, dataset_id = seeded
    with db.transaction() as session:
        _made, signed = _signed_pair(session, settings, instance_id, dataset_id)
        again = service.sign(
            _call(
                session,
                settings,
                instance_id,
                dataset_id,
                {"documents": "dokumen_surat_id"},
                extra=signed,
            )
        )
        assert again == {"dokumen_surat_id": signed["dokumen_surat_id"]}


def test_verify_document_names_each_failure(db, settings, seeded):
    instance_id, dataset_id = seeded
    with db.transaction() as session:
        made, signed = _signed_pair(session, settings, instance_id, dataset_id)
        content = session.get(Document, signed["dokumen_surat_id"]).content
        tampered = bytearray(content)
        tampered[len(content) // 2] ^= 0x01
        assert not service.verify_document(session, settings, bytes(tampered)).ok
        assert "tidak dikenal" in service.verify_document(session, settings, "no-such-id").message
        assert (
            "belum ditandatangani"
            in service.verify_document(session, settings, made["dokumen_surat_id"]).message
        )
        result = service.verify_document(session, settings, content)
        assert (
            result.document_id == signed["dokumen_surat_id"]
            and result.document_kind == "surat_data"
        )


def test_receipt_counts_the_attachment_pages(db, settings, seeded):
    instance_id, dataset_id = seeded
    with db.transaction() as session:
        made, signed = _signed_pair(session, settings, instance_id, dataset_id)
        handover = {
            "kirim_media": "pdf",
            "penerima_nama": "Siti Rahmawati",
            "penerima_instansi": "Bappeda",
            "tanggal_terima": "2026-07-13",
            **made,
            **signed,
        }
        out = service.render(
            _call(
                session,
                settings,
                instance_id,
                dataset_id,
                {"document": "tanda_terima"},
                actor="jfu",
                extra=handover,
            )
        )
        pages = service.page_count(session.get(Document, signed["dokumen_lampiran_id"]).content)
        text = _text(session, out["dokumen_tanda_terima_id"])
    assert out["tanda_terima_nomor"] == "400.12.4/TT.1/2026"
    assert f"{pages} lembar" in text and "Bambang Setiawan" in text and "Siti Rahmawati" in text


def _contents_span(pdf: bytes) -> tuple[int, int]:
    start = pdf.rindex(b"/Contents <") + len(b"/Contents <")
    return start, pdf.index(b">", start)


def test_bytes_that_decode_the_same_still_fail_through_the_archive(db, settings, seeded):
    """Changing a hex digit's case inside the signature leaves the CMS intact; the archive hash catches it."""
    instance_id, dataset_id = seeded
    with db.transaction() as session:
        _made, signed = _signed_pair(session, settings, instance_id, dataset_id)
        content = session.get(Document, signed["dokumen_surat_id"]).content
        start, end = _contents_span(content)
        position = next(i for i in range(start, end) if content[i : i + 1] in b"abcdefABCDEF")
        same_meaning = (
            content[:position]
            + content[position : position + 1].swapcase()
            + content[position + 1 :]
        )
        result = service.verify_document(session, settings, same_meaning)
        assert not result.ok and "tidak terdaftar di arsip" in result.message
        padding = content.rindex(b"0000", start, end)
        padded = content[:padding] + b"1" + content[padding + 1 :]
        assert not service.verify_document(session, settings, padded).ok
