"""The demo city's own certification authority (デモ認証局) and time-stamping authority (デモ時刻認証局).

A city signs with a certificate a CA issued (LGPKI's 職責証明書, or a
commercial CA's) and timestamps at a TSA it contracts with; their trust
anchors are configured (``docs/operations.md``). The demo and the tests have
neither, so :func:`ensure_demo_authority` makes, once, under
``CITYHALL_SIGNING_DEMO_DIR``:

- a root CA 「<市> デモ認証局」 (twenty years), the trust anchor of the demo;
- the TSA certificate 「<市> デモ時刻認証局」 issued by it (``CITYHALL_SIGNING_DEMO_TSA_DAYS``, five years,
  ``timeStamping`` as its only, critical, extended key usage, RFC 3161 §2.3),
  issued again by the same function when it comes within
  ``CITYHALL_TIMESTAMP_RENEW_MARGIN_DAYS`` (plus a month) of its end, as a
  real TSA renews its certificate: a new archive timestamp only extends a
  record's proof when its certificate ends later than the last one's;
- on request, the city's signing certificate (:func:`issue_city_certificate`)
  and a CRL (:func:`demo_crl`, a week's validity, made fresh as a CA publishes
  one), so signing can embed revocation data (PAdES B-LT) with nothing fetched.

Keys are RSA 3072 in PKCS#8 files readable by the owner only. The demo CA's
and TSA's are not encrypted (the worker's TSA must start unattended, and they
are a demo's, trusted nowhere else); the city's is, with
``CITYHALL_SIGNING_PASSPHRASE`` when it is set.
"""

from __future__ import annotations

import datetime
import functools
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from django.conf import settings
from django.views.decorators.debug import sensitive_variables

KEY_BITS = 3072
CA_VALIDITY_DAYS = 7305  # twenty years
CRL_VALIDITY = datetime.timedelta(days=7)
# The file names in CITYHALL_SIGNING_DEMO_DIR (settings.CITYHALL_SIGNING_DEMO_FILES names them for the backup).
_CA_KEY, _CA_CERT, _TSA_KEY, _TSA_CERT = "ca-key.pem", "ca-cert.pem", "tsa-key.pem", "tsa-cert.pem"
DEMO_FILE_NAMES = (_CA_CERT, _CA_KEY, _TSA_CERT, _TSA_KEY)


@dataclass(frozen=True)
class DemoAuthority:
    """The demo CA and its current TSA certificate, with their keys."""

    ca_cert: x509.Certificate
    ca_key: rsa.RSAPrivateKey
    tsa_cert: x509.Certificate
    tsa_key: rsa.RSAPrivateKey


def _folder() -> Path:
    return Path(settings.CITYHALL_SIGNING_DEMO_DIR)


def _passphrase() -> bytes | None:
    value = getattr(settings, "CITYHALL_SIGNING_PASSPHRASE", "") or ""
    return value.encode() if value else None


def _now() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC)


def new_key() -> rsa.RSAPrivateKey:
    """A fresh RSA key of the size the city's certificates use."""
    return rsa.generate_private_key(public_exponent=65537, key_size=KEY_BITS)


def name(common_name: str, organization: str) -> x509.Name:
    """A Japanese subject name: C=JP, O=<organization>, CN=<common name>."""
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "JP"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _key_usage(*, signing: bool = False, certifying: bool = False) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=signing,
        content_commitment=signing,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=certifying,
        crl_sign=certifying,
        encipher_only=False,
        decipher_only=False,
    )


def _builder(subject: x509.Name, issuer: x509.Name, key: rsa.RSAPrivateKey, days: int) -> x509.CertificateBuilder:
    now = _now()
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=days))
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
    )


def _issued_by(
    builder: x509.CertificateBuilder, ca_cert: x509.Certificate, ca_key: rsa.RSAPrivateKey
) -> x509.CertificateBuilder:
    url = x509.UniformResourceIdentifier(settings.CITYHALL_SIGNING_DEMO_CRL_URL)
    where = x509.DistributionPoint([url], None, None, None)
    return (
        builder.add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
        .add_extension(x509.CRLDistributionPoints([where]), critical=False)
    )


def issue_city_certificate(
    authority: DemoAuthority, common_name: str, organization: str, days: int
) -> tuple[x509.Certificate, rsa.RSAPrivateKey]:
    """The city's signing certificate issued by the demo CA (digitalSignature and nonRepudiation)."""
    key = new_key()
    builder = _builder(name(common_name, organization), authority.ca_cert.subject, key, days)
    builder = _issued_by(builder, authority.ca_cert, authority.ca_key).add_extension(
        _key_usage(signing=True), critical=True
    )
    return builder.sign(authority.ca_key, hashes.SHA256()), key


def _issue_tsa(ca_cert: x509.Certificate, ca_key: rsa.RSAPrivateKey) -> tuple[x509.Certificate, rsa.RSAPrivateKey]:
    key = new_key()
    organization = settings.CITYHALL_SIGNING_ORGANIZATION
    days = settings.CITYHALL_SIGNING_DEMO_TSA_DAYS
    builder = _builder(name(f"{organization} デモ時刻認証局", organization), ca_cert.subject, key, days)
    builder = (
        _issued_by(builder, ca_cert, ca_key)
        .add_extension(x509.KeyUsage(True, True, False, False, False, False, False, False, False), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
    )
    return builder.sign(ca_key, hashes.SHA256()), key


def _issue_ca() -> tuple[x509.Certificate, rsa.RSAPrivateKey]:
    key = new_key()
    organization = settings.CITYHALL_SIGNING_ORGANIZATION
    subject = name(f"{organization} デモ認証局", organization)
    builder = (
        _builder(subject, subject, key, CA_VALIDITY_DAYS)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_key_usage(certifying=True), critical=True)
    )
    return builder.sign(key, hashes.SHA256()), key


