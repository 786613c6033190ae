"""Office or remote (庁内/庁外): the classification every feature reads."""

from __future__ import annotations

from ipaddress import ip_network
from typing import Any

import pytest
from django.test import RequestFactory, override_settings

from cityhall.core.network import classify, client_ip_for_axes

OFFICE = [ip_network("10.0.0.0/8"), ip_network("2001:db8:100::/48")]
PROXIES = [ip_network("192.0.2.10/32"), ip_network("192.0.2.11/32"), ip_network("2001:db8:ffff::1/128")]


def request(remote_addr: str, forwarded: str | None = None):
    extra: dict[str, Any] = {"REMOTE_ADDR": remote_addr}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


pytestmark = pytest.mark.usefixtures("networks")


@pytest.fixture
def networks():
    with override_settings(OFFICE_NETWORKS=OFFICE, TRUSTED_PROXIES=PROXIES):
        yield


@pytest.mark.parametrize(
    ("address", "is_office"),
    [
        ("10.0.0.1", True),
        ("10.255.255.255", True),
        ("11.0.0.1", False),
        ("203.0.113.5", False),
        ("127.0.0.1", False),  # not in this configuration's office networks
    ],
)
def test_direct_connection_is_classified_by_the_socket_address(address, is_office):
    access = classify(request(address))
    assert (access.ip, access.is_office, access.untrusted_forwarded_header) == (address, is_office, False)
    assert access.location_label == ("庁内" if is_office else "庁外")


def test_trusted_proxy_passes_on_the_client_address():
    access = classify(request("192.0.2.10", "10.1.2.3"))
    assert (access.ip, access.is_office, access.untrusted_forwarded_header) == ("10.1.2.3", True, False)


def test_trusted_proxy_chain_uses_the_right_most_untrusted_hop():
    # The client may prepend anything; only hops added by our own proxies count.
    access = classify(request("192.0.2.10", "10.9.9.9, 203.0.113.7, 192.0.2.11"))
    assert (access.ip, access.is_office, access.untrusted_forwarded_header) == ("203.0.113.7", False, False)


def test_trusted_proxy_forwarding_an_outsider_is_remote():
    access = classify(request("192.0.2.10", "198.51.100.4"))
    assert (access.ip, access.is_office) == ("198.51.100.4", False)


def test_forwarded_header_from_an_untrusted_peer_is_ignored_and_flagged():
    access = classify(request("203.0.113.5", "10.1.2.3"))
    assert (access.ip, access.is_office, access.untrusted_forwarded_header) == ("203.0.113.5", False, True)


def test_forwarded_header_from_an_office_peer_that_is_no_proxy_is_remote_and_logged(caplog):
    # A reverse proxy on an office address that is not listed as trusted forwards every outsider:
    # believing its address would make the whole internet "office".
    access = classify(request("10.0.0.8", "203.0.113.5"))
    assert (access.ip, access.is_office, access.untrusted_forwarded_header) == ("10.0.0.8", False, True)
    assert any("10.0.0.8" in message and "CITYHALL_TRUSTED_PROXIES" in message for message in caplog.messages)


@pytest.mark.parametrize(
    ("header", "value"),
    [("HTTP_FORWARDED", "for=203.0.113.5"), ("HTTP_X_REAL_IP", "203.0.113.5"), ("HTTP_X_FORWARDED_FOR", "10.0.0.9")],
)
def test_any_forwarding_header_from_an_untrusted_office_peer_is_remote(header, value):
    access = classify(RequestFactory().get("/", REMOTE_ADDR="10.0.0.8", **{header: value}))
    assert (access.is_office, access.untrusted_forwarded_header) == (False, True)


@pytest.mark.parametrize("garbage", ["not-an-ip", "10.0.0.1:8080", "10.0.0.1, ", "<script>", "999.1.1.1"])
def test_garbage_forwarded_header_from_trusted_proxy_falls_back_to_the_peer(garbage):
    access = classify(request("192.0.2.10", garbage))
    if garbage == "10.0.0.1, ":
        # An empty trailing hop is skipped; the address before it is well-formed.
        assert (access.ip, access.is_office, access.untrusted_forwarded_header) == ("10.0.0.1", True, False)
    else:
        assert (access.ip, access.is_office, access.untrusted_forwarded_header) == ("192.0.2.10", False, True)


def test_garbage_socket_address_is_remote():
    access = classify(request("garbage"))
    assert access.is_office is False


def test_missing_socket_address_is_remote():
    access = classify(request(""))
    assert access.is_office is False


@pytest.mark.parametrize(
    ("address", "is_office"),
    [("2001:db8:100::5", True), ("2001:db8:200::5", False), ("::1", False)],
)
def test_ipv6_direct(address, is_office):
    assert classify(request(address)).is_office is is_office


def test_ipv6_trusted_proxy_and_ipv6_client():
    access = classify(request("2001:db8:ffff::1", "2001:db8:100::42"))
    assert (access.ip, access.is_office, access.untrusted_forwarded_header) == ("2001:db8:100::42", True, False)


def test_ipv4_mapped_ipv6_peer_is_classified_as_its_ipv4_address():
    assert classify(request("::ffff:10.1.2.3")).is_office is True
    assert classify(request("::ffff:203.0.113.5")).is_office is False
    assert classify(request("192.0.2.10", "::ffff:10.1.2.3")).is_office is True


def test_axes_locks_out_by_the_same_address():
    assert client_ip_for_axes(request("192.0.2.10", "203.0.113.7")) == "203.0.113.7"
    assert client_ip_for_axes(request("203.0.113.5", "10.1.2.3")) == "203.0.113.5"


@override_settings(TRUSTED_PROXIES=[])
def test_no_trusted_proxies_configured_means_no_header_is_believed():
    access = classify(request("192.0.2.10", "10.1.2.3"))
    assert (access.ip, access.is_office, access.untrusted_forwarded_header) == ("192.0.2.10", False, True)


@pytest.mark.django_db
def test_middleware_attaches_the_classification_to_every_request(client):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.create_user(username="sato"))
    with override_settings(CITYHALL_MFA_REQUIRED="never"):
        response = client.get("/", REMOTE_ADDR="10.3.3.3")
    assert response.wsgi_request.access.is_office is True
    assert response.wsgi_request.access.ip == "10.3.3.3"
