"""What finance's typed documents decide, as the document page and the signed 起案用紙 show it (文書の内容).

The ``content`` hooks of 支出負担行為, 支出命令 and 流用・予備費充用・繰越, registered by each service's
``register()``: each reads its row beside the document and returns sections of data
(``cityhall.documents.typed.TypedContent``), never HTML.

* 支出負担行為: 款項目節, 課, 債権者, 金額, 契約方法, 履行期限, and the allotment's 執行可能額
  before and after this encumbrance (``balance.available_amount`` without it, then less its amount).
* 支出命令: its particulars, every line (債権者, 内容, 税率, 消費税額, 金額, 源泉徴収額), the payees'
  accounts (振込先: 金融機関, 支店, 預金種目, 口座番号, 口座名義カナ, 振込額), and the encumbrance it
  draws on with what is left of it (or, for 兼・集合, the allotment's 執行可能額 before and after).
* 流用・予備費充用・繰越: the lines it moves budget from and to, their 予算現額 before and after.

Who reads: account numbers are shown to their last four digits everywhere, on the signed sheet
too. A screen's ``viewer`` sees the payees' accounts only when they may open the order in finance
(``payment_orders_for``: its section, the 部長 above it, 会計, 会計管理者, the executive), and the
link to the record only when they may open it. The signed sheet (``viewer`` None) lists every
payee's account: it is the record of what was decided (原議), and anyone who may see the document
may download it, so it shows no more of an account than the screens (only 会計 and 会計管理者
see whole numbers, in finance). It still names the account beyond doubt for the 監査委員: bank
and branch codes, type, the last four digits, holder and amount, which the 全銀 file and the
order line's account row (never deleted; every change audited) match in full.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from cityhall.accounts.models import User
from cityhall.core.japanese.display import shown_fiscal_year
from cityhall.core.remote_policy import DataClass, Mode, remote_mode
from cityhall.documents.models import DECIDED_STATUSES, Document
from cityhall.documents.typed import ContentRow, ContentSection, ContentTable, TypedContent
from cityhall.finance import balance
from cityhall.finance.models import (
    BudgetLine,
    BudgetTransfer,
    Creditor,
    Encumbrance,
    PaymentMethod,
    PaymentOrder,
    PaymentOrderLine,
    PaymentTiming,
    PrepayGround,
    TransferKind,
)
from cityhall.finance.selectors.changes import change_history, history_table, possible_split
from cityhall.finance.selectors.deadlines import payment_deadline
from cityhall.finance.selectors.encumbrances import encumbrances_for
from cityhall.finance.selectors.payment_orders import payment_orders_for


def mask_account(number: str) -> str:
    """An account number as screens show it: every digit but the last four hidden (「***4567」)."""
    return "*" * max(len(number) - 4, 0) + number[-4:]


def shown_account_number(user: Any, number: str) -> str:
    """A payee's account number as the remote-access policy lets ``user`` have it here: whole, masked or ""."""
    mode = remote_mode(user, DataClass.PAYEE_ACCOUNT)
    if mode is Mode.SEE:
        return number
    return mask_account(number) if mode is Mode.MASKED else ""


def line_text(line: BudgetLine) -> str:
    """A budget line with its year: 「令和8年度 一般会計 2款総務費 … 10節需用費」."""
    return f"{shown_fiscal_year(line.fiscal_year)} {line.label}"


def _creditor(creditor: Creditor) -> str:
    return f"{creditor.name}（{creditor.code}）"


def may_open_order(viewer: User | None, order: PaymentOrder) -> bool:
    """Whether a screen's ``viewer`` may open the order in finance (and so see where it pays)."""
    return viewer is not None and payment_orders_for(viewer).filter(pk=order.pk).exists()


# --- 支出負担行為 ------------------------------------------------------------------------------------


