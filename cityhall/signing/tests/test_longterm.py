"""Signatures for the whole retention: PAdES B-LTA, a TSA that is down, archive timestamps renewed."""

import datetime as dt
import logging
import shutil

import pytest
from django.core.management import call_command

from cityhall.signing.authority import demo_authority, ensure_demo_authority
from cityhall.signing.longterm import describe, extend
from cityhall.signing.pdfa import pdfa_problems
from cityhall.signing.sign import sign_pdf
from cityhall.signing.tsa import TimestampUnavailable
from cityhall.signing.verify import verify_pdf

YEAR = dt.timedelta(days=365)


def _sign(pdf: bytes, *, long_term: bool = True) -> bytes:
    return sign_pdf(pdf, reason="決裁", location="みどり野市役所", long_term=long_term)


def _years_from_now(years: float) -> dt.datetime:
    return dt.datetime.now(dt.UTC) + years * YEAR


@pytest.fixture
def own_tsa(settings, city_signing, tmp_path):
    """A copy of the session's demo CA and TSA that a test may renew without touching the others'."""
    folder = tmp_path / "demo"
    shutil.copytree(city_signing.demo_dir, folder)
    settings.CITYHALL_SIGNING_DEMO_DIR = folder
    return folder


def test_long_term_signature_is_b_lta_pdfa_and_verifies_with_its_timestamps(city_signing, sheet_pdf, tmp_path, capsys):
    signed = _sign(sheet_pdf)
    assert signed.startswith(sheet_pdf)
    assert pdfa_problems(signed) == []  # the signature, DSS and document timestamp keep PDF/A-2b
    report = verify_pdf(signed)
    assert report.intact and report.trusted, report.message
    assert report.level == "B-LTA"
    authority = demo_authority()
    assert authority is not None
    tsa = authority.tsa_cert
    assert [(ts.kind, ts.tsa, ts.trusted) for ts in report.timestamps] == [
        ("signature", "みどり野市 デモ時刻認証局", True),
        ("document", "みどり野市 デモ時刻認証局", True),
    ]
    assert report.proof_until == tsa.not_valid_after_utc.replace(microsecond=0)
    path = tmp_path / "sheet.pdf"
    path.write_bytes(signed)
    call_command("verify_pdf", str(path))
    out = capsys.readouterr().out
    assert "署名レベル: PAdES B-LTA" in out and "文書タイムスタンプ（有効）" in out
    assert "時刻認証局: みどり野市 デモ時刻認証局" in out and "完全性を証明できる期限: 令和" in out


def test_without_long_term_the_signature_is_b_t(city_signing, sheet_pdf):
    assert describe(_sign(sheet_pdf, long_term=False)).level == "B-T"


def test_a_tsa_that_is_down_still_signs_b_b_and_extend_brings_it_to_b_lta(settings, city_signing, sheet_pdf, caplog):
    settings.CITYHALL_TSA_URL = "http://127.0.0.1:9/tsa"  # nothing listens: refused at once
    settings.CITYHALL_TSA_RETRIES = 0
    with caplog.at_level(logging.WARNING, logger="cityhall.signing.sign"):
        signed = _sign(sheet_pdf)
    assert "タイムスタンプなし (B-B)" in caplog.text
    report = verify_pdf(signed)
    assert report.intact and report.trusted and report.level == "B-B" and report.timestamps == ()
    assert "署名者の証明書の有効期限" in "\n".join(report.lines())
    with pytest.raises(TimestampUnavailable):
        extend(signed, margin=YEAR)

    settings.CITYHALL_TSA_URL = "local"
    extended = extend(signed, margin=YEAR)
    assert extended is not None and extended.startswith(signed)
    report = verify_pdf(extended)
    assert report.intact and report.trusted and report.level == "B-LTA", report.message
    assert extend(extended, margin=YEAR) is None  # idempotent: nothing due for years


def test_renewal_carries_the_proof_past_the_first_tsa_certificate(settings, own_tsa, sheet_pdf):
    signed = _sign(sheet_pdf)
    first_end = describe(signed).proof_until
    late = verify_pdf(signed, at=_years_from_now(6))  # the TSA certificate ended after five years
    assert late.intact and not late.trusted
    assert "完全性を証明できる期限" in late.message and "過ぎています" in late.message
    with pytest.raises(TimestampUnavailable, match="証明書の更新"):
        extend(signed, margin=6 * YEAR)  # the same TSA certificate would prove nothing longer

    # The TSA renews its certificate, as a real one does before the end.
    settings.CITYHALL_SIGNING_DEMO_TSA_DAYS = 3653
    for name in ("tsa-cert.pem", "tsa-key.pem"):
        (own_tsa / name).unlink()
    ensure_demo_authority()
    renewed = extend(signed, margin=6 * YEAR)
    assert renewed is not None and renewed.startswith(signed)
    status = describe(renewed)
    assert [ts.kind for ts in status.timestamps] == ["signature", "document", "document"]
    assert status.proof_until is not None and first_end is not None
    assert status.proof_until > first_end + 4 * YEAR
    later = verify_pdf(renewed, at=_years_from_now(6))
    assert later.intact and later.trusted, later.message
    assert not verify_pdf(renewed, at=_years_from_now(11)).trusted
