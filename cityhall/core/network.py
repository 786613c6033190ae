"""Office or remote: the one place that classifies a request (庁内/庁外).

The client address is the socket peer, unless the peer is a trusted reverse
proxy (``CITYHALL_TRUSTED_PROXIES``), in which case the right-most untrusted
address of ``X-Forwarded-For`` is used. A forwarding header (``X-Forwarded-For``,
``Forwarded``, ``X-Real-IP``) from a peer that is not a trusted proxy is never
believed: the request is remote whatever the peer's address (it is most likely
a reverse proxy missing from ``CITYHALL_TRUSTED_PROXIES``, forwarding outsiders)
and a warning is logged.
"""

from __future__ import annotations

import ipaddress
import logging
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
FORWARDING_HEADERS = ("HTTP_X_FORWARDED_FOR", "HTTP_FORWARDED", "HTTP_X_REAL_IP")
logger = logging.getLogger("cityhall.security")


@dataclass(frozen=True)
class AccessContext:
    """Where a request comes from: address, office network or not, and any doubt."""

    ip: str
    is_office: bool
    untrusted_forwarded_header: bool = False

    @property
    def location_label(self) -> str:
        return "庁内" if self.is_office else "庁外"


def _parse(address: str) -> IPAddress | None:
    try:
        parsed = ipaddress.ip_address(address.strip())
    except ValueError:
        return None
    # A dual-stack socket reports IPv4 clients as ::ffff:a.b.c.d; classify them as IPv4.
    if isinstance(parsed, ipaddress.IPv6Address) and parsed.ipv4_mapped is not None:
        return parsed.ipv4_mapped
    return parsed


def _in_any(address: IPAddress, networks: list) -> bool:
    return any(address in network for network in networks)


def client_ip(request: HttpRequest) -> tuple[str, bool]:
    """Return the client address and whether a forwarded header was ignored."""
    peer_text = request.META.get("REMOTE_ADDR", "") or "0.0.0.0"  # noqa: S104 - an unknown peer, not a bind address
    peer = _parse(peer_text)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if peer is None or not _in_any(peer, settings.TRUSTED_PROXIES):
        return peer_text, any(request.META.get(header) for header in FORWARDING_HEADERS)
    if not forwarded:
        return peer_text, False
    for hop in reversed([part for part in forwarded.split(",") if part.strip()]):
        hop_address = _parse(hop)
        if hop_address is None:
            return peer_text, True
        if not _in_any(hop_address, settings.TRUSTED_PROXIES):
            return str(hop_address), False
    return peer_text, False


def classify(request: HttpRequest) -> AccessContext:
    """Classify a request as office or remote from its client address."""
    ip, untrusted = client_ip(request)
    address = _parse(ip)
    is_office = not untrusted and address is not None and _in_any(address, settings.OFFICE_NETWORKS)
    if untrusted:
        logger.warning(
            "Forwarding header from %s, which is not in CITYHALL_TRUSTED_PROXIES: request classified remote (%s)",
            ip,
            request.path,
        )
    return AccessContext(ip=ip, is_office=is_office, untrusted_forwarded_header=untrusted)


def client_ip_for_axes(request: HttpRequest) -> str:
    """django-axes hook: lock out by the same address we classify."""
    return client_ip(request)[0]
