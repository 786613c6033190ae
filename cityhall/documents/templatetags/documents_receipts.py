"""The received documents a draft answers, as the viewer may see them: ``{% answered_receipts document user %}``."""

from __future__ import annotations

from typing import Any

from django import template

from cityhall.documents.models import Document, Receipt
from cityhall.documents.selectors_receipts import receipts_for

register = template.Library()


@register.simple_tag
def answered_receipts(document: Document, user: Any) -> list[Receipt]:
    """The receipts (収受) ``document`` answers that ``user`` may see (the receipt page's rule); none for others."""
    return list(receipts_for(user).filter(answered_by=document))
