"""What the 事務決裁規程 may choose a row by, for finance's typed documents: their budget 節.

The documents app knows no finance model; each type registers the function of its kind as its
``rule_facts`` hook (``cityhall.documents.registry``), which runs when the route is planned.
"""

from __future__ import annotations

from cityhall.documents.models import Document
from cityhall.documents.registry import RuleFacts
from cityhall.finance.models import Encumbrance, EncumbranceChange, PaymentOrder


def encumbrance_facts(document: Document) -> RuleFacts:
    """The 節 of the encumbrance's budget line (支出負担行為)."""
    code = Encumbrance.objects.filter(document=document).values_list("line__setsu__code", flat=True).first()
    return RuleFacts(budget_setsu=code or "")


def payment_order_facts(document: Document) -> RuleFacts:
    """The 節 of the payment order's budget line (支出命令)."""
    code = PaymentOrder.objects.filter(document=document).values_list("line__setsu__code", flat=True).first()
    return RuleFacts(budget_setsu=code or "")


def change_facts(document: Document) -> RuleFacts:
    """The 節 of the changed encumbrance's budget line (変更契約)."""
    rows = EncumbranceChange.objects.filter(document=document)
    code = rows.values_list("encumbrance__line__setsu__code", flat=True).first()
    return RuleFacts(budget_setsu=code or "")