def contract_rows(enc: Encumbrance) -> list[ContentRow]:
    """契約方法 (法234条) and, for a contract, its ground, kind, form, number and date."""
    rows = [ContentRow(_("契約方法"), enc.get_contract_method_display())]
    if not enc.is_contract:
        return rows
    if enc.contract_method == "negotiated":
        ground = enc.get_negotiated_ground_display() if enc.negotiated_ground else _("（未登録）")
        rows.append(ContentRow(_("随意契約の理由（地方自治法施行令第167条の2第1項）"), ground))
    rows += [
        ContentRow(_("契約の種類"), enc.get_contract_kind_display() or None),
        ContentRow(_("単価契約"), _("単価契約") if enc.unit_price else None),
        ContentRow(_("契約番号"), enc.contract_number or None),
        ContentRow(_("契約日"), enc.contract_date),
    ]
    return rows


def encumbrance_content(document: Document, viewer: User | None) -> TypedContent | None:
    """The encumbrance's line, section, creditor, terms and the 執行可能額 before and after it."""
    enc = (
        Encumbrance.objects.select_related("line", "section", "creditor", "allotment").filter(document=document).first()
    )
    if enc is None:
        return None
    before = balance.available_amount(enc.allotment, exclude_document_id=document.pk)
    rows = [
        ContentRow(_("予算科目（款項目節）"), line_text(enc.line)),
        ContentRow(_("課"), enc.section.name),
        ContentRow(_("債権者"), _creditor(enc.creditor)),
        ContentRow(_("債権者の住所"), enc.creditor.address or None),
        ContentRow(_("金額"), enc.amount),
    ]
    if enc.original_amount != enc.amount:
        rows.append(ContentRow(_("当初金額"), enc.original_amount))
    rows += [*contract_rows(enc), ContentRow(_("履行期限"), enc.deadline)]
    rows += [
        ContentRow(_("配当額"), enc.allotment.amount),
        ContentRow(_("執行可能額（本件の前）"), before),
        ContentRow(_("執行可能額（本件の後）"), before - enc.amount),
    ]
    if enc.cancelled_at is not None:
        rows.append(ContentRow(_("取消日"), timezone.localtime(enc.cancelled_at).date()))
        rows.append(ContentRow(_("取消理由"), enc.cancel_reason))
    sections = [ContentSection(_("支出負担行為の内容"), rows=tuple(rows))]
    if change_history(enc).exists():
        sections.append(ContentSection(_("変更の履歴"), tables=(history_table(enc),)))
    warning = possible_split(enc)
    if warning is not None:
        sections.append(ContentSection(_("注意（分割発注の疑い）"), rows=(ContentRow(_("注意"), warning.message),)))
    link = viewer is not None and encumbrances_for(viewer).filter(pk=enc.pk).exists()
    return TypedContent(
        sections=tuple(sections),
        record_url=reverse("finance:encumbrance", args=[enc.pk]) if link else None,
        record_label=_("支出負担行為の画面を開く"),
    )


# --- 支出命令 ----------------------------------------------------------------------------------------


def _deadline_day(order: PaymentOrder) -> dt.date | None:
    deadline = payment_deadline(order)
    return deadline.due if deadline is not None else None


def _payment_method_text(order: PaymentOrder) -> str:
    """支払方法, with 概算払・前金払 when the timing is not the regular one."""
    method = str(order.get_payment_method_display())
    if order.payment_timing != PaymentTiming.REGULAR:
        return f"{method}（{order.get_payment_timing_display()}）"
    return method


def _method_rows(order: PaymentOrder) -> tuple[ContentRow, ...]:
    """The method's own fields: 資金前渡職員, 前金払の根拠・口座振替の依頼, 振替先, 過年度支出の原年度."""
    rows = []
    if order.advance_holder is not None:
        rows.append(ContentRow(_("資金前渡職員"), order.advance_holder.full_name))
    if order.payment_timing == PaymentTiming.PREPAY and order.method_ground in PrepayGround.values:
        rows.append(ContentRow(_("前金払の根拠"), str(PrepayGround(order.method_ground).label)))
    elif order.method_ground:
        rows.append(ContentRow(_("口座振替の依頼（契約）"), order.method_ground))
    if order.transfer_to:
        rows.append(ContentRow(_("振替先（公金振替）"), order.transfer_to))
    if order.prior_fiscal_year is not None:
        rows.append(ContentRow(_("過年度支出の原年度"), f"{order.prior_fiscal_year}年度"))
    return tuple(rows)


