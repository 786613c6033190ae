"""The city's signing certificate (公印の電子証明書): create, load and trust.

At install, :func:`ensure_city_certificate` makes a self-signed certificate
(CN 「みどり野市長」 or ``CITYHALL_SIGNING_COMMON_NAME``, ten years) and its
key under ``var/certs/``. A real certificate, e.g. an LGPKI office
certificate, is configured instead with ``CITYHALL_SIGNING_P12`` (PKCS#12)
or ``CITYHALL_SIGNING_KEY_FILE`` / ``CITYHALL_SIGNING_CERT_FILE`` (PEM or
DER); the passphrase comes from ``CITYHALL_SIGNING_PASSPHRASE``.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from asn1crypto import pem
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.views.decorators.debug import sensitive_variables
from pyhanko.keys.internal import translate_pyca_cryptography_cert_to_asn1, translate_pyca_cryptography_key_to_asn1
from pyhanko.sign.signers import SimpleSigner
from pyhanko_certvalidator.registry import SimpleCertificateStore
from pyhanko_certvalidator.util import get_pyca_cryptography_hash

VALIDITY_DAYS = 3653  # ten years
KEY_BITS = 3072


@dataclass(frozen=True)
class EnsureResult:
    """What :func:`ensure_city_certificate` found or did."""

    created: bool
    source: str  # "pem" or "pkcs12"
    subject: str
    not_after: datetime.datetime
    sha256_fingerprint: str


def _passphrase() -> bytes | None:
    value = getattr(settings, "CITYHALL_SIGNING_PASSPHRASE", "") or ""
    return value.encode() if value else None


def _p12_path() -> Path | None:
    value = getattr(settings, "CITYHALL_SIGNING_P12", "") or ""
    return Path(value) if value else None


def _load_certificates(path: Path) -> list[x509.Certificate]:
    """Every certificate in a PEM (one or many) or DER file."""
    data = path.read_bytes()
    if pem.detect(data):
        return x509.load_pem_x509_certificates(data)
    return [x509.load_der_x509_certificate(data)]


@sensitive_variables("passphrase", "key_data")
def _load_credentials() -> tuple[x509.Certificate, rsa.RSAPrivateKey | object, list[x509.Certificate], str]:
    """The configured certificate, its private key, chain certificates and the source kind."""
    passphrase = _passphrase()
    p12 = _p12_path()
    chain = [cert for name in settings.CITYHALL_SIGNING_CHAIN_FILES for cert in _load_certificates(Path(name))]
    try:
        if p12 is not None:
            key, cert, extra = pkcs12.load_key_and_certificates(p12.read_bytes(), passphrase)
            if key is None or cert is None:
                raise ImproperlyConfigured(f"PKCS#12 ファイル {p12} に秘密鍵または証明書がありません。")
            return cert, key, [*extra, *chain], "pkcs12"
        key_file = Path(settings.CITYHALL_SIGNING_KEY_FILE)
        cert_file = Path(settings.CITYHALL_SIGNING_CERT_FILE)
        key_data = key_file.read_bytes()
        if pem.detect(key_data):
            key = serialization.load_pem_private_key(key_data, passphrase)
        else:
            key = serialization.load_der_private_key(key_data, passphrase)
        certs = _load_certificates(cert_file)
        return certs[0], key, [*certs[1:], *chain], "pem"
    except FileNotFoundError as exc:
        raise ImproperlyConfigured(
            f"署名用の証明書または秘密鍵のファイル {exc.filename} がありません。"
            " manage.py ensure_city_certificate を実行するか、CITYHALL_SIGNING_* を設定してください。"
        ) from exc
    except (ValueError, TypeError) as exc:
        raise ImproperlyConfigured(
            f"署名用の証明書または秘密鍵を読み込めません（パスフレーズまたは形式を確認してください）: {exc}"
        ) from exc


class _PreloadedKeySigner(SimpleSigner):
    """A ``SimpleSigner`` that signs with an already loaded key.

    pyHanko's own ``sign_raw`` parses the private key again for every
    signature (twice per PDF), and parsing a 3072-bit RSA key with its
    consistency checks takes about half a second.
    """

    def __init__(self, *, private_key: object, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._private_key = private_key

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        mechanism = self.get_signature_mechanism_for_digest(digest_algorithm).signature_algo
        hash_algorithm = get_pyca_cryptography_hash(digest_algorithm)
        key = self._private_key
        if mechanism == "rsassa_pkcs1v15" and isinstance(key, rsa.RSAPrivateKey):
            return key.sign(data, PKCS1v15(), hash_algorithm)
        if mechanism == "ecdsa" and isinstance(key, ec.EllipticCurvePrivateKey):
            return key.sign(data, ec.ECDSA(hash_algorithm))
        return bytes(super().sign_raw(data, digest_algorithm))


def _files_state() -> tuple[object, ...]:
    """What the loaded signer depends on: configured paths, their mtimes, a digest of the passphrase."""
    p12 = _p12_path()
    paths: list[str | Path] = (
        [p12] if p12 else [settings.CITYHALL_SIGNING_KEY_FILE, settings.CITYHALL_SIGNING_CERT_FILE]
    )
    paths += list(settings.CITYHALL_SIGNING_CHAIN_FILES)
    state: list[object] = [hashlib.sha256(_passphrase() or b"").hexdigest()]
    for path in paths:
        try:
            stat = Path(path).stat()
            state.append((str(path), stat.st_mtime_ns, stat.st_size))
        except OSError:
            state.append((str(path), None))
    return tuple(state)


def load_signer() -> SimpleSigner:
    """A pyHanko signer holding the city's configured key and certificate (cached while the files stay)."""
    return _cached_signer(_files_state())


