"""Verifying a signed PDF (署名検証): is it intact, who signed it, do we trust them, and for how long.

A signature or timestamp is *intact* when the signed hash matches, the CMS
signature is cryptographically valid, and it covers the whole file or is
followed only by allowed updates (further signatures, form filling,
validation data and document timestamps). It is *trusted* when its
certificate chains to the city's own certificate, the demo CA or one of
``CITYHALL_SIGNING_TRUST_ROOTS`` at the time that matters:

- a signature, at the time its first timestamp proves (the signature
  timestamp, else the first document timestamp after it; now without one);
- each document timestamp, at the time of the next one, which proves that
  it existed while its TSA certificate was valid; the last one, now.

That is the reasoning of PAdES B-LTA (ETSI EN 319 102-1 §5.6.3) in its
simple form, on pyHanko's validation of each signature at a given moment,
with the certificates and CRLs embedded in the PDF (DSS) and revocation in
soft-fail mode; it is not a full AdES validation report. The level, the
timestamps and the date up to which the PDF proves its integrity come from
``cityhall.signing.longterm``. A PDF signed B-B before timestamps existed
still verifies, reported as B-B.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from io import BytesIO

from asn1crypto import crl as asn1_crl
from asn1crypto import ocsp as asn1_ocsp
from asn1crypto import x509 as asn1_x509
from django.utils import timezone
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.validation import validate_pdf_signature, validate_pdf_timestamp
from pyhanko.sign.validation.errors import SignatureValidationError
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature
from pyhanko.sign.validation.settings import KeyUsageConstraints
from pyhanko.sign.validation.status import SignatureCoverageLevel, SignatureStatus
from pyhanko_certvalidator import ValidationContext

from cityhall.signing._loop import call_without_running_loop
from cityhall.signing.certs import chain_certificates, revocation_lists, trust_roots
from cityhall.signing.dates import long_date
from cityhall.signing.longterm import LongTermStatus, TimestampInfo, read_status
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
LEVEL_LABELS = {
    "B-B": "PAdES B-B（タイムスタンプなし）",
    "B-T": "PAdES B-T（タイムスタンプ付き）",
    "B-LT": "PAdES B-LT（検証情報付き）",
    "B-LTA": "PAdES B-LTA（長期署名・アーカイブタイムスタンプ付き）",
}
KIND_LABELS = {"signature": "署名タイムスタンプ", "document": "文書タイムスタンプ"}


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
    signer_not_after: datetime.datetime | None = None


@dataclass(frozen=True)
class TimestampReport:
    """One timestamp of the chain (タイムスタンプ): when, by which TSA, until when its certificate holds."""

    kind: str  # "signature" or "document"
    field_name: str
    time: datetime.datetime
    tsa: str
    tsa_not_after: datetime.datetime | None
    intact: bool
    trusted: bool


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
    level: str = ""
    """PAdES baseline level: B-B, B-T, B-LT or B-LTA."""
    timestamps: tuple[TimestampReport, ...] = ()
    proof_until: datetime.datetime | None = None
    """Up to when the PDF proves its integrity: the last timestamp's TSA certificate's end (B-B: the signer's)."""

    def lines(self) -> list[str]:
        """The report as Japanese lines, for the command line and the page."""
        lines = [self.message]
        if self.level:
            lines.append(f"署名レベル: {LEVEL_LABELS.get(self.level, self.level)}")
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
        if self.timestamps:
            lines.append("タイムスタンプ:")
        for number, ts in enumerate(self.timestamps, start=1):
            verdict = "有効" if ts.intact and ts.trusted else ("信頼できません" if ts.intact else "改変あり・検証不能")
            lines.append(f"  {number}. {format_signing_time(ts.time)} {KIND_LABELS.get(ts.kind, ts.kind)}（{verdict}）")
            lines.append(f"     時刻認証局: {ts.tsa}（証明書の有効期限: {_day(ts.tsa_not_after)}）")
        if self.proof_until is not None:
            basis = "最後のタイムスタンプの証明書の有効期限" if self.timestamps else "署名者の証明書の有効期限"
            lines.append(f"完全性を証明できる期限: {_day(self.proof_until)}（{basis}）")
        return lines


def _day(moment: datetime.datetime | None) -> str:
    return long_date(timezone.localtime(moment).date()) if moment is not None else "不明"


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


@dataclass(frozen=True)
class _Evidence:
    """What the validation contexts are made of: trust anchors and the PDF's embedded validation data."""

    roots: list[asn1_x509.Certificate]
    certs: list[asn1_x509.Certificate]
    crls: list[asn1_crl.CertificateList]
    ocsps: list[asn1_ocsp.OCSPResponse]
    now: datetime.datetime

    def context(self, moment: datetime.datetime | None) -> ValidationContext:
        """Validation at ``moment`` (past: with the embedded CRLs; now: with the CRLs known now)."""
        past = moment is not None and moment < self.now
        return ValidationContext(
            trust_roots=self.roots,
            other_certs=self.certs,
            crls=self.crls if past else revocation_lists(self.now),
            ocsps=self.ocsps if past else [],
            moment=moment if past else self.now,
            allow_fetching=False,
            revocation_mode="soft-fail",
        )


def _evidence(reader: PdfFileReader, now: datetime.datetime) -> _Evidence:
    certs, crls, ocsps = list(chain_certificates()), [], []
    dss = reader.root.get("/DSS")
    dss = dss.get_object() if dss is not None else None
    if dss is not None:
        certs += [asn1_x509.Certificate.load(ref.get_object().data) for ref in dss.get("/Certs", [])]
        crls = [asn1_crl.CertificateList.load(ref.get_object().data) for ref in dss.get("/CRLs", [])]
        ocsps = [asn1_ocsp.OCSPResponse.load(ref.get_object().data) for ref in dss.get("/OCSPs", [])]
    return _Evidence(roots=trust_roots(), certs=certs, crls=crls, ocsps=ocsps, now=now)


def verify_pdf(pdf_bytes: bytes, *, at: datetime.datetime | None = None) -> VerifyReport:
    """Verify every signature and timestamp in ``pdf_bytes`` as of ``at`` (default now); a Japanese summary."""
    if not looks_like_pdf(pdf_bytes):
        return _failed("PDF ファイルではありません。", is_pdf=False)
    try:
        reader = PdfFileReader(BytesIO(pdf_bytes), strict=False)
        regular = list(reader.embedded_regular_signatures)
        stamps = list(reader.embedded_timestamp_signatures)
        status = read_status(reader) if regular else None
        evidence = _evidence(reader, at or timezone.now())
    except (PdfError, ValueError, KeyError, TypeError) as exc:
        return _failed(f"PDF を読み込めません。壊れているか、改変されています（{exc}）。", is_pdf=True)
    if not regular or status is None:
        return _failed("この PDF には電子署名がありません。", is_pdf=True)
    documents = [ts for ts in status.timestamps if ts.kind == "document"]
    checked = [_check(sig, evidence, _proven_at(sig, status, documents)) for sig in regular]
    reports = tuple(report for report, _ts_ok in checked)
    tokens_ok = {report.field_name: ts_ok for report, ts_ok in checked}
    stamp_reports = _check_timestamps(status, stamps, documents, evidence, tokens_ok)
    return _report(reports, stamp_reports, status, evidence.now)


def _proven_at(
    sig: EmbeddedPdfSignature, status: LongTermStatus, documents: list[TimestampInfo]
) -> datetime.datetime | None:
    own = [ts.time for ts in status.timestamps if ts.kind == "signature" and ts.field_name == sig.field_name]
    later = [ts.time for ts in documents if ts.revision > sig.signed_revision]
    return min(own or later, default=None)


def _check_timestamps(
    status: LongTermStatus,
    stamps: list[EmbeddedPdfSignature],
    documents: list[TimestampInfo],
    evidence: _Evidence,
    tokens_ok: dict[str, tuple[bool, bool]],
) -> tuple[TimestampReport, ...]:
    by_field = {stamp.field_name: stamp for stamp in stamps}
    reports = []
    for ts in status.timestamps:
        following = [d.time for d in documents if d.revision > ts.revision]
        moment = min(following, default=None)
        if ts.kind == "document":
            intact, trusted = _check_document_timestamp(by_field[ts.field_name], evidence.context(moment))
        else:  # validated with its signature; its certificate must also hold until the next timestamp
            intact, valid_then = tokens_ok.get(ts.field_name, (False, False))
            trusted = valid_then and (ts.tsa_not_after is None or (moment or evidence.now) <= ts.tsa_not_after)
        reports.append(TimestampReport(ts.kind, ts.field_name, ts.time, ts.tsa, ts.tsa_not_after, intact, trusted))
    return tuple(reports)


def _check_document_timestamp(stamp: EmbeddedPdfSignature, context: ValidationContext) -> tuple[bool, bool]:
    try:
        result = call_without_running_loop(lambda: validate_pdf_timestamp(stamp, validation_context=context))
    except (SignatureValidationError, PdfError, ValueError, KeyError):
        return False, False
    return _intact(result, stamp), bool(result.trusted)


def _intact(status: SignatureStatus, sig: EmbeddedPdfSignature) -> bool:
    """Cryptographically valid, and covering the file or followed only by allowed updates."""
    coverage = getattr(status, "coverage", sig.coverage)
    whole = coverage == SignatureCoverageLevel.ENTIRE_FILE
    allowed_updates = (
        coverage == SignatureCoverageLevel.ENTIRE_REVISION
        and getattr(status, "modification_level", None) in _ALLOWED_AFTER_SIGNING
        and getattr(status, "docmdp_ok", None) is not False  # a document timestamp has no DocMDP: None
    )
    return bool(status.intact and status.valid and (whole or allowed_updates))


def _check(
    sig: EmbeddedPdfSignature, evidence: _Evidence, moment: datetime.datetime | None
) -> tuple[SignatureReport, tuple[bool, bool]]:
    """The signature's verdict, and its signature timestamp's (intact, trusted at its time)."""
    names = sig.signer_cert.subject.native
    subject = ", ".join(f"{_NAME_KEYS.get(key, key)}={value}" for key, value in names.items())
    signer = names.get("common_name") or subject
    not_after = sig.signer_cert["tbs_certificate"]["validity"]["not_after"].native
    context = evidence.context(moment)
    try:
        status = call_without_running_loop(
            lambda: validate_pdf_signature(
                sig,
                signer_validation_context=context,
                key_usage_settings=KeyUsageConstraints(key_usage=SIGNER_KEY_USAGE),
            )
        )
    except (SignatureValidationError, PdfError, ValueError, KeyError) as exc:
        failed = SignatureReport(
            field_name=sig.field_name,
            signer=str(signer),
            signer_subject=f"{subject}（検証できません: {exc}）",
            signing_time=sig.self_reported_timestamp,
            intact=False,
            trusted=False,
            covers_whole_file=False,
            signer_not_after=not_after,
        )
        return failed, (False, False)
    token = status.timestamp_validity
    token_ok = (bool(token.intact and token.valid), bool(token.trusted)) if token is not None else (False, False)
    report = SignatureReport(
        field_name=sig.field_name,
        signer=str(signer),
        signer_subject=subject,
        signing_time=status.signer_reported_dt,
        intact=_intact(status, sig),
        trusted=bool(evidence.roots) and bool(status.trusted),
        covers_whole_file=status.coverage == SignatureCoverageLevel.ENTIRE_FILE,
        signer_not_after=not_after,
    )
    return report, token_ok


def _report(
    reports: tuple[SignatureReport, ...],
    stamps: tuple[TimestampReport, ...],
    status: LongTermStatus,
    now: datetime.datetime,
) -> VerifyReport:
    last = reports[-1]
    intact = all(r.intact for r in reports) and all(ts.intact for ts in stamps)
    signatures_trusted = all(r.trusted for r in reports)
    trusted = signatures_trusted and all(ts.trusted for ts in stamps)
    ends = [r.signer_not_after for r in reports if r.signer_not_after is not None]
    proof_until = status.proof_until if stamps else min(ends, default=None)
    if not intact:
        message = "この PDF は署名の後に改変されているか、署名が壊れています。内容を信頼しないでください。"
    elif trusted:
        message = (
            f"この PDF は {last.signer} が署名したもので、署名の後に改変されていません"
            f"（署名日時: {format_signing_time(last.signing_time)}）。"
        )
    elif signatures_trusted and proof_until is not None and proof_until < now:
        message = (
            f"この PDF は {last.signer} の署名の後に改変されていませんが、"
            f"完全性を証明できる期限（{_day(proof_until)}）を過ぎています。タイムスタンプが延長されていません。"
        )
    elif signatures_trusted:
        message = f"この PDF は {last.signer} の署名の後に改変されていません。ただし、タイムスタンプを信頼できません。"
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
        level=status.level,
        timestamps=stamps,
        proof_until=proof_until,
    )
