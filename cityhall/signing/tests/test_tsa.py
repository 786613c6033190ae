"""The demo time-stamping authority over HTTP (RFC 3161 §3.4), asked by pyHanko's own client in process."""

import asyncio
import hashlib

import pytest
from asn1crypto import tsp
from cryptography.hazmat.primitives.serialization import Encoding
from django.test import Client
from django.urls import reverse
from pyhanko.sign.timestamps import TimeStamper

from cityhall.signing._loop import call_without_running_loop
from cityhall.signing.authority import demo_authority
from cityhall.signing.tsa import (
    CONTENT_TYPE_QUERY,
    CONTENT_TYPE_REPLY,
    TimeStampRejection,
    token_info,
    token_signer,
)

pytestmark = pytest.mark.django_db
URL = reverse("signing:tsa")


class ClientTimeStamper(TimeStamper):
    """pyHanko's RFC 3161 client, its HTTP POST made through Django's test client: no network."""

    def __init__(self, client: Client) -> None:
        super().__init__()
        self.client = client

    async def async_request_tsa_response(self, req: tsp.TimeStampReq) -> tsp.TimeStampResp:
        response = self.client.post(URL, data=req.dump(), content_type=CONTENT_TYPE_QUERY)
        assert response.status_code == 200 and response["Content-Type"] == CONTENT_TYPE_REPLY
        return tsp.TimeStampResp.load(response.content)


def _status(body: bytes, client: Client) -> tuple[str, set]:
    response = client.post(URL, data=body, content_type=CONTENT_TYPE_QUERY)
    assert response.status_code == 200
    status = TimeStampRejection.load(response.content)["status"]
    return status["status"].native, set(status["fail_info"].native or ())


def test_the_demo_tsa_answers_a_pyhanko_client(settings, city_signing):
    digest = hashlib.sha256("起案用紙".encode()).digest()
    stamper = ClientTimeStamper(Client())
    # pyHanko checks imprint and nonce; a browser test earlier in this process may leave a running loop.
    token = call_without_running_loop(lambda: asyncio.run(stamper.async_timestamp(digest, "sha256")))
    info = token_info(token["content"])
    assert info["message_imprint"]["hashed_message"].native == digest
    assert info["policy"].native == settings.CITYHALL_TSA_POLICY_OID
    tsa, authority = token_signer(token["content"]), demo_authority()
    assert tsa is not None and authority is not None
    assert tsa.dump() == authority.tsa_cert.public_bytes(Encoding.DER)


def test_bad_requests_get_rfc_3161_rejections(city_signing):
    client = Client()
    assert _status(b"not DER at all", client) == ("rejection", {"bad_data_format"})
    md5 = tsp.TimeStampReq(
        {
            "version": "v1",
            "message_imprint": {"hash_algorithm": {"algorithm": "md5"}, "hashed_message": b"\x00" * 16},
        }
    )
    assert _status(md5.dump(), client) == ("rejection", {"bad_alg"})
    assert client.post(URL, data=b"x", content_type="text/plain").status_code == 415
    assert client.get(URL).status_code == 405


def test_the_demo_ca_publishes_its_crl_and_production_serves_neither(settings, city_signing):
    from asn1crypto import crl

    response = Client().get(reverse("signing:demo_ca_crl"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pkix-crl"
    issuer = crl.CertificateList.load(response.content)["tbs_cert_list"]["issuer"]
    assert issuer.native["common_name"] == "みどり野市 デモ認証局"
    settings.CITYHALL_TSA_SERVE_DEMO = False
    assert Client().get(reverse("signing:demo_ca_crl")).status_code == 404
    assert Client().post(URL, data=b"x", content_type=CONTENT_TYPE_QUERY).status_code == 404