def _order_rows(order: PaymentOrder) -> tuple[ContentRow, ...]:
    return (
        ContentRow(_("種類"), order.get_kind_display()),
        ContentRow(_("予算科目（款項目節）"), line_text(order.line)),
        ContentRow(_("課"), order.section.name),
        ContentRow(_("支払方法"), _payment_method_text(order)),
        *_method_rows(order),
        ContentRow(_("支払予定日"), order.payment_date),
        ContentRow(_("検収日"), order.inspection_date),
        ContentRow(_("検査員"), order.inspector.full_name if order.inspector else None),
        ContentRow(_("請求書受理日"), order.invoice_received_on),
        ContentRow(_("支払期限（支払遅延防止法）"), _deadline_day(order)),
        ContentRow(_("摘要"), order.description or None),
        ContentRow(_("支出命令額"), order.total_amount),
        ContentRow(_("源泉徴収額"), order.withholding_amount),
        ContentRow(_("支払額"), order.payment_amount),
    )


def _lines_section(lines: list[PaymentOrderLine]) -> ContentSection:
    columns = (
        _("行"),
        _("債権者"),
        _("内容"),
        _("税率"),
        _("金額（税込）"),
        _("うち消費税額"),
        _("源泉徴収額"),
        _("源泉区分"),
    )
    rows = tuple(
        (
            str(x.position),
            _creditor(x.creditor),
            x.description or None,
            x.get_tax_rate_display(),
            x.amount,
            x.tax_amount,
            x.withholding,
            x.withholding_kind_label or None,
        )
        for x in lines
    )
    sums: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for x in lines:
        sums[str(x.get_tax_rate_display())][0] += x.amount
        sums[str(x.get_tax_rate_display())][1] += x.tax_amount
    totals = tuple((label, amount, tax) for label, (amount, tax) in sums.items())
    return ContentSection(
        _("明細"),
        tables=(
            ContentTable(_("支出命令の明細"), columns, rows),
            ContentTable(_("税率ごとの合計"), (_("税率"), _("金額（税込）"), _("うち消費税額")), totals),
        ),
    )


def _payees_section(lines: list[PaymentOrderLine], shown: bool) -> ContentSection:
    """Where the money goes (振込先): one row per account, with the sum paid to it."""
    if not shown:
        note = _("振込先は、この支出命令を財務会計の画面で開ける職員にだけ表示します。")
        return ContentSection(_("振込先"), rows=(ContentRow(_("振込先"), note),))
    paid: dict[int, int] = defaultdict(int)
    accounts = {}
    for x in lines:
        if x.bank_account is not None:
            accounts[x.bank_account.pk] = (x.creditor, x.bank_account)
            paid[x.bank_account.pk] += x.amount - x.withholding
    columns = (_("債権者"), _("金融機関"), _("支店"), _("預金種目"), _("口座番号"), _("口座名義（カナ）"), _("振込額"))
    rows = tuple(
        (
            _creditor(creditor),
            f"{account.bank_name}（{account.bank_code}）",
            f"{account.branch_name}（{account.branch_code}）",
            account.get_account_type_display(),
            mask_account(account.account_number),
            account.holder_kana,
            paid[pk],
        )
        for pk, (creditor, account) in accounts.items()
    )
    caption = _("振込先の口座（口座番号は下4桁のみ表示）")
    return ContentSection(_("振込先"), tables=(ContentTable(caption, columns, rows),))


def _source_section(order: PaymentOrder, document: Document) -> ContentSection:
    """The encumbrance the order draws on and what is left of it, or the allotment's balance (兼・集合)."""
    enc = order.encumbrance
    if enc is not None:
        others = balance.ordered_against(enc, exclude_document_id=document.pk)
        rows: tuple[ContentRow, ...] = (
            ContentRow(_("文書番号・件名"), f"{enc.document.number_label} {enc.document.title}"),
            ContentRow(_("債権者"), _creditor(enc.creditor)),
            ContentRow(_("負担行為額"), enc.amount),
            ContentRow(_("支出命令済額（本件を除く）"), others),
            ContentRow(_("本件の支出命令額"), order.total_amount),
            ContentRow(_("残額（本件の後）"), enc.amount - others - order.total_amount),
        )
        return ContentSection(_("支出負担行為"), rows=rows)
    before = balance.available_amount(order.allotment, exclude_document_id=document.pk)
    rows = (
        ContentRow(_("配当額"), order.allotment.amount),
        ContentRow(_("執行可能額（本件の前）"), before),
        ContentRow(_("執行可能額（本件の後）"), before - order.total_amount),
    )
    return ContentSection(_("予算の執行可能額"), rows=rows)


