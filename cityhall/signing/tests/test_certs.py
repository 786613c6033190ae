import stat

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command

from cityhall.signing.certs import ensure_city_certificate
from cityhall.signing.sign import sign_pdf
from cityhall.signing.verify import verify_pdf


@pytest.fixture
def fresh_paths(settings, tmp_path, city_cert_files):
    settings.CITYHALL_SIGNING_DEMO_DIR = city_cert_files.demo_dir  # the session's demo CA: one key less to make
    settings.CITYHALL_TSA_URL = "local"
    settings.CITYHALL_SIGNING_KEY_FILE = tmp_path / "certs" / "key.pem"
    settings.CITYHALL_SIGNING_CERT_FILE = tmp_path / "certs" / "cert.pem"
    settings.CITYHALL_SIGNING_P12 = ""
    settings.CITYHALL_SIGNING_PASSPHRASE = ""
    settings.CITYHALL_SIGNING_CHAIN_FILES = []
    settings.CITYHALL_SIGNING_TRUST_ROOTS = []
    settings.CITYHALL_SIGNING_COMMON_NAME = "みどり野市長"
    settings.CITYHALL_SIGNING_ORGANIZATION = "みどり野市"
    return settings


def test_command_is_idempotent(fresh_paths, capsys):
    call_command("ensure_city_certificate")
    first = capsys.readouterr().out
    assert "作成しました" in first
    key_bytes = fresh_paths.CITYHALL_SIGNING_KEY_FILE.read_bytes()
    cert_bytes = fresh_paths.CITYHALL_SIGNING_CERT_FILE.read_bytes()

    call_command("ensure_city_certificate")
    second = capsys.readouterr().out
    assert "既に設定されています" in second
    assert fresh_paths.CITYHALL_SIGNING_KEY_FILE.read_bytes() == key_bytes
    assert fresh_paths.CITYHALL_SIGNING_CERT_FILE.read_bytes() == cert_bytes
    fingerprint = first.split("SHA-256 指紋: ")[1].strip()
    assert fingerprint in second


def test_certificate_content_and_key_permissions(fresh_paths):
    result = ensure_city_certificate()
    assert result.created and result.source == "pem"
    cert = x509.load_pem_x509_certificate(fresh_paths.CITYHALL_SIGNING_CERT_FILE.read_bytes())
    assert cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == "みどり野市長"
    assert cert.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)[0].value == "みどり野市"
    lifetime = cert.not_valid_after_utc - cert.not_valid_before_utc
    assert 3650 <= lifetime.days <= 3660
    usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.digital_signature and usage.content_commitment
    mode = stat.S_IMODE(fresh_paths.CITYHALL_SIGNING_KEY_FILE.stat().st_mode)
    assert mode == 0o600


def test_common_name_option(fresh_paths, capsys):
    call_command("ensure_city_certificate", "--common-name", "さくら町長", "--organization", "さくら町")
    assert "CN=さくら町長" in capsys.readouterr().out


def test_a_lone_key_is_not_overwritten(fresh_paths):
    key_file = fresh_paths.CITYHALL_SIGNING_KEY_FILE
    key_file.parent.mkdir(parents=True)
    key_file.write_bytes(b"precious")
    with pytest.raises(CommandError, match="上書きはしません"):
        call_command("ensure_city_certificate")
    assert key_file.read_bytes() == b"precious"


def test_passphrase_protects_the_generated_key(fresh_paths, sheet_pdf):
    fresh_paths.CITYHALL_SIGNING_PASSPHRASE = "correct horse battery"
    ensure_city_certificate()
    assert b"ENCRYPTED" in fresh_paths.CITYHALL_SIGNING_KEY_FILE.read_bytes()
    assert verify_pdf(sign_pdf(sheet_pdf, reason="決裁", location="市役所")).trusted
    fresh_paths.CITYHALL_SIGNING_PASSPHRASE = "wrong"
    with pytest.raises(ImproperlyConfigured, match="パスフレーズ"):
        sign_pdf(sheet_pdf, reason="決裁", location="市役所")


def test_missing_certificate_gives_a_japanese_hint(fresh_paths, sheet_pdf):
    with pytest.raises(ImproperlyConfigured, match="ensure_city_certificate"):
        sign_pdf(sheet_pdf, reason="決裁", location="市役所")


def test_pkcs12_office_certificate_can_be_configured(fresh_paths, stranger_cert_files, sheet_pdf, tmp_path, capsys):
    """A real office certificate (e.g. LGPKI) arrives as PKCS#12 with a passphrase."""
    key = serialization.load_pem_private_key(stranger_cert_files.key.read_bytes(), None)
    assert isinstance(key, rsa.RSAPrivateKey)
    cert = x509.load_pem_x509_certificate(stranger_cert_files.cert.read_bytes())
    p12 = tmp_path / "office.p12"
    p12.write_bytes(
        pkcs12.serialize_key_and_certificates(
            b"office", key, cert, None, serialization.BestAvailableEncryption(b"s3cret-pass")
        )
    )
    fresh_paths.CITYHALL_SIGNING_P12 = str(p12)
    fresh_paths.CITYHALL_SIGNING_PASSPHRASE = "s3cret-pass"
    call_command("ensure_city_certificate")
    out = capsys.readouterr().out
    assert "PKCS#12" in out and "どこかの誰か" in out
    assert not fresh_paths.CITYHALL_SIGNING_KEY_FILE.exists()  # nothing generated
    report = verify_pdf(sign_pdf(sheet_pdf, reason="決裁", location="市役所"))
    assert report.intact and report.trusted and report.signer == "どこかの誰か"
    assert cert.fingerprint(hashes.SHA256()).hex(":").upper() in out


def test_the_backup_names_the_demo_authority_files(settings):
    from cityhall.signing.authority import DEMO_FILE_NAMES

    assert [p.name for p in settings.CITYHALL_SIGNING_DEMO_FILES] == list(DEMO_FILE_NAMES)
