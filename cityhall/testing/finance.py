"""The test city's budget and its money documents, built through the finance services (テスト用の予算).

``build_budget`` gives 総務課 an allotment on one line (restored per test from a snapshot by
the ``budget`` fixture); the other builders draft and decide encumbrances and payment orders
the way staff do, through the real services and the approval engine. ``encumbrance_post``,
``order_post`` and ``creditor_post`` give the screens' forms as a browser posts them.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Sequence
from types import SimpleNamespace
from typing import Any

from django.urls import reverse
from django.utils import timezone

from cityhall.accounts.models import User
from cityhall.core.japanese import fiscal_year, next_bank_business_day
from cityhall.finance import balance, services
from cityhall.finance.defaults import ensure_finance_defaults
from cityhall.finance.demo.data import CREDITORS, account_number
from cityhall.finance.invoice_number import corporate_check_digit
from cityhall.finance.models import (
    Account,
    Allotment,
    BudgetClassification,
    BudgetLine,
    BudgetVersion,
    CarryAllowance,
    Creditor,
    Encumbrance,
    Level,
    PaymentBatch,
    PaymentOrder,
)
from cityhall.finance.services.payment_order_checks import OrderLineInput
from cityhall.finance.services.payment_orders import payment_order_draft
from cityhall.finance.services.review import order_review_approve
from cityhall.org import services as org_services
from cityhall.org.models import OrgUnit, Role
from cityhall.testing.city import SETUP, SINCE
from cityhall.testing.engine import decide

FY = fiscal_year(timezone.localdate())
"""The fiscal year (年度) of today: the budget's year."""

# The city's paying account in the tests' 全銀 files (依頼人 and 指定金融機関の口座).
ZENGIN = {
    "requester_code": "0000012345",
    "requester_name": "ﾐﾄﾞﾘﾉｼ ｶｲｹｲｶﾝﾘｼﾔ",
    "bank_code": "0001",
    "branch_code": "001",
    "account_type": "1",
    "account_number": "7777777",
    "separator": "crlf",
}
# The ``batch`` fixture: ヤマダ商事 110,000 + 55,000 and 鈴木一郎 89,790 by transfer, 33,000 in cash.
FILE_TOTAL = 110_000 + 55_000 + 89_790
BATCH_TOTAL = FILE_TOTAL + 33_000


def build_budget(city: SimpleNamespace) -> SimpleNamespace:
    """一般会計 2款総務費 1項総務管理費 1目一般管理費 10節需用費: ¥5,000,000, ¥3,000,000 allotted to 総務課.

    ``zaisei_kacho`` holds the 会計 role and maintains budgets and creditors (``staff``); one
    creditor, 株式会社ヤマダ商事, with one bank account.
    """
    ensure_finance_defaults(actor=SETUP)
    org_services.role_grant(actor=SETUP, user=city.zaisei_kacho, role=Role.ACCOUNTING, valid_from=SINCE)
    staff = city.zaisei_kacho
    general = Account.objects.get(code="01")
    kan = services.heading_create(actor=staff, level=Level.KAN, code="2", name="総務費", account=general)
    kou = services.heading_create(
        actor=staff, level=Level.KOU, code="1", name="総務管理費", account=general, parent=kan
    )
    moku = services.heading_create(
        actor=staff, level=Level.MOKU, code="1", name="一般管理費", account=general, parent=kou
    )
    setsu = {h.code: h for h in BudgetClassification.objects.filter(level=Level.SETSU, account__isnull=True)}
    line = services.budget_line_create(actor=staff, account=general, fiscal_year=FY, moku=moku, setsu=setsu["10"])
    services.budget_version_create(
        actor=staff, account=general, fiscal_year=FY, name="当初予算", amounts=[(line, 5_000_000)]
    )
    allotment = services.allotment_set(actor=staff, line=line, section=city.units.soumu, amount=3_000_000)
    creditor = services.creditor_create(
        actor=staff,
        code="100001",
        name="株式会社ヤマダ商事",
        kana="ヤマダショウジ",
        address="東京都千代田区",
        invoice_registration_number="T7000012050002",
        bank_account=services.BankAccountInput("0001", "001", "1", "1234567", "株式会社ヤマダショウジ"),
    ).creditor
    return SimpleNamespace(
        staff=staff,
        account=general,
        kan=kan,
        kou=kou,
        moku=moku,
        setsu=setsu,
        line=line,
        allotment=allotment,
        creditor=creditor,
    )


