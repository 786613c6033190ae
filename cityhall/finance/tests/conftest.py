"""A small city with a budget for the finance tests, built through the real services."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.utils import timezone

from cityhall.accounts.models import User
from cityhall.core.japanese import fiscal_year
from cityhall.documents.tests.conftest import SETUP, SINCE, city  # noqa: F401  (fixture)
from cityhall.finance import services
from cityhall.finance.defaults import ensure_finance_defaults
from cityhall.finance.models import Account, BudgetClassification, Level
from cityhall.org import services as org_services
from cityhall.org.models import Role

FY = fiscal_year(timezone.localdate())


@pytest.fixture
def budget(city):  # noqa: F811
    """一般会計 2款総務費 1項総務管理費 1目一般管理費 10節需用費: ¥5,000,000, ¥3,000,000 allotted to 総務課.

    ``zaisei_kacho`` holds the 会計 role and maintains budgets and creditors.
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


@pytest.fixture
def encumber(city, budget):  # noqa: F811
    """Draft an encumbrance: ``encumber(amount=800_000, by=city.drafter)``."""

    def make(*, amount: int = 800_000, by=None, on: dt.date | None = None, **kw):
        return services.encumbrance_draft(
            actor=by or city.drafter,
            title=kw.pop("title", "消耗品の購入について"),
            line=kw.pop("line", budget.line),
            creditor=kw.pop("creditor", budget.creditor),
            amount=amount,
            contract_method=kw.pop("contract_method", "negotiated"),
            deadline=kw.pop("deadline", None),
            on=on,
            **kw,
        )

    return make


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


@pytest.fixture
def zengin_files(settings, tmp_path):
    """Exported files go to a fresh media directory; the city's paying account is fixed."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.CITYHALL_ZENGIN = dict(ZENGIN)


@pytest.fixture
def treasurer(city):  # noqa: F811
    """会計管理者 (the accounting manager), holding the TREASURER role city-wide."""
    user = User.objects.create_user(username="kaikei", last_name="会田", first_name="花子", email="kaikei@example.jp")
    org_services.role_grant(actor=SETUP, user=user, role=Role.TREASURER, valid_from=SINCE)
    return user


def make_reserve_line(budget, amount: int = 1_000_000, version: str = "補正予算（第1号）"):
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


@pytest.fixture
def reserve(budget):
    """The 予備費 line with ¥1,000,000."""
    return make_reserve_line(budget)


@pytest.fixture
def second_creditor(budget):
    """A second creditor (鈴木一郎) with one bank account."""
    return services.creditor_create(
        actor=budget.staff,
        code="100002",
        name="鈴木一郎",
        kana="スズキイチロウ",
        address="東京都港区",
        bank_account=services.BankAccountInput("0001", "001", "1", "7654321", "スズキ イチロウ"),
    ).creditor
