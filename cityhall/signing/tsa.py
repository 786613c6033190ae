"""Time-stamping (タイムスタンプ, RFC 3161): the configured authority, and the demo city's own.

:func:`configured_timestamper` gives pyHanko the time-stamping authority of
``CITYHALL_TSA_URL``:

- an ``http(s)://`` URL: pyHanko's ``HTTPTimeStamper`` (aiohttp), with basic
  auth from ``CITYHALL_TSA_USERNAME`` / ``CITYHALL_TSA_PASSWORD``, a timeout
  (``CITYHALL_TSA_TIMEOUT_SECONDS``) and ``CITYHALL_TSA_RETRIES`` further
  tries one, two, four… seconds apart;
- ``local``: the demo TSA in this process (:class:`LocalTimeStamper`, the demo
  authority's TSA certificate, ``cityhall.signing.authority``), which the
  demo and the tests use: no network;
- empty: none; signatures stay PAdES B-B.

The demo TSA also answers RFC 3161 requests over HTTP (``signing:tsa``, a
``POST`` of ``application/timestamp-query``, RFC 3161 §3.4) through
:func:`respond`, so another installation or a tool (``openssl ts``) can use
it; ``CITYHALL_TSA_SERVE_DEMO`` turns that off (off in production).

Written here only where no maintained library does it: the token (TSTInfo in
a CMS SignedData) is built by pyHanko's ``DummyTimeStamper``; this module
adds the policy OID (``CITYHALL_TSA_POLICY_OID``), an accuracy of one second,
the ESS signing-certificate-v2 attribute (SHA-256, RFC 5816) instead of the
SHA-1 one, a key parsed once rather than at every token, and the rejections
RFC 3161 §2.4.2 prescribes for a malformed request (asn1crypto's ``tsp``).
"""

from __future__ import annotations

import asyncio
import datetime
import functools
import hashlib
from typing import Any

from asn1crypto import cms, core, tsp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from django.conf import settings
from django.views.decorators.debug import sensitive_variables
from pyhanko.keys.internal import translate_pyca_cryptography_cert_to_asn1, translate_pyca_cryptography_key_to_asn1
from pyhanko.sign.general import as_signing_certificate_v2, simple_cms_attribute
from pyhanko.sign.timestamps import DummyTimeStamper, HTTPTimeStamper, TimeStamper, TimestampRequestError
from pyhanko_certvalidator.util import get_pyca_cryptography_hash

from cityhall.signing import authority

ACCEPTED_DIGESTS = {"sha256": 32, "sha384": 48, "sha512": 64}
MAX_REQUEST_BYTES = 16 * 1024
CONTENT_TYPE_QUERY = "application/timestamp-query"
CONTENT_TYPE_REPLY = "application/timestamp-reply"


class TimestampUnavailable(Exception):
    """No timestamp could be had: no TSA configured, or it failed or did not answer in time."""


class LocalTimeStamper(DummyTimeStamper):
    """The demo city's time-stamping authority, answering in this process."""

    def __init__(self, *, tsa_cert: x509.Certificate, tsa_key: rsa.RSAPrivateKey, ca_cert: x509.Certificate) -> None:
        super().__init__(
            tsa_cert=translate_pyca_cryptography_cert_to_asn1(tsa_cert),
            tsa_key=translate_pyca_cryptography_key_to_asn1(tsa_key),
            certs_to_embed=[translate_pyca_cryptography_cert_to_asn1(ca_cert)],  # type: ignore[arg-type]
        )
        self._key = tsa_key

    def _build_tst_info(self, message_imprint: tsp.MessageImprint, dt: datetime.datetime, req: Any) -> tsp.TSTInfo:
        info = super()._build_tst_info(message_imprint, dt, req)
        info["policy"] = tsp.ObjectIdentifier(settings.CITYHALL_TSA_POLICY_OID)
        info["accuracy"] = tsp.Accuracy({"seconds": 1})
        return info

    def _sign_tst_info(
        self, tst_info_data: bytes, md_algorithm: str, dt: datetime.datetime
    ) -> tuple[bytes, cms.CMSAttributes]:
        digest = hashlib.new(md_algorithm, tst_info_data).digest()
        signed_attrs = cms.CMSAttributes(
            [
                simple_cms_attribute("content_type", "tst_info"),
                simple_cms_attribute("signing_time", cms.Time({"utc_time": core.UTCTime(dt)})),
                simple_cms_attribute("signing_certificate_v2", as_signing_certificate_v2(self.tsa_cert)),
                simple_cms_attribute("message_digest", digest),
            ]
        )
        signature = self._key.sign(signed_attrs.dump(), PKCS1v15(), get_pyca_cryptography_hash(md_algorithm))
        return signature, signed_attrs


