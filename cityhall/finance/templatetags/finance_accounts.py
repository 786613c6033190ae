"""Template filters for payees' accounts (振込口座の表示): the masked number every screen shows."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext as _

from cityhall.finance.selectors.content import mask_account, shown_account_number

register = template.Library()


@register.filter
def masked_account(number: str) -> str:
    """The account number to its last four digits (「***4567」), as the document page and the signed sheet."""
    return mask_account(str(number or ""))


@register.filter
def payee_number(number: str, user: Any) -> str:
    """The number as the remote-access policy lets ``user`` have it here (whole, masked, or 「非表示」)."""
    return shown_account_number(user, str(number or "")) or _("（庁外では非表示）")
