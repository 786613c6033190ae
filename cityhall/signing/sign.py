"""Signing a PDF with the city's certificate (PAdES baseline signature, 電子署名).

With a time-stamping authority configured (``cityhall.signing.tsa``) the
signature carries an RFC 3161 signature timestamp (PAdES B-T); asked for the
long term, the signature's validation data go into the document security
store and a document timestamp seals them (B-LTA, ``cityhall.signing.longterm``
renews it). A TSA that fails or does not answer in time never costs the
signature: the PDF is signed without a timestamp (B-B), a warning is logged,
and ``longterm.extend`` adds what is missing later.
"""

from __future__ import annotations

import dataclasses
import logging
from io import BytesIO

from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.sign import fields, signers
from pyhanko.sign.general import SigningError
from pyhanko.sign.timestamps import TimeStamper
from pyhanko_certvalidator.errors import PathBuildingError, PathValidationError

from cityhall.core.errors import ValidationFailed
from cityhall.signing._loop import call_without_running_loop
from cityhall.signing.certs import load_signer, validation_context
from cityhall.signing.tsa import configured_timestamper

logger = logging.getLogger(__name__)

SIGNER_KEY_USAGE = {"digital_signature", "non_repudiation"}
"""Either usage suffices: LGPKI office certificates carry both, some CAs only one."""

TIMESTAMP_FAILURES = (OSError, SigningError, PathBuildingError, PathValidationError)
"""What a TSA that is down, slow, misconfigured or untrusted raises (``TimestampRequestError`` is an OSError)."""


def looks_like_pdf(data: bytes) -> bool:
    """Whether ``data`` starts like a PDF file (``%PDF-`` within its first kilobyte)."""
    return b"%PDF-" in data[:1024]


def _sign(
    pdf_bytes: bytes,
    metadata: signers.PdfSignatureMetadata,
    timestamper: TimeStamper | None,
) -> bytes:
    try:
        writer = IncrementalPdfFileWriter(BytesIO(pdf_bytes), strict=False)
        pdf_signer = signers.PdfSigner(metadata, signer=load_signer(), timestamper=timestamper)
        output = call_without_running_loop(lambda: pdf_signer.sign_pdf(writer))
    except PdfError as exc:
        raise ValidationFailed(f"PDF を読み込めないため署名できません: {exc}") from exc
    return output.getvalue()


def sign_pdf(
    pdf_bytes: bytes,
    *,
    reason: str,
    location: str,
    field_name: str = "CitySignature",
    long_term: bool = False,
) -> bytes:
    """Sign ``pdf_bytes`` with the city's certificate (PAdES B-T, or B-LTA with ``long_term``; B-B without a TSA).

    The signature is an incremental update, so the original bytes stay
    unchanged at the start of the result. Raises ``ValidationFailed`` for
    input that is not a readable PDF, ``ImproperlyConfigured`` when no
    certificate is configured.
    """
    if not looks_like_pdf(pdf_bytes):
        raise ValidationFailed("署名しようとしたファイルは PDF ではありません。")
    load_signer()  # a missing certificate is a configuration error, before any TSA is asked
    base = signers.PdfSignatureMetadata(
        field_name=field_name,
        reason=reason,
        location=location,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        signer_key_usage=SIGNER_KEY_USAGE,
    )
    timestamper = configured_timestamper()
    if timestamper is not None:
        metadata = (
            dataclasses.replace(
                base, embed_validation_info=True, use_pades_lta=True, validation_context=validation_context()
            )
            if long_term
            else base
        )
        try:
            return _sign(pdf_bytes, metadata, timestamper)
        except TIMESTAMP_FAILURES as exc:
            logger.warning("タイムスタンプを取得できなかったため、タイムスタンプなし (B-B) で署名します: %s", exc)
    return _sign(pdf_bytes, base, None)
