"""Read-side of the accounting manager's review (会計管理者審査): the queue and the checks.

``review_checks`` states the checks the law names for a payment order
(法232条の4②: 適法性, 予算, 債務確定) plus the payment date; the approving
service runs the same checks again with the allotment row locked. A fifth
check, 振込先, is listed only when it finds something: a payee account the 全銀
file could not be written for (a bank or branch dropped from zengin-code, a
stopped account, a holder name the writer refuses) would otherwise make the
export of the whole batch fail after approval. ``review_warnings`` gives what
the reviewer should know without blocking the approval (送信期限).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from cityhall.accounts.models import User
from cityhall.core.errors import ValidationFailed
from cityhall.core.japanese import closing_period_end, fiscal_year_end, is_bank_business_day
from cityhall.core.japanese.business_days import closure_reason
from cityhall.core.japanese.display import shown_date, shown_fiscal_year, shown_yen
from cityhall.documents.models import (
    DECIDED_STATUSES,
)
from cityhall.finance import balance, banks
from cityhall.finance.document_types import PAYMENT_ORDER_TYPE
from cityhall.finance.models import (
    SELF_COMMITTING_KINDS,
    PaymentMethod,
    PaymentOrder,
    PaymentOrderLine,
    ReviewStatus,
)
from cityhall.finance.selectors.batches import send_by_date
from cityhall.finance.selectors.budget import is_treasurer
from cityhall.finance.selectors.content import mask_account
from cityhall.finance.selectors.deadlines import PaymentDeadline, payment_deadline
from cityhall.finance.zengin._records import check_text

INSPECTOR_NOT_INDEPENDENT = (
    "検査員には、この支出命令と支出負担行為を起案した職員以外の職員を指定してください"
    "（地方自治法第234条の2: 契約の履行の検査は発注した者から独立して行う）。"
)


@dataclass(frozen=True)
class ReviewCheck:
    """One check of the review (審査項目): its label, whether it passes, and why (in Japanese).

    A ``warning`` passes (``ok``) and never blocks the approval; it is shown as 注意.
    """

    label: str
    ok: bool
    detail: str
    field: str = ""
    warning: bool = False


def _day(on: dt.date | None) -> dt.date:
    return on or timezone.localdate()


def _lawful(order: PaymentOrder) -> ReviewCheck:
    """適法性: decided through the engine as a payment order, and (linked) its encumbrance still stands."""
    label = pgettext("review check", "適法性")
    document = order.document
    if document.doc_type != PAYMENT_ORDER_TYPE or document.status not in DECIDED_STATUSES:
        return ReviewCheck(
            label,
            False,
            _("支出命令が決裁されていません（文書の状態: %(status)s）。") % {"status": document.get_status_display()},
            "document",
        )
    encumbrance = order.encumbrance
    if encumbrance is not None:
        if encumbrance.cancelled_at is not None:
            return ReviewCheck(label, False, _("支出負担行為が取り消されています。"), "encumbrance")
        if encumbrance.document.status not in DECIDED_STATUSES:
            return ReviewCheck(label, False, _("支出負担行為が決裁されていません。"), "encumbrance")
    return ReviewCheck(label, True, f"{document.number_label} {document.get_status_display()}")


def _within_budget(order: PaymentOrder) -> ReviewCheck:
    """予算: the order's amount is still covered (Σ ordered ≤ encumbered; the allotment not overspent)."""
    label = pgettext("review check", "予算")
    available = balance.available_amount(order.allotment)
    encumbrance = order.encumbrance
    if encumbrance is not None:
        ordered = balance.ordered_against(encumbrance, exclude_document_id=order.document_id)
        if ordered + order.total_amount > encumbrance.amount:
            return ReviewCheck(
                label,
                False,
                _(
                    "支出負担行為の残額が不足しています（負担行為額: %(encumbered)s、"
                    "他の支出命令: %(ordered)s、この支出命令: %(amount)s）。"
                )
                % {
                    "encumbered": shown_yen(encumbrance.amount),
                    "ordered": shown_yen(ordered),
                    "amount": shown_yen(order.total_amount),
                },
                "amount",
            )
    elif order.kind in SELF_COMMITTING_KINDS and available < 0:
        return ReviewCheck(
            label,
            False,
            _("予算残額が不足しています（予算科目: %(line)s、執行可能額: %(available)s、要求額: %(amount)s）。")
            % {
                "line": order.allotment.line.label,
                "available": shown_yen(available + order.total_amount),
                "amount": shown_yen(order.total_amount),
            },
            "amount",
        )
    if available < 0:  # the allotment was cut below what it already holds
        return ReviewCheck(
            label,
            False,
            _("配当額を超えて執行されています（執行可能額: %(available)s）。") % {"available": shown_yen(available)},
            "amount",
        )
    return ReviewCheck(
        label,
        True,
        _("執行可能額 %(available)s（この支出命令の額を差し引いた後）") % {"available": shown_yen(available)},
    )


