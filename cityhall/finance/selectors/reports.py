"""Budget execution status (予算執行状況): figures per budget line and per section, and the drill-down.

One definition of the figures, each a grouped SQL aggregate (a few queries per page, none per row):

- 予算現額 (budget): versions (当初 + 補正) + decided transfers in (流用・予備費充用・繰越)
  − transfers out, held from their submission (as ``balance.line_amount``);
- 配当額 (allotted): Σ allotments to sections;
- 負担額 (encumbered): encumbrances holding budget (回議中・決裁済・完結, not cancelled) with the
  increases of 変更契約 in circulation, plus the orders without encumbrance (兼・集合) holding and not
  returned, as in the hard stop;
- 支出命令額 (ordered): Σ of the holding, non-returned orders of every kind;
- 支出済額 (paid): Σ of the orders in a payment batch marked paid (支払済), less their 戻入 (令159条);
- 戻入額 (refunded): Σ of the refunds of those orders, taken off 支出命令額 and 支出済額 (and off 負担額 for
  orders without encumbrance, as in the hard stop);
- 精算待ち (unsettled): 資金前渡・概算払 paid and not yet settled (令161・162条);
- 残額 (remaining): 予算現額 − 負担額 for a line; 配当額 − 負担額 (執行可能額) for a section and for
  a line when the report is limited to one section;
- 執行率 (rate): 負担額 ÷ the base of 残額, in percent.

会計, 会計管理者 and the executive (市長・副市長) see whole lines; a 部長 sees what was allotted to the
課 under their 部, other officials what was allotted to their own 課 (``selectors.budget.visible_sections``).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import F, Model, Q, QuerySet, Sum
from django.db.models.functions import Length
from django.utils import timezone
from django.utils.translation import pgettext

from cityhall.accounts.models import User
from cityhall.core.errors import PermissionDenied
from cityhall.core.japanese.display import shown_yen
from cityhall.documents.models import DECIDED_STATUSES
from cityhall.finance.balance import GIVING, HOLDING_STATUSES, holding_orders, pending_increases
from cityhall.finance.models import (
    SELF_COMMITTING_KINDS,
    Allotment,
    BatchStatus,
    BudgetAmount,
    BudgetLine,
    BudgetTransfer,
    Encumbrance,
    Level,
    OrderRefund,
    PaymentMethod,
    PaymentOrder,
    PaymentTiming,
    ReviewStatus,
    heading_code,
)
from cityhall.finance.selectors.budget import visible_sections
from cityhall.org.models import OrgUnit

DEFAULT_PAGE_SIZE = 50
DRILL_DOWN_LIMIT = 200
_HUNDRED = Decimal(100)
_ONE_DECIMAL = Decimal("0.1")

# Lines in the order of the budget book: account, 款, 項, 目 (codes compared as numbers), 節, 細節.
_LINE_ORDER: tuple[Any, ...] = (
    "account__sort_order",
    "account__code",
    Length("moku__parent__parent__code"),
    "moku__parent__parent__code",
    Length("moku__parent__code"),
    "moku__parent__code",
    Length("moku__code"),
    "moku__code",
    "setsu__sort_order",
    Length("saisetsu__code"),
    "saisetsu__code",
    "pk",
)


@dataclass(frozen=True)
class Figures:
    """The execution figures (執行状況の数値) of a line, a section or a total, in whole yen."""

    budget: int  # 予算現額 (a section's: its 配当額)
    allotted: int  # 配当額
    encumbered: int  # 負担額
    ordered: int  # 支出命令額
    paid: int  # 支出済額 (less 戻入)
    remaining: int  # 残額 (執行可能額)
    refunded: int = 0  # 戻入額 (令159条): already taken off 支出済額
    unsettled: int = 0  # 精算待ち: 資金前渡・概算払 paid and not yet settled (令161・162条)

    @property
    def base(self) -> int:
        """The amount 残額 is counted from (予算現額 or 配当額)."""
        return self.remaining + self.encumbered

    @property
    def rate(self) -> Decimal | None:
        """執行率 (%): 負担額 ÷ base, one decimal; None without a base."""
        if self.base <= 0:
            return None
        return (Decimal(self.encumbered) * _HUNDRED / Decimal(self.base)).quantize(_ONE_DECIMAL, ROUND_HALF_UP)

    def __add__(self, other: Figures) -> Figures:
        mine, theirs = (
            (*self.as_tuple(), self.refunded, self.unsettled),
            (*other.as_tuple(), other.refunded, other.unsettled),
        )
        return Figures(*(a + b for a, b in zip(mine, theirs, strict=True)))

    def as_tuple(self) -> tuple[int, int, int, int, int, int]:
        """The six amounts in column order."""
        return (self.budget, self.allotted, self.encumbered, self.ordered, self.paid, self.remaining)


ZERO = Figures(0, 0, 0, 0, 0, 0)


@dataclass(frozen=True)
class LineRow:
    """One budget line (予算明細) of the report with its figures."""

    line_id: int
    account: str
    kan: str
    kou: str
    moku: str
    setsu: str
    saisetsu: str
    label: str
    figures: Figures


@dataclass(frozen=True)
class LineReport:
    """A page of the report by line (科目別), with the total over every line the filters select."""

    fiscal_year: int
    section_id: int | None  # the section the figures are limited to; None for the whole line or a 部長's 課
    rows: tuple[LineRow, ...]
    total: Figures
    count: int
    page: int
    page_size: int | None
    limited: bool = False  # figures of the allotments to some sections only (残額 = 執行可能額)

    @property
    def num_pages(self) -> int:
        """Number of pages (at least 1)."""
        if not self.page_size:
            return 1
        return max(1, -(-self.count // self.page_size))

    @property
    def has_previous(self) -> bool:
        """Whether there is a page before this one."""
        return self.page > 1

    @property
    def has_next(self) -> bool:
        """Whether there is a page after this one."""
        return self.page < self.num_pages


@dataclass(frozen=True)
class SectionRow:
    """One section (課) of the report by section with its figures."""

    section_id: int
    code: str
    name: str
    figures: Figures


@dataclass(frozen=True)
class SectionReport:
    """The report by section (課別) and its total."""

    fiscal_year: int
    rows: tuple[SectionRow, ...]
    total: Figures


@dataclass(frozen=True)
class DocumentRow:
    """A document behind a line's figures (drill-down): an encumbrance or a payment order."""

    document_id: int
    number_label: str
    title: str
    kind: str
    section: str
    drafted_on: dt.date
    state: str
    amount: int
    counts: bool  # whether it counts in the figures now
    method: str = ""  # 支払方法 (and 概算払・前金払) of an order
    notes: tuple[str, ...] = ()  # 精算待ち・精算済・戻入・過年度支出 of an order