def write_private(path: Path, data: bytes) -> None:
    """Write ``data`` to a new file readable by the owner only."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)


@sensitive_variables("key", "passphrase")
def key_pem(key: rsa.RSAPrivateKey, *, encrypted: bool = True) -> bytes:
    """The key as PKCS#8 PEM, encrypted with ``CITYHALL_SIGNING_PASSPHRASE`` when it is set and asked for."""
    passphrase = _passphrase() if encrypted else None
    encryption: serialization.KeySerializationEncryption = (
        serialization.BestAvailableEncryption(passphrase) if passphrase else serialization.NoEncryption()
    )
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption)


def _save(cert_name: str, key_name: str, cert: x509.Certificate, key: rsa.RSAPrivateKey) -> None:
    folder = _folder()
    key_path = folder / key_name
    key_path.unlink(missing_ok=True)
    write_private(key_path, key_pem(key, encrypted=False))
    (folder / cert_name).write_bytes(cert.public_bytes(serialization.Encoding.PEM))


def _load(cert_name: str, key_name: str) -> tuple[x509.Certificate, rsa.RSAPrivateKey] | None:
    folder = _folder()
    try:
        cert = x509.load_pem_x509_certificate((folder / cert_name).read_bytes())
        key = serialization.load_pem_private_key((folder / key_name).read_bytes(), None)
    except FileNotFoundError:
        return None
    if not isinstance(key, rsa.RSAPrivateKey):
        raise ValueError(f"{folder / key_name} は RSA の秘密鍵ではありません。")
    return cert, key


def _rotation_margin() -> datetime.timedelta:
    return datetime.timedelta(days=settings.CITYHALL_TIMESTAMP_RENEW_MARGIN_DAYS + 30)


def ensure_demo_authority() -> DemoAuthority:
    """Load the demo CA and TSA, making what is missing and a new TSA certificate when it nears its end."""
    ca = _load(_CA_CERT, _CA_KEY)
    if ca is None:
        ca = _issue_ca()
        _save(_CA_CERT, _CA_KEY, *ca)
    tsa = _load(_TSA_CERT, _TSA_KEY)
    if tsa is None or tsa[0].not_valid_after_utc - _rotation_margin() <= _now():
        tsa = _issue_tsa(*ca)
        _save(_TSA_CERT, _TSA_KEY, *tsa)
    return DemoAuthority(ca_cert=ca[0], ca_key=ca[1], tsa_cert=tsa[0], tsa_key=tsa[1])


def _files_state() -> tuple[object, ...]:
    state: list[object] = [str(_folder())]
    for file_name in (_CA_CERT, _CA_KEY, _TSA_CERT, _TSA_KEY):
        try:
            stat = (_folder() / file_name).stat()
            state.append((stat.st_mtime_ns, stat.st_size))
        except OSError:
            state.append(None)
    return tuple(state)


def demo_authority() -> DemoAuthority | None:
    """The demo CA and TSA when they exist (cached while their files stay), else ``None``; makes nothing."""
    return _cached_authority(_files_state())


@functools.lru_cache(maxsize=4)
def _cached_authority(_state: tuple[object, ...]) -> DemoAuthority | None:
    ca, tsa = _load(_CA_CERT, _CA_KEY), _load(_TSA_CERT, _TSA_KEY)
    if ca is None or tsa is None:
        return None
    return DemoAuthority(ca_cert=ca[0], ca_key=ca[1], tsa_cert=tsa[0], tsa_key=tsa[1])


def demo_ca_certificate() -> x509.Certificate | None:
    """The demo root CA's certificate, a trust anchor of the demo, or ``None``."""
    try:
        return x509.load_pem_x509_certificate((_folder() / _CA_CERT).read_bytes())
    except (OSError, ValueError):
        return None


def demo_crl(at: datetime.datetime | None = None) -> bytes | None:
    """A CRL of the demo CA (DER) valid from ``at`` (default now) for a week; ``None`` without the demo CA."""
    state = _files_state()
    if _cached_authority(state) is None:
        return None
    moment = (at or _now()).replace(minute=0, second=0, microsecond=0)
    return _crl(state, moment)


@functools.lru_cache(maxsize=8)
def _crl(state: tuple[object, ...], moment: datetime.datetime) -> bytes:
    authority = _cached_authority(state)
    assert authority is not None
    crl = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(authority.ca_cert.subject)
        .last_update(moment - datetime.timedelta(minutes=1))
        .next_update(moment + CRL_VALIDITY)
        .add_extension(x509.CRLNumber(int(moment.timestamp()) // 3600), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(authority.ca_key.public_key()), False)
        .sign(authority.ca_key, hashes.SHA256())
    )
    return crl.public_bytes(serialization.Encoding.DER)
