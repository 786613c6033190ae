"""Benchmark: the budget check plus payment order creation (支出命令の起案) at 1,000,000 order lines.

Builds its own database (SQLite in a temporary directory, or, when
DATABASE_URL points at PostgreSQL, a dedicated database
``cityhall_bench_finance_orders`` dropped and created afresh): the demo city's
organisation (``seed_demo --skip-apps``), its general-account budget of about
500 lines allotted to the sections and its creditors (the finance demo's
budget and creditors, without its year of documents). Then, not timed as a
figure of the system, it bulk-creates ``--lines`` (1,000,000) payment order
lines: orders of every kind and state with their documents (支出命令 against
their own decided encumbrances, 支出負担行為兼支出命令 and 集合支出命令; drafts,
in circulation, decided, returned, paid in past batches) spread over the
allotments, each allotment kept within its amount.

Measured in the same run:

- ``payment_order_draft`` (the hard stop with the allotment locked, then the
  document, the order, its line and the audit entry): ``--orders`` (500)
  支出負担行為兼支出命令 of one line by a clerk of the busiest section, on its
  需用費 allotment, and as many 支出命令 against a decided encumbrance of theirs;
  orders per second, p50/p95, queries per call;
- the baseline: a bare ``bulk_create`` of the same rows (document, order, line)
  per order, one transaction each, the same number of times;
- ``--decide`` (50) of the drafted orders submitted (the check again) and
  approved up to the decision (決裁, the check once more): p50/p95 per order.

Prints one JSON line. ``python bench/bench_finance_orders.py --lines 20000``
runs a quick check.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._database import drop_database, prepare_database  # noqa: E402  (after the path is set)

BENCH_DB = "cityhall_bench_finance_orders"
CHUNK = 10_000
FILE_PLAN = "02-01-01"
COMBINABLE = "10"  # 需用費: 支出負担行為兼支出命令 allowed
TITLES = ["消耗品の購入について", "印刷製本費の支払について", "光熱水費の支払について", "委託料の支払について"]


# --- database and city --------------------------------------------------------------------


def database_label(vendor: str) -> str:
    from django.db import connection

    if vendor == "sqlite":
        import sqlite3

        return f"sqlite {sqlite3.sqlite_version}"
    return f"postgresql {connection.cursor().connection.info.server_version}"


def percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {"p50_ms": round(statistics.median(ordered) * 1000, 2), "p95_ms": round(p95 * 1000, 2)}


def bulk_pragmas(on: bool) -> None:
    """SQLite only: a large page cache and no syncs while generating; back to the settings' values after."""
    from django.db import connection

    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size=-524288" if on else "PRAGMA cache_size=-2000")
        cursor.execute("PRAGMA synchronous=OFF" if on else "PRAGMA synchronous=NORMAL")


def analyze() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


@dataclass
class FinanceCity:
    """The demo city's budget as the generator needs it (ids only)."""

    today: dt.date
    fiscal_year: int
    allotments: list[tuple[int, int, int, int, str]]  # (id, line, section, amount, 節 code)
    drafters: dict[int, list[int]]  # section → staff who draft (not the 課長)
    creditors: list[tuple[int, int]]  # (creditor, default bank account)
    labels: dict[int, str]  # section → number label prefix (e.g. 緑総)
    treasurer: int
    matter_kind: int
    file_plan: int | None


def setup_city(staff: int) -> FinanceCity:
    """Migrate, seed the demo organisation, then the finance demo's budget and creditors (no documents)."""
    from django.core.management import call_command
    from django.utils import timezone

    from cityhall.documents.defaults import ensure_defaults
    from cityhall.finance.defaults import ensure_finance_defaults
    from cityhall.finance.demo import DEMO_CITY_CODE, _city
    from cityhall.finance.demo.budget import ensure_creditors, load_budget
    from cityhall.org.models import Municipality

    call_command("migrate", verbosity=0)
    with open(os.devnull, "w") as devnull:
        call_command("seed_demo", staff=staff, skip_apps=True, verbosity=0, stdout=devnull)
    ensure_defaults(actor="bench")
    ensure_finance_defaults(actor="bench")
    today = timezone.localdate()
    demo = _city(Municipality.objects.get(code=DEMO_CITY_CODE), today)
    assert demo is not None, "the demo city has no 会計 role holder in 財政課"
    load_budget(demo)
    ensure_creditors(demo)
    return load_city(today)


