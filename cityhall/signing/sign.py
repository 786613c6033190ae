"""Signing a PDF with the city's certificate (PAdES baseline signature, 電子署名)."""

from __future__ import annotations

from io import BytesIO

from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.sign import fields, signers

from cityhall.core.errors import ValidationFailed
from cityhall.signing._loop import call_without_running_loop
from cityhall.signing.certs import load_signer

SIGNER_KEY_USAGE = {"digital_signature", "non_repudiation"}
"""Either usage suffices: LGPKI office certificates carry both, some CAs only one."""


def looks_like_pdf(data: bytes) -> bool:
    """Whether ``data`` starts like a PDF file (``%PDF-`` within its first kilobyte)."""
    return b"%PDF-" in data[:1024]


def sign_pdf(pdf_bytes: bytes, *, reason: str, location: str, field_name: str = "CitySignature") -> bytes:
    """Sign ``pdf_bytes`` with the city's certificate (PAdES B-B) and return the signed PDF.

    The signature is an incremental update, so the original bytes stay
    unchanged at the start of the result. Raises ``ValidationFailed`` for
    input that is not a readable PDF, ``ImproperlyConfigured`` when no
    certificate is configured.
    """
    if not looks_like_pdf(pdf_bytes):
        raise ValidationFailed("署名しようとしたファイルは PDF ではありません。")
    signer = load_signer()
    metadata = signers.PdfSignatureMetadata(
        field_name=field_name,
        reason=reason,
        location=location,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        signer_key_usage=SIGNER_KEY_USAGE,
    )
    try:
        writer = IncrementalPdfFileWriter(BytesIO(pdf_bytes), strict=False)
        pdf_signer = signers.PdfSigner(metadata, signer=signer)
        output = call_without_running_loop(lambda: pdf_signer.sign_pdf(writer))
    except PdfError as exc:
        raise ValidationFailed(f"PDF を読み込めないため署名できません: {exc}") from exc
    return output.getvalue()
