"""Engine topic handlers for documents, and the store-aware verification.

``make_render(documents)`` builds the handler of topic ``reports.render``: it dispatches on
``call.properties["document"]`` to the renderers the plug-ins registered (the data-request SOP's
``lembar_disposisi``, ``surat_penolakan``, ``surat_dan_lampiran``, ``tanda_terima``). ``sign(call)`` (topic
``reports.sign``) signs the documents named in ``call.properties["documents"]``.
``verify_document`` serves ``laksana report verify`` and ``/verifikasi/<id>``.
Handlers read and write through ``call.session`` and never commit.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from pyhanko.pdf_utils.reader import PdfFileReader
from sqlalchemy.orm import Session

from engine.archive import find_by_sha256, new_document_id, next_number, sha256_hex, store_document
from engine.config import Settings
from engine.db import Database
from engine.models import Document
from engine.services import Handler, ServiceCall, ServiceError
from warehouse.models import Dataset

from . import (
    gather,
    lampiran_data,
    layout,
    lembar_disposisi,
    surat_data,
    surat_penolakan,
    tanda_terima,
    xlsx,
)
from .formatting import as_wib
from .layout import OFFICE
from .pki import SigningConfigurationError, trust_root_paths
from .signing import VerificationResult, ensure_office_certificate, sign_pdf, verify_pdf

LETTER_SERIES = "surat_keluar"
RECEIPT_SERIES = "tanda_terima"
LETTER_CODE = "400.12.4"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def letter_number(session: Session, year: int) -> str:
    """``400.12.4/<running number>/<year>`` from the outgoing-letter series."""
    return f"{LETTER_CODE}/{next_number(session, LETTER_SERIES, year)}/{year}"


def receipt_number(session: Session, year: int) -> str:
    return f"{LETTER_CODE}/TT.{next_number(session, RECEIPT_SERIES, year)}/{year}"


def _today(call: ServiceCall) -> date:
    return as_wib(call.now).date()


def _slug(value: object) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", str(value or "")).strip("-").lower() or "dokumen"


def _store(
    call: ServiceCall,
    kind: str,
    filename: str,
    content: bytes,
    title: str,
    number: str | None = None,
    mime_type: str = "application/pdf",
) -> Document:
    return store_document(
        call.session,
        kind=kind,
        filename=filename,
        content=content,
        instance_id=call.instance_id,
        title=title,
        number=number,
        mime_type=mime_type,
        created_by=call.actor,
    )


def _dataset_result(call: ServiceCall) -> dict[str, Any]:
    dataset_id = call.data.get("dataset_id")
    dataset = call.session.get(Dataset, int(dataset_id)) if dataset_id not in (None, "") else None
    if dataset is None or not dataset.result:
        raise ServiceError(
            f"Data hasil kueri (dataset {dataset_id}) tidak ditemukan untuk lampiran"
        )
    return dict(dataset.result)


def render_lembar_disposisi(call: ServiceCall) -> dict[str, Any]:
    data = dict(call.data)
    operator = gather.find_user(call.session, data.get("akses_operator"))
    if operator is not None:
        data["akses_operator"] = f"{operator.full_name or operator.username} ({operator.username})"
    hops = lembar_disposisi.hops_from_task_data(
        data, gather.cascade_actors(call.session, call.instance_id)
    )
    pdf = lembar_disposisi.render(data, hops)
    doc = _store(
        call,
        "lembar_disposisi",
        f"lembar-disposisi-{_slug(data.get('nomor_agenda') or f'instance {call.instance_id}')}.pdf",
        pdf,
        "Lembar Disposisi",
        data.get("nomor_agenda"),
    )
    return {"dokumen_disposisi_id": doc.id}


def render_surat_penolakan(call: ServiceCall) -> dict[str, Any]:
    today = _today(call)
    number = letter_number(call.session, today.year)
    signer = gather.head_of_office(call.session, call.instance_id)
    with layout.draft_marking():  # until reports.sign: the Kepala Dinas reviews this draft
        pdf = surat_penolakan.render(call.data, number=number, letter_date=today, signer=signer)
    doc = _store(
        call,
        "surat_penolakan",
        f"surat-penolakan-{_slug(number)}.pdf",
        pdf,
        "Surat Penolakan",
        number,
    )
    return {"dokumen_penolakan_id": doc.id, "surat_penolakan_nomor": number}


def render_surat_dan_lampiran(call: ServiceCall) -> dict[str, Any]:
    result = _dataset_result(call)
    today = _today(call)
    number = letter_number(call.session, today.year)
    signer = gather.head_of_office(call.session, call.instance_id)
    threshold = call.settings.sdc_threshold
    with layout.draft_marking():  # until reports.sign: the Kepala Dinas reviews these drafts
        letter = surat_data.render(
            call.data, number=number, letter_date=today, dataset=result, signer=signer
        )
        attachment = lampiran_data.render(
            result, letter_number=number, letter_date=today, signer=signer, threshold=threshold
        )
    workbook = xlsx.render(result, letter_number=number, threshold=threshold)
    slug = _slug(number)
    letter_doc = _store(call, "surat_data", f"surat-{slug}.pdf", letter, surat_data.SUBJECT, number)
    attachment_doc = _store(
        call,
        "lampiran_data",
        f"lampiran-{slug}.pdf",
        attachment,
        f"Lampiran: {result.get('title') or 'Data Agregat Kependudukan'}",
        number,
    )
    workbook_doc = _store(
        call,
        "lampiran_data_xlsx",
        f"lampiran-{slug}.xlsx",
        workbook,
        f"Lampiran (XLSX): {result.get('title') or ''}",
        number,
        XLSX_MIME,
    )
    return {
        "surat_nomor": number,
        "surat_tanggal": today.isoformat(),
        "dokumen_surat_id": letter_doc.id,
        "dokumen_lampiran_id": attachment_doc.id,
        "dokumen_lampiran_xlsx_id": workbook_doc.id,
    }


def page_count(pdf: bytes) -> int:
    return int(PdfFileReader(io.BytesIO(pdf), strict=False).root["/Pages"]["/Count"])


def render_tanda_terima(call: ServiceCall) -> dict[str, Any]:
    data = call.data
    today = _today(call)
    number = receipt_number(call.session, today.year)
    result = _dataset_result(call) if data.get("dataset_id") not in (None, "") else None
    attachment = (
        call.session.get(Document, data["dokumen_lampiran_id"])
        if data.get("dokumen_lampiran_id")
        else None
    )
    sheets = (
        page_count(attachment.content)
        if attachment is not None and attachment.mime_type.endswith("pdf")
        else None
    )
    items = tanda_terima.items_for_data(data, result, data.get("surat_nomor"), sheets)
    officer = gather.official_for(
        gather.find_user(call.session, call.actor), position="Pengadministrasi Umum"
    )
    pdf = tanda_terima.render(
        {"tanggal_terima": today.isoformat(), **data}, number=number, items=items, officer=officer
    )
    doc = _store(
        call, "tanda_terima", f"tanda-terima-{_slug(number)}.pdf", pdf, "Tanda Terima", number
    )
    return {"dokumen_tanda_terima_id": doc.id, "tanda_terima_nomor": number}


def make_render(documents: Mapping[str, Callable[[ServiceCall], dict[str, Any]]]) -> Handler:
    """The handler of topic ``reports.render``: dispatch on the element's ``document`` property to
    the renderers the plug-ins registered (``Registration.document``)."""

    def render(call: ServiceCall) -> dict[str, Any]:
        kind = (call.properties or {}).get("document", "")
        renderer = documents.get(kind)
        if renderer is None:
            raise ServiceError(
                f"Jenis dokumen tidak dikenal: {kind!r} (dikenal: {', '.join(sorted(documents))})"
            )
        return renderer(call)

    return render


#: the data-request SOP's documents (registered by ``datarequest.plugin``)
DATA_REQUEST_DOCUMENTS: dict[str, Callable[[ServiceCall], dict[str, Any]]] = {
    "lembar_disposisi": render_lembar_disposisi,
    "surat_penolakan": render_surat_penolakan,
    "surat_dan_lampiran": render_surat_dan_lampiran,
    "tanda_terima": render_tanda_terima,
}
#: the topic handler over just those documents (tests and tools that run without the app)
render = make_render(DATA_REQUEST_DOCUMENTS)


def verify_url(settings: Settings, document_id: str) -> str:
    return f"{settings.base_url.rstrip('/')}/verifikasi/{document_id}"


def _signer_label(call: ServiceCall) -> str:
    head = gather.official_for(gather.find_user(call.session, call.actor))
    if not head.name:
        head = gather.head_of_office(call.session, call.instance_id)
    title = "Kepala " + OFFICE.full_name
    return f"{head.name}, {title}" if head.name else title


def sign(call: ServiceCall) -> dict[str, Any]:
    """Topic ``reports.sign``: signed copies stored (superseding the drafts); the keys point to them."""
    keys = [k.strip() for k in (call.properties or {}).get("documents", "").split(",") if k.strip()]
    if not keys:
        raise ServiceError(
            "Tidak ada dokumen yang disebut untuk ditandatangani (properti 'documents')"
        )
    try:
        paths = ensure_office_certificate(call.settings)
    except SigningConfigurationError as exc:
        raise ServiceError(f"Sertifikat tanda tangan tidak dapat dipakai: {exc}") from exc
    label = _signer_label(call)
    signed_ids = {}
    for key in keys:
        draft = call.session.get(Document, call.data.get(key)) if call.data.get(key) else None
        if draft is None:
            raise ServiceError(f"Dokumen {key} tidak ditemukan di arsip")
        if draft.mime_type != "application/pdf":
            raise ServiceError(
                f"Dokumen {key} bukan PDF dan tidak dapat ditandatangani secara elektronik"
            )
        signed_ids[key] = draft.id if draft.signed else _sign_one(call, draft, paths, label).id
    return signed_ids


def sign_stored(call: ServiceCall, draft: Document, paths, label: str) -> Document:
    """The signed copy of a stored draft, kept in the archive (superseding it)."""
    return _sign_one(call, draft, paths, label)


def _sign_one(call: ServiceCall, draft: Document, paths, label: str) -> Document:
    document_id = new_document_id()
    content = sign_pdf(
        draft.content,
        paths=paths,
        verify_url=verify_url(call.settings, document_id),
        signer_label=label,
        signed_at=call.now,
    )
    filename = re.sub(r"\.pdf$", "", draft.filename) + "-ttd.pdf"
    return store_document(
        call.session,
        kind=draft.kind,
        filename=filename,
        content=content,
        instance_id=draft.instance_id,
        title=draft.title,
        number=draft.number,
        signed=True,
        signer=label,
        signed_at=call.now,
        supersedes=draft.id,
        created_by=call.actor,
        document_id=document_id,
    )


def _with_document(
    result: VerificationResult, doc: Document | None, digest: str, session: Session | None = None
) -> VerificationResult:
    result.sha256 = digest
    if doc is not None:
        result.document_id, result.document_kind = doc.id, doc.kind
        result.document_title, result.document_number = doc.title, doc.number
        if doc.signed and session is not None:
            _with_official(result, doc, session)
    return result


def _with_official(result: VerificationResult, doc: Document, session: Session) -> None:
    """The signing official: the label the signature was made under ("Name, Kepala Dinas ...")
    and the NIP of the account that signed (the certificate names only the Dinas)."""
    result.official = doc.signer
    signer = gather.find_user(session, doc.created_by)
    if signer is not None and signer.nip:
        result.official_nip = signer.nip


def verify_document(
    session: Session, settings: Settings, pdf_or_id: bytes | str
) -> VerificationResult:
    """Signature and archive: a file (bytes) must be a signed document kept in the archive, byte for byte;
    a document id must name a signed document whose stored bytes still match their SHA-256."""
    roots = trust_root_paths(settings)
    if isinstance(pdf_or_id, str):
        doc = session.get(Document, pdf_or_id)
        if doc is None:
            return VerificationResult(False, "Dokumen tidak dikenal: tidak ada di arsip Dinas")
        digest = sha256_hex(doc.content)
        if digest != doc.sha256:
            return _with_document(
                VerificationResult(
                    False, "Isi dokumen di arsip tidak cocok dengan sidik jari SHA-256 yang dicatat"
                ),
                doc,
                digest,
                session,
            )
        if not doc.signed:
            return _with_document(
                VerificationResult(False, "Dokumen ini belum ditandatangani secara elektronik"),
                doc,
                digest,
            )
        return _with_document(verify_pdf(doc.content, roots), doc, digest, session)
    digest = sha256_hex(pdf_or_id)
    doc = find_by_sha256(session, digest)
    result = verify_pdf(pdf_or_id, roots)
    if result.ok and doc is None:
        result.ok = False
        result.message = "Dokumen tidak terdaftar di arsip Dinas: isi berkas berbeda dari dokumen yang diterbitkan"
    return _with_document(result, doc, digest, session)


def verify_stored(database: Database, settings: Settings, pdf_or_id: bytes | str):
    """``verify_document`` in its own session (the verification page and ``laksana report verify``)."""
    with database.Session() as session:
        return verify_document(session, settings, pdf_or_id)
