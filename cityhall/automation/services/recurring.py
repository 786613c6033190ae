"""Recurring payments (定例支払): a month's orders for rent, leases and utilities in one action.

A section keeps its templates (``RecurringPayment``: supplier, line, fixed amount, whether a variable
part is entered each month, pay day). ``recurring_month`` drafts the month's 支出負担行為兼支出命令 through
the same bulk path as the invoice imports and records each as an imported item of form 定例支払
under the key 「定例-<template>-<YYYYMM>」: the constraint on accepted items makes a month generated
once, and the hours saved count them like invoices.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction

from cityhall.accounts.models import User
from cityhall.automation.models import ImportedInvoice, ImportSource, InvoiceImport, InvoiceKind, RecurringPayment
from cityhall.automation.services.saved_time import import_saved_time
from cityhall.core.audit import record, snapshot
from cityhall.core.errors import Conflict, ValidationFailed
from cityhall.core.japanese import format_yen, next_bank_business_day, previous_bank_business_day
from cityhall.core.japanese.business_days import is_bank_business_day
from cityhall.core.japanese.money import parse_yen
from cityhall.documents.rules import section_of
from cityhall.finance.models import BudgetLine, Creditor
from cityhall.finance.services import require_user, today
from cityhall.finance.services.payment_order_checks import OrderLineInput
from cityhall.finance.services.payment_orders_bulk import OrderDraft, payment_orders_draft_many


def _section(actor: User, day: dt.date) -> Any:
    section = section_of(actor, on=day)
    if section is None:
        raise ValidationFailed("所属の課がないため、定例支払を扱えません。")
    return section


def recurring_create(
    *,
    actor: Any,
    name: str,
    creditor: Creditor,
    line: BudgetLine,
    base_amount: Any,
    variable: bool = False,
    tax_rate: int = 10,
    pay_day: int = 25,
    on: dt.date | None = None,
) -> RecurringPayment:
    """Add a recurring payment of the actor's section (on ``on``, today by default) (定例支払の登録)."""
    actor = require_user(actor)
    section = _section(actor, today(on))
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise ValidationFailed("名称を100文字以内で入力してください。", field="name")
    base = parse_yen(base_amount, field="base_amount", label="定額", minimum=0)
    if base == 0 and not variable:
        raise ValidationFailed("定額が0円のときは「変動分あり」にしてください。", field="base_amount")
    if tax_rate not in (0, 8, 10):
        raise ValidationFailed("税率は10%・8%・0%から選んでください。", field="tax_rate")
    if not 1 <= int(pay_day) <= 31:
        raise ValidationFailed("支払日は1〜31日で入力してください。", field="pay_day")
    with transaction.atomic(durable=True):
        template = RecurringPayment.objects.create(
            section=section,
            name=name,
            creditor=creditor,
            line=line,
            base_amount=base,
            variable=variable,
            tax_rate=tax_rate,
            pay_day=int(pay_day),
        )
        record(actor=actor, action="automation.recurring.create", obj=template, after=snapshot(template))
    return template


def pay_date(template: RecurringPayment, month: dt.date, day: dt.date) -> dt.date:
    """The pay day of the month (the month's last day when shorter), moved back off a bank holiday,
    and never before the next bank business day."""
    last = calendar.monthrange(month.year, month.month)[1]
    wanted = dt.date(month.year, month.month, min(template.pay_day, last))
    if not is_bank_business_day(wanted):
        wanted = previous_bank_business_day(wanted)
    return max(wanted, next_bank_business_day(day))


def key_of(template: RecurringPayment, month: dt.date) -> str:
    """「定例-12-202612」: the month's item of a template, accepted once."""
    return f"定例-{template.pk}-{month:%Y%m}"


@dataclass
class MonthItem:
    """What became of one template for the month: the amount, the order, or the reasons."""

    template: RecurringPayment
    amount: int
    reasons: list[str]
    order_id: int | None = None


