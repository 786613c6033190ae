"""Verifying a signed PDF (署名検証): is it intact, who signed it, do we trust them.

A signature is *intact* when the signed hash matches, the CMS signature is
cryptographically valid, and it covers the whole file or is followed only by
allowed updates (further signatures, form filling, validation data). It is
*trusted* when the signer's certificate chains to the city's own certificate
or to one of ``CITYHALL_SIGNING_TRUST_ROOTS``.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from io import BytesIO

from asn1crypto import x509 as asn1_x509
from django.utils import timezone
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.errors import SignatureValidationError
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature
from pyhanko.sign.validation.settings import KeyUsageConstraints
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from cityhall.signing._loop import call_without_running_loop
from cityhall.signing.certs import trust_roots
from cityhall.signing.dates import long_date
from cityhall.signing.sign import SIGNER_KEY_USAGE, looks_like_pdf

_NAME_KEYS = {
    "common_name": "CN",
    "organizational_unit_name": "OU",
    "organization_name": "O",
    "locality_name": "L",
    "state_or_province_name": "ST",
    "country_name": "C",
}
_ALLOWED_AFTER_SIGNING = (ModificationLevel.NONE, ModificationLevel.LTA_UPDATES, ModificationLevel.FORM_FILLING)


@dataclass(frozen=True)
class SignatureReport:
    """The verdict on one signature in the PDF."""

    field_name: str
    signer: str
    signer_subject: str
    signing_time: datetime.datetime | None
    intact: bool
    trusted: bool
    covers_whole_file: bool


@dataclass(frozen=True)
class VerifyReport:
    """The verdict on a PDF (署名検証結果); ``message`` is a Japanese summary."""

    is_pdf: bool
    signed: bool
    intact: bool
    trusted: bool
    signer: str
    signing_time: datetime.datetime | None
    message: str
    signatures: tuple[SignatureReport, ...] = ()

    def lines(self) -> list[str]:
        """The report as Japanese lines, for the command line and the page."""
        lines = [self.message]
        for number, sig in enumerate(self.signatures, start=1):
            lines.append(f"署名 {number}（{sig.field_name}）")
            lines.append(f"  署名者: {sig.signer}（{sig.signer_subject}）")
            lines.append(f"  署名日時: {format_signing_time(sig.signing_time)}")
            lines.append(f"  完全性: {'改変なし' if sig.intact else '改変あり・検証不能'}")
            lines.append(f"  範囲: {'文書全体' if sig.covers_whole_file else '署名後に追記あり'}")
            if sig.intact:
                lines.append(f"  信頼: {'信頼済みの証明書' if sig.trusted else '信頼済みの証明書に連鎖しない'}")
            else:
                lines.append("  信頼: 判定しません（署名が有効ではありません）")
        return lines


def format_signing_time(moment: datetime.datetime | None) -> str:
    """A signing time in Japan time, e.g. 「令和8年11月26日 14:03」, or 「不明」."""
    if moment is None:
        return "不明"
    local = timezone.localtime(moment) if timezone.is_aware(moment) else moment
    return f"{long_date(local.date())} {local:%H:%M}"


def _failed(message: str, *, is_pdf: bool, signed: bool = False) -> VerifyReport:
    return VerifyReport(
        is_pdf=is_pdf, signed=signed, intact=False, trusted=False, signer="", signing_time=None, message=message
    )


def verify_pdf(pdf_bytes: bytes) -> VerifyReport:
    """Verify every signature in ``pdf_bytes`` and summarise the result in Japanese."""
    if not looks_like_pdf(pdf_bytes):
        return _failed("PDF ファイルではありません。", is_pdf=False)
    try:
        reader = PdfFileReader(BytesIO(pdf_bytes), strict=False)
        embedded = list(reader.embedded_signatures)
    except (PdfError, ValueError, KeyError, TypeError) as exc:
        return _failed(f"PDF を読み込めません。壊れているか、改変されています（{exc}）。", is_pdf=True)
    if not embedded:
        return _failed("この PDF には電子署名がありません。", is_pdf=True)
    roots = trust_roots()
    reports = tuple(_check(sig, roots) for sig in embedded)
    last = reports[-1]
    intact = all(r.intact for r in reports)
    trusted = all(r.trusted for r in reports)
    if not intact:
        message = "この PDF は署名の後に改変されているか、署名が壊れています。内容を信頼しないでください。"
    elif trusted:
        message = (
            f"この PDF は {last.signer} が署名したもので、署名の後に改変されていません"
            f"（署名日時: {format_signing_time(last.signing_time)}）。"
        )
    else:
        message = (
            f"この PDF は {last.signer} の署名の後に改変されていません。"
            "ただし、署名者の証明書は信頼済みの証明書に連鎖していません。"
        )
    return VerifyReport(
        is_pdf=True,
        signed=True,
        intact=intact,
        trusted=trusted,
        signer=last.signer,
        signing_time=last.signing_time,
        message=message,
        signatures=reports,
    )


def _check(sig: EmbeddedPdfSignature, roots: list[asn1_x509.Certificate]) -> SignatureReport:
    names = sig.signer_cert.subject.native
    subject = ", ".join(f"{_NAME_KEYS.get(key, key)}={value}" for key, value in names.items())
    signer = names.get("common_name") or subject
    context = ValidationContext(trust_roots=roots, allow_fetching=False, revocation_mode="soft-fail")
    try:
        status = call_without_running_loop(
            lambda: validate_pdf_signature(
                sig,
                signer_validation_context=context,
                key_usage_settings=KeyUsageConstraints(key_usage=SIGNER_KEY_USAGE),
            )
        )
    except (SignatureValidationError, PdfError, ValueError, KeyError) as exc:
        return SignatureReport(
            field_name=sig.field_name,
            signer=str(signer),
            signer_subject=f"{subject}（検証できません: {exc}）",
            signing_time=sig.self_reported_timestamp,
            intact=False,
            trusted=False,
            covers_whole_file=False,
        )
    whole = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    allowed_updates = (
        status.coverage == SignatureCoverageLevel.ENTIRE_REVISION
        and status.modification_level in _ALLOWED_AFTER_SIGNING
        and bool(status.docmdp_ok)
    )
    return SignatureReport(
        field_name=sig.field_name,
        signer=str(signer),
        signer_subject=subject,
        signing_time=status.signer_reported_dt,
        intact=bool(status.intact and status.valid and (whole or allowed_updates)),
        trusted=bool(roots) and bool(status.trusted),
        covers_whole_file=whole,
    )
