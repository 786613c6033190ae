"""The only arithmetic of 源泉徴収 (withholding income tax on 報酬・料金, 所得税法第204条・第205条).

For a payment of 報酬・料金 to an individual (居住者), the payer withholds income tax
including the 復興特別所得税 (復興財源確保法第28条: 所得税 × 102.1 %):

    withholding = ⌊ basis × 10.21 % ⌋                                   (basis ≤ ¥1,000,000)
    withholding = ¥102,100 + ⌊ (basis − ¥1,000,000) × 20.42 % ⌋          (basis > ¥1,000,000)

per payment (同一人に対し1回に支払われる金額, 第205条第1号), rounded down to the yen
(国税通則法第119条は納付税額の端数; 源泉徴収税額の1円未満は切捨て). For 司法書士・土地家屋調査士・
海事代理士 the basis is the payment less ¥10,000 (第205条第2号, 所得税法施行令第322条), at 10.21 %.

The basis (``withholding_basis``): by default the amount **including** consumption tax, the rule
of 平成元年直法6-1「消費税法等の施行に伴う源泉所得税の取扱いについて」; the same notice lets the
payer use the amount **excluding** tax when the invoice shows the tax separately. The city chooses
with ``settings.CITYHALL_WITHHOLDING_TAX_BASIS`` (``"included"``, the default, or ``"excluded"``):
a lawyer's fee of ¥110,000 (tax ¥10,000) withholds ¥11,231 by default, ¥10,210 with ``"excluded"``.

The tax withheld in a month (徴収月) is due on the 10th of the next month (所得税法第204条第1項), the
next business day when that is a holiday (国税通則法第10条第2項): ``due_date``.

The kinds of payment (源泉区分) and their rates are a small table, ``settings.CITYHALL_WITHHOLDING_KINDS``
(default ``DEFAULT_KINDS``), each with the article it comes from.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils.translation import gettext, gettext_noop

from cityhall.core.errors import ValidationFailed
from cityhall.core.japanese import format_yen
from cityhall.core.japanese.business_days import business_day_on_or_after


@dataclass(frozen=True)
class WithholdingKind:
    """A kind of payment subject to withholding (源泉区分): rates in 1/100 % (1021 = 10.21 %)."""

    code: str
    name: str
    article: str
    rate: int = 1021
    threshold: int | None = 1_000_000  # the part above it is taxed at ``rate_above``
    rate_above: int = 2042
    deduction: int = 0  # subtracted from the basis first (司法書士等: ¥10,000)


# The names and articles are shown translated (``gettext`` where shown); gettext_noop marks them for the catalogue.
DEFAULT_KINDS: tuple[WithholdingKind, ...] = (
    WithholdingKind(
        "professional",
        gettext_noop("弁護士・税理士・公認会計士・社会保険労務士等の報酬・料金"),
        gettext_noop("所得税法第204条第1項第2号・第205条第1号"),
    ),
    WithholdingKind(
        "manuscript",
        gettext_noop("原稿料・講演料・デザイン料・翻訳料等"),
        gettext_noop("所得税法第204条第1項第1号・第205条第1号"),
    ),
    WithholdingKind(
        "scrivener",
        gettext_noop("司法書士・土地家屋調査士・海事代理士の報酬・料金"),
        gettext_noop("所得税法第204条第1項第2号・第205条第2号（1回の支払につき1万円を控除）"),
        threshold=None,
        deduction=10_000,
    ),
)

BASIS_INCLUDED = "included"  # 税込額 (直法6-1 の原則)
BASIS_EXCLUDED = "excluded"  # 税抜額 (消費税額が明確に区分されている場合)


def kinds() -> Mapping[str, WithholdingKind]:
    """The configured kinds of payment subject to withholding (源泉区分), by code, in their order."""
    table: Any = getattr(settings, "CITYHALL_WITHHOLDING_KINDS", None) or DEFAULT_KINDS
    return {kind.code: kind for kind in table}


def kind_choices() -> list[tuple[str, str]]:
    """(code, name) of every kind, for the forms, the name in the user's language."""
    return [(kind.code, gettext(kind.name)) for kind in kinds().values()]


def kind_name(code: str) -> str:
    """The kind's name, or the code itself when the table no longer has it (区分の見直し後の古い明細)."""
    kind = kinds().get(code)
    return gettext(kind.name) if kind is not None else code