def available(budget: SimpleNamespace) -> int:
    """総務課's available balance (執行可能額) on the budget's line, as the hard stop computes it."""
    return balance.available_amount(Allotment.objects.get(pk=budget.allotment.pk))


def pay_day(after: dt.date | None = None) -> dt.date:
    """The next bank business day after ``after`` (today by default)."""
    return next_bank_business_day(after or timezone.localdate())


def make_setsu_line(
    budget: SimpleNamespace,
    setsu: str,
    amount: int,
    *,
    section: OrgUnit | None = None,
    version: str = "補正予算（第1号）",
) -> BudgetLine:
    """A line on ``setsu`` in the fixture's 目 with ``amount`` in ``version``, allotted to ``section`` if given."""
    staff, account = budget.staff, budget.account
    line = services.budget_line_create(
        actor=staff, account=account, fiscal_year=FY, moku=budget.moku, setsu=budget.setsu[setsu]
    )
    services.budget_version_create(actor=staff, account=account, fiscal_year=FY, name=version, amounts=[(line, amount)])
    if section is not None:
        services.allotment_set(actor=staff, line=line, section=section, amount=amount)
    return line


def make_special_line(
    budget: SimpleNamespace, amount: int, *, section: OrgUnit, fiscal_year: int = FY, on: dt.date | None = None
) -> BudgetLine:
    """国民健康保険特別会計 (会計 02) 1款総務費 1項総務管理費 1目一般管理費 10節需用費 of ``fiscal_year``,
    ``amount`` in its 当初予算, all allotted to ``section`` (on ``on``)."""
    staff, account = budget.staff, Account.objects.get(code="02")
    kan = services.heading_create(actor=staff, level=Level.KAN, code="1", name="総務費", account=account)
    kou = services.heading_create(
        actor=staff, level=Level.KOU, code="1", name="総務管理費", account=account, parent=kan
    )
    moku = services.heading_create(
        actor=staff, level=Level.MOKU, code="1", name="一般管理費", account=account, parent=kou
    )
    line = services.budget_line_create(
        actor=staff, account=account, fiscal_year=fiscal_year, moku=moku, setsu=budget.setsu["10"]
    )
    services.budget_version_create(
        actor=staff, account=account, fiscal_year=fiscal_year, name="当初予算", amounts=[(line, amount)]
    )
    services.allotment_set(actor=staff, line=line, section=section, amount=amount, on=on)
    return line


def make_reserve_line(
    budget: SimpleNamespace, amount: int = 1_000_000, version: str = "補正予算（第1号）"
) -> BudgetLine:
    """14款予備費 1項予備費 1目予備費 of 一般会計: the 予備費 line (no 節) with ``amount`` in ``version``."""
    staff, account = budget.staff, budget.account
    kan = services.heading_create(actor=staff, level=Level.KAN, code="14", name="予備費", account=account)
    kou = services.heading_create(actor=staff, level=Level.KOU, code="1", name="予備費", account=account, parent=kan)
    moku = services.heading_create(actor=staff, level=Level.MOKU, code="1", name="予備費", account=account, parent=kou)
    line = services.budget_line_create(
        actor=staff, account=account, fiscal_year=FY, moku=moku, setsu=None, reserve=True
    )
    services.budget_version_create(actor=staff, account=account, fiscal_year=FY, name=version, amounts=[(line, amount)])
    return line


def make_treasurer() -> User:
    """会計管理者 (the accounting manager), holding the TREASURER role city-wide."""
    user = User.objects.create_user(username="kaikei", last_name="会田", first_name="花子", email="kaikei@example.jp")
    org_services.role_grant(actor=SETUP, user=user, role=Role.TREASURER, valid_from=SINCE)
    return user


def make_creditor(budget: SimpleNamespace, *, bank: str = "0001", code: str = "100002") -> Creditor:
    """鈴木一郎, an individual, with one account (7654321) at ``bank``'s branch 001."""
    return services.creditor_create(
        actor=budget.staff,
        code=code,
        name="鈴木一郎",
        kana="スズキイチロウ",
        address="東京都港区",
        is_individual=True,
        bank_account=services.BankAccountInput(bank, "001", "1", "7654321", "スズキ イチロウ"),
    ).creditor


