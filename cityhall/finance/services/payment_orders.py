"""Payment order services (支出命令): linked, combined (兼) and collective (集合) orders.

A payment order is a typed document (``finance.payment_order``) of the matter
kind 支出, so its route follows the delegation rules by amount. Three kinds:

* 支出命令 (``LINKED``) pays against a decided encumbrance of the drafter's
  section: Σ ordered ≤ the encumbrance's amount.
* 支出負担行為兼支出命令 (``COMBINED``) commits and orders in one document, only
  on the 節 of ``settings.CITYHALL_COMBINABLE_SETSU``; it counts in the hard stop like an encumbrance.
* 集合支出命令 (``COLLECTIVE``) pays many creditors from one line on one date;
  it counts in the hard stop too.

Budget is checked when drafting, when the order is submitted (``validate_submit``)
and again inside the deciding transaction (``validate_decide``), each time with the
allotment row locked: that lock is the one serialization point shared with
encumbrances, their amendments and cancellations.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.urls import reverse

from cityhall.accounts.models import User
from cityhall.core.audit import record, snapshot
from cityhall.core.bulk import insert_rows
from cityhall.core.errors import Conflict, PermissionDenied, ValidationFailed
from cityhall.core.japanese.business_days import business_day_on_or_after
from cityhall.documents import registry
from cityhall.documents.models import (
    EDITABLE_STATUSES,
    Document,
)
from cityhall.documents.rules import section_of
from cityhall.documents.typed import KEEP, draft_insert, lock_editable_document, update_document_in_transaction
from cityhall.finance.document_types import PAYMENT_ORDER_TYPE
from cityhall.finance.models import (
    Allotment,
    BudgetLine,
    Encumbrance,
    PaymentMethod,
    PaymentOrder,
    PaymentOrderLine,
    PaymentTiming,
    ReviewStatus,
)
from cityhall.finance.selectors.content import payment_order_content
from cityhall.finance.selectors.payment_orders import live_redraft
from cityhall.finance.selectors.rule_facts import payment_order_facts
from cityhall.finance.selectors.visibility import document_rule
from cityhall.finance.services._common import require_spending, require_user, today
from cityhall.finance.services.creditor_accounts import document_accounts_viewed
from cityhall.finance.services.encumbrances import acting_day
from cityhall.finance.services.payment_methods import MethodPlan, check_method
from cityhall.finance.services.payment_order_checks import (
    DESCRIPTION_MAX,
    CheckedLine,
    OrderLineInput,
    allotment_in,
    check_choices,
    check_inspector,
    check_kind,
    check_lines,
    check_payment_day,
    check_year,
    day_text,
    lock_creditors,
    optional_date,
)
from cityhall.finance.services.payment_order_locks import DraftChecks, Prepared, check_budget

PAYMENT_ORDER_LABEL = "支出命令"
NOT_FOUND = "支出命令が見つかりません。"


@dataclass(frozen=True)
class _Plan:
    """Everything checked about an order before it is written (起案・修正の内容)."""

    kind: str
    line: BudgetLine
    encumbrance: Encumbrance | None
    lines: list[CheckedLine]
    payment_method: str
    payment_date: dt.date
    inspection_date: dt.date | None
    inspector: User | None
    invoice_received_on: dt.date | None
    description: str
    method: MethodPlan

    @property
    def total(self) -> int:
        return sum(x.amount for x in self.lines)

    @property
    def withholding(self) -> int:
        return sum(x.withholding for x in self.lines)


def _plan(
    *,
    kind: str,
    lines: Sequence[OrderLineInput],
    payment_date: Any,
    line: BudgetLine | None,
    encumbrance: Encumbrance | None,
    payment_method: str,
    inspection_date: dt.date | None,
    inspector: User | None,
    drafter: User,
    invoice_received_on: dt.date | None,
    description: str,
    day: dt.date,
    method: dict[str, Any],
) -> _Plan:
    """Check everything that needs no lock; the budget comes later, locked."""
    check_choices(kind, payment_method)
    checked = check_lines(lines, payment_method)
    budget_line = check_kind(kind, line, encumbrance, checked)
    payment_date = check_payment_day(payment_date, day)
    inspection_date = optional_date(inspection_date, "inspection_date", "検収日")
    invoice_received_on = optional_date(invoice_received_on, "invoice_received_on", "請求書受理日")
    inspector = check_inspector(inspector, drafter, encumbrance)
    description = (description or "").strip()
    if len(description) > DESCRIPTION_MAX:
        raise ValidationFailed(f"摘要は{DESCRIPTION_MAX}文字以内で入力してください。", field="description")
    fy = encumbrance.fiscal_year if encumbrance is not None else budget_line.fiscal_year
    check_year(
        fy=fy,
        day=day,
        payment_date=payment_date,
        kind=kind,
        encumbrance=encumbrance,
        inspection_date=inspection_date,
    )
    method_plan = check_method(payment_method=payment_method, description=description, fy=fy, day=day, **method)
    return _Plan(
        kind=kind,
        line=budget_line,
        encumbrance=encumbrance,
        lines=checked,
        payment_method=payment_method,
        payment_date=payment_date,
        inspection_date=inspection_date,
        inspector=inspector,
        invoice_received_on=invoice_received_on,
        description=description,
        method=method_plan,
    )


def _write_lines(order: PaymentOrder, lines: list[CheckedLine]) -> None:
    # Checked lines as plain rows: an order has up to 200 of them, an import writes tens of thousands.
    insert_rows(
        PaymentOrderLine,
        (
            {
                "order_id": order.pk,
                "position": x.position,
                "creditor_id": x.creditor.pk,
                "bank_account_id": x.bank_account.pk if x.bank_account is not None else None,
                "description": x.description,
                "tax_rate": x.tax_rate,
                "amount": x.amount,
                "tax_amount": x.tax_amount,
                "withholding": x.withholding,
                "withholding_kind": x.withholding_kind,
            }
            for x in lines
        ),
    )


def _apply(order: PaymentOrder, plan: _Plan, allotment: Allotment) -> None:
    order.kind = plan.kind
    order.fiscal_year = plan.line.fiscal_year
    order.line = plan.line
    order.section = allotment.section
    order.allotment = allotment
    order.encumbrance = plan.encumbrance
    order.payment_method = plan.payment_method
    order.payment_timing = plan.method.payment_timing
    order.advance_holder = plan.method.advance_holder
    order.method_ground = plan.method.method_ground
    order.transfer_to = plan.method.transfer_to
    order.prior_fiscal_year = plan.method.prior_fiscal_year
    order.payment_date = plan.payment_date
    order.inspection_date = plan.inspection_date
    order.inspector = plan.inspector
    order.invoice_received_on = plan.invoice_received_on
    order.description = plan.description
    order.total_amount = plan.total
    order.withholding_amount = plan.withholding
    order.payment_amount = plan.total - plan.withholding


_LINE_FIELDS = [f.attname for f in PaymentOrderLine._meta.concrete_fields]


def order_snapshot(order: PaymentOrder) -> dict[str, Any]:
    """The order and its lines for the audit log (監査ログ)."""
    data = snapshot(order)
    # The lines' concrete fields as ``snapshot`` gives them, read as values (no model per line).
    lines = PaymentOrderLine.objects.filter(order=order).order_by("position").values(*_LINE_FIELDS)
    data["lines"] = list(lines)
    return data


def payment_order_draft(
    *,
    actor: Any,
    title: str,
    kind: str,
    lines: Sequence[OrderLineInput],
    payment_date: dt.date,
    line: BudgetLine | None = None,
    encumbrance: Encumbrance | None = None,
    payment_method: str = PaymentMethod.TRANSFER,
    inspection_date: dt.date | None = None,
    inspector: User | None = None,
    invoice_received_on: dt.date | None = None,
    description: str = "",
    body: str = "",
    on: dt.date | None = None,
    payment_timing: str = PaymentTiming.REGULAR,
    advance_holder: User | None = None,
    method_ground: str = "",
    transfer_to: str = "",
    prior_fiscal_year: int | None = None,
) -> PaymentOrder:
    """Draft a payment order (支出命令の起案): the document, the order and its lines in one transaction.

    ``inspector`` (検査員) is the official who inspected the delivery; the review asks for one.
    """
    actor = require_user(actor)
    day = today(on)
    plan = _plan(
        kind=kind,
        lines=lines,
        payment_date=payment_date,
        line=line,
        encumbrance=encumbrance,
        payment_method=payment_method,
        inspection_date=inspection_date,
        inspector=inspector,
        drafter=actor,
        invoice_received_on=invoice_received_on,
        description=description,
        day=day,
        method={
            "payment_timing": payment_timing,
            "advance_holder": advance_holder,
            "method_ground": method_ground,
            "transfer_to": transfer_to,
            "prior_fiscal_year": prior_fiscal_year,
        },
    )
    with transaction.atomic(durable=True):
        return _draft_in_transaction(actor, plan, day, title=title, body=body)


def _draft_in_transaction(
    actor: User,
    plan: _Plan,
    day: dt.date,
    *,
    title: str,
    body: str,
    has_personal_info: bool = False,
    is_confidential: bool = False,
    source: PaymentOrder | None = None,
    prepared: Prepared | None = None,
    index: bool = True,
) -> PaymentOrder:
    """Write a checked plan as a new draft inside the caller's transaction: budget, creditors, document, audit.

    ``source`` is the returned order being drafted again (起案し直し); the audit entry names it.
    ``prepared``: what ``DraftChecks.run`` found already (the bulk path checks outside its savepoints).
    ``index=False``: the caller indexes the document with the others it drafts (``draft_insert``).
    """
    prepared = prepared or DraftChecks().run(actor, day, plan)
    document = draft_insert(
        actor=actor,
        title=title,
        matter_kind=prepared.matter_kind,
        body=body,
        amount=plan.total,
        has_personal_info=has_personal_info,
        is_confidential=is_confidential,
        file_plan_class=prepared.file_plan_class,
        doc_type=PAYMENT_ORDER_TYPE,
        on=day,
        index=index,
    )
    order = PaymentOrder(document=document, redrafted_from=source)
    _apply(order, plan, prepared.allotment)
    order.save()
    _write_lines(order, plan.lines)
    after = order_snapshot(order)
    if source is None:
        record(actor=actor, action="finance.payment_order.create", obj=order, after=after)
    else:
        after["redrafted_from"] = {
            "order": source.pk,
            "document": source.document_id,
            "number": source.document.number_label,
        }
        record(actor=actor, action="finance.payment_order.redraft", obj=order, after=after)
    return order


def _editable_order(actor: User, order: PaymentOrder) -> tuple[Document, PaymentOrder]:
    document = lock_editable_document(actor, order.document_id)
    locked = (
        PaymentOrder.objects.select_for_update(of=("self",))
        .select_related("line", "section", "encumbrance__creditor")
        .filter(pk=order.pk, document=document)
        .first()
    )
    if locked is None:
        raise PermissionDenied(NOT_FOUND)
    return document, locked


def _current_inputs(order: PaymentOrder) -> list[OrderLineInput]:
    return [
        OrderLineInput(
            creditor=x.creditor,
            amount=x.amount,
            tax_rate=x.tax_rate,
            tax_amount=x.tax_amount,
            withholding=0 if x.withholding_kind else x.withholding,  # computed again from the kind
            bank_account=x.bank_account,
            description=x.description,
            withholding_kind=x.withholding_kind,
        )
        for x in order.lines.select_related("creditor", "bank_account").order_by("position")
    ]


def payment_order_update(
    *,
    actor: Any,
    order: PaymentOrder,
    title: Any = KEEP,
    kind: Any = KEEP,
    lines: Any = KEEP,
    payment_date: Any = KEEP,
    line: Any = KEEP,
    encumbrance: Any = KEEP,
    payment_method: Any = KEEP,
    inspection_date: Any = KEEP,
    inspector: Any = KEEP,
    invoice_received_on: Any = KEEP,
    description: Any = KEEP,
    body: Any = KEEP,
    on: dt.date | None = None,
    payment_timing: Any = KEEP,
    advance_holder: Any = KEEP,
    method_ground: Any = KEEP,
    transfer_to: Any = KEEP,
    prior_fiscal_year: Any = KEEP,
) -> PaymentOrder:
    """Change a payment order while it is 起案中 or 差戻し (支出命令の修正), with the same checks as drafting.

    Arguments not given stay as they are; the document's amount follows the total.
    """
    actor = require_user(actor)
    day = today(on)

    def pick(value: Any, old: Any) -> Any:
        return old if value is KEEP else value

    with transaction.atomic(durable=True):
        document, current = _editable_order(actor, order)
        plan = _plan(
            kind=pick(kind, current.kind),
            lines=_current_inputs(current) if lines is KEEP else lines,
            payment_date=pick(payment_date, current.payment_date),
            line=pick(line, current.line),
            encumbrance=pick(encumbrance, current.encumbrance),
            payment_method=pick(payment_method, current.payment_method),
            inspection_date=pick(inspection_date, current.inspection_date),
            inspector=pick(inspector, current.inspector),
            drafter=document.drafter,
            invoice_received_on=pick(invoice_received_on, current.invoice_received_on),
            description=pick(description, current.description),
            day=day,
            method={
                "payment_timing": pick(payment_timing, current.payment_timing),
                "advance_holder": pick(advance_holder, current.advance_holder),
                "method_ground": pick(method_ground, current.method_ground),
                "transfer_to": pick(transfer_to, current.transfer_to),
                "prior_fiscal_year": pick(prior_fiscal_year, current.prior_fiscal_year),
            },
        )
        title = pick(title, document.title)
        if not isinstance(title, str) or not title.strip():
            raise ValidationFailed("件名を入力してください。", field="title")
        # The section the order was drafted for, not the drafter's section today: a clerk who moved
        # must not carry a draft over to the new section's budget (配当).
        allotment = allotment_in(current.section, plan.line, plan.encumbrance)
        before = order_snapshot(current)
        check_budget(plan.kind, allotment.pk, getattr(plan.encumbrance, "pk", None), plan.total, document.pk)
        lock_creditors(plan.lines)
        _apply(current, plan, allotment)
        current.save()
        current.lines.all().delete()
        _write_lines(current, plan.lines)
        update_document_in_transaction(
            actor, document, title=title.strip(), body=pick(body, document.body) or "", amount=plan.total
        )
        record(
            actor=actor,
            action="finance.payment_order.update",
            obj=current,
            before=before,
            after=order_snapshot(current),
        )
    return current


REDRAFT_NOT_ALLOWED = "返付された支出命令を起案し直せるのは、起案者と同じ課の職員だけです。"


def payment_order_redraft(*, actor: Any, order: PaymentOrder, on: dt.date | None = None) -> PaymentOrder:
    """Draft a returned order (返付) again as a new draft with the same content (起案し直し).

    The returned document stays decided and is never changed; the copy goes through the drafting
    checks (budget, fiscal year, creditors and accounts in use, banks) in one transaction. A payment
    date that has passed moves to the first bank business day from today; the drafter corrects the
    rest on the new draft's 修正 page.
    """
    actor = require_user(actor)
    day = today(on)
    with transaction.atomic(durable=True):
        # Locked so that the review cannot change it while it is copied.
        source = (
            PaymentOrder.objects.select_for_update(of=("self",))
            .select_related("document", "line", "encumbrance__creditor")
            .filter(pk=order.pk)
            .first()
        )
        if source is None:
            raise PermissionDenied(NOT_FOUND)
        section = section_of(actor, on=day)
        if section is None or section.pk != source.section_id:
            if source.document.drafter_id != actor.pk:
                raise PermissionDenied(NOT_FOUND)
            raise PermissionDenied(REDRAFT_NOT_ALLOWED)
        if source.review_status != ReviewStatus.RETURNED:
            shown = source.get_review_status_display()
            raise Conflict(f"起案し直せるのは会計管理者が返付した支出命令だけです（審査状況: {shown}）。")
        # Under the source's lock: a double click or two colleagues make one copy, not two payments.
        existing = live_redraft(source)
        if existing is not None:
            raise Conflict(
                f"この支出命令は既に起案し直されています（{existing.document.number_label} "
                f"{existing.document.title}、{existing.document.get_status_display()}）。"
            )
        document = source.document
        plan = _plan(
            kind=source.kind,
            lines=_current_inputs(source),
            payment_date=max(source.payment_date, business_day_on_or_after(day)),
            line=source.line,
            encumbrance=source.encumbrance,
            payment_method=source.payment_method,
            inspection_date=source.inspection_date,
            # The one who drafts again cannot be the inspector: they name another on the 修正 page.
            inspector=None if source.inspector_id == actor.pk else source.inspector,
            drafter=actor,
            invoice_received_on=source.invoice_received_on,
            description=source.description,
            day=day,
            method={
                "payment_timing": source.payment_timing,
                "advance_holder": source.advance_holder,
                "method_ground": source.method_ground,
                "transfer_to": source.transfer_to,
                "prior_fiscal_year": source.prior_fiscal_year,
            },
        )
        return _draft_in_transaction(
            actor,
            plan,
            day,
            title=document.title,
            body=document.body,
            has_personal_info=document.has_personal_info,
            is_confidential=document.is_confidential,
            source=source,
        )


def _order_of(document: Document) -> PaymentOrder:
    require_spending(document)
    order = PaymentOrder.objects.filter(document=document).select_related("encumbrance").first()
    if order is None:
        raise ValidationFailed("支出命令の内容が登録されていません。")
    if document.amount != order.total_amount:
        raise ValidationFailed(
            f"文書の金額（{document.amount or 0:,}円）と支出命令額（{order.total_amount:,}円）が一致しません。",
            field="amount",
        )
    return order


def _validate_decide(document: Document) -> None:
    """At the decision: the fiscal year rules on the deciding day, then the hard stop, in the deciding transaction.

    An order submitted in March and decided in April must meet the closing-period rules of April.
    """
    order = _order_of(document)
    check_year(
        fy=order.fiscal_year,
        day=acting_day(),
        payment_date=order.payment_date,
        kind=order.kind,
        encumbrance=order.encumbrance,
        inspection_date=order.inspection_date,
    )
    check_budget(order.kind, order.allotment_id, order.encumbrance_id, order.total_amount, document.pk)


def _validate_submit(document: Document) -> None:
    """At submission: the fiscal year rules on the day of submitting, then the hard stop."""
    order = _order_of(document)
    day = acting_day()
    if order.payment_date < day:
        raise ValidationFailed(
            f"支払予定日（{day_text(order.payment_date)}）が過ぎています。支払予定日を修正してから提出してください。",
            field="payment_date",
        )
    check_year(
        fy=order.fiscal_year,
        day=day,
        payment_date=order.payment_date,
        kind=order.kind,
        encumbrance=order.encumbrance,
        inspection_date=order.inspection_date,
    )
    check_budget(order.kind, order.allotment_id, order.encumbrance_id, order.total_amount, document.pk)


def _screen_url(document: Document) -> str | None:
    """The payment order screen (支出命令): its correction (修正) while editable, else its detail page."""
    pk = PaymentOrder.objects.filter(document=document).values_list("pk", flat=True).first()
    name = "finance:payment_order_edit" if document.status in EDITABLE_STATUSES else "finance:payment_order"
    return reverse(name, args=[pk]) if pk is not None else None


def register() -> None:
    """Register the payment order as a typed document (文書の型); called from ``FinanceConfig.ready``."""
    registry.register_type(
        PAYMENT_ORDER_TYPE,
        PAYMENT_ORDER_LABEL,
        validate_submit=_validate_submit,
        validate_decide=_validate_decide,
        edit_url=_screen_url,
        content=payment_order_content,
        content_viewed=document_accounts_viewed,
        visibility=document_rule,
        rule_facts=payment_order_facts,
    )


__all__ = ["PAYMENT_ORDER_TYPE", "payment_order_draft", "payment_order_redraft", "payment_order_update", "register"]