def _items(templates: list[RecurringPayment], month: dt.date, variable: Mapping[int, Any]) -> list[MonthItem]:
    done = set(
        ImportedInvoice.objects.filter(
            accepted=True, invoice_number__in=[key_of(t, month) for t in templates]
        ).values_list("invoice_number", flat=True)
    )
    items = []
    for template in templates:
        reasons = []
        extra = 0
        if key_of(template, month) in done:
            reasons.append(f"{month.year}年{month.month}月分は作成済みです。")
        if template.variable:
            raw = variable.get(template.pk)
            if raw in (None, ""):
                reasons.append("変動分の金額を入力してください。")
            else:
                try:
                    extra = parse_yen(raw, field="variable", label="変動分", minimum=0)
                except ValidationFailed as exc:
                    reasons.append(exc.message)
        items.append(MonthItem(template, template.base_amount + extra, reasons))
    return items


def _draft(item: MonthItem, month: dt.date, day: dt.date) -> OrderDraft:
    t = item.template
    return OrderDraft(
        key=str(t.pk),
        title=f"{t.name}（{month.year}年{month.month}月分）の支払について"[:200],
        kind="combined",
        lines=[OrderLineInput(creditor=t.creditor, amount=item.amount, tax_rate=t.tax_rate, description=t.name[:100])],
        payment_date=pay_date(t, month, day),
        line=t.line,
        invoice_received_on=day,
        description=f"定例支払 {t.name} {month.year}年{month.month}月分"[:200],
        body="定例支払から作成した支出負担行為兼支出命令です。",
    )


def _store(actor: User, month: dt.date, items: list[MonthItem]) -> InvoiceImport:
    accepted = sum(1 for i in items if i.order_id)
    run = InvoiceImport.objects.create(
        created_by=actor,
        source=ImportSource.TEMPLATE,
        total=len(items),
        accepted=accepted,
        rejected=len(items) - accepted,
    )
    minutes = int(getattr(settings, "CITYHALL_MINUTES_PER_SLIP", {}).get(InvoiceKind.TEMPLATE, 0))
    ImportedInvoice.objects.bulk_create(
        ImportedInvoice(
            invoice_import=run,
            position=n,
            file_name=item.template.name[:255],
            file_sha256="",
            invoice_number=key_of(item.template, month),
            registration_number=item.template.creditor.invoice_registration_number[:20],
            seller_name=item.template.creditor.name[:200],
            payable=item.amount,
            kind=InvoiceKind.TEMPLATE,
            minutes_saved=minutes if item.order_id else 0,
            accepted=item.order_id is not None,
            reasons=[{"field": "template", "message": r} for r in item.reasons],
            creditor=item.template.creditor,
            order_id=item.order_id,
        )
        for n, item in enumerate(items, start=1)
    )
    record(
        actor=actor, action="automation.recurring.month", obj=run, after={"month": f"{month:%Y-%m}", "orders": accepted}
    )
    return run


def recurring_month(
    *, actor: Any, month: dt.date, variable: Mapping[int, Any] | None = None, on: dt.date | None = None
) -> list[MonthItem]:
    """Draft the month's orders of the actor's section's active templates; each refused one says why."""
    actor = require_user(actor)
    day = today(on)
    month = month.replace(day=1)
    templates = list(
        RecurringPayment.objects.filter(section=_section(actor, day), is_active=True).select_related("creditor", "line")
    )
    if not templates:
        raise ValidationFailed("定例支払が登録されていません。", field="month")
    items = _items(templates, month, variable or {})
    ready = [i for i in items if not i.reasons]
    try:
        with transaction.atomic(durable=True):
            results = payment_orders_draft_many(actor=actor, drafts=[_draft(i, month, day) for i in ready], on=day)
            for item, result in zip(ready, results, strict=True):
                if result.order is not None:
                    item.order_id = result.order.pk
                elif result.error is not None:
                    item.reasons.append(result.error.message)
            import_saved_time(actor, _store(actor, month, items))
    except IntegrityError as exc:  # generated at the same moment by a colleague
        raise Conflict(f"{month.year}年{month.month}月分は同時に作成されました。画面を更新してください。") from exc
    return items


def month_summary(items: list[MonthItem]) -> str:
    made = [i for i in items if i.order_id]
    total = sum(i.amount for i in made)
    return f"{len(items)}件中 {len(made)}件の支出命令を起案しました（計 {format_yen(total)}）。"