def _debt_fixed(order: PaymentOrder, day: dt.date) -> ReviewCheck:
    """債務確定: inspected (検収) on or before today and by 31 March of the order's year, the invoice received."""
    label = pgettext("review check", "債務確定")
    if order.inspection_date is None:
        return ReviewCheck(label, False, _("検収日が入力されていません。"), "inspection_date")
    if order.inspection_date > day:
        return ReviewCheck(
            label,
            False,
            _("検収日（%(date)s）が未来の日付です。") % {"date": shown_date(order.inspection_date)},
            "inspection_date",
        )
    year_end = fiscal_year_end(order.fiscal_year)
    if order.inspection_date > year_end:  # a debt of the new year is never paid from the old (出納整理期間)
        return ReviewCheck(
            label,
            False,
            _("検収日（%(date)s）が%(year)s末（%(end)s）より後です（%(year)sの予算では支出できません）。")
            % {
                "date": shown_date(order.inspection_date),
                "year": shown_fiscal_year(order.fiscal_year),
                "end": shown_date(year_end),
            },
            "inspection_date",
        )
    inspector = _inspector_problem(order)
    if inspector:
        return ReviewCheck(label, False, inspector, "inspector")
    if order.invoice_received_on is None:
        return ReviewCheck(label, False, _("請求書受理日が入力されていません。"), "invoice_received_on")
    if order.invoice_received_on > day:
        return ReviewCheck(
            label,
            False,
            _("請求書受理日（%(date)s）が未来の日付です。") % {"date": shown_date(order.invoice_received_on)},
            "invoice_received_on",
        )
    return ReviewCheck(
        label,
        True,
        _("検収日 %(inspected)s（検査員 %(inspector)s）、請求書受理日 %(invoiced)s")
        % {
            "inspected": shown_date(order.inspection_date),
            "inspector": order.inspector.full_name if order.inspector else "",
            "invoiced": shown_date(order.invoice_received_on),
        },
    )


def _inspector_problem(order: PaymentOrder) -> str:
    """検査員: recorded, and neither the order's nor its encumbrance's drafter (法234条の2); "" when fine."""
    if order.inspector_id is None:
        return "検査員が入力されていません（検収をした職員を記録してください）。"
    drafters = {order.document.drafter_id}
    if order.encumbrance is not None:
        drafters.add(order.encumbrance.document.drafter_id)
    return INSPECTOR_NOT_INDEPENDENT if order.inspector_id in drafters else ""


def _payment_date(order: PaymentOrder, day: dt.date) -> ReviewCheck:
    """支払日: a bank business day (銀行営業日), today or later, by 31 May after the order's year (法235条の5)."""
    label = pgettext("review check", "支払日")
    when = order.payment_date
    closing_end = closing_period_end(order.fiscal_year)
    if when > closing_end:
        return ReviewCheck(
            label,
            False,
            _(
                "%(year)sの支出の支払予定日（%(date)s）が出納整理期間の末日（%(end)s）より後です"
                "（地方自治法第235条の5: 出納は翌年度の5月31日をもって閉鎖します）。"
            )
            % {"year": shown_fiscal_year(order.fiscal_year), "date": shown_date(when), "end": shown_date(closing_end)},
            "payment_date",
        )
    if when < day:
        return ReviewCheck(
            label, False, _("支払予定日（%(date)s）が過ぎています。") % {"date": shown_date(when)}, "payment_date"
        )
    if not is_bank_business_day(when):
        reason = closure_reason(when, "bank") or _("休業日")
        return ReviewCheck(
            label,
            False,
            _("支払予定日（%(date)s）は銀行の休業日（%(reason)s）です。")
            % {"date": shown_date(when), "reason": reason},
            "payment_date",
        )
    return ReviewCheck(label, True, _("%(date)s（銀行営業日）") % {"date": shown_date(when)})


