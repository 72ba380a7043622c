"""PAdES signing with the office certificate; any changed byte breaks verification."""

from datetime import UTC, datetime

import pytest
from PIL import Image, ImageChops

from reports import samples, surat_data
from reports.pki import SigningConfigurationError, configured_paths, ensure_office_certificate
from reports.signing import sign_pdf, trust_root_paths, verify_pdf
from reports.stamps import FOOTER_TEXT

from .helpers import pdf_fonts, pdf_text, render_png, request_data

URL = "https://laksana.example.go.id/verifikasi/0f0e"
SIGNED_AT = datetime(2026, 7, 10, 3, 0, tzinfo=UTC)


@pytest.fixture
def letter() -> bytes:
    return surat_data.render(
        request_data(),
        number="400.12.4/17/2026",
        letter_date="2026-07-10",
        dataset=samples.desa_by_sex(20),
        signer=samples.KEPALA_DINAS,
    )


@pytest.fixture
def signed(letter, settings) -> bytes:
    paths = ensure_office_certificate(settings)
    return sign_pdf(
        letter, paths=paths, verify_url=URL, signer_label="Kepala Dinas", signed_at=SIGNED_AT
    )


def test_local_office_ca_is_created_once_under_the_instance(settings):
    first = ensure_office_certificate(settings)
    assert first.generated and first.key.parent == settings.instance_dir / "pki"
    assert oct(first.key.stat().st_mode & 0o777) == "0o600"
    before = first.cert.read_bytes()
    assert ensure_office_certificate(settings).cert.read_bytes() == before


def test_signature_validates_and_names_the_office(signed, settings):
    result = verify_pdf(signed, trust_root_paths(settings))
    assert result.ok, result.message
    assert result.signer == "Dinas Kependudukan dan Pencatatan Sipil Kabupaten Banjarnegara"
    assert result.signed_at is not None and result.whole_file and result.trusted


def test_signed_copy_carries_footer_with_the_verification_address(signed):
    text = " ".join(pdf_text(signed).split())
    assert FOOTER_TEXT in text
    assert URL in text
    assert all("LiberationSans" in font for font in pdf_fonts(signed))


def test_signature_block_gets_the_qr_mark(letter, signed, tmp_path):
    """The signed page differs from the draft inside the signature block (QR and signer text)."""
    draft_png = render_png(letter, tmp_path, "draft")[0]
    signed_png = render_png(signed, tmp_path, "signed")[0]
    with Image.open(draft_png) as draft, Image.open(signed_png) as final:
        changed = ImageChops.difference(draft.convert("L"), final.convert("L")).point(
            lambda v: 255 if v > 60 else 0
        )
        box = changed.getbbox()
        height = draft.height
        above_footer = changed.crop((0, 0, draft.width, int(height * 0.9))).getbbox()
    assert box is not None and above_footer is not None
    left, top, right, bottom = above_footer
    assert left > draft.width * 0.4 and top > height * 0.5, "mark should sit in the signature block"


def test_signature_mark_shows_signer_and_time():
    from reports.stamps import signature_mark_pdf

    mark = signature_mark_pdf(
        220, 68, verify_url=URL, signer_label="Kepala Dinas", signed_at=SIGNED_AT
    )
    text = " ".join(pdf_text(mark).split())
    assert (
        "Ditandatangani secara elektronik oleh" in text and "10 Juli 2026 pukul 10.00 WIB" in text
    )


@pytest.mark.parametrize("where", [0.1, 0.5, 0.9, -40])
def test_any_changed_byte_fails(signed, settings, where):
    tampered = bytearray(signed)
    index = int(len(signed) * where) if where > 0 else len(signed) + int(where)
    tampered[index] = (tampered[index] + 1) % 256
    assert not verify_pdf(bytes(tampered), trust_root_paths(settings)).ok


def test_text_changed_in_place_fails(signed, settings):
    tampered = signed.replace(
        b"/Title (Surat 400.12.4/17/2026)", b"/Title (Surat 400.12.4/99/2026)"
    )
    assert tampered != signed
    result = verify_pdf(tampered, trust_root_paths(settings))
    assert not result.ok and "berubah" in result.message


def test_appended_revision_fails(signed, settings):
    appended = signed + b"\n1 0 obj\n<< >>\nendobj\n"
    assert not verify_pdf(appended, trust_root_paths(settings)).ok


def test_unsigned_and_untrusted_documents_fail(letter, signed, tmp_path, settings):
    assert "tidak memuat tanda tangan" in verify_pdf(letter, trust_root_paths(settings)).message
    assert "tidak dipercaya" in verify_pdf(signed, []).message


def test_configured_certificate_is_used_instead_of_a_local_one(settings, tmp_path):
    local = ensure_office_certificate(settings)
    settings.signing_key, settings.signing_cert = str(local.key), str(local.cert)
    settings.signing_chain = str(local.chain[0])
    paths = configured_paths(settings)
    assert paths is not None and not paths.generated and paths.key == local.key
    settings.signing_cert = str(tmp_path / "missing.crt")
    with pytest.raises(SigningConfigurationError):
        ensure_office_certificate(settings)
