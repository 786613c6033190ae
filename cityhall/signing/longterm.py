"""Signatures for the whole retention (長期署名): PAdES levels, and archive timestamps added and renewed.

The levels of ETSI EN 319 142-1 (PAdES baseline), as :func:`describe` reads them:

- **B-B**: the signature alone; it proves nothing once the certificate expires or is revoked;
- **B-T**: a trusted time from a TSA: a signature timestamp inside the signature, or a
  document timestamp after it (both RFC 3161);
- **B-LT**: and the validation data (the certificates of the chains, CRLs or OCSP
  responses) in the PDF's document security store (DSS), so nothing has to be fetched later;
- **B-LTA**: and a document timestamp over that data (archive timestamp).

A record proves its integrity as long as its *last* timestamp can be verified:
until its TSA certificate ends (:attr:`LongTermStatus.proof_until`). Before that,
:func:`extend` adds the last timestamp's validation data and a new document
timestamp (pyHanko's ``PdfTimeStamper.update_archival_timestamp_chain``), from a
TSA certificate that ends later; repeated every few years, the chain carries
the record through thirty years or for ever. :func:`extend` also brings a
B-B or B-T signature (a TSA that was down when it was signed) to B-LTA.
Every step is an incremental update: the signed bytes stay as they were.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from io import BytesIO

from asn1crypto import cms
from asn1crypto import x509 as asn1_x509
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.signers.pdf_signer import PdfTimeStamper
from pyhanko.sign.validation import add_validation_info
from pyhanko.sign.validation.dss import DocumentSecurityStore
from pyhanko.sign.validation.errors import SignatureValidationError
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature
from pyhanko_certvalidator import ValidationContext

from cityhall.core.errors import ValidationFailed
from cityhall.signing._loop import call_without_running_loop
from cityhall.signing.certs import validation_context
from cityhall.signing.sign import TIMESTAMP_FAILURES
from cityhall.signing.tsa import TimestampUnavailable, configured_timestamper, token_info, token_signer

LEVELS = ("B-B", "B-T", "B-LT", "B-LTA")


@dataclass(frozen=True)
class TimestampInfo:
    """One timestamp of a PDF: a signature timestamp or a document timestamp."""

    kind: str  # "signature" (inside a signature) or "document" (a document timestamp)
    time: datetime.datetime
    tsa: str
    tsa_not_after: datetime.datetime | None
    field_name: str
    revision: int


@dataclass(frozen=True)
class LongTermStatus:
    """What a signed PDF holds for the long term: its level, its timestamps, and its proof's end."""

    level: str  # one of LEVELS, or "" without a signature
    timestamps: tuple[TimestampInfo, ...]
    proof_until: datetime.datetime | None
    """The end of the last timestamp's TSA certificate: up to then the PDF proves its integrity."""

    def needs_work(self, *, margin: datetime.timedelta, now: datetime.datetime | None = None) -> bool:
        """Whether :func:`extend` has something to do: below B-LTA, or a proof ending within ``margin``."""
        if self.level == "":
            return False
        if self.level != "B-LTA" or self.proof_until is None:
            return True
        return self.proof_until - margin <= (now or datetime.datetime.now(datetime.UTC))


def _name(cert: asn1_x509.Certificate | None, fallback: str = "") -> str:
    if cert is None:
        return fallback
    names = cert.subject.native
    return str(names.get("common_name") or cert.subject.human_friendly)


def _token(token: cms.SignedData, *, kind: str, field_name: str, revision: int) -> TimestampInfo:
    cert = token_signer(token)
    info = token_info(token)
    tsa_name = info["tsa"].chosen.human_friendly if info["tsa"].native else ""
    return TimestampInfo(
        kind=kind,
        time=info["gen_time"].native,
        tsa=_name(cert, tsa_name),
        tsa_not_after=cert["tbs_certificate"]["validity"]["not_after"].native if cert is not None else None,
        field_name=field_name,
        revision=revision,
    )


def _signature_timestamps(sig: EmbeddedPdfSignature) -> list[TimestampInfo]:
    found = []
    for attribute in sig.signer_info["unsigned_attrs"] or []:
        if attribute["type"].native == "signature_time_stamp_token":
            for token in attribute["values"]:
                found.append(
                    _token(token["content"], kind="signature", field_name=sig.field_name, revision=sig.signed_revision)
                )
    return found


def _dss_revision(reader: PdfFileReader) -> int | None:
    """The first revision whose catalogue has a DSS."""
    for revision in range(reader.xrefs.total_revisions):
        if "/DSS" in reader.get_historical_resolver(revision).root:
            return revision
    return None