def _line_problems(line: PaymentOrderLine) -> list[str]:
    """What would stop the 全銀 file for one transfer line, each naming the line and creditor.

    The same tests as the export (``services.batches``): an account of the line's
    creditor, its bank and branch in zengin-code, and the holder name through the
    writer's own field check; besides, the account must not be stopped.
    """
    row = _("%(position)s行目（%(creditor)s）") % {"position": line.position, "creditor": line.creditor.name}
    account = line.bank_account
    if account is None:
        return [_("%(row)s: 振込口座が指定されていません") % {"row": row}]
    problems: list[str] = []
    if account.creditor_id != line.creditor_id:
        problems.append(_("%(row)s: 振込口座がこの債権者の口座ではありません") % {"row": row})
    if not account.is_active:
        named = f"{account.bank_name} {account.branch_name} {mask_account(account.account_number)}"
        problems.append(_("%(row)s: 振込口座（%(account)s）は停止されています") % {"row": row, "account": named})
    try:
        banks.branch(account.bank_code, account.branch_code)
    except ValidationFailed as error:
        problems.append(f"{row}: {error.message.rstrip('。')}")
    try:
        check_text(account.holder_kana, banks.HOLDER_NAME_MAX, row, "口座名義", field="holder_kana", record=0)
    except ValidationFailed as error:
        problems.append(error.message.rstrip("。"))
    return problems


def _order_lines(order: PaymentOrder) -> list[PaymentOrderLine]:
    return list(order.lines.select_related("creditor", "bank_account").order_by("position"))


def _payee_problems(order: PaymentOrder) -> list[str]:
    """What would stop the 全銀 file for the order's transfer lines (one query per order)."""
    return [problem for line in _order_lines(order) for problem in _line_problems(line)]


@dataclass(frozen=True)
class PayeeRow:
    """One line of an order as the review card shows where it pays (振込先).

    The account number is masked to its last four digits (``mask_account``), as on
    every screen; ``problems`` is the 振込先 check of this line (empty: 適).
    """

    position: int
    creditor: str
    amount: int
    bank: str
    branch: str
    account_type: str
    account_number: str
    holder_kana: str
    problems: tuple[str, ...]
    transfer: bool

    @property
    def ok(self) -> bool:
        return not self.problems


def review_payees(order: PaymentOrder) -> list[PayeeRow]:
    """Each line's payee, bank, branch, type, masked number, holder and the 振込先 check (審査カードの振込先)."""
    transfer = order.payment_method == PaymentMethod.TRANSFER
    rows = []
    for line in _order_lines(order):
        account = line.bank_account if transfer else None
        rows.append(
            PayeeRow(
                position=line.position,
                creditor=f"{line.creditor.name}（{line.creditor.code}）",
                amount=line.amount - line.withholding,
                bank=f"{account.bank_name}（{account.bank_code}）" if account else "",
                branch=f"{account.branch_name}（{account.branch_code}）" if account else "",
                account_type=str(account.get_account_type_display()) if account else "",
                account_number=mask_account(account.account_number) if account else "",
                holder_kana=account.holder_kana if account else "",
                problems=tuple(_line_problems(line)) if transfer else (),
                transfer=transfer,
            )
        )
    return rows


def _payees(order: PaymentOrder) -> ReviewCheck | None:
    """振込先: every transfer line can be written to the 全銀 file; listed only when one cannot."""
    if order.payment_method != PaymentMethod.TRANSFER:
        return None
    problems = _payee_problems(order)
    if not problems:
        return None
    return ReviewCheck(pgettext("review check", "振込先"), False, "。".join(problems) + "。", "bank_account")


