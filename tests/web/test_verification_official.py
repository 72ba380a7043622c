"""/verifikasi/<id> names the official who signed, with their NIP, not only the Dinas of the
certificate."""

from __future__ import annotations

from datetime import UTC, datetime

from engine.archive import new_document_id, store_document
from engine.models import User
from reports import samples, surat_data
from reports.pki import ensure_office_certificate
from reports.signing import sign_pdf
from reports.topics import verify_url
from tests.reports.helpers import request_data

SIGNED_AT = datetime(2026, 3, 12, 3, 0, tzinfo=UTC)
LABEL = "Drs. Bambang Setiawan, M.Si., Kepala Dinas Kependudukan dan Pencatatan Sipil"


def _signed_letter(engine, settings, signer: str) -> str:
    """A letter signed as reports.sign signs it: the label of the signing step's account."""
    letter = surat_data.render(
        request_data(),
        number="400.12.4/17/2026",
        letter_date="2026-03-12",
        dataset=samples.desa_by_sex(20),
        signer=samples.KEPALA_DINAS,
    )
    document_id = new_document_id()
    signed = sign_pdf(
        letter,
        paths=ensure_office_certificate(settings),
        verify_url=verify_url(settings, document_id),
        signer_label=LABEL,
        signed_at=SIGNED_AT,
    )
    with engine.db.transaction() as session:
        store_document(
            session,
            kind="surat_data",
            filename="surat-ttd.pdf",
            content=signed,
            title="Surat pengantar data",
            number="400.12.4/17/2026",
            signed=True,
            signer=LABEL,
            signed_at=SIGNED_AT,
            created_by=signer,
            document_id=document_id,
        )
    return document_id


def test_the_verification_page_names_the_signing_official_and_nip(client, engine, settings):
    with engine.db.transaction() as session:
        nip = session.query(User).filter_by(username="kepala_dinas").one().nip
    assert nip, "the demo Kepala Dinas has a NIP"
    document_id = _signed_letter(engine, settings, "kepala_dinas")
    page = client.get(f"/verifikasi/{document_id}").get_data(as_text=True)
    assert "Dokumen asli." in page
    assert "Pejabat penanda tangan" in page and "Drs. Bambang Setiawan" in page
    assert f"NIP {nip}" in page
