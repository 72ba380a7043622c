"""The office's signing certificate: the configured one, or a local CA made on first use.

With ``LAKSANA_SIGNING_KEY`` and ``LAKSANA_SIGNING_CERT`` set (PEM/DER key and
certificate, or a PKCS#12 file as the key alone), those are used, with
``LAKSANA_SIGNING_CHAIN`` (comma-separated certificate files) as the chain and
trust roots. Otherwise ``ensure_office_certificate`` creates, once, a local CA
and a signing certificate for the office under ``<instance>/pki``.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from engine.config import Settings

PKI_DIRNAME = "pki"
CA_KEY, CA_CERT = "ca.key", "ca.crt"
SIGNING_KEY, SIGNING_CERT = "signing.key", "signing.crt"
PKCS12_SUFFIXES = (".p12", ".pfx")

OFFICE_SUBJECT = {
    NameOID.COUNTRY_NAME: "ID",
    NameOID.STATE_OR_PROVINCE_NAME: "Jawa Tengah",
    NameOID.LOCALITY_NAME: "Banjarnegara",
    NameOID.ORGANIZATION_NAME: "Pemerintah Kabupaten Banjarnegara",
    NameOID.ORGANIZATIONAL_UNIT_NAME: "Dinas Kependudukan dan Pencatatan Sipil",
}
SIGNER_COMMON_NAME = "Dinas Kependudukan dan Pencatatan Sipil Kabupaten Banjarnegara"
CA_COMMON_NAME = "CA Lokal Dindukcapil Kabupaten Banjarnegara"


class SigningConfigurationError(Exception):
    """The signing settings are incomplete or point to missing files."""


@dataclass(frozen=True)
class SigningPaths:
    key: Path
    cert: Path | None
    chain: tuple[Path, ...]
    passphrase: bytes | None = None
    generated: bool = False

    @property
    def is_pkcs12(self) -> bool:
        return self.key.suffix.lower() in PKCS12_SUFFIXES


def _split_paths(value: str | None) -> tuple[Path, ...]:
    return tuple(
        Path(part.strip())
        for part in (value or "").replace(os.pathsep, ",").split(",")
        if part.strip()
    )


def configured_paths(settings: Settings) -> SigningPaths | None:
    """The real certificate from the settings, or None when none is configured."""
    if not settings.signing_key and not settings.signing_cert:
        return None
    if not settings.signing_key:
        raise SigningConfigurationError(
            "LAKSANA_SIGNING_CERT is set but LAKSANA_SIGNING_KEY is not"
        )
    key = Path(settings.signing_key)
    cert = Path(settings.signing_cert) if settings.signing_cert else None
    if cert is None and key.suffix.lower() not in PKCS12_SUFFIXES:
        raise SigningConfigurationError(
            "LAKSANA_SIGNING_KEY is set but LAKSANA_SIGNING_CERT is not"
        )
    paths = SigningPaths(
        key=key,
        cert=cert,
        chain=_split_paths(settings.signing_chain),
        passphrase=settings.signing_passphrase.encode() if settings.signing_passphrase else None,
    )
    missing = [
        str(p) for p in (paths.key, paths.cert, *paths.chain) if p is not None and not p.is_file()
    ]
    if missing:
        raise SigningConfigurationError("signing file not found: " + ", ".join(missing))
    return paths


def local_paths(settings: Settings) -> SigningPaths:
    folder = Path(settings.instance_dir) / PKI_DIRNAME
    return SigningPaths(
        key=folder / SIGNING_KEY,
        cert=folder / SIGNING_CERT,
        chain=(folder / CA_CERT,),
        generated=True,
    )


def ensure_office_certificate(settings: Settings) -> SigningPaths:
    """The paths to sign with; creates the local CA and office certificate when none exist."""
    configured = configured_paths(settings)
    if configured is not None:
        return configured
    paths = local_paths(settings)
    if not (paths.key.is_file() and paths.cert.is_file() and paths.chain[0].is_file()):
        create_local_pki(paths.key.parent)
    return paths


def trust_root_paths(settings: Settings) -> tuple[Path, ...]:
    """Certificates a verifier trusts: the configured chain (or certificate) and the local CA if present."""
    roots: list[Path] = []
    configured = configured_paths(settings)
    if configured is not None:
        roots += list(configured.chain) or ([configured.cert] if configured.cert else [])
    local_ca = local_paths(settings).chain[0]
    if local_ca.is_file():
        roots.append(local_ca)
    return tuple(roots)


def _name(common_name: str) -> x509.Name:
    attributes = [x509.NameAttribute(oid, value) for oid, value in OFFICE_SUBJECT.items()]
    return x509.Name([*attributes, x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _certificate(
    subject: x509.Name, issuer: x509.Name, public_key, signing_key, *, years: int, is_ca: bool
) -> x509.Certificate:
    now = datetime.now(UTC)
    usage = dict(
        digital_signature=True,
        content_commitment=not is_ca,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=is_ca,
        crl_sign=is_ca,
        encipher_only=False,
        decipher_only=False,
    )
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=365 * years))
        .add_extension(
            x509.BasicConstraints(ca=is_ca, path_length=0 if is_ca else None), critical=True
        )
        .add_extension(x509.KeyUsage(**usage), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
    )
    return builder.sign(signing_key, hashes.SHA256())


def _write(path: Path, content: bytes, private: bool) -> None:
    handle, temp_name = tempfile.mkstemp(dir=path.parent, prefix=path.name + ".")
    with os.fdopen(handle, "wb") as out:
        out.write(content)
    os.chmod(temp_name, 0o600 if private else 0o644)
    os.replace(temp_name, path)


def _key_pem(key) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def create_local_pki(folder: Path) -> None:
    """A CA (10 years) and the office's signing certificate (3 years), EC P-256, PEM files."""
    folder.mkdir(parents=True, exist_ok=True)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = _name(CA_COMMON_NAME)
    ca_cert = _certificate(ca_name, ca_name, ca_key.public_key(), ca_key, years=10, is_ca=True)
    signer_key = ec.generate_private_key(ec.SECP256R1())
    signer_cert = _certificate(
        _name(SIGNER_COMMON_NAME), ca_name, signer_key.public_key(), ca_key, years=3, is_ca=False
    )
    _write(folder / CA_KEY, _key_pem(ca_key), private=True)
    _write(folder / CA_CERT, ca_cert.public_bytes(serialization.Encoding.PEM), private=False)
    _write(folder / SIGNING_KEY, _key_pem(signer_key), private=True)
    _write(
        folder / SIGNING_CERT, signer_cert.public_bytes(serialization.Encoding.PEM), private=False
    )
