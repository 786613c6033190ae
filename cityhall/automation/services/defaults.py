"""A supplier's default budget line and invoice layout (既定の予算科目・読み取り形式), set by 会計.

Recurring bills (utilities, phone, consumables on a 単価契約 without a reference) name no encumbrance;
their invoices are charged to this line by a 支出負担行為兼支出命令 where its 節 allows one.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction

from cityhall.automation.models import SupplierDefault, SupplierMapping
from cityhall.automation.tabular import ColumnMapping
from cityhall.core.audit import record, snapshot
from cityhall.core.errors import ValidationFailed
from cityhall.finance.models import BudgetLine, Creditor
from cityhall.finance.services import require_finance_staff


def supplier_default_set(*, actor: Any, creditor: Creditor, line: BudgetLine) -> SupplierDefault:
    """Set (or change) the line a supplier's invoices without a reference are charged to."""
    actor = require_finance_staff(actor)
    if line.is_reserve or line.is_carried:
        raise ValidationFailed(f"「{line.label}」には請求書を直接計上できません。", field="line")
    with transaction.atomic(durable=True):
        current = SupplierDefault.objects.select_for_update().filter(creditor=creditor).first()
        before = snapshot(current) if current else None
        default, _ = SupplierDefault.objects.update_or_create(creditor=creditor, defaults={"line": line})
        record(
            actor=actor, action="automation.supplier_default.set", obj=default, before=before, after=snapshot(default)
        )
    return default


def supplier_mapping_set(*, actor: Any, creditor: Creditor, mapping: Mapping[str, Any]) -> SupplierMapping:
    """Set how a supplier's CSV or Excel invoices are read (the columns of each field); checked first."""
    actor = require_finance_staff(actor)
    data = ColumnMapping.from_dict(mapping).to_dict()  # MappingInvalid (a ValidationFailed) names the key
    with transaction.atomic(durable=True):
        current = SupplierMapping.objects.select_for_update().filter(creditor=creditor).first()
        before = snapshot(current) if current else None
        row, _ = SupplierMapping.objects.update_or_create(creditor=creditor, defaults={"mapping": data})
        record(actor=actor, action="automation.supplier_mapping.set", obj=row, before=before, after=snapshot(row))
    return row
