"""The city's signing certificate (公印の電子証明書): create, load and trust.

At install, :func:`ensure_city_certificate` makes the demo city's
certificate (CN 「みどり野市長」 or ``CITYHALL_SIGNING_COMMON_NAME``, ten
years) and its key under ``var/certs/``, issued by the demo city's own CA
(``cityhall.signing.authority``), which also holds the demo time-stamping
authority. A real certificate, e.g. an LGPKI office certificate, is
configured instead with ``CITYHALL_SIGNING_P12`` (PKCS#12) or
``CITYHALL_SIGNING_KEY_FILE`` / ``CITYHALL_SIGNING_CERT_FILE`` (PEM or DER),
its CA's certificates with ``CITYHALL_SIGNING_CHAIN_FILES`` and
``CITYHALL_SIGNING_TRUST_ROOTS``, its CRLs with ``CITYHALL_SIGNING_CRL_FILES``
(or fetched, ``CITYHALL_SIGNING_FETCH_REVOCATION``); the passphrase comes
from ``CITYHALL_SIGNING_PASSPHRASE``. A self-signed certificate made by an
earlier version stays valid: the city's own certificate is always trusted.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from asn1crypto import crl as asn1_crl
from asn1crypto import pem
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from cryptography.hazmat.primitives.serialization import pkcs12
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.views.decorators.debug import sensitive_variables
from pyhanko.keys.internal import translate_pyca_cryptography_cert_to_asn1, translate_pyca_cryptography_key_to_asn1
from pyhanko.sign.signers import SimpleSigner
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore
from pyhanko_certvalidator.util import get_pyca_cryptography_hash

from cityhall.signing import authority

VALIDITY_DAYS = 3653  # ten years


@dataclass(frozen=True)
class EnsureResult:
    """What :func:`ensure_city_certificate` found or did."""

    created: bool
    source: str  # "pem" or "pkcs12"
    subject: str
    not_after: datetime.datetime
    sha256_fingerprint: str
    issuer: str = ""
    tsa_subject: str = ""
    """The demo time-stamping authority's certificate, when ``CITYHALL_TSA_URL`` is ``local``."""
    tsa_not_after: datetime.datetime | None = None


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
    """Certificates a signature or timestamp may chain to: the city's own, the demo CA and ``…_TRUST_ROOTS``."""
    roots: list[x509.Certificate] = []
    own = city_certificate()
    if own is not None:
        roots.append(own)
    demo = authority.demo_ca_certificate()
    if demo is not None:
        roots.append(demo)
    for name in settings.CITYHALL_SIGNING_TRUST_ROOTS:
        roots.extend(_load_certificates(Path(name)))
    return [translate_pyca_cryptography_cert_to_asn1(cert) for cert in roots]


def chain_certificates() -> list[asn1_x509.Certificate]:
    """Intermediate certificates configured for the city's chain (``CITYHALL_SIGNING_CHAIN_FILES``)."""
    found = [cert for name in settings.CITYHALL_SIGNING_CHAIN_FILES for cert in _load_certificates(Path(name))]
    return [translate_pyca_cryptography_cert_to_asn1(cert) for cert in found]


def revocation_lists(at: datetime.datetime | None = None) -> list[asn1_crl.CertificateList]:
    """CRLs known without fetching: ``CITYHALL_SIGNING_CRL_FILES`` and the demo CA's, fresh at ``at``."""
    found: list[asn1_crl.CertificateList] = []
    for name in settings.CITYHALL_SIGNING_CRL_FILES:
        data = Path(name).read_bytes()
        ders = [der for _kind, _headers, der in pem.unarmor(data, multiple=True)] if pem.detect(data) else [data]
        found.extend(asn1_crl.CertificateList.load(der) for der in ders)
    demo = authority.demo_crl(at)
    if demo is not None:
        found.append(asn1_crl.CertificateList.load(demo))
    return found


def validation_context(*, moment: datetime.datetime | None = None) -> ValidationContext:
    """What signing and archiving validate certificates against (trust anchors, chain, CRLs; revocation soft-fail).

    Fetching CRLs and OCSP responses over the network happens only with
    ``CITYHALL_SIGNING_FETCH_REVOCATION`` (an LGPKI or commercial CA's
    distribution points); a certificate whose status cannot be learnt is
    still used (soft-fail), and what was learnt is embedded (DSS).
    """
    return ValidationContext(
        trust_roots=trust_roots(),
        other_certs=chain_certificates(),
        crls=revocation_lists(moment),
        moment=moment,
        allow_fetching=bool(settings.CITYHALL_SIGNING_FETCH_REVOCATION),
        revocation_mode="soft-fail",
    )


def _result(cert: x509.Certificate, *, created: bool, source: str) -> EnsureResult:
    tsa = authority.demo_authority() if settings.CITYHALL_TSA_URL == "local" else None
    return EnsureResult(
        created=created,
        source=source,
        subject=cert.subject.rfc4514_string(),
        not_after=cert.not_valid_after_utc,
        sha256_fingerprint=cert.fingerprint(hashes.SHA256()).hex(":").upper(),
        issuer=cert.issuer.rfc4514_string(),
        tsa_subject=tsa.tsa_cert.subject.rfc4514_string() if tsa else "",
        tsa_not_after=tsa.tsa_cert.not_valid_after_utc if tsa else None,
    )


def ensure_city_certificate(*, common_name: str | None = None, organization: str | None = None) -> EnsureResult:
    """Make the demo city's certificate and key, issued by the demo CA, unless one is already configured.

    Idempotent: existing files (or a configured PKCS#12) are loaded and
    described, never replaced. A key without its certificate, or the reverse,
    is refused rather than overwritten. With ``CITYHALL_TSA_URL`` ``local``
    the demo CA and its time-stamping authority are made too (or the TSA's
    certificate renewed when it nears its end).
    """
    if settings.CITYHALL_TSA_URL == "local":
        authority.ensure_demo_authority()
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
    demo = authority.ensure_demo_authority()
    cert, key = authority.issue_city_certificate(
        demo,
        common_name or settings.CITYHALL_SIGNING_COMMON_NAME,
        organization or settings.CITYHALL_SIGNING_ORGANIZATION,
        VALIDITY_DAYS,
    )
    authority.write_private(key_file, authority.key_pem(key))
    cert_file.parent.mkdir(parents=True, exist_ok=True)
    # The certificate, then its issuer: the chain travels with it into every signature.
    pem_chain = [c.public_bytes(serialization.Encoding.PEM) for c in (cert, demo.ca_cert)]
    cert_file.write_bytes(b"".join(pem_chain))
    return _result(cert, created=True, source="pem")
