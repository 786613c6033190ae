import os
import subprocess
import sys
from io import BytesIO
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import CommandError, call_command
from pyhanko.pdf_utils.generic import StreamObject
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

from cityhall.core.errors import ValidationFailed
from cityhall.signing.sign import sign_pdf
from cityhall.signing.verify import verify_pdf

REPO = Path(django_settings.BASE_DIR)


def _sign(pdf: bytes, field_name: str = "CitySignature") -> bytes:
    return sign_pdf(pdf, reason="決裁", location="みどり野市役所", field_name=field_name)


def test_round_trip_is_intact_trusted_and_names_the_signer(city_signing, sheet_pdf):
    signed = _sign(sheet_pdf)
    assert signed.startswith(sheet_pdf)  # an incremental update: the original bytes are kept
    report = verify_pdf(signed)
    assert report.is_pdf and report.signed and report.intact and report.trusted
    assert report.signer == "みどり野市長"
    assert report.signing_time is not None
    assert "みどり野市長 が署名" in report.message
    assert "改変されていません" in report.message
    sig = report.signatures[0]
    assert sig.field_name == "CitySignature" and sig.covers_whole_file
    assert "O=みどり野市" in sig.signer_subject


def test_signature_is_pades(city_signing, sheet_pdf):
    signed = _sign(sheet_pdf)
    assert b"/ETSI.CAdES.detached" in signed


@pytest.mark.parametrize("where", ["content", "metadata"])
def test_one_changed_byte_is_detected(city_signing, sheet_pdf, where):
    signed = bytearray(_sign(sheet_pdf))
    metadata = signed.index(b"pdfaid:part")  # the XMP metadata (PDF/A: no document information dictionary)
    position = len(sheet_pdf) // 2 if where == "content" else metadata
    signed[position] ^= 0x01
    report = verify_pdf(bytes(signed))
    assert report.signed
    assert not report.intact
    assert "改変" in report.message


def test_update_after_signing_that_changes_a_page_is_not_intact(city_signing, sheet_pdf):
    signed = _sign(sheet_pdf)
    writer = IncrementalPdfFileWriter(BytesIO(signed))
    forged = writer.add_object(StreamObject(stream_data=b"BT /F1 24 Tf 100 100 Td (FORGED) Tj ET"))
    writer.add_stream_to_page(0, forged)
    out = BytesIO()
    writer.write(out)
    report = verify_pdf(out.getvalue())
    assert report.signed
    assert not report.intact
    assert not report.signatures[0].covers_whole_file


def test_second_signature_is_an_allowed_update(city_signing, sheet_pdf):
    twice = _sign(_sign(sheet_pdf), field_name="SecondSignature")
    report = verify_pdf(twice)
    assert report.intact and report.trusted
    assert [s.field_name for s in report.signatures] == ["CitySignature", "SecondSignature"]
    assert not report.signatures[0].covers_whole_file
    assert report.signatures[1].covers_whole_file


def test_signature_by_an_unknown_certificate_is_intact_but_not_trusted(
    settings, city_signing, stranger_cert_files, sheet_pdf
):
    settings.CITYHALL_SIGNING_KEY_FILE = stranger_cert_files.key
    settings.CITYHALL_SIGNING_CERT_FILE = stranger_cert_files.cert
    signed = _sign(sheet_pdf)
    settings.CITYHALL_SIGNING_KEY_FILE = city_signing.key
    settings.CITYHALL_SIGNING_CERT_FILE = city_signing.cert
    report = verify_pdf(signed)
    assert report.intact and not report.trusted
    assert report.signer == "どこかの誰か"
    assert "連鎖していません" in report.message
    # Configured as an extra trust root, it becomes trusted.
    settings.CITYHALL_SIGNING_TRUST_ROOTS = [str(stranger_cert_files.cert)]
    assert verify_pdf(signed).trusted


def test_unsigned_pdf(city_signing, sheet_pdf):
    report = verify_pdf(sheet_pdf)
    assert report.is_pdf and not report.signed and not report.intact
    assert report.message == "この PDF には電子署名がありません。"


def test_not_a_pdf(city_signing):
    report = verify_pdf("これはテキストです".encode())
    assert not report.is_pdf and not report.intact
    assert report.message == "PDF ファイルではありません。"


def test_truncated_pdf_is_not_intact(city_signing, sheet_pdf):
    signed = _sign(sheet_pdf)
    report = verify_pdf(signed[: len(signed) - 200])
    assert not report.intact


def test_signing_something_that_is_not_a_pdf_is_refused(city_signing):
    with pytest.raises(ValidationFailed, match="PDF ではありません"):
        _sign(b"GIF89a not a pdf")


def test_command_exit_codes(city_signing, sheet_pdf, tmp_path, capsys):
    signed = _sign(sheet_pdf)
    good = tmp_path / "good.pdf"
    good.write_bytes(signed)
    call_command("verify_pdf", str(good))
    assert "改変されていません" in capsys.readouterr().out

    bad = tmp_path / "bad.pdf"
    tampered = bytearray(signed)
    tampered[len(sheet_pdf) // 3] ^= 0x01
    bad.write_bytes(bytes(tampered))
    for path in (bad, tmp_path / "missing.pdf"):
        with pytest.raises(CommandError) as failure:
            call_command("verify_pdf", str(path))
        assert failure.value.returncode != 0


def test_command_runs_as_a_process_with_exit_status(city_signing, sheet_pdf, tmp_path):
    signed = _sign(sheet_pdf)
    (tmp_path / "good.pdf").write_bytes(signed)
    (tmp_path / "text.pdf").write_bytes(b"not a pdf at all")
    env = {
        **os.environ,
        "CITYHALL_SIGNING_KEY_FILE": str(city_signing.key),
        "CITYHALL_SIGNING_CERT_FILE": str(city_signing.cert),
        "CITYHALL_SIGNING_DEMO_DIR": str(city_signing.demo_dir),
    }

    def run(name: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "manage.py", "verify_pdf", str(tmp_path / name)],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )

    good = run("good.pdf")
    assert good.returncode == 0, good.stderr
    assert "信頼: 信頼済みの証明書" in good.stdout
    not_pdf = run("text.pdf")
    assert not_pdf.returncode == 1
    assert "PDF ファイルではありません" in not_pdf.stdout