def make_demo_creditor(budget: SimpleNamespace, code: str) -> Creditor:
    """A creditor of the demo city's book (``finance.demo.data.CREDITORS``, e.g. D0006 みどり野通信) with its
    registration number and its account, as the demo registers it."""
    spec = next(c for c in CREDITORS if c.code == code)
    account = account_number(spec)
    return services.creditor_create(
        actor=budget.staff,
        code=spec.code,
        name=spec.name,
        kana=spec.kana,
        address=spec.address,
        invoice_registration_number=f"T{corporate_check_digit(spec.body)}{spec.body}" if spec.body else "",
        is_individual=spec.individual,
        bank_account=services.BankAccountInput(spec.bank, spec.branch, spec.account_type, account, spec.holder),
    ).creditor


def draft_encumbrance(
    city: SimpleNamespace, budget: SimpleNamespace, *, amount: int = 800_000, by: User | None = None, **kw: Any
) -> Encumbrance:
    """Draft an encumbrance (支出負担行為) by ``drafter`` on the budget's line for ヤマダ商事.

    A 随意契約 by default, on the ground of 令167条の2①2号 (性質又は目的が競争入札に適しない).
    """
    method = kw.pop("contract_method", "negotiated")
    if method == "negotiated":
        kw.setdefault("negotiated_ground", "2")
    return services.encumbrance_draft(
        actor=by or city.drafter,
        title=kw.pop("title", "消耗品の購入について"),
        line=kw.pop("line", budget.line),
        creditor=kw.pop("creditor", budget.creditor),
        amount=amount,
        contract_method=method,
        deadline=kw.pop("deadline", None),
        on=kw.pop("on", None),
        **kw,
    )


def draft_order(
    city: SimpleNamespace,
    budget: SimpleNamespace,
    *,
    amounts: Sequence[int] = (110_000,),
    kind: str = "combined",
    **kw: Any,
) -> PaymentOrder:
    """Draft a payment order (支出命令): combined (兼) on the budget's line by default, inspected (by 主任 主野) and
    invoiced today."""
    today = timezone.localdate()
    lines = kw.pop("lines", None) or [OrderLineInput(creditor=budget.creditor, amount=a) for a in amounts]
    if kind != "linked":
        kw.setdefault("line", budget.line)
    kw.setdefault("inspection_date", today)
    kw.setdefault("invoice_received_on", today)
    # 検査員: a colleague who drafted neither the order nor its encumbrance (法234条の2).
    kw.setdefault("inspector", city.drafter2 if kw.get("by", city.drafter) == city.shunin else city.shunin)
    return payment_order_draft(
        actor=kw.pop("by", city.drafter),
        title=kw.pop("title", "消耗品の代金の支払について"),
        kind=kind,
        lines=lines,
        payment_date=kw.pop("payment_date", pay_day()),
        **kw,
    )


def collective_lines(budget: SimpleNamespace, second: Creditor) -> list[OrderLineInput]:
    """A 集合支出命令's lines: ヤマダ商事 ¥330,000 (会場設営), ``second`` ¥108,000 at 8% (弁当)."""
    return [
        OrderLineInput(creditor=budget.creditor, amount=330_000, description="会場設営"),
        OrderLineInput(creditor=second, amount=108_000, tax_rate=8, tax_amount=8_000, description="弁当"),
    ]


def decided_order(city: SimpleNamespace, budget: SimpleNamespace, **kw: Any) -> PaymentOrder:
    """A payment order drafted and decided through the engine, waiting for the review (審査待ち)."""
    order = draft_order(city, budget, **kw)
    decide(order)
    return PaymentOrder.objects.get(pk=order.pk)


def open_batch(city: SimpleNamespace, budget: SimpleNamespace, treasurer: User, second: Creditor) -> PaymentBatch:
    """An open batch of three approved orders on the next bank business day.

    ヤマダ商事 110,000 + 55,000 (two orders, one account: one record of 165,000), ``second``
    100,000 less 10,210 withheld (89,790), and a cash order of 33,000 (窓口払: in the batch total,
    not in the file).
    """
    day = pay_day()
    yamada = decided_order(city, budget, amounts=(110_000,), payment_date=day)
    mixed = decided_order(
        city,
        budget,
        lines=[
            OrderLineInput(creditor=budget.creditor, amount=55_000),
            # 講演料 to an individual: 10.21 % of ¥100,000 withheld (所得税法第204条第1項第1号).
            OrderLineInput(creditor=second, amount=100_000, withholding_kind="manuscript"),
        ],
        kind="collective",
        payment_date=day,
    )
    cash = decided_order(city, budget, amounts=(33_000,), payment_method="cash", payment_date=day)
    for order in (yamada, mixed, cash):
        approved = order_review_approve(actor=treasurer, order=order)
    assert approved.batch is not None
    return approved.batch