def review_checks(order: PaymentOrder, *, on: dt.date | None = None) -> list[ReviewCheck]:
    """The review checks of a payment order (審査項目: 適法性・予算・債務確定・支払日), in that order.

    振込先 follows when a transfer line cannot be written to the 全銀 file (see ``_payees``).
    """
    day = _day(on)
    checks = [_lawful(order), _within_budget(order), _debt_fixed(order, day), _payment_date(order, day)]
    payees = _payees(order)
    if payees is not None:
        checks.append(payees)
    return checks


def review_warnings(order: PaymentOrder, *, on: dt.date | None = None) -> list[ReviewCheck]:
    """Warnings of the review (注意), which never block the approval: 支払期限 when near or past
    (``deadlines``), 送信期限 when past for a transfer.

    An approved order joins the batch of its payment date; when that batch's
    sending day (``send_by``) has already passed, the bank may not pay on the date.
    """
    day = _day(on)
    late = _deadline_warning(order, day)
    warnings = [late] if late is not None else []
    if order.payment_method != PaymentMethod.TRANSFER or order.payment_date < day:
        return warnings  # no file for cash; a passed payment date is refused by the 支払日 check
    deadline = send_by_date(order.payment_date)
    if day <= deadline:
        return warnings
    detail = _(
        "支払予定日（%(date)s）の振込データの送信期限（%(send_by)s）を過ぎています。"
        "審査済にしても、指定金融機関が支払予定日に振り込めない場合があります。振り込めるか確認してください。"
    ) % {"date": shown_date(order.payment_date), "send_by": shown_date(deadline)}
    warning = ReviewCheck(pgettext("review check", "送信期限"), True, detail, "payment_date", warning=True)
    return [*warnings, warning]


def _deadline_warning(order: PaymentOrder, day: dt.date) -> ReviewCheck | None:
    """支払期限: the order is paid after its legal deadline, or the deadline is near or past (注意)."""
    deadline = payment_deadline(order, on=day)
    if deadline is None or deadline.state == "ok":
        return None
    law = _("政府契約の支払遅延防止法第6条: 請求書受理日から%(days)s日") % {"days": deadline.days}
    due = shown_date(deadline.due)
    if deadline.paid_late:
        detail = _(
            "支払予定日（%(date)s）が支払期限（%(due)s、%(law)s）より後です。"
            "期限後の支払には遅延利息が生じます（同法第8条）。"
        ) % {"date": shown_date(order.payment_date), "due": due, "law": law}
    elif deadline.days_left < 0:
        detail = _("支払期限（%(due)s、%(law)s）を%(days)s日過ぎています。") % {
            "due": due,
            "law": law,
            "days": -deadline.days_left,
        }
    else:
        detail = _("支払期限（%(due)s、%(law)s）まであと%(days)s日です。") % {
            "due": due,
            "law": law,
            "days": deadline.days_left,
        }
    return ReviewCheck(pgettext("review check", "支払期限"), True, detail, "payment_date", warning=True)


def review_queue(user: User, *, on: dt.date | None = None) -> QuerySet[PaymentOrder]:
    """Decided orders waiting for review (審査待ち), oldest payment date first; empty unless 会計管理者.

    Orders the user drafted or decided are left out: another accounting manager reviews them.
    """
    rows = PaymentOrder.objects.select_related(
        "document", "line__setsu", "section", "encumbrance", "inspector", "advance_holder"
    ).order_by("payment_date", "pk")
    if not is_treasurer(user, on=on):
        return rows.none()
    waiting = rows.filter(review_status=ReviewStatus.WAITING, document__status__in=DECIDED_STATUSES)
    # 審査の独立: an order the user drafted or decided is for another accounting manager.
    return waiting.exclude(document__drafter=user).exclude(document__decided_by=user)


def orders_near_deadline(user: User, *, on: dt.date | None = None) -> list[tuple[PaymentOrder, PaymentDeadline]]:
    """Orders waiting for review whose payment deadline is near or past (支払期限の近い・過ぎた支出命令).

    Nearest deadline first; the review queue's own permission (会計管理者, not their own orders).
    """
    day = _day(on)
    rows = review_queue(user, on=day).filter(invoice_received_on__isnull=False)
    found = [(order, deadline) for order in rows if (deadline := payment_deadline(order, on=day)) is not None]
    return sorted(((o, d) for o, d in found if d.state != "ok"), key=lambda pair: (pair[1].due, pair[0].pk))