def load_city(today: dt.date) -> FinanceCity:
    from cityhall.core.japanese import fiscal_year
    from cityhall.documents.models import FilePlanClass, MatterKind
    from cityhall.finance.models import Allotment, CreditorBankAccount
    from cityhall.org.models import Assignment, OrgUnit, Role, RoleGrant, UnitKind

    fy = fiscal_year(today)
    allotments = list(
        Allotment.objects.filter(line__fiscal_year=fy, amount__gt=0)
        .order_by("pk")
        .values_list("pk", "line_id", "section_id", "amount", "line__setsu__code")
    )
    units = {u.pk: u for u in OrgUnit.objects.select_related("municipality")}
    drafters: dict[int, list[int]] = defaultdict(list)
    for user_id, unit_id, post in (
        Assignment.objects.on(today).filter(is_primary=True).values_list("user_id", "unit_id", "post__code")
    ):
        unit = units[unit_id]
        section = unit if unit.kind == UnitKind.SECTION else units.get(unit.parent_id or 0)
        if section is not None and section.kind == UnitKind.SECTION and post not in ("kacho", "kacho_hosa"):
            drafters[section.pk].append(user_id)
    creditors = list(
        CreditorBankAccount.objects.filter(is_default=True).order_by("creditor_id").values_list("creditor_id", "pk")
    )
    treasurer = RoleGrant.objects.on(today).filter(role=Role.TREASURER).order_by("user_id").first()
    assert treasurer is not None
    plan = FilePlanClass.objects.filter(code=FILE_PLAN).values_list("pk", flat=True).first()
    return FinanceCity(
        today=today,
        fiscal_year=fy,
        allotments=[a for a in allotments if drafters.get(a[2])],
        drafters=dict(drafters),
        creditors=creditors,
        labels={pk: f"{u.municipality.symbol}{u.symbol}" for pk, u in units.items()},
        treasurer=treasurer.user_id,
        matter_kind=MatterKind.objects.get(code="spending").pk,
        file_plan=plan,
    )


# --- background rows ------------------------------------------------------------------------

# state → (share, document status, review status, in a paid batch)
STATES = (
    ("paid", 0.55, "decided", "approved", True),
    ("waiting", 0.15, "decided", "waiting", False),
    ("circulating", 0.12, "circulating", "waiting", False),
    ("returned", 0.05, "decided", "returned", False),
    ("draft", 0.08, "draft", "waiting", False),
    ("withdrawn", 0.05, "withdrawn", "waiting", False),
)
HOLDS = {"paid", "waiting", "circulating"}
KINDS = (("linked", 0.6), ("combined", 0.3), ("collective", 0.1))


@dataclass
class Rows:
    documents: list[Any] = field(default_factory=list)
    encumbrances: list[Any] = field(default_factory=list)
    orders: list[Any] = field(default_factory=list)
    lines: list[Any] = field(default_factory=list)

    def size(self) -> int:
        return len(self.lines)


class Table:
    """Raw ``executemany`` INSERT of one model's rows, the model's defaults filled in (not the services)."""

    def __init__(self, model: Any) -> None:
        from django.db import connection, models
        from django.utils import timezone

        ops, now = connection.ops, timezone.now()
        self.fields = list(model._meta.concrete_fields)
        self.defaults: dict[str, Any] = {}
        self.adapt: dict[str, Callable[[Any], Any]] = {}
        for f in self.fields:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                value: Any = now
            else:
                value = f.get_default()  # "" for text without a default, None otherwise
            self.defaults[f.attname] = str(value) if isinstance(value, str) else value
            if isinstance(f, models.DateTimeField):
                self.adapt[f.attname] = ops.adapt_datetimefield_value
            elif isinstance(f, models.DateField):
                self.adapt[f.attname] = ops.adapt_datefield_value
        columns = ", ".join(ops.quote_name(f.column) for f in self.fields)
        marks = ", ".join(["%s"] * len(self.fields))
        self.sql = f"INSERT INTO {ops.quote_name(model._meta.db_table)} ({columns}) VALUES ({marks})"
        self.names = [f.attname for f in self.fields]

    def row(self, values: dict[str, Any]) -> tuple[Any, ...]:
        merged = {**self.defaults, **values}
        for name, adapt in self.adapt.items():
            if merged[name] is not None:
                merged[name] = adapt(merged[name])
        return tuple(merged[name] for name in self.names)


