"""The demo city's finances (デモの財務データ): budget, creditors, a year of encumbrances and orders.

Called by ``manage.py seed_demo`` (``FinanceConfig.seed_demo``) after the
organisation and the documents are in. For みどり野市 and the fiscal year of
``options["today"]`` it makes, in this order (each part only when missing, so
a second run writes nothing):

1. the general account's budget: 款項目節, about 500 lines and ¥30 billion,
   当初予算 and 補正予算（第1号）, allotted to the sections that execute them
   (``demo.budget.load_budget``: a bulk load with one audit entry, see there);
2. about 40 creditors with bank accounts that exist in zengin-code and valid
   invoice registration numbers (``creditor_create``);
3. two budget transfers (流用) and a reserve-fund use (予備費充用) decided
   through the engine, and the allotment of what they bring;
4. a year of encumbrances (支出負担行為) in every state (``demo.encumbrances``) and
   of payment orders (支出命令, 兼, 集合) reviewed by the 会計管理者, batched,
   exported and paid (``demo.payment_orders``), played in date order;
5. a 特別会計 (国民健康保険) with its own paying account, paid in batches apart from
   the 一般会計's on the same dates (``demo.special_accounts``);
6. one 変更契約 (増額) of a 工事 contract, routed by its new total (``demo.contracts``).

The 会計 role holder of 財政課 keeps the books; the other acts are done by the
staff of each section and the approvers on their routes, on dates within the
year up to ``today``. Deterministic: the same city and date give the same data.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection
from django.db.models import Sum
from django.utils import timezone

from cityhall.accounts.models import User
from cityhall.core.japanese import fiscal_year, fiscal_year_start
from cityhall.documents.defaults import ensure_defaults
from cityhall.finance.defaults import ensure_finance_defaults
from cityhall.finance.demo.budget import DemoCity, decide_transfers, ensure_creditors, load_budget
from cityhall.finance.demo.carry import seed_accident_carry
from cityhall.finance.demo.contracts import seed_change_contract
from cityhall.finance.demo.data import GENERAL_ACCOUNT
from cityhall.finance.demo.payment_methods import seed_advance
from cityhall.finance.demo.payment_orders import seed_year
from cityhall.finance.demo.special_accounts import seed_special_account
from cityhall.finance.demo.withholding import seed_withholding
from cityhall.finance.models import BudgetAmount, BudgetLine, Encumbrance, PaymentOrder
from cityhall.org import selectors as org
from cityhall.org.models import Municipality, OrgUnit, Role, UnitKind

DEMO_CITY_CODE = "139999"
ACCOUNTING_SECTION = "財政課"


def _bookkeeper(section: OrgUnit, days: tuple[dt.date, ...]) -> User | None:
    """The most junior member of 財政課 (or its 係) who holds the 会計 role on every one of ``days``."""
    units = [section, *section.children.order_by("code")]
    candidates: list[tuple[int, int, User]] = []
    for unit in units:
        for post in ("shuji", "shunin", "kakaricho", "kacho"):
            for user in org.holders_of(unit=unit, post_code_or_post=post, on=days[-1]):
                own = org.primary_assignment(user, on=days[-1])
                rank = own.post.rank if own else 99
                candidates.append((rank, user.pk, user))
    for _rank, _pk, user in sorted(candidates, key=lambda c: (c[0], c[1])):
        if all(org.has_role(user, Role.ACCOUNTING, on=d) for d in days) and all(
            org.primary_assignment(user, on=d) is not None for d in days
        ):
            return user
    return None


def _city(town: Municipality, today: dt.date) -> DemoCity | None:
    year = fiscal_year(today)
    start = fiscal_year_start(year)
    sections = {u.name: u for u in OrgUnit.objects.filter(municipality=town, kind=UnitKind.SECTION)}
    section = sections.get(ACCOUNTING_SECTION)
    keeper = _bookkeeper(section, (start, today)) if section is not None else None
    if keeper is None:
        return None
    return DemoCity(town_id=town.pk, today=today, fiscal_year=year, start=start, accounting=keeper, sections=sections)


@contextmanager
def _relaxed_commits() -> Iterator[None]:
    """On PostgreSQL, commit without waiting for the disk flush (``synchronous_commit``) while seeding.

    The seed commits a few thousand small transactions (every service call is
    one, each with its audit entry); waiting for the WAL flush of each costs
    much of its time. A crash could lose the last commits but never corrupt
    the database or break a transaction in half. Restored afterwards.
    """
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO OFF")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET synchronous_commit")


def _summary(city: DemoCity) -> str:
    lines = BudgetLine.objects.filter(account__code=GENERAL_ACCOUNT, fiscal_year=city.fiscal_year)
    total = BudgetAmount.objects.filter(line__in=lines).aggregate(t=Sum("amount"))["t"] or 0
    encumbrances = Encumbrance.objects.filter(section__municipality_id=city.town_id, fiscal_year=city.fiscal_year)
    orders = PaymentOrder.objects.filter(section__municipality_id=city.town_id, fiscal_year=city.fiscal_year)
    return (
        f"予算明細{lines.count()}件 計{total / 100_000_000:,.0f}億円、"
        f"支出負担行為{encumbrances.count()}件、支出命令{orders.count()}件"
    )


def seed_finance(options: dict[str, Any]) -> str:
    """Fill the demo city's finances; returns a one-line summary for ``seed_demo``."""
    today = options.get("today") or timezone.localdate()
    town = Municipality.objects.filter(code=DEMO_CITY_CODE).first()
    if town is None:
        return "デモ市がないため、財務のデモデータは投入しません。"
    ensure_defaults(actor="seed_demo")  # the 支出 kind of matter and its delegation rules route every document
    ensure_finance_defaults(actor="seed_demo")
    city = _city(town, today)
    if city is None:
        return "財政課に会計の権限を持つ職員がいないため、財務のデモデータは投入しません。"
    with _relaxed_commits():
        made = {
            "lines": load_budget(city),
            "creditors": ensure_creditors(city),
            "transfers": decide_transfers(city),
        }
        made["encumbrances"], made["orders"] = seed_year(city)
        made["special"] = seed_special_account(city)
        made["changes"] = seed_change_contract(city)
        made["withholding"] = seed_withholding(city)
        made["advances"] = seed_advance(city)
        made["carries"] = seed_accident_carry(city)
    if not any(made.values()):
        return f"財務のデモデータは投入済みです。変更はありません（{_summary(city)}）。"
    extra = f"債権者{made['creditors']}件、流用・予備費充用{made['transfers']}件"
    return f"財務: {_summary(city)}を投入しました（{extra}）。"