@functools.lru_cache(maxsize=4)
def _cached_signer(_state: tuple[object, ...]) -> SimpleSigner:
    cert, key, chain, _source = _load_credentials()
    registry = SimpleCertificateStore()
    registry.register_multiple([translate_pyca_cryptography_cert_to_asn1(c) for c in chain])
    return _PreloadedKeySigner(
        private_key=key,
        signing_cert=translate_pyca_cryptography_cert_to_asn1(cert),
        signing_key=translate_pyca_cryptography_key_to_asn1(key),
        cert_registry=registry,
    )


def city_certificate() -> x509.Certificate | None:
    """The city's signing certificate, or ``None`` when none is configured or readable."""
    p12 = _p12_path()
    try:
        if p12 is not None:
            _key, cert, _extra = pkcs12.load_key_and_certificates(p12.read_bytes(), _passphrase())
            return cert
        return _load_certificates(Path(settings.CITYHALL_SIGNING_CERT_FILE))[0]
    except (OSError, ValueError):
        return None


def trust_roots() -> list[asn1_x509.Certificate]:
    """Certificates a signature may chain to: the city's own and ``CITYHALL_SIGNING_TRUST_ROOTS``."""
    roots: list[x509.Certificate] = []
    own = city_certificate()
    if own is not None:
        roots.append(own)
    for name in settings.CITYHALL_SIGNING_TRUST_ROOTS:
        roots.extend(_load_certificates(Path(name)))
    return [translate_pyca_cryptography_cert_to_asn1(cert) for cert in roots]


def _result(cert: x509.Certificate, *, created: bool, source: str) -> EnsureResult:
    return EnsureResult(
        created=created,
        source=source,
        subject=cert.subject.rfc4514_string(),
        not_after=cert.not_valid_after_utc,
        sha256_fingerprint=cert.fingerprint(hashes.SHA256()).hex(":").upper(),
    )


def _write_private(path: Path, data: bytes) -> None:
    """Write ``data`` to a new file readable by the owner only."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)


def ensure_city_certificate(*, common_name: str | None = None, organization: str | None = None) -> EnsureResult:
    """Make the self-signed city certificate and key unless a certificate is already configured.

    Idempotent: existing files (or a configured PKCS#12) are loaded and
    described, never replaced. A key without its certificate, or the reverse,
    is refused rather than overwritten.
    """
    if _p12_path() is not None:
        cert, _key, _chain, source = _load_credentials()
        return _result(cert, created=False, source=source)
    key_file = Path(settings.CITYHALL_SIGNING_KEY_FILE)
    cert_file = Path(settings.CITYHALL_SIGNING_CERT_FILE)
    if key_file.exists() and cert_file.exists():
        cert, _key, _chain, source = _load_credentials()
        return _result(cert, created=False, source=source)
    if key_file.exists() or cert_file.exists():
        present = key_file if key_file.exists() else cert_file
        raise ImproperlyConfigured(
            f"{present} だけがあり、対になるファイルがありません。上書きはしません。"
            " 正しいファイルを置くか、両方を削除してから再実行してください。"
        )
    cert, key_pem = _self_signed(
        common_name or settings.CITYHALL_SIGNING_COMMON_NAME,
        organization or settings.CITYHALL_SIGNING_ORGANIZATION,
    )
    _write_private(key_file, key_pem)
    cert_file.parent.mkdir(parents=True, exist_ok=True)
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return _result(cert, created=True, source="pem")


@sensitive_variables("key")
def _self_signed(common_name: str, organization: str) -> tuple[x509.Certificate, bytes]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=KEY_BITS)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "JP"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=VALIDITY_DAYS))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    passphrase = _passphrase()
    encryption: serialization.KeySerializationEncryption = (
        serialization.BestAvailableEncryption(passphrase) if passphrase else serialization.NoEncryption()
    )
    key_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption)
    return cert, key_pem