@dataclass(frozen=True)
class LineDocuments:
    """The drill-down of one line (明細の内訳): its figures, encumbrances and payment orders."""

    fiscal_year: int
    section_id: int | None
    line: LineRow
    sections: tuple[SectionRow, ...]  # the line's allotments (配当先の課) with their figures
    encumbrances: tuple[DocumentRow, ...]
    encumbrance_count: int
    orders: tuple[DocumentRow, ...]
    order_count: int
    limited: bool = False  # figures of the allotments to some sections only (残額 = 執行可能額)


def _pk(value: Model | int | None) -> int | None:
    return value.pk if isinstance(value, Model) else value


@dataclass(frozen=True)
class ReportScope:
    """What a report shows the user: whether anything, and whose allotments the figures count."""

    visible: bool
    section_id: int | None  # the one section the figures are limited to
    in_section: Q  # the condition on a row's section (Q() for whole lines)
    limited: bool  # whether the figures count some sections' allotments only (残額 = 執行可能額)


def report_scope(user: User, section: OrgUnit | int | None, *, on: dt.date | None = None) -> ReportScope:
    """The scope of a report (``selectors.budget.visible_sections``): a chosen section the user may see, or by default
    whole lines (会計, 会計管理者, the executive), the 課 under their 部 (部長), or their own 課."""
    day = on or timezone.localdate()
    wanted = _pk(section)
    scope = visible_sections(user, on=day)
    if wanted is not None:
        visible = scope.units is None or scope.units.filter(pk=wanted).exists()
        return ReportScope(visible, wanted, Q(section_id=wanted), limited=True)
    if scope.whole_lines or scope.units is None:
        return ReportScope(True, None, Q(), limited=False)
    own = list(scope.units.values_list("pk", flat=True)[:2])
    if len(own) == 1:  # one 課: the figures are that section's, as when it is chosen
        return ReportScope(True, own[0], Q(section_id=own[0]), limited=True)
    return ReportScope(bool(own), None, scope.q(), limited=True)


