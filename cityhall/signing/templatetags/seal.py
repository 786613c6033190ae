"""Template tag for seal stamps: ``{% load seal %}{% seal_stamp stamp size=48 %}``."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from cityhall.signing.seal import Stamp, stamp_svg

register = template.Library()


@register.simple_tag
def seal_stamp(stamp: Stamp | None, size: int = 48) -> SafeString | str:
    """The red date stamp (電子印影) as inline SVG, or nothing when not yet stamped."""
    if stamp is None:
        return ""
    return stamp_svg(stamp, size=size)
