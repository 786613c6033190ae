"""What a document's files page may offer from where the request comes (庁外の方針): ``{% files_mode %}``."""

from __future__ import annotations

from typing import Any

from django import template

from cityhall.documents import remote
from cityhall.documents.models import Document

register = template.Library()


@register.simple_tag
def files_mode(document: Document, user: Any) -> str:
    """「see」, 「masked」 or 「none」: originals, the watermarked view only, or nothing (``documents.remote``)."""
    return str(remote.files_mode(user, document).value)