Sums = Counter[str]  # allotted, encumbered, unencumbered (兼・集合), ordered, paid
Spending = dict[tuple[int, int], Sums]  # per (line, section)


def _grouped(rows: QuerySet[Any], **sums: Sum) -> dict[tuple[int, int], dict[str, int]]:
    """Sums per (line, section) in one GROUP BY query."""
    grouped = rows.order_by().values("line", "section").annotate(**sums)
    return {(row["line"], row["section"]): {name: int(row[name] or 0) for name in sums} for row in grouped}


def _spending(lines: Any, in_section: Q) -> Spending:
    """Allotted, encumbered, ordered and paid per (line, section) of ``lines`` (ids or a subquery of pks)
    and of the sections ``in_section`` selects (``ReportScope.in_section``).

    Four grouped queries (the fourth: increases by 変更契約 in circulation) whatever the number of orders;
    their rows are as many as the allotments.
    """
    encumbrances = Encumbrance.objects.filter(
        in_section, line__in=lines, cancelled_at__isnull=True, document__status__in=HOLDING_STATUSES
    )
    increases = (
        pending_increases()
        .filter(encumbrance__in=encumbrances)
        .order_by()
        .values("encumbrance__line", "encumbrance__section")
        .annotate(total=Sum(F("new_amount") - F("previous_amount")))
    )
    parts = (
        _grouped(Allotment.objects.filter(in_section, line__in=lines), allotted=Sum("amount")),
        _grouped(encumbrances, encumbered=Sum("amount")),
        {
            (row["encumbrance__line"], row["encumbrance__section"]): {"encumbered": int(row["total"] or 0)}
            for row in increases
        },
        _grouped(
            holding_orders().filter(in_section, line__in=lines),
            ordered=Sum("total_amount"),
            unencumbered=Sum("total_amount", filter=Q(kind__in=SELF_COMMITTING_KINDS)),
            paid=Sum("total_amount", filter=Q(batch__status=BatchStatus.PAID)),
        ),
    )
    spent: Spending = defaultdict(Counter)
    for part in (*parts, _refunds(lines, in_section)):
        for key, sums in part.items():
            spent[key].update(sums)
    return spent


def _refunds(lines: Any, in_section: Q) -> dict[tuple[int, int], dict[str, int]]:
    """戻入 per (line, section) of the holding orders, and the paid advances and estimates not yet settled."""
    orders = holding_orders().filter(in_section, line__in=lines)
    refunds = (
        OrderRefund.objects.filter(order__in=orders)
        .order_by()
        .values("order__line", "order__section")
        .annotate(
            refunded=Sum("amount"),
            refunded_unencumbered=Sum("amount", filter=Q(order__kind__in=SELF_COMMITTING_KINDS)),
        )
    )
    out: dict[tuple[int, int], dict[str, int]] = {
        (row["order__line"], row["order__section"]): {
            "refunded": int(row["refunded"] or 0),
            "refunded_unencumbered": int(row["refunded_unencumbered"] or 0),
        }
        for row in refunds
    }
    unsettled = _grouped(
        orders.filter(
            Q(payment_method=PaymentMethod.ADVANCE) | Q(payment_timing=PaymentTiming.ESTIMATE),
            batch__status=BatchStatus.PAID,
            settlement__isnull=True,
        ),
        unsettled=Sum("total_amount"),
    )
    for key, sums in unsettled.items():
        out.setdefault(key, {}).update(sums)
    return out