class _RetryingHTTPTimeStamper(HTTPTimeStamper):
    """pyHanko's HTTP client, tried again after a failure, waiting one, two, four… seconds."""

    def __init__(self, url: str, *, retries: int, **kwargs: Any) -> None:
        super().__init__(url, **kwargs)
        self._retries = max(0, retries)

    async def async_request_tsa_response(self, req: tsp.TimeStampReq) -> tsp.TimeStampResp:
        for attempt in range(self._retries + 1):
            try:
                return await super().async_request_tsa_response(req)
            except TimestampRequestError:
                if attempt == self._retries:
                    raise
                await asyncio.sleep(2**attempt)
        raise AssertionError("unreachable")


def local_timestamper() -> LocalTimeStamper:
    """The demo TSA, made (or its certificate renewed) on first use."""
    found = authority.demo_authority()
    if found is None or found.tsa_cert.not_valid_after_utc <= datetime.datetime.now(datetime.UTC):
        found = authority.ensure_demo_authority()
    serial = found.tsa_cert.serial_number
    if serial not in _LOCAL:
        _LOCAL.clear()
        _LOCAL[serial] = LocalTimeStamper(tsa_cert=found.tsa_cert, tsa_key=found.tsa_key, ca_cert=found.ca_cert)
    return _LOCAL[serial]


_LOCAL: dict[int, LocalTimeStamper] = {}


@sensitive_variables("password")
def configured_timestamper() -> TimeStamper | None:
    """The TSA of ``CITYHALL_TSA_URL`` (kept per process, so the size probe is asked once), or ``None``."""
    url = (settings.CITYHALL_TSA_URL or "").strip()
    if not url:
        return None
    if url == "local":
        return local_timestamper()
    password = settings.CITYHALL_TSA_PASSWORD
    auth = (settings.CITYHALL_TSA_USERNAME, password) if settings.CITYHALL_TSA_USERNAME else None
    return _http(url, auth, settings.CITYHALL_TSA_TIMEOUT_SECONDS, settings.CITYHALL_TSA_RETRIES)


@functools.lru_cache(maxsize=2)
def _http(url: str, auth: tuple[str, str] | None, timeout: int, retries: int) -> TimeStamper:
    return _RetryingHTTPTimeStamper(url, retries=retries, timeout=timeout, auth=auth)


class TimeStampRejection(core.Sequence):
    """A TimeStampResp without its token (asn1crypto's own type requires the token RFC 3161 makes optional)."""

    _fields = [("status", tsp.PKIStatusInfo)]


def _rejection(reason: str, text: str) -> bytes:
    status = tsp.PKIStatusInfo(
        {
            "status": tsp.PKIStatus("rejection"),
            "status_string": tsp.PKIFreeText([text]),
            "fail_info": tsp.PKIFailureInfo({reason}),
        }
    )
    return TimeStampRejection({"status": status}).dump()


def respond(body: bytes) -> bytes:
    """The demo TSA's DER answer to a DER ``TimeStampReq`` (a token, or a rejection saying why)."""
    if len(body) > MAX_REQUEST_BYTES:
        return _rejection("bad_request", "request too large")
    try:
        request = tsp.TimeStampReq.load(body)
        imprint = request["message_imprint"]
        algorithm = imprint["hash_algorithm"]["algorithm"].native
        digest = imprint["hashed_message"].native
        version = request["version"].native
        request["nonce"].native  # noqa: B018 - parses it now, not while signing
    except (ValueError, TypeError, KeyError) as exc:
        return _rejection("bad_data_format", f"malformed request: {exc}")
    if version != "v1":
        return _rejection("bad_request", "only version 1 is supported")
    if algorithm not in ACCEPTED_DIGESTS or len(digest) != ACCEPTED_DIGESTS[algorithm]:
        return _rejection("bad_alg", "use SHA-256, SHA-384 or SHA-512")
    if request["req_policy"].native not in (None, settings.CITYHALL_TSA_POLICY_OID):
        return _rejection("unaccepted_policy", f"policy {settings.CITYHALL_TSA_POLICY_OID} only")
    if request["extensions"].native:
        return _rejection("unaccepted_extensions", "no extensions are supported")
    return local_timestamper().request_tsa_response(request).dump()


def token_signer(signed_data: cms.SignedData) -> asn1_x509.Certificate | None:
    """The TSA certificate that signed a timestamp token (its SignedData), found among the token's certificates."""
    sid = signed_data["signer_infos"][0]["sid"]
    for choice in signed_data["certificates"] or []:
        cert = choice.chosen
        if not isinstance(cert, asn1_x509.Certificate):
            continue
        if sid.name == "issuer_and_serial_number":
            if cert.issuer == sid.chosen["issuer"] and cert.serial_number == sid.chosen["serial_number"].native:
                return cert
        elif cert.key_identifier == sid.chosen.native:
            return cert
    return None


def token_info(signed_data: cms.SignedData) -> tsp.TSTInfo:
    """The TSTInfo (time, policy, imprint, TSA name) inside a timestamp token's SignedData."""
    return signed_data["encap_content_info"]["content"].parsed