def _signature_level(
    sig: EmbeddedPdfSignature, own: list[TimestampInfo], documents: list[TimestampInfo], dss: tuple[int | None, set]
) -> str:
    later = [ts for ts in documents if ts.revision > sig.signed_revision]
    if not own and not later:
        return "B-B"
    dss_revision, dss_certs = dss
    if dss_revision is None or sig.signer_cert.issuer_serial not in dss_certs:
        return "B-T"
    if any(ts.revision >= max(dss_revision, sig.signed_revision + 1) for ts in later):
        return "B-LTA"
    return "B-LT"


def read_status(reader: PdfFileReader) -> LongTermStatus:
    """:func:`describe` for a PDF already read."""
    regular = list(reader.embedded_regular_signatures)
    if not regular:
        return LongTermStatus(level="", timestamps=(), proof_until=None)
    documents = [
        _token(ts.signed_data, kind="document", field_name=ts.field_name, revision=ts.signed_revision)
        for ts in reader.embedded_timestamp_signatures
    ]
    dss_revision = _dss_revision(reader)
    dss_certs = set(DocumentSecurityStore.read_dss(reader).certs) if dss_revision is not None else set()
    levels, own_all = [], []
    for sig in regular:
        own = _signature_timestamps(sig)
        own_all.extend(own)
        levels.append(_signature_level(sig, own, documents, (dss_revision, dss_certs)))
    timestamps = sorted([*own_all, *documents], key=lambda ts: (ts.revision, ts.kind != "signature"))
    last = timestamps[-1] if timestamps else None
    return LongTermStatus(
        level=min(levels, key=LEVELS.index),
        timestamps=tuple(timestamps),
        proof_until=last.tsa_not_after if last is not None else None,
    )


def describe(pdf_bytes: bytes) -> LongTermStatus:
    """Read a signed PDF's level, timestamps and proof's end (no cryptographic check: see ``verify``)."""
    try:
        return read_status(PdfFileReader(BytesIO(pdf_bytes), strict=False))
    except (PdfError, ValueError, KeyError) as exc:
        raise ValidationFailed(f"PDF を読み込めません: {exc}") from exc


def _with_validation_info(sig: EmbeddedPdfSignature, context: ValidationContext) -> bytes:
    """The PDF with the signature's certificates and revocation data added to its DSS (B-LT)."""
    return bytes(call_without_running_loop(lambda: add_validation_info(sig, context).getvalue()))


def _add_archive_timestamp(pdf_bytes: bytes, status: LongTermStatus) -> bytes:
    timestamper = configured_timestamper()
    if timestamper is None:
        raise TimestampUnavailable("タイムスタンプ局 (CITYHALL_TSA_URL) が設定されていません。")
    context = validation_context()
    stamper = PdfTimeStamper(timestamper)
    reader = PdfFileReader(BytesIO(pdf_bytes), strict=False)
    if any(ts.kind == "document" for ts in status.timestamps) and status.level == "B-LTA":
        return call_without_running_loop(
            lambda: stamper.update_archival_timestamp_chain(reader, context, in_place=False).getvalue()
        )
    # First archive timestamp: the signatures' validation data, then a document timestamp over them.
    data = pdf_bytes
    for index in range(len(reader.embedded_regular_signatures)):
        sig = PdfFileReader(BytesIO(data), strict=False).embedded_regular_signatures[index]
        data = _with_validation_info(sig, context)
    writer = IncrementalPdfFileWriter(BytesIO(data), strict=False)
    output = call_without_running_loop(
        lambda: stamper.timestamp_pdf(writer, "sha256", validation_context=context, in_place=False)
    )
    return bytes(output.getvalue())


def extend(pdf_bytes: bytes, *, margin: datetime.timedelta) -> bytes | None:
    """Bring a signed PDF to B-LTA, or renew its archive timestamp when its proof ends within ``margin``.

    Returns the extended PDF, or ``None`` when nothing needed doing.
    Raises ``TimestampUnavailable`` when the TSA cannot be reached, or when
    its certificate would not carry the proof further than the present one.
    """
    status = describe(pdf_bytes)
    if not status.needs_work(margin=margin):
        return None
    try:
        extended = _add_archive_timestamp(pdf_bytes, status)
    except (*TIMESTAMP_FAILURES, SignatureValidationError) as exc:
        raise TimestampUnavailable(f"アーカイブタイムスタンプを付与できません: {exc}") from exc
    after = describe(extended)
    if status.proof_until is not None and (after.proof_until is None or after.proof_until <= status.proof_until):
        raise TimestampUnavailable(
            "タイムスタンプ局の証明書の有効期限が、これまでの最後のタイムスタンプより後ではありません。"
            " タイムスタンプ局の証明書の更新を待ってから再実行してください。"
        )
    return extended
