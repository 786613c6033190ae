"""The budget book taken over from the old system (当初予算書の移行): next year's 当初予算, all rows or none."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import Workbook

from cityhall.automation.services.switchover import switchover_import_now
from cityhall.automation.switchover import all_kinds
from cityhall.core.audit.models import AuditEntry
from cityhall.core.errors import PermissionDenied
from cityhall.core.japanese import fiscal_year_label
from cityhall.core.tables import Layout, read_rows
from cityhall.finance.models import Account, Allotment, BudgetClassification, BudgetLine, BudgetVersion, Level
from cityhall.testing.finance import FY

pytestmark = pytest.mark.django_db

NEXT = FY + 1
WAREKI = fiscal_year_label(NEXT, "wareki")  # 「令和9年度」
HEADER = [
    "会計",
    "年度",
    "款",
    "款名",
    "項",
    "項名",
    "目",
    "目名",
    "節",
    "節名",
    "細節",
    "細節名",
    "予算額",
    "配当先の課",
    "配当額",
]
GENERAL = "一般会計"
KOKUHO = "国民健康保険特別会計"
SOUMU = ["2", "総務費", "1", "総務管理費"]  # the fixture's 款 and 項
GOOD: list[list[object]] = [
    [GENERAL, WAREKI, *SOUMU, "1", "一般管理費", "10", "需用費", "", "", "5,000,000", "総務課", "3,000,000"],
    ["", NEXT, "02", "", "1", "", "1", "", "10節", "", "1", "消耗品費", 800_000, "0102", 800_000],
    [GENERAL, f"R{NEXT - 2018}", *SOUMU, "2", "文書広報費", "11", "役務費", "", "", "1,200,000", "", ""],
    [
        GENERAL,
        WAREKI,
        "3",
        "民生費",
        "1",
        "社会福祉費",
        "1",
        "社会福祉総務費",
        "19",
        "扶助費",
        "",
        "",
        "30,000,000",
        "",
        "",
    ],
    [GENERAL, WAREKI, "14", "予備費", "1", "予備費", "1", "予備費", "", "", "", "", "50,000,000", "", ""],
    [
        KOKUHO,
        NEXT,
        "1",
        "総務費",
        "1",
        "総務管理費",
        "1",
        "一般管理費",
        "10",
        "需用費",
        "",
        "",
        "2,000,000",
        "総務課",
        "2,000,000",
    ],
]


def _csv(rows: list[list[object]], encoding: str = "cp932") -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows([HEADER, *rows])
    return out.getvalue().encode(encoding)


def _xlsx(rows: list[list[object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HEADER)
    for row in rows:
        sheet.append([None if cell == "" else cell for cell in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _import(budget, data: bytes, name: str = "当初予算書.csv", **kw):
    return switchover_import_now(actor=budget.staff, kind="budget_book", file_name=name, data=data, **kw)


def test_an_excel_book_becomes_next_years_initial_budget_with_headings_lines_and_allotments(city, budget):
    since = AuditEntry.objects.order_by("-seq").values_list("seq", flat=True).first()

    run = _import(budget, _xlsx(GOOD), "当初予算書.xlsx")

    assert run.written and run.accepted == 6, run.report
    general, kokuho = budget.account, Account.objects.get(name=KOKUHO)
    versions = BudgetVersion.objects.filter(fiscal_year=NEXT)
    assert sorted(versions.values_list("account", "number", "name")) == [
        (general.pk, 0, "当初予算"),
        (kokuho.pk, 0, "当初予算"),
    ]
    lines = BudgetLine.objects.filter(fiscal_year=NEXT)
    assert lines.count() == 6 and lines.filter(setsu__isnull=True).get().moku.name == "予備費"
    first = versions.get(account=general)
    assert sum(first.amounts.values_list("amount", flat=True)) == 87_000_000
    # The fixture's 款・項・目 are used again (「02」 is 2); the new ones hang where the book says.
    kans = BudgetClassification.objects.filter(account=general, level=Level.KAN)
    assert sorted(kans.values_list("code", "name")) == [("14", "予備費"), ("2", "総務費"), ("3", "民生費")]
    assert budget.kou.children.get(code="2").name == "文書広報費"
    assert budget.setsu["10"].children.get(code="1").name == "消耗品費"
    allotted = Allotment.objects.filter(line__fiscal_year=NEXT)
    assert sorted(allotted.values_list("section__name", "amount", "line__account")) == [
        ("総務課", 2_000_000, kokuho.pk),
        ("総務課", 3_000_000, general.pk),
        ("財政課", 800_000, general.pk),
    ]
    assert "総務課に3,000,000円を配当" in run.report["rows"][0]["created"]
    audited = AuditEntry.objects.filter(seq__gt=since, actor_id=budget.staff.pk)
    counts = {a: audited.filter(action=a).count() for a in set(audited.values_list("action", flat=True))}
    assert counts == {
        "finance.heading.create": 11,  # 目 2; 3款・1項・1目; 14款・1項・1目; 細節 1; 国保の 1款・1項・1目
        "finance.line.create": 6,
        "finance.version.create": 2,
        "finance.allotment.set": 3,
        "automation.switchover.start": 1,
        "automation.switchover.import": 1,
    }


def test_bad_rows_refuse_the_book_and_each_reason_names_row_and_field(city, budget):
    def line(kan: list[str], moku: list[str], setsu: list[str], amount: str, *rest: str, year: object = NEXT):
        return [GENERAL, year, *kan, *moku, *setsu, "", "", amount, *rest] + [""] * (2 - len(rest))

    rows = [
        line(SOUMU, ["1", "一般管理費"], ["10", "需用費"], "100", year=FY),  # 2: FY has its 当初予算
        line(["2", "総務費用", "1", "総務管理費"], ["1", ""], ["10", ""], "100"),  # 3: 2款 is 総務費
        line(SOUMU, ["1", ""], ["11", "委託料"], "100"),  # 4: 11節 is 役務費
        line(SOUMU, ["1", ""], ["28", ""], "100"),  # 5: no 28節
        line(SOUMU, ["1", ""], ["12", "委託料"], "100"),  # 6: good
        line(SOUMU, ["1", ""], ["12", ""], "200"),  # 7: the line of row 6 again
        line(["14", "予備費", "1", "予備費"], ["1", "予備費"], ["", ""], "100"),  # 8: the 予備費
        line(["14", "予備費", "1", "予備費"], ["2", "予備費2"], ["", ""], "100"),  # 9: a second 予備費
        line(SOUMU, ["1", ""], ["13", ""], "1,000,000", "総務課", "2,000,000"),  # 10: more than the line
        line(SOUMU, ["1", ""], ["14", ""], "100", "未来課", "100"),  # 11: no such 課
        line(SOUMU, ["1", ""], ["15", ""], "▲500"),  # 12: negative
        line(SOUMU, ["9", ""], ["10", ""], "100"),  # 13: a new 目 without its name
        ["下水道事業会計", NEXT, *SOUMU, "1", "", "10", "", "", "", "100", "", ""],  # 14: no such 会計
        line(SOUMU, ["1", ""], ["16", ""], "100", year=2040),  # 15: not this year nor next
    ]
    before = (BudgetClassification.objects.count(), BudgetLine.objects.count(), BudgetVersion.objects.count())

    run = _import(budget, _csv(rows))

    assert not run.written and run.rejected == 12, [r for r in run.report["rows"] if not r["accepted"]]
    after = (BudgetClassification.objects.count(), BudgetLine.objects.count(), BudgetVersion.objects.count())
    assert after == before
    refused = {r["row"]: r["reasons"] for r in run.report["rows"] if not r["accepted"]}
    fields = {number: [reason["field"] for reason in reasons] for number, reasons in refused.items()}
    assert fields == {
        2: ["fiscal_year"],
        3: ["kan_name"],
        4: ["setsu_name"],
        5: ["setsu_code"],
        7: ["row"],
        9: ["setsu_code"],
        10: ["allotment"],
        11: ["section"],
        12: ["amount"],
        13: ["moku_name"],
        14: ["account"],
        15: ["fiscal_year"],
    }
    assert all(m["message"].startswith(f"{n}行目") for n, ms in refused.items() for m in ms)
    assert "補正予算" in refused[2][0]["message"]
    assert "「総務費」" in refused[3][0]["message"] and "「総務費用」" in refused[3][0]["message"]
    assert "6行目" in refused[7][0]["message"] and "8行目" in refused[9][0]["message"]


def test_a_dry_run_says_what_would_be_created_and_writes_nothing(city, budget):
    run = _import(budget, _csv(GOOD[:3], "utf-8-sig"), dry_run=True)

    assert run.report["would_write"] and not run.written
    assert "文書広報費" in run.report["rows"][2]["created"]
    assert not BudgetLine.objects.filter(fiscal_year=NEXT).exists()
    assert not BudgetVersion.objects.filter(fiscal_year=NEXT).exists()
    assert not BudgetClassification.objects.filter(name="消耗品費").exists()


def test_checking_a_book_reads_the_database_a_fixed_number_of_times(city, budget, django_assert_max_num_queries):
    book = [
        [GENERAL, NEXT, *SOUMU, str(m), f"目{m}", str(s), "", "", "", "1,000", "総務課", "1,000"]
        for m in range(2, 12)
        for s in range(1, 7)
    ]
    kind = all_kinds()["budget_book"]
    rows = read_rows(kind.fields, _csv(book), Layout())

    with django_assert_max_num_queries(8):
        kind.check(budget.staff, rows)

    assert len(rows) == 60 and not any(row.reasons for row in rows)


def test_only_the_accounting_role_imports_the_book(city, budget):
    with pytest.raises(PermissionDenied):
        switchover_import_now(actor=city.drafter, kind="budget_book", file_name="a.csv", data=_csv(GOOD))
    assert not BudgetLine.objects.filter(fiscal_year=NEXT).exists()
