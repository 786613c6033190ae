"""The inspection report (検査調書, 法234条の2・令167条の15) of a payment order: when it is required, and the PDF.

Required for every order paying 工事 (its 節 one of ``CITYHALL_WORKS_SETSU``, default 14 工事請負費)
and for orders buying goods (節 of ``CITYHALL_PURCHASE_SETSU``, default 10 需用費・15 原材料費・
17 備品購入費) of ``CITYHALL_INSPECTION_REPORT_FROM_YEN`` (default ¥1,000,000) or more. Below that, the
検収日 and the 検査員 on the order are the record of the inspection. The report is made from the
order once the inspection is recorded (検収日 and 検査員, who drafted neither the order nor its
encumbrance: ``payment_order_checks.check_inspector``); each download is audited.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from cityhall.core.audit import record
from cityhall.core.errors import ValidationFailed
from cityhall.finance.inspection_report import InspectionReport, file_name, render_inspection_report
from cityhall.finance.models import PaymentOrder
from cityhall.finance.selectors.deadlines import is_works
from cityhall.finance.selectors.payment_orders import payment_order_detail
from cityhall.finance.services._common import require_user
from cityhall.org import selectors as org

DEFAULT_PURCHASE_SETSU = frozenset({"10", "15", "17"})


@dataclass(frozen=True)
class InspectionRequirement:
    """Whether the order needs a 検査調書 and why (shown on the order page)."""

    required: bool
    reason: str


def inspection_requirement(order: PaymentOrder) -> InspectionRequirement:
    """Whether the order needs a 検査調書: 工事 always, goods from the configured amount."""
    if is_works(order):
        return InspectionRequirement(True, _("工事（検査調書が必要です）"))
    threshold = int(getattr(settings, "CITYHALL_INSPECTION_REPORT_FROM_YEN", 1_000_000))
    purchase = getattr(settings, "CITYHALL_PURCHASE_SETSU", DEFAULT_PURCHASE_SETSU)
    setsu = order.line.setsu
    if setsu is not None and setsu.code in purchase and order.total_amount >= threshold:
        return InspectionRequirement(
            True, _("物品の買入れで%(amount)s円以上（検査調書が必要です）") % {"amount": f"{threshold:,}"}
        )
    return InspectionRequirement(False, _("不要（検収日と検査員の記録で足ります）"))


def _contract(order: PaymentOrder) -> str:
    if order.encumbrance_id is not None and order.encumbrance is not None:
        doc = order.encumbrance.document
        return f"{doc.number_label} {doc.title}"
    return "支出負担行為兼支出命令（同一の文書）"


def _inspector_label(order: PaymentOrder) -> str:
    inspector = order.inspector
    assert inspector is not None
    post = org.primary_assignment(inspector, on=order.inspection_date)
    where = f"{post.unit.name} {post.post.name} " if post is not None else ""
    return f"{where}{inspector.full_name}"


def build_report(order: PaymentOrder) -> InspectionReport:
    """The 検査調書's contents, from the order; refused while the inspection is not recorded."""
    if order.inspection_date is None or order.inspector_id is None:
        raise ValidationFailed(
            "検査調書は、検収日と検査員を支出命令に記録してから作成できます（地方自治法第234条の2）。",
            field="inspector" if order.inspection_date is not None else "inspection_date",
        )
    creditors: list[str] = []
    for line in order.lines.all().order_by("position"):
        if line.creditor.name not in creditors:
            creditors.append(line.creditor.name)
    document = order.document
    return InspectionReport(
        municipality=document.section.municipality.name,
        number=document.number_label,
        title=document.title,
        section=order.section.name,
        contract=_contract(order),
        creditors=creditors,
        amount=order.total_amount,
        inspected_on=order.inspection_date,
        inspector=_inspector_label(order),
        works=is_works(order),
    )


def inspection_report_pdf(*, actor: Any, order_id: int, on: dt.date | None = None) -> tuple[str, bytes]:
    """The 検査調書 of an order the actor may see, as (file name, PDF bytes); the download is audited."""
    user = require_user(actor)
    order = payment_order_detail(user, order_id, on=on)
    report = build_report(order)
    content = render_inspection_report(report)
    requirement = inspection_requirement(order)
    with transaction.atomic(durable=True):
        record(
            actor=user,
            action="finance.inspection_report.download",
            obj=order,
            after={"required": requirement.required, "inspector": order.inspector_id, "size": len(content)},
        )
    return file_name(report), content
