"""A 特別会計 paid apart from the 一般会計 (デモの特別会計と会計別の支払データ), through the real services.

The 国民健康保険特別会計 gets a budget line (1款総務費 1項総務管理費 1目一般管理費 10節需用費,
当初予算 ¥3,000,000, allotted to 保険年金課) and its own paying account at the 指定金融機関.
Its 保険年金課 pays two printing bills as 支出負担行為兼支出命令, each on the payment date of a
一般会計 batch, so the 支払データ list shows two batches on one date, one per 会計, each with
its own 全銀 file: one in the past (exported and paid) and one coming (open, for demo-kaikei).
Skipped when the 特別会計 already has a line in the year, so a second run makes nothing.
"""

from __future__ import annotations

import datetime as dt

from cityhall.accounts.models import User
from cityhall.core.japanese import previous_bank_business_day
from cityhall.finance import services
from cityhall.finance.demo import engine
from cityhall.finance.demo.budget import DemoCity
from cityhall.finance.demo.encumbrances import drafter_of
from cityhall.finance.models import (
    Account,
    BatchStatus,
    BudgetClassification,
    BudgetLine,
    Creditor,
    Level,
    PaymentBatch,
    PaymentOrder,
)
from cityhall.finance.selectors.payment_orders import inspector_candidates
from cityhall.finance.services.batches import batch_export, batch_mark_paid
from cityhall.finance.services.paying_accounts import account_set_paying_account
from cityhall.finance.services.payment_order_checks import OrderLineInput
from cityhall.finance.services.payment_orders import payment_order_draft
from cityhall.finance.services.review import order_review_approve

SPECIAL_ACCOUNT = "02"  # 国民健康保険特別会計
SECTION = "保険年金課"
PRINTER = "D0014"  # 株式会社みどり野印刷
TREASURER = "demo-kaikei"
BUDGET = 3_000_000
PAYER = {
    "requester_code": "1234567891",
    "requester_name": "ﾐﾄﾞﾘﾉｼ ｺｸﾐﾝｹﾝｺｳﾎｹﾝ",
    "bank_code": "0001",
    "branch_code": "001",
    "account_type": "1",
    "account_number": "2345678",
}


def _heading(
    account: Account, level: str, code: str, name: str, parent: BudgetClassification | None, actor: User
) -> BudgetClassification:
    found = BudgetClassification.objects.filter(account=account, level=level, code=code, parent=parent).first()
    return found or services.heading_create(
        actor=actor, level=level, code=code, name=name, account=account, parent=parent
    )


def _line(city: DemoCity, account: Account) -> BudgetLine:
    actor = city.accounting
    kan = _heading(account, Level.KAN, "1", "総務費", None, actor)
    kou = _heading(account, Level.KOU, "1", "総務管理費", kan, actor)
    moku = _heading(account, Level.MOKU, "1", "一般管理費", kou, actor)
    setsu = BudgetClassification.objects.get(level=Level.SETSU, account__isnull=True, code="10")
    line = services.budget_line_create(
        actor=actor, account=account, fiscal_year=city.fiscal_year, moku=moku, setsu=setsu
    )
    services.budget_version_create(
        actor=actor, account=account, fiscal_year=city.fiscal_year, name="当初予算", amounts=[(line, BUDGET)],
        on=city.start,
    )  # fmt: skip
    services.allotment_set(actor=actor, line=line, section=city.sections[SECTION], amount=BUDGET, on=city.start)
    return line


def _general_dates(city: DemoCity) -> tuple[PaymentBatch | None, PaymentBatch | None]:
    """The latest paid 一般会計 batch paid at least ten days after the year began, and the first open one."""
    general = PaymentBatch.objects.filter(account=city.account, fiscal_year=city.fiscal_year)
    paid = (
        general.filter(status=BatchStatus.PAID, payment_date__gte=city.start + dt.timedelta(days=10))
        .order_by("-payment_date")
        .first()
    )
    coming = general.filter(status=BatchStatus.OPEN, payment_date__gte=city.today).order_by("payment_date").first()
    return paid, coming


def _pay(line: BudgetLine, drafter: User, title: str, amount: int, paid_on: dt.date, day: dt.date) -> PaymentOrder:
    """One 兼 order of 保険年金課 paid on ``paid_on``: drafted, decided and approved on ``day``."""
    inspector = inspector_candidates(drafter, on=day).first()
    order = payment_order_draft(
        actor=drafter,
        title=title,
        kind="combined",
        line=line,
        lines=[OrderLineInput(creditor=Creditor.objects.get(code=PRINTER), amount=amount, description=title)],
        payment_date=paid_on,
        inspection_date=day - dt.timedelta(days=2),
        inspector=inspector,
        invoice_received_on=day - dt.timedelta(days=1),
        description=title.removesuffix("について"),
        on=day,
    )
    engine.advance(engine.submit(drafter, order.document, day), None, day)
    return order_review_approve(actor=User.objects.get(username=TREASURER), order=order, on=day)


def seed_special_account(city: DemoCity) -> int:
    """The 国保特別会計's line, paying account and two batches apart from the 一般会計's; orders made."""
    account = Account.objects.filter(code=SPECIAL_ACCOUNT).first()
    drafter = drafter_of(city.sections[SECTION], city.start, city.today) if SECTION in city.sections else None
    if account is None or drafter is None or account.lines.filter(fiscal_year=city.fiscal_year).exists():
        return 0
    paid, coming = _general_dates(city)
    if paid is None and coming is None:
        return 0
    treasurer = User.objects.get(username=TREASURER)
    account_set_paying_account(actor=treasurer, account=account, on=city.start, **PAYER)
    line = _line(city, account)
    made: list[PaymentOrder] = []
    if paid is not None:
        day = max(city.start + dt.timedelta(days=3), paid.payment_date - dt.timedelta(days=10))
        title = "国民健康保険被保険者証の印刷代金の支払について"
        order = _pay(line, drafter, title, 385_000, paid.payment_date, day)
        made.append(order)
        assert order.batch is not None
        batch_export(actor=treasurer, batch=order.batch, on=previous_bank_business_day(paid.payment_date))
        batch_mark_paid(actor=treasurer, batch=order.batch, on=paid.payment_date)
    if coming is not None:
        title = "国民健康保険税納税通知書の印刷代金の支払について"
        made.append(_pay(line, drafter, title, 165_000, coming.payment_date, min(city.today, coming.payment_date)))
    return len(made)