def _by(spent: Spending, position: int) -> dict[int, Sums]:
    """The (line, section) sums added up per line (position 0) or per section (position 1)."""
    totals: dict[int, Sums] = defaultdict(Counter)
    for key, sums in spent.items():
        totals[key[position]].update(sums)
    return totals


def _figures(sums: Sums, *, budget: int, base: int) -> Figures:
    held = sums["encumbered"] + sums["unencumbered"] - sums["refunded_unencumbered"]
    refunded = sums["refunded"]
    return Figures(
        budget,
        sums["allotted"],
        held,
        sums["ordered"] - refunded,
        sums["paid"] - refunded,
        base - held,
        refunded=refunded,
        unsettled=sums["unsettled"],
    )


def _budgets(lines: Any) -> Counter[int]:
    """予算現額 per line: versions + decided transfers in − transfers out held from submission."""
    budgets: Counter[int] = Counter()
    sources = (
        (BudgetAmount.objects.filter(line__in=lines), "line", 1),
        (BudgetTransfer.objects.filter(target__in=lines, document__status__in=DECIDED_STATUSES), "target", 1),
        (BudgetTransfer.objects.filter(GIVING, source__in=lines), "source", -1),
    )
    for rows, key, sign in sources:
        for row in rows.order_by().values(key).annotate(total=Sum("amount")):
            budgets[row[key]] += sign * int(row["total"] or 0)
    return budgets


def _line_figures(
    lines: Any, scope: ReportScope, keys: Iterable[int], spent: Spending | None = None
) -> dict[int, Figures]:
    """The figures of each line in ``keys``; ``lines`` selects them in SQL (ids or a subquery of pks)."""
    budgets = _budgets(lines)
    per_line = _by(_spending(lines, scope.in_section) if spent is None else spent, 0)
    return {
        k: _figures(per_line[k], budget=budgets[k], base=per_line[k]["allotted"] if scope.limited else budgets[k])
        for k in keys
    }


def _lines(fiscal_year: int, scope: ReportScope | None, filters: dict[str, Model | int | None]) -> QuerySet[BudgetLine]:
    """The lines the filters (account, kan, kou, moku, setsu) select; with a limited scope, only the lines
    allotted to its sections (a subquery, so that a line allotted to two of them comes once)."""
    paths = {
        "account": "account_id",
        "kan": "moku__parent__parent_id",
        "kou": "moku__parent_id",
        "moku": "moku_id",
        "setsu": "setsu_id",
    }
    chosen = {paths[name]: _pk(value) for name, value in filters.items() if value is not None}
    rows = BudgetLine.objects.filter(fiscal_year=fiscal_year, **chosen)
    if scope is not None and scope.limited:
        rows = rows.filter(pk__in=Allotment.objects.filter(scope.in_section).values("line"))
    return rows


def _heading(obj: Any, level: str) -> str:
    return f"{heading_code(level, obj.code)}{obj.name}" if obj is not None else ""


def _row(line: BudgetLine, figures: Figures) -> LineRow:
    kou = line.moku.parent
    kan = kou.parent if kou is not None else None
    return LineRow(
        line_id=line.pk,
        account=line.account.name,
        kan=_heading(kan, Level.KAN),
        kou=_heading(kou, Level.KOU),
        moku=_heading(line.moku, Level.MOKU),
        setsu=_heading(line.setsu, Level.SETSU),
        saisetsu=f"{line.saisetsu.code} {line.saisetsu.name}" if line.saisetsu is not None else "",
        label=line.label,
        figures=figures,
    )


