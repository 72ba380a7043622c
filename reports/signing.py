"""PAdES signing and verification of the office's PDFs (pyHanko).

``sign_pdf`` adds, in one signed revision, the footer band on every page and
the QR mark in the document's signature spot (``layout.SIGNATURE_FIELD``; a
new spot at the end of the last page when the document has none), then signs
with the office certificate (``ensure_office_certificate``). ``verify_pdf``
checks the signature: intact, valid, trusted, covering the whole file.
"""

from __future__ import annotations

import binascii
import io
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from asn1crypto import cms, pem, x509
from pyhanko.keys import load_cert_from_pemder
from pyhanko.pdf_utils import content, generic, layout
from pyhanko.pdf_utils.generic import pdf_name
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko.stamp import StaticStampStyle
from pyhanko_certvalidator import ValidationContext
from reportlab.lib.units import mm

from . import stamps
from .layout import DRAFT_FORM_PREFIX, MARGIN_RIGHT, SIGNATURE_FIELD
from .pki import SigningPaths, ensure_office_certificate, trust_root_paths

__all__ = [
    "VerificationResult",
    "ensure_office_certificate",
    "sign_pdf",
    "trust_root_paths",
    "verify_pdf",
]

FOOTER_BOTTOM = 2 * mm
FALLBACK_SPOT = (78 * mm, 24 * mm)
SIGN_REASON = "Penandatanganan dokumen dinas"
SIGN_LOCATION = "Banjarnegara"


@dataclass
class VerificationResult:
    ok: bool
    message: str
    signer: str | None = None
    signed_at: datetime | None = None
    intact: bool = False
    trusted: bool = False
    whole_file: bool = False
    #: filled by the store-aware check (``reports.topics.verify_document``)
    document_id: str | None = None
    document_kind: str | None = None
    document_title: str | None = None
    document_number: str | None = None
    sha256: str | None = None
    #: the official who signed, as the archive recorded them (name and position), and their NIP
    official: str | None = None
    official_nip: str | None = None


class _ImportedPdfBytes(content.PdfContent):
    """The first page of an in-memory PDF as content (pyHanko's ImportedPdfPage reads files)."""

    def __init__(self, pdf: bytes):
        super().__init__()
        self.pdf = pdf

    def render(self) -> bytes:
        xobject = self._ensure_writer.import_page_as_xobject(
            PdfFileReader(io.BytesIO(self.pdf)), page_ix=0
        )
        name = b"/Import" + binascii.hexlify(uuid.uuid4().bytes)
        self.resources.xobject[name.decode("ascii")] = xobject
        x1, y1, x2, y2 = xobject.get_object()["/BBox"]
        self.box = layout.BoxConstraints(width=abs(x1 - x2), height=abs(y1 - y2))
        return name + b" Do"


@lru_cache(maxsize=4)
def _load_signer(paths: SigningPaths, _mtime: float) -> signers.SimpleSigner:
    chain = list(paths.chain)
    if paths.is_pkcs12:
        signer = signers.SimpleSigner.load_pkcs12(
            paths.key, ca_chain_files=chain, passphrase=paths.passphrase
        )
    else:
        signer = signers.SimpleSigner.load(
            paths.key, paths.cert, ca_chain_files=chain, key_passphrase=paths.passphrase
        )
    if signer is None:
        raise ValueError(f"cannot load the signing key {paths.key}")
    return signer


def load_signer(paths: SigningPaths) -> signers.SimpleSigner:
    return _load_signer(paths, paths.key.stat().st_mtime)


def signer_name(paths: SigningPaths) -> str:
    return load_signer(paths).signing_cert.subject.native.get("common_name", "")


def _page_sizes(writer: IncrementalPdfFileWriter) -> list[tuple[int, float]]:
    sizes = []
    for index in range(int(writer.root["/Pages"]["/Count"])):
        x1, _y1, x2, _y2 = writer.find_page_for_modification(index)[0].get_object()["/MediaBox"]
        sizes.append((index, float(x2) - float(x1)))
    return sizes


def _add_footer_bands(writer: IncrementalPdfFileWriter, verify_url: str) -> None:
    band_by_width: dict[float, generic.IndirectObject] = {}
    for page_index, width in _page_sizes(writer):
        if width not in band_by_width:
            band = stamps.footer_band_pdf(width, verify_url=verify_url)
            band_by_width[width] = writer.import_page_as_xobject(PdfFileReader(io.BytesIO(band)))
        resource = "/SignedFooter" + uuid.uuid4().hex[:8]
        paint = generic.StreamObject(
            stream_data=f"q 1 0 0 1 0 {FOOTER_BOTTOM:.2f} cm {resource} Do Q".encode()
        )
        resources = generic.DictionaryObject(
            {
                pdf_name("/XObject"): generic.DictionaryObject(
                    {pdf_name(resource): band_by_width[width]}
                )
            }
        )
        writer.add_stream_to_page(page_index, writer.add_object(paint), resources)


def _remove_draft_marks(writer: IncrementalPdfFileWriter) -> None:
    """Blank the "DRAF" form XObjects (``layout.draft_marking``) in the revision the signature
    covers: the signed copy no longer says draft, the draft stays as it was."""
    blank = writer.add_object(
        generic.StreamObject(
            {
                pdf_name("/Type"): pdf_name("/XObject"),
                pdf_name("/Subtype"): pdf_name("/Form"),
                pdf_name("/BBox"): generic.ArrayObject([generic.NumberObject(0)] * 4),
            },
            stream_data=b"",
        )
    )
    seen: set[int] = set()
    for page_index, _width in _page_sizes(writer):
        page = writer.find_page_for_modification(page_index)[0].get_object()
        resources = page.get("/Resources")
        xobjects = resources.get_object().get("/XObject") if resources is not None else None
        if xobjects is None:
            continue
        xobjects = xobjects.get_object()
        if id(xobjects) in seen:
            continue
        seen.add(id(xobjects))
        names = [name for name in xobjects if DRAFT_FORM_PREFIX in str(name)]
        for name in names:
            xobjects[name] = blank
        if names:
            writer.update_container(xobjects)


