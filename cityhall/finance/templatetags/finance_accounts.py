"""Template filters for payees' accounts (振込口座の表示): the masked number every screen shows."""

from __future__ import annotations

from django import template

from cityhall.finance.selectors.content import mask_account

register = template.Library()


@register.filter
def masked_account(number: str) -> str:
    """The account number to its last four digits (「***4567」), as the document page and the signed sheet."""
    return mask_account(str(number or ""))