class Generator:
    """Bulk rows of payment orders with their documents (and encumbrances), not through the services.

    Amounts keep every allotment within its amount: what holds budget on an
    allotment stays under half of it.
    """

    def __init__(self, city: FinanceCity, seed: int = 11) -> None:
        from django.db.models import Max

        from cityhall.documents.models import Document, DocumentNumberCounter
        from cityhall.finance.models import Encumbrance, PaymentBatch, PaymentOrder, PaymentOrderLine

        self.city = city
        self.rng = random.Random(seed)
        self.next_id = {
            model: (model.objects.aggregate(m=Max("pk"))["m"] or 0) + 1
            for model in (Document, Encumbrance, PaymentOrder, PaymentOrderLine, PaymentBatch)
        }
        self.numbers: dict[int, int] = defaultdict(int)
        for counter in DocumentNumberCounter.objects.filter(fiscal_year=city.fiscal_year):
            self.numbers[counter.section_id] = counter.last_number
        self.tables = {
            model: Table(model) for model in (Document, Encumbrance, PaymentOrder, PaymentOrderLine, PaymentBatch)
        }
        self.held: dict[int, int] = defaultdict(int)  # allotment → yen held by the generated rows
        self.batches: list[tuple[int, dt.date]] = []
        self.written = 0

    def _take(self, model: Any) -> int:
        pk = self.next_id[model]
        self.next_id[model] = pk + 1
        return pk

    def paid_batches(self) -> None:
        """One paid batch per bank business day of the year so far (支払済の支払データ)."""
        from cityhall.core.japanese import fiscal_year_start, is_bank_business_day
        from cityhall.finance.models import PaymentBatch

        day = fiscal_year_start(self.city.fiscal_year) + dt.timedelta(days=7)
        rows = []
        while day < self.city.today:
            if is_bank_business_day(day):
                pk = self._take(PaymentBatch)
                values = {"id": pk, "payment_date": day, "status": "paid", "exported_by_id": self.city.treasurer}
                rows.append(self.tables[PaymentBatch].row(values))
                self.batches.append((pk, day))
            day += dt.timedelta(days=1)
        self._insert(PaymentBatch, rows)

    def document_values(self, section: int, drafter: int, title: str, amount: int, doc_type: str, status: str,
                        drafted: dt.date) -> dict[str, Any]:  # fmt: skip
        """A document's values as the engine would leave them in ``status`` (no route steps)."""
        from django.utils import timezone

        from cityhall.documents.models import Document

        self.numbers[section] += 1
        number = self.numbers[section]
        at = timezone.make_aware(dt.datetime.combine(drafted, dt.time(10, 0)))
        decided = status in ("decided", "closed")
        return {
            "id": self._take(Document),
            "fiscal_year": self.city.fiscal_year,
            "section_id": section,
            "number": number,
            "number_label": f"{self.city.labels[section]}第{number}号",
            "title": title,
            "body": "",
            "matter_kind_id": self.city.matter_kind,
            "amount": amount,
            "file_plan_class_id": self.city.file_plan,
            "drafter_id": drafter,
            "status": status,
            "version": 3 if status != "draft" else 1,
            "current_round": 0 if status == "draft" else 1,
            "doc_type": doc_type,
            "drafted_on": drafted,
            "submitted_at": at if status != "draft" else None,
            "decided_at": at + dt.timedelta(hours=5) if decided else None,
            "decision_label": "課長専決" if decided else "",
        }

    def _document(self, rows: Rows, *args: Any) -> int:
        from cityhall.documents.models import Document

        values = self.document_values(*args)
        rows.documents.append(self.tables[Document].row(values))
        return int(values["id"])

    def _amounts(self, allotment: tuple[int, int, int, int, str], expected: int, count: int, room: int) -> list[int]:
        """Line amounts (税込) for one order: within ``room`` and small enough for the orders still to come."""
        cap = max(count, min(room, allotment[3] * 2 // 5 // max(expected, 1)))
        total = self.rng.randint(max(count, cap // 4), cap)
        cuts = sorted(self.rng.sample(range(1, total), count - 1)) if count > 1 and total > count else []
        parts = [b - a for a, b in zip([0, *cuts], [*cuts, total], strict=True)] if cuts else [total]
        return parts if len(parts) == count else [max(1, total // count)] * count

    def orders(self, lines: int, *, planned: int | None = None) -> Iterator[Rows]:
        """Orders totalling about ``lines`` order lines, in chunks of rows to write.

        ``planned`` is the number of lines all calls will make (amounts are sized for it).
        """
        from cityhall.finance.models import Encumbrance, PaymentOrder, PaymentOrderLine

        pool = [a for a in self.city.allotments if a[3] >= 1_000_000]
        states, state_weights = [s[0] for s in STATES], [s[1] for s in STATES]
        by_state = {s[0]: s for s in STATES}
        kinds, kind_weights = [k[0] for k in KINDS], [k[1] for k in KINDS]
        expected = max(1, (planned or lines) // 4 // len(pool))
        start = self.city.today - dt.timedelta(days=200)
        rows, made, skipped = Rows(), 0, 0
        while made < lines:
            allotment = self.rng.choice(pool)
            allotment_id, line_id, section, _amount, _setsu = allotment
            kind = self.rng.choices(kinds, kind_weights)[0]
            state = self.rng.choices(states, state_weights)[0]
            _name, _share, doc_status, review, paid = by_state[state]
            count = self.rng.randint(5, 12) if kind == "collective" else self.rng.randint(1, 5)
            # What holds budget stays under half the allotment (a linked order's encumbrance holds 6/5 of it).
            room = (allotment[3] // 2 - self.held[allotment_id]) * 5 // 6
            if room < count * 10:
                skipped += 1
                assert skipped < 10_000, "the allotments are full: generate fewer lines"
                continue
            skipped = 0
            amounts = self._amounts(allotment, expected, count, room)
            total = sum(amounts)
            drafter = self.rng.choice(self.city.drafters[section])
            drafted = start + dt.timedelta(days=self.rng.randrange(0, 190))
            encumbrance_id = None
            creditor, account = self.rng.choice(self.city.creditors)
            if kind == "linked":
                enc_amount = total + total // 5
                enc_doc = self._document(
                    rows, section, drafter, self.rng.choice(TITLES), enc_amount, "finance.encumbrance", "decided",
                    drafted - dt.timedelta(days=20),
                )  # fmt: skip
                encumbrance_id = self._take(Encumbrance)
                rows.encumbrances.append(self.tables[Encumbrance].row({
                    "id": encumbrance_id, "document_id": enc_doc, "fiscal_year": self.city.fiscal_year,
                    "line_id": line_id, "section_id": section, "allotment_id": allotment_id, "creditor_id": creditor,
                    "amount": enc_amount, "original_amount": enc_amount, "contract_method": "negotiated",
                    "cancel_reason": "",
                }))  # fmt: skip
                self.held[allotment_id] += enc_amount
            elif state in HOLDS:
                self.held[allotment_id] += total
            doc = self._document(
                rows, section, drafter, self.rng.choice(TITLES), total, "finance.payment_order", doc_status, drafted
            )
            batch_id, pay_day = (None, drafted + dt.timedelta(days=14))
            if paid and self.batches:
                batch_id, pay_day = self.rng.choice(self.batches)
            order_id = self._take(PaymentOrder)
            rows.orders.append(self.tables[PaymentOrder].row({
                "id": order_id, "document_id": doc, "kind": kind, "fiscal_year": self.city.fiscal_year,
                "line_id": line_id, "section_id": section, "allotment_id": allotment_id,
                "encumbrance_id": encumbrance_id, "payment_date": pay_day, "inspection_date": drafted,
                "invoice_received_on": drafted, "description": "", "total_amount": total, "withholding_amount": 0,
                "payment_amount": total, "review_status": review,
                "reviewed_by_id": self.city.treasurer if review != "waiting" else None, "batch_id": batch_id,
                "review_reason": "金額の誤り" if review == "returned" else "",
            }))  # fmt: skip
            for position, amount in enumerate(amounts, start=1):
                if kind == "collective":
                    creditor, account = self.rng.choice(self.city.creditors)
                rows.lines.append(self.tables[PaymentOrderLine].row({
                    "id": self._take(PaymentOrderLine), "order_id": order_id, "position": position,
                    "creditor_id": creditor, "bank_account_id": account, "description": "", "tax_rate": 10,
                    "amount": amount, "tax_amount": amount * 10 // 110, "withholding": 0,
                }))  # fmt: skip
            made += count
            if rows.size() >= CHUNK:
                yield rows
                rows = Rows()
        if rows.size():
            yield rows

    def _insert(self, model: Any, rows: list[tuple[Any, ...]], table: Table | None = None) -> None:
        from django.db import connection

        if rows:
            with connection.cursor() as cursor:
                cursor.executemany((table or self.tables[model]).sql, rows)

    def write(self, chunks: Iterator[Rows]) -> int:
        """Insert the chunks, each in one transaction; returns the number of order lines written."""
        from django.db import transaction

        from cityhall.documents.models import Document
        from cityhall.finance.models import Encumbrance, PaymentOrder, PaymentOrderLine

        written = 0
        for rows in chunks:
            with transaction.atomic():
                self._insert(Document, rows.documents)
                self._insert(Encumbrance, rows.encumbrances)
                self._insert(PaymentOrder, rows.orders)
                self._insert(PaymentOrderLine, rows.lines)
            written += rows.size()
        self.written += written
        return written

    def finish(self) -> None:
        """Counters of document numbers, and the totals of the paid batches, as the services would leave them."""
        from django.db.models import Count, Sum

        from cityhall.documents.models import DocumentNumberCounter
        from cityhall.finance.models import PaymentBatch, PaymentOrder

        for section, last in self.numbers.items():
            DocumentNumberCounter.objects.update_or_create(
                section_id=section, fiscal_year=self.city.fiscal_year, defaults={"last_number": last}
            )
        sums = (
            PaymentOrder.objects.filter(batch__isnull=False)
            .values("batch_id")
            .annotate(total=Sum("payment_amount"), n=Count("pk"))
        )
        for row in sums:
            PaymentBatch.objects.filter(pk=row["batch_id"]).update(total_amount=row["total"], record_count=row["n"])
        reset_sequences()

    def generate(self, lines: int, *, planned: int | None = None) -> float:
        """Paid batches and ``lines`` order lines over the city's allotments; returns the seconds it took.

        ``planned``: the lines of all calls together, when the database is grown in steps.
        """
        started = time.perf_counter()
        bulk_pragmas(True)
        if not self.batches:
            self.paid_batches()
        self.write(self.orders(lines, planned=planned))
        self.finish()
        bulk_pragmas(False)
        analyze()
        return time.perf_counter() - started


def reset_sequences() -> None:
    """PostgreSQL: move the id sequences past the ids given explicitly, so the services can insert again."""
    from django.core.management.color import no_style
    from django.db import connection

    from cityhall.documents.models import Document
    from cityhall.finance.models import (
        Creditor,
        CreditorBankAccount,
        Encumbrance,
        PaymentBatch,
        PaymentOrder,
        PaymentOrderLine,
    )

    models = [Document, Encumbrance, PaymentOrder, PaymentOrderLine, PaymentBatch, Creditor, CreditorBankAccount]
    statements = connection.ops.sequence_reset_sql(no_style(), models)
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


# --- measuring ------------------------------------------------------------------------------


def timed_calls(calls: list[Callable[[], Any]]) -> dict[str, Any]:
    """Run each call once; times, queries per call and the rate."""
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    times: list[float] = []
    queries: list[int] = []
    started = time.perf_counter()
    for call in calls:
        reset_queries()  # the query log keeps 9,000 entries: counting needs room
        with CaptureQueriesContext(connection) as captured:
            t0 = time.perf_counter()
            call()
            times.append(time.perf_counter() - t0)
        queries.append(len(captured.captured_queries))
    elapsed = time.perf_counter() - started
    return {
        "calls": len(calls),
        "per_second": round(len(calls) / elapsed, 1) if elapsed else None,
        **percentiles(times),
        "queries_per_call": sorted(set(queries)),
    }


def _busiest(city: FinanceCity) -> tuple[int, int, int, int, str]:
    """The 需用費 allotment (兼 allowed) with the most generated orders on it (the busiest section's)."""
    from django.db.models import Count

    from cityhall.finance.models import PaymentOrder

    candidates = {a[0]: a for a in city.allotments if a[4] == COMBINABLE}
    counts = (
        PaymentOrder.objects.filter(allotment_id__in=list(candidates))
        .values("allotment_id")
        .annotate(n=Count("pk"))
        .order_by("-n", "allotment_id")
    )
    top = counts.first()
    return candidates[top["allotment_id"]] if top else next(iter(candidates.values()))


def _drafts(city: FinanceCity, allotment: tuple[int, int, int, int, str], count: int) -> dict[str, Any]:
    """``count`` 兼 orders and ``count`` linked orders through ``payment_order_draft``."""
    from cityhall.accounts.models import User
    from cityhall.core.japanese.business_days import business_day_on_or_after
    from cityhall.finance.models import BudgetLine, Creditor, Encumbrance
    from cityhall.finance.services.payment_order_checks import OrderLineInput
    from cityhall.finance.services.payment_orders import payment_order_draft

    allotment_id, line_id, section, _amount, _setsu = allotment
    drafter = User.objects.get(pk=city.drafters[section][0])
    line = BudgetLine.objects.get(pk=line_id)
    creditor = Creditor.objects.get(pk=city.creditors[0][0])
    pay_day = business_day_on_or_after(city.today + dt.timedelta(days=7))
    made: list[int] = []

    def combined(i: int) -> Callable[[], Any]:
        def call() -> None:
            order = payment_order_draft(
                actor=drafter, title=f"消耗品の購入について（{i}）", kind="combined", line=line,
                lines=[OrderLineInput(creditor=creditor, amount=1_100)], payment_date=pay_day,
                inspection_date=city.today, invoice_received_on=city.today,
            )  # fmt: skip
            made.append(order.pk)

        return call

    encumbrances = list(
        Encumbrance.objects.filter(
            allotment_id=allotment_id,
            document__status="decided",
            cancelled_at__isnull=True,
            amount__gte=1_000,  # room left: each holds a fifth more than its order
        ).select_related("creditor")[:count]
    )

    def linked(enc: Encumbrance) -> Callable[[], Any]:
        def call() -> None:
            order = payment_order_draft(
                actor=drafter, title="支出命令", kind="linked", encumbrance=enc,
                lines=[OrderLineInput(creditor=enc.creditor, amount=1)], payment_date=pay_day,
                inspection_date=city.today, invoice_received_on=city.today,
            )  # fmt: skip
            made.append(order.pk)

        return call

    return {
        "combined": timed_calls([combined(i) for i in range(count)]),
        "linked": timed_calls([linked(e) for e in encumbrances]) if encumbrances else None,
        "orders": made,
        "drafter": drafter.pk,
    }


def _baseline(city: FinanceCity, allotment: tuple[int, int, int, int, str], count: int) -> dict[str, Any]:
    """The same rows (document, order, one line) by a bare ``bulk_create``, one transaction per order."""
    from django.db import transaction

    from cityhall.documents.models import Document
    from cityhall.finance.models import PaymentOrder, PaymentOrderLine

    gen = Generator(city, seed=99)
    allotment_id, line_id, section, _amount, _setsu = allotment
    creditor, account = city.creditors[0]
    drafter = city.drafters[section][0]
    gen.numbers[section] += 1_000_000  # numbers far from the service's, so both can run in one database

    def call() -> None:
        values = gen.document_values(section, drafter, "消耗品の購入について", 1_100, "finance.payment_order", "draft",
                                     city.today)  # fmt: skip
        del values["id"]
        with transaction.atomic():
            (document,) = Document.objects.bulk_create([Document(**values)])
            (order,) = PaymentOrder.objects.bulk_create([PaymentOrder(
                document=document, kind="combined", fiscal_year=city.fiscal_year, line_id=line_id,
                section_id=section, allotment_id=allotment_id, payment_date=city.today, inspection_date=city.today,
                invoice_received_on=city.today, total_amount=1_100, payment_amount=1_100,
            )])  # fmt: skip
            PaymentOrderLine.objects.bulk_create([PaymentOrderLine(
                order=order, position=1, creditor_id=creditor, bank_account_id=account, amount=1_100, tax_amount=100,
            )])  # fmt: skip

    return timed_calls([call] * count)


def _submit_and_decide(order_ids: list[int]) -> dict[str, Any]:
    """Submit each order (the check at submission) and approve it up to the decision (the check at 決裁)."""
    from cityhall.documents import services as docs
    from cityhall.documents.models import Document, RouteStep, StepState
    from cityhall.finance.models import PaymentOrder

    submits: list[float] = []
    decisions: list[float] = []
    steps: list[int] = []
    for order in PaymentOrder.objects.filter(pk__in=order_ids).select_related("document__drafter"):
        document = order.document
        t0 = time.perf_counter()
        document = docs.submit(actor=document.drafter, document=document, expected_version=document.version)
        submits.append(time.perf_counter() - t0)
        t0, approvals = time.perf_counter(), 0
        while document.status == "circulating" and approvals < 10:
            step = RouteStep.objects.filter(document=document, round=document.current_round,
                                            state=StepState.PENDING).select_related("assignee").first()  # fmt: skip
            if step is None:
                break
            document = docs.approve(actor=step.assignee, document=document, expected_version=document.version)
            approvals += 1
        decisions.append(time.perf_counter() - t0)
        steps.append(approvals)
        assert Document.objects.get(pk=document.pk).status == "decided", document.status
    return {
        "orders": len(submits),
        "submit": percentiles(submits),
        "approve_to_decision": percentiles(decisions),
        "approvals_per_order": sorted(set(steps)),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--lines", type=int, default=1_000_000, help="order lines already in the database")
    parser.add_argument("--orders", type=int, default=500, help="orders drafted through the service (each kind)")
    parser.add_argument("--decide", type=int, default=50, help="drafted orders then submitted and decided")
    parser.add_argument("--staff", type=int, default=600)
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL database for inspection")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-finance-orders-") as tmp:
        vendor = prepare_database(tmp, BENCH_DB)
        import django

        django.setup()
        from django.db import connection

        from cityhall.finance.models import PaymentOrder, PaymentOrderLine

        result: dict[str, Any] = {"bench": "finance_orders", "load_average_at_start": round(os.getloadavg()[0], 2)}
        started = time.perf_counter()
        city = setup_city(args.staff)
        result["database"] = database_label(vendor)
        result["setup_s"] = round(time.perf_counter() - started, 1)
        result["allotments"] = len(city.allotments)
        gen = Generator(city)
        result["generation_s"] = round(gen.generate(args.lines), 1)
        result["order_lines_in_db"] = PaymentOrderLine.objects.count()
        result["orders_in_db"] = PaymentOrder.objects.count()
        result["generated_lines_per_second"] = round(gen.written / max(result["generation_s"], 0.001))
        busiest = _busiest(city)
        result["measured_allotment_orders"] = PaymentOrder.objects.filter(allotment_id=busiest[0]).count()

        drafted = _drafts(city, busiest, args.orders)
        result["payment_order_draft"] = {"combined": drafted["combined"], "linked": drafted["linked"]}
        result["baseline_bulk_create"] = _baseline(city, busiest, args.orders)
        rate = drafted["combined"]["per_second"] or 0
        base = result["baseline_bulk_create"]["per_second"] or 0
        result["service_vs_bulk_ratio"] = round(base / rate, 1) if rate else None
        result["submit_and_decide"] = _submit_and_decide(drafted["orders"][: args.decide])
        result["load_average_at_end"] = round(os.getloadavg()[0], 2)
        connection.close()
        if vendor == "postgresql" and not args.keep:
            drop_database(BENCH_DB)
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