# --- the screens' forms, as a browser posts them ------------------------------------------------


def encumbrance_post(budget: SimpleNamespace, **overrides: str) -> dict[str, str]:
    """The new encumbrance form (支出負担行為の起案): ¥800,000 of the budget's line for ヤマダ商事."""
    data = {
        "title": "消耗品の購入について",
        "line": str(budget.line.pk),
        "creditor": str(budget.creditor.pk),
        "amount": "800,000",
        "contract_method": "negotiated",
        "negotiated_ground": "2",
        "deadline": f"{FY + 1}-03-31",
        "body": "コピー用紙ほか",
        "form_token": secrets.token_urlsafe(16),
    }
    return data | overrides


def order_post(
    budget: SimpleNamespace,
    enc: Encumbrance | None = None,
    *,
    lines: Sequence[tuple[str, str, str]] = (("500,000", "10", ""),),
    **overrides: str,
) -> dict[str, str]:
    """The new payment order form (支出命令の起案): ``lines`` of (amount, tax rate, withholding), then one empty row.

    A linked order against ``enc`` by default, paid by transfer on the next bank business day,
    inspected today by 主任 主野; every line is for the budget's creditor.
    """
    today = timezone.localdate()
    data = {
        "title": "消耗品の代金の支払について",
        "kind": "linked",
        "encumbrance": str(enc.pk) if enc else "",
        "line": "",
        "payment_method": "transfer",
        "payment_date": next_bank_business_day(today).isoformat(),
        "inspection_date": today.isoformat(),
        "inspector": str(User.objects.filter(username="shunin").values_list("pk", flat=True).first() or ""),
        "invoice_received_on": today.isoformat(),
        "description": "",
        "form_token": secrets.token_urlsafe(16),
        "lines-TOTAL_FORMS": str(len(lines) + 1),  # and one untouched empty row
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "200",
    }
    for i, (amount, rate, withholding) in enumerate(lines):
        data |= {
            f"lines-{i}-creditor": str(budget.creditor.pk),
            f"lines-{i}-description": f"明細{i + 1}",
            f"lines-{i}-amount": amount,
            f"lines-{i}-tax_rate": rate,
            f"lines-{i}-withholding": withholding,
        }
    n = len(lines)
    data |= {f"lines-{n}-creditor": "", f"lines-{n}-amount": "", f"lines-{n}-tax_rate": "10"}
    return data | overrides


def creditor_post(**overrides: object) -> dict[str, object]:
    """The new creditor form (債権者の登録): 有限会社みどり印刷 with an account at 三菱ＵＦＪ 本店."""
    data: dict[str, object] = {
        "code": "200001",
        "name": "有限会社みどり印刷",
        "kana": "ミドリインサツ",
        "address": "みどり野市本町1-1",
        "invoice_registration_number": "",
        "bank_code": "0005",
        "branch_code": "001",
        "account_type": "1",
        "account_number": "７６５４３２１",
        "holder_name": "有限会社ミドリインサツ",
        "form_token": secrets.token_urlsafe(16),
    }
    return data | overrides


def export_on_screen(client: Any, batch_pk: int | None, **kw: Any) -> Any:
    """Export a batch as the accounting manager does: open the confirmation, then post the figures it shows."""
    url = reverse("finance:batch_export", args=[batch_pk])
    initial = client.get(url).context["form"].initial
    data = {"expected_orders": initial["expected_orders"], "expected_total": initial["expected_total"]}
    return client.post(url, data, **kw)


def make_carry_allowance(
    budget: SimpleNamespace, amount: int = 2_000_000, project: str = "庁舎改修事業"
) -> CarryAllowance:
    """A 繰越明許費 of ``amount`` for the fixture's 項 (総務管理費) in the 当初予算 of FY."""
    version = BudgetVersion.objects.get(account=budget.account, fiscal_year=FY, number=0)
    return services.carry_allowance_create(
        actor=budget.staff, version=version, kou=budget.kou, project=project, amount=amount
    )
