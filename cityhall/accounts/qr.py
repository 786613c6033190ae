"""QR code of an authenticator provisioning URI, as inline SVG (二次元コード)."""

from __future__ import annotations

import re

import qrcode
import qrcode.image.svg
from django.utils.safestring import SafeString, mark_safe


def qr_svg(data: str) -> SafeString:
    """An inline ``<svg>`` element for ``data``; safe because qrcode writes only path data."""
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    svg = image.to_string(encoding="unicode")
    if svg.startswith("<?xml"):
        svg = svg[svg.index("?>") + 2 :]
    svg = re.sub(r'width="[^"]*" height="[^"]*"', 'width="200" height="200"', svg, count=1)
    svg = svg.replace("<svg ", '<svg role="img" aria-label="認証アプリ登録用の二次元コード" ', 1)
    return mark_safe(svg)  # noqa: S308 - generated markup, no user input