def _signature_spot(
    writer: IncrementalPdfFileWriter, field_name: str
) -> tuple[float, float] | None:
    """The width and height of the document's empty signature field, if it has one."""
    for name, _value, field_ref in fields.enumerate_sig_fields(writer, filled_status=False):
        if name == field_name:
            x1, y1, x2, y2 = (float(v) for v in field_ref.get_object()["/Rect"])
            return abs(x2 - x1), abs(y2 - y1)
    return None


def _fallback_field(writer: IncrementalPdfFileWriter, field_name: str) -> fields.SigFieldSpec:
    last_index, width = _page_sizes(writer)[-1]
    spot_width, spot_height = FALLBACK_SPOT
    x2 = width - MARGIN_RIGHT
    y1 = stamps.FOOTER_HEIGHT + 14 * mm
    return fields.SigFieldSpec(
        field_name, on_page=last_index, box=(x2 - spot_width, y1, x2, y1 + spot_height)
    )


def sign_pdf(
    pdf: bytes,
    *,
    paths: SigningPaths,
    verify_url: str,
    signer_label: str,
    signed_at: datetime,
    field_name: str = SIGNATURE_FIELD,
) -> bytes:
    """The signed copy: footer band on every page, QR mark in the signature spot, PAdES signature."""
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    _remove_draft_marks(writer)
    _add_footer_bands(writer, verify_url)
    spot = _signature_spot(writer, field_name)
    new_field = None
    if spot is None:
        new_field = _fallback_field(writer, field_name)
        spot = FALLBACK_SPOT
    mark = stamps.signature_mark_pdf(
        *spot, verify_url=verify_url, signer_label=signer_label, signed_at=signed_at
    )
    style = StaticStampStyle(
        background=_ImportedPdfBytes(mark),
        border_width=0,
        background_opacity=1.0,
        background_layout=layout.SimpleBoxLayoutRule(
            x_align=layout.AxisAlignment.ALIGN_MIN,
            y_align=layout.AxisAlignment.ALIGN_MID,
            margins=layout.Margins(),
            inner_content_scaling=layout.InnerScaling.SHRINK_TO_FIT,
        ),
    )
    metadata = signers.PdfSignatureMetadata(
        field_name=field_name,
        reason=SIGN_REASON,
        location=SIGN_LOCATION,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
    )
    pdf_signer = signers.PdfSigner(
        metadata, signer=load_signer(paths), stamp_style=style, new_field_spec=new_field
    )
    return pdf_signer.sign_pdf(writer).getvalue()


def _load_roots(trust_roots: Iterable[bytes | str | Path]) -> list:
    roots = []
    for root in trust_roots:
        if isinstance(root, bytes):
            der = pem.unarmor(root)[2] if pem.detect(root) else root
            roots.append(x509.Certificate.load(der))
        else:
            roots.append(load_cert_from_pemder(str(root)))
    return roots


def _padding_untouched(embedded) -> bool:
    """The signature's reserved space after the CMS blob must still be zeros."""
    raw = embedded.sig_object["/Contents"]
    raw = bytes(raw.original_bytes if hasattr(raw, "original_bytes") else raw)
    used = len(cms.ContentInfo.load(raw, strict=False).dump())
    return not raw[used:].strip(b"\x00")


def verify_pdf(pdf: bytes, trust_roots: Iterable[bytes | str | Path]) -> VerificationResult:
    """Check the last signature of ``pdf`` against ``trust_roots`` (certificates, PEM or DER)."""
    try:
        signatures = PdfFileReader(io.BytesIO(pdf), strict=False).embedded_signatures
    except Exception as exc:  # any damage to the file structure
        return VerificationResult(False, f"Berkas tidak dapat dibaca sebagai PDF: {exc}")
    if not signatures:
        return VerificationResult(False, "Dokumen tidak memuat tanda tangan elektronik")
    embedded = signatures[-1]
    try:
        context = ValidationContext(
            trust_roots=_load_roots(trust_roots), allow_fetching=False, revocation_mode="soft-fail"
        )
        status = validate_pdf_signature(embedded, context)
        padding_ok = _padding_untouched(embedded)
    except Exception as exc:  # a damaged signature blob
        return VerificationResult(False, f"Tanda tangan elektronik rusak: {exc}")
    return _judge(status, padding_ok)


def _judge(status, padding_ok: bool) -> VerificationResult:
    cert = status.signing_cert
    result = VerificationResult(
        ok=False,
        message="",
        signer=cert.subject.native.get("common_name") if cert else None,
        signed_at=status.signer_reported_dt,
        intact=bool(status.intact and status.valid and padding_ok),
        trusted=bool(status.trusted),
        whole_file=status.coverage == SignatureCoverageLevel.ENTIRE_FILE,
    )
    if not result.intact:
        result.message = (
            "Isi dokumen telah berubah setelah ditandatangani: tanda tangan tidak cocok"
        )
    elif not result.whole_file:
        result.message = "Dokumen telah diubah atau ditambah setelah ditandatangani"
    elif not result.trusted:
        result.message = "Sertifikat penanda tangan tidak dikenal atau tidak dipercaya"
    else:
        result.ok, result.message = True, "Tanda tangan elektronik sah dan dokumen utuh"
    return result