def payment_order_content(document: Document, viewer: User | None) -> TypedContent | None:
    """The order's particulars, lines, payees' accounts and the encumbrance (or balance) it draws on."""
    order = (
        PaymentOrder.objects.select_related(
            "line", "section", "allotment", "encumbrance__document", "encumbrance__creditor"
        )
        .filter(document=document)
        .first()
    )
    if order is None:
        return None
    lines = list(order.lines.select_related("creditor", "bank_account").order_by("position"))
    opens = may_open_order(viewer, order)
    sections = [ContentSection(_("支出命令の内容"), rows=_order_rows(order)), _lines_section(lines)]
    if order.payment_method == PaymentMethod.TRANSFER:
        sections.append(_payees_section(lines, shown=viewer is None or opens))
    sections.append(_source_section(order, document))
    return TypedContent(
        sections=tuple(sections),
        record_url=reverse("finance:payment_order", args=[order.pk]) if opens else None,
        record_label=_("支出命令の画面を開く"),
    )


def shown_individuals(document: Document, viewer: User, *, on_sheet: bool) -> list[Creditor]:
    """The individuals (個人) whose accounts ``viewer`` was shown: on the signed sheet (``on_sheet``) every
    one; on a screen none when it hid the payees from them."""
    order = PaymentOrder.objects.filter(document=document, payment_method=PaymentMethod.TRANSFER).first()
    if order is None or not (on_sheet or may_open_order(viewer, order)):
        return []
    rows = Creditor.objects.filter(
        is_individual=True, order_lines__order=order, order_lines__bank_account__isnull=False
    ).distinct()
    return list(rows.order_by("pk"))


# --- 流用・予備費充用・繰越 --------------------------------------------------------------------------

# Translated where shown (``_(label)``); gettext_noop marks them for the catalogue.
_ENDS = {
    TransferKind.TRANSFER: (gettext_noop("流用元"), gettext_noop("流用先")),
    TransferKind.RESERVE: (gettext_noop("充用元（予備費）"), gettext_noop("充用先")),
    TransferKind.CARRY_EXPLICIT: (gettext_noop("繰越元"), gettext_noop("繰越先")),
    TransferKind.CARRY_ACCIDENT: (gettext_noop("繰越元"), gettext_noop("繰越先")),
}


def movement_content(document: Document, viewer: User | None) -> TypedContent | None:
    """The lines a 流用・予備費充用・繰越 moves budget from and to, with their 予算現額 before and after."""
    move = BudgetTransfer.objects.select_related("source", "target").filter(document=document).first()
    if move is None:
        return None
    source_before = balance.line_amount(move.source, exclude_document_id=document.pk)
    target_now = balance.line_amount(move.target)
    target_before = target_now - move.amount if document.status in DECIDED_STATUSES else target_now
    source_label, target_label = (_(label) for label in _ENDS[TransferKind(move.kind)])
    columns = (_("区分"), _("予算科目"), _("予算現額（本件の前）"), _("移動額"), _("予算現額（本件の後）"))
    table = ContentTable(
        _("移動する予算"),
        columns,
        (
            (source_label, line_text(move.source), source_before, -move.amount, source_before - move.amount),
            (target_label, line_text(move.target), target_before, move.amount, target_before + move.amount),
        ),
    )
    rows = (
        ContentRow(_("種類"), move.get_kind_display()),
        ContentRow(_("金額"), move.amount),
        ContentRow(_("理由"), move.reason),
    )
    title = _("%(kind)sの内容") % {"kind": move.get_kind_display()}
    return TypedContent(sections=(ContentSection(title, rows=rows, tables=(table,)),))