def _line_report(
    fiscal_year: int,
    lines: QuerySet[BudgetLine],
    scope: ReportScope,
    page: int,
    page_size: int | None,
    spent: Spending | None,
) -> LineReport:
    ids = list(lines.order_by(*_LINE_ORDER).values_list("pk", flat=True))
    count = len(ids)
    page = max(1, min(page, -(-count // page_size) if page_size else 1))
    page_ids = ids[(page - 1) * page_size : page * page_size] if page_size else ids
    # One grouped pass over every selected line gives the page's rows and the total alike:
    # the sums cost the same for one line or all, and are as many as the lines, not the orders.
    figures = _line_figures(lines.values("pk"), scope, ids, spent)
    page_lines = lines.select_related("account", "moku__parent__parent", "setsu", "saisetsu").in_bulk(page_ids)
    rows = tuple(_row(page_lines[pk], figures[pk]) for pk in page_ids)
    total = sum(figures.values(), ZERO)
    return LineReport(fiscal_year, scope.section_id, rows, total, count, page, page_size, scope.limited)


def _section_report(fiscal_year: int, spent: Spending) -> SectionReport:
    per_section = _by(spent, 1)
    units = OrgUnit.objects.filter(pk__in=list(per_section)).order_by("sort_order", "code")
    rows = []
    for unit in units:
        sums = per_section[unit.pk]
        figures = _figures(sums, budget=sums["allotted"], base=sums["allotted"])  # a section's budget is its 配当額
        rows.append(SectionRow(unit.pk, unit.code, unit.name, figures))
    return SectionReport(fiscal_year, tuple(rows), sum((row.figures for row in rows), ZERO))


def execution_by_line(
    user: User,
    *,
    fiscal_year: int,
    section: OrgUnit | int | None = None,
    page: int = 1,
    page_size: int | None = DEFAULT_PAGE_SIZE,
    on: dt.date | None = None,
    **filters: Model | int | None,
) -> LineReport:
    """The report by line (科目別の予算執行状況): one page of lines and the total of all selected lines.

    ``filters``: account, kan, kou, moku, setsu (objects or ids). ``page_size=None`` gives every line.
    """
    scope = report_scope(user, section, on=on)
    if not scope.visible:
        return LineReport(fiscal_year, scope.section_id, (), ZERO, 0, 1, page_size, scope.limited)
    return _line_report(fiscal_year, _lines(fiscal_year, scope, filters), scope, page, page_size, None)


def execution_by_section(
    user: User,
    *,
    fiscal_year: int,
    section: OrgUnit | int | None = None,
    on: dt.date | None = None,
    **filters: Model | int | None,
) -> SectionReport:
    """The report by section (課別の予算執行状況): each section allotted on the selected lines, and the total."""
    scope = report_scope(user, section, on=on)
    if not scope.visible:
        return SectionReport(fiscal_year, (), ZERO)
    lines = _lines(fiscal_year, None, filters)
    return _section_report(fiscal_year, _spending(lines.values("pk"), scope.in_section))


def execution_report(
    user: User,
    *,
    fiscal_year: int,
    section: OrgUnit | int | None = None,
    on: dt.date | None = None,
    **filters: Model | int | None,
) -> tuple[LineReport, SectionReport]:
    """Every selected line and every section (the Excel file) from one pass over the orders."""
    scope = report_scope(user, section, on=on)
    if not scope.visible:
        empty = LineReport(fiscal_year, scope.section_id, (), ZERO, 0, 1, None, scope.limited)
        return empty, SectionReport(fiscal_year, (), ZERO)
    lines = _lines(fiscal_year, scope, filters)
    spent = _spending(lines.values("pk"), scope.in_section)
    return _line_report(fiscal_year, lines, scope, 1, None, spent), _section_report(fiscal_year, spent)


def _encumbrance_row(enc: Encumbrance) -> DocumentRow:
    doc = enc.document
    counts = enc.cancelled_at is None and doc.status in HOLDING_STATUSES
    return DocumentRow(
        document_id=doc.pk,
        number_label=doc.number_label,
        title=doc.title,
        kind=str(Encumbrance._meta.verbose_name),
        section=enc.section.name,
        drafted_on=doc.drafted_on,
        state=pgettext("encumbrance state", "取消") if enc.cancelled_at is not None else doc.get_status_display(),
        amount=enc.amount,
        counts=counts,
    )


def _order_state(order: PaymentOrder) -> str:
    if order.review_status == ReviewStatus.RETURNED:
        return str(ReviewStatus.RETURNED.label)
    if order.batch is not None and order.batch.status == BatchStatus.PAID:
        return str(BatchStatus.PAID.label)
    if order.review_status == ReviewStatus.APPROVED:
        return str(ReviewStatus.APPROVED.label)
    return order.document.get_status_display()


def _order_method(order: PaymentOrder) -> str:
    method = order.get_payment_method_display()
    if order.payment_timing != PaymentTiming.REGULAR:
        return f"{method}（{order.get_payment_timing_display()}）"
    return str(method)


def _order_notes(order: PaymentOrder) -> tuple[str, ...]:
    notes = []
    if order.prior_fiscal_year is not None:
        notes.append(pgettext("order note", "過年度支出（%(year)s年度分）") % {"year": order.prior_fiscal_year})
    settlement = getattr(order, "settlement", None)
    if settlement is not None:
        notes.append(pgettext("order note", "精算済（精算額 %(amount)s）") % {"amount": shown_yen(settlement.actual)})
        if settlement.additional:
            notes.append(pgettext("order note", "追加支払 %(amount)s") % {"amount": shown_yen(settlement.additional)})
    elif order.is_settled_later and order.batch is not None and order.batch.status == BatchStatus.PAID:
        notes.append(pgettext("order note", "精算待ち"))
    refunded = sum(refund.amount for refund in order.refunds.all())
    if refunded:
        notes.append(pgettext("order note", "戻入 %(amount)s") % {"amount": shown_yen(refunded)})
    return tuple(notes)


def _order_row(order: PaymentOrder) -> DocumentRow:
    doc = order.document
    return DocumentRow(
        document_id=doc.pk,
        number_label=doc.number_label,
        title=doc.title,
        kind=order.get_kind_display(),
        section=order.section.name,
        drafted_on=doc.drafted_on,
        state=_order_state(order),
        amount=order.total_amount,
        counts=doc.status in HOLDING_STATUSES and order.review_status != ReviewStatus.RETURNED,
        method=_order_method(order),
        notes=_order_notes(order),
    )


def _lines_by_pk(line_id: int, scope: ReportScope) -> QuerySet[BudgetLine]:
    """The line, if the scope lets it be seen (allotted to one of its sections when limited)."""
    lines = BudgetLine.objects.filter(pk=line_id)
    if scope.limited:
        lines = lines.filter(pk__in=Allotment.objects.filter(scope.in_section).values("line"))
    return lines


def line_documents(
    user: User,
    line_id: int,
    *,
    section: OrgUnit | int | None = None,
    limit: int = DRILL_DOWN_LIMIT,
    on: dt.date | None = None,
) -> LineDocuments:
    """The drill-down of a line (予算明細の内訳): figures, its sections, encumbrances and orders, newest first.

    Raises PermissionDenied alike for a missing line and for one not allotted to the user's section.
    """
    scope = report_scope(user, section, on=on)
    lines = _lines_by_pk(line_id, scope)
    line = (
        lines.select_related("account", "moku__parent__parent", "setsu", "saisetsu").first() if scope.visible else None
    )
    if line is None:
        raise PermissionDenied("この予算明細は表示できません。")
    in_section = scope.in_section
    encumbrances = Encumbrance.objects.filter(in_section, line=line).select_related("document", "section")
    orders = (
        PaymentOrder.objects.filter(in_section, line=line)
        .select_related("document", "section", "batch", "settlement")
        .prefetch_related("refunds")
    )
    newest = ("-document__drafted_on", "-pk")
    spent = _spending([line.pk], in_section)
    return LineDocuments(
        fiscal_year=line.fiscal_year,
        section_id=scope.section_id,
        line=_row(line, _line_figures([line.pk], scope, [line.pk], spent)[line.pk]),
        sections=_section_report(line.fiscal_year, spent).rows,
        encumbrances=tuple(_encumbrance_row(e) for e in encumbrances.order_by(*newest)[:limit]),
        encumbrance_count=encumbrances.count(),
        orders=tuple(_order_row(o) for o in orders.order_by(*newest)[:limit]),
        order_count=orders.count(),
        limited=scope.limited,
    )