def withholding_basis() -> str:
    """``"included"`` (税込, default) or ``"excluded"`` (税抜), from ``settings.CITYHALL_WITHHOLDING_TAX_BASIS``."""
    value = getattr(settings, "CITYHALL_WITHHOLDING_TAX_BASIS", BASIS_INCLUDED)
    return BASIS_EXCLUDED if value == BASIS_EXCLUDED else BASIS_INCLUDED


def basis_of(amount: int, tax_amount: int) -> int:
    """The amount withholding is computed on: 税込 ``amount``, or ``amount − tax_amount`` under ``"excluded"``."""
    return amount - tax_amount if withholding_basis() == BASIS_EXCLUDED else amount


def compute(kind: WithholdingKind, basis: int) -> int:
    """The withholding (源泉徴収税額, 復興特別所得税を含む) on one payment of ``basis`` yen, rounded down."""
    base = max(basis - kind.deduction, 0)
    if kind.threshold is None or base <= kind.threshold:
        return base * kind.rate // 10_000
    return kind.threshold * kind.rate // 10_000 + (base - kind.threshold) * kind.rate_above // 10_000


def withholding_for(code: str, amount: int, tax_amount: int) -> int:
    """The withholding of a line of ``amount`` (税込) with ``tax_amount`` of tax, for the kind ``code``."""
    return compute(kinds()[code], basis_of(amount, tax_amount))


def month_of(day: dt.date) -> dt.date:
    """The month of ``day`` as its first day (徴収月)."""
    return day.replace(day=1)


def next_month(month: dt.date) -> dt.date:
    """The first day of the month after ``month``."""
    return (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def due_date(month: dt.date) -> dt.date:
    """納期限: the 10th of the next month, or the next business day when it is a holiday (国税通則法第10条第2項)."""
    return business_day_on_or_after(next_month(month).replace(day=10), "city")


def month_label(month: dt.date) -> str:
    """「2026年11月分」."""
    return f"{month.year}年{month.month}月分"


def _row(position: int) -> str:
    return f"明細{position}行目"


def check_line_withholding(
    *, position: int, kind_code: Any, creditor: Any, amount: int, tax_amount: int, typed: int
) -> tuple[str, int]:
    """The line's 源泉区分 and its withholding, computed (所得税法第204条・第205条); a typed amount must match.

    No kind: no withholding (a typed amount is refused, as it would be deducted and tracked nowhere).
    A kind on a creditor who is not an individual (個人) is refused: 第204条第1項 withholds on
    報酬・料金 paid to individuals (居住者).
    """
    code = kind_code.strip() if isinstance(kind_code, str) else ""
    field = f"lines.{position}.withholding_kind"
    if not code:
        if typed:
            raise ValidationFailed(
                f"{_row(position)}: 源泉徴収額（{format_yen(typed)}）を差し引くには源泉区分を選んでください"
                "（源泉徴収額は源泉区分と金額から計算します。所得税法第204条第1項・第205条）。",
                field=field,
            )
        return "", 0
    kind = kinds().get(code)
    if kind is None:
        raise ValidationFailed(
            f"{_row(position)}: 源泉区分「{code}」はありません。一覧から選んでください。", field=field
        )
    if not getattr(creditor, "is_individual", False):
        raise ValidationFailed(
            f"{_row(position)}: 債権者「{creditor.name}」は個人ではないため源泉徴収できません"
            "（所得税法第204条第1項: 源泉徴収は個人に支払う報酬・料金等が対象です）。"
            "個人の場合は債権者の「個人事業者」を確かめてください。",
            field=field,
        )
    computed = compute(kind, basis_of(amount, tax_amount))
    if typed and typed != computed:
        basis = "税抜額" if withholding_basis() == BASIS_EXCLUDED else "税込額"
        raise ValidationFailed(
            f"{_row(position)}: 源泉徴収額（{format_yen(typed)}）が源泉区分「{kind.name}」で計算した額"
            f"（{format_yen(computed)}: {basis}{format_yen(basis_of(amount, tax_amount))}に対し、"
            "復興特別所得税を含む10.21%、100万円を超える部分は20.42%、1円未満切捨て）と一致しません"
            f"（{kind.article}）。源泉徴収額は空欄にすれば計算されます。",
            field=f"lines.{position}.withholding",
        )
    return code, computed


__all__ = [
    "BASIS_EXCLUDED",
    "BASIS_INCLUDED",
    "DEFAULT_KINDS",
    "WithholdingKind",
    "basis_of",
    "check_line_withholding",
    "compute",
    "due_date",
    "kind_choices",
    "kind_name",
    "kinds",
    "month_label",
    "month_of",
    "next_month",
    "withholding_basis",
    "withholding_for",
]
