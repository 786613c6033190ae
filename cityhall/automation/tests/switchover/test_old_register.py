"""The old document register taken over (旧文書管理簿の移行): paper records with their numbers, all or none."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from cityhall.automation.models import SwitchoverImport
from cityhall.automation.services.switchover import switchover_import_now
from cityhall.core.audit.models import AuditEntry
from cityhall.core.errors import PermissionDenied
from cityhall.core.japanese import fiscal_year, format_wareki
from cityhall.documents import numbering
from cityhall.documents.models import PERMANENT, Document, DocumentNumberCounter, DocumentStatus, Medium
from cityhall.documents.selectors import SearchFilters, search_page
from cityhall.testing.web import client_for

pytestmark = pytest.mark.django_db

HEADER = [
    "文書番号",
    "年度",
    "課",
    "件名",
    "起案日",
    "決裁日",
    "完結日",
    "文書分類",
    "保存期間",
    "保存期間満了",
    "保管場所",
    "個人情報",
    "秘",
    "金額",
    "決裁者",
]
# 01-01-02 文書管理 keeps 5 years, 01-01-01 例規・告示 永年 (documents.defaults.FILE_PLAN).
GOOD: list[list[object]] = [
    # a closed record: 完結 on the decision day, 満了 given and right (R2 + 1 + 5 → 令和8年3月31日)
    ["総第12号", "令和2年度", "総務課", "文書事務研修の実施について", "令和2年6月1日", "令和2年6月3日", "",
     "01-01-02", "", "令和8年3月31日", "第1書庫 棚3 箱12", "", "", "", "旧田 一郎"],
    # only the running number, the section by its code, 永年 and 秘
    [13, "R2", "0101", "例規の改正について", dt.date(2020, 7, 1), "R2.7.10", "",
     "01-01-01", "永年", "", "第1書庫 棚1", "", "○", "", ""],
    # a sub-number, 10 years on a 5-year class (longer is allowed), closed later, an amount
    ["財第5号の2", 2019, "財政課", "予算編成方針について", "", "平成31年4月10日", "令和2年3月31日",
     "01-01-02", "10年", "", "第2書庫 棚2 箱1", "有", "", "120,000", ""],
    # 常用: a ledger still in use, decided but not closed, no expiry yet
    ["総第3号", "令和元年度", "総務課", "文書管理台帳", "", "令和元年5月7日", "",
     "01-01-02", "常用", "", "文書法制係 書棚", "", "", "", ""],
]  # fmt: skip


def _xlsx(rows: list[list[object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in [HEADER, *rows]:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _csv(rows: list[list[object]], encoding: str = "cp932") -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows([HEADER, *rows])
    return out.getvalue().encode(encoding)


def test_an_excel_register_becomes_paper_records_found_in_the_register_and_search(
    city, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        run = switchover_import_now(actor=city.docmgr, kind="register", file_name="文書管理簿.xlsx", data=_xlsx(GOOD))

    assert run.written and run.accepted == 4, run.report
    docs = {d.old_number: d for d in Document.objects.filter(medium=Medium.PAPER)}
    closed, rule, budget, ledger = docs["総第12号"], docs["13"], docs["財第5号の2"], docs["総第3号"]
    assert (closed.section, closed.fiscal_year, closed.number, closed.number_label) == (
        city.units.soumu, 2020, 12, "総第12号"
    )  # fmt: skip
    assert (closed.status, closed.closed_on, closed.expires_on) == (
        DocumentStatus.CLOSED, dt.date(2020, 6, 3), dt.date(2026, 3, 31)
    )  # fmt: skip
    assert (closed.drafted_on, closed.location, closed.old_decider, closed.drafter) == (
        dt.date(2020, 6, 1), "第1書庫 棚3 箱12", "旧田 一郎", city.docmgr
    )  # fmt: skip
    assert (rule.number_label, rule.retention_years, rule.expires_on, rule.is_confidential) == (
        "緑総第13号", PERMANENT, None, True
    )  # fmt: skip
    assert (budget.section, budget.number, budget.sub_number, budget.retention_years) == (city.units.zaisei, 5, 2, 10)
    assert (budget.expires_on, budget.amount, budget.has_personal_info) == (dt.date(2030, 3, 31), 120_000, True)
    assert (ledger.status, ledger.closed_on, ledger.expires_on, ledger.retention_years) == (
        DocumentStatus.DECIDED, None, None, 5
    )  # fmt: skip
    entries = AuditEntry.objects.filter(action="documents.document.paper_import")
    assert sorted(entries.values_list("object_id", flat=True)) == sorted(str(d.pk) for d in docs.values())

    # The counter continues after the imported numbers: a paper decision of 令和2年度 registered now is 第14号.
    with transaction.atomic():
        assert numbering.take_number(city.units.soumu, 2020) == 14

    # The section's register shows them as paper; 秘 only to the section (and the 文書主管).
    client = client_for(city.drafter)
    page = client.get(reverse("documents:register"), {"section": city.units.soumu.pk, "fiscal_year": 2020})
    assert "総第12号" in page.text and "緑総第13号" in page.text and 'data-testid="paper"' in page.text
    register = SearchFilters(section_id=city.units.soumu.pk, fiscal_year=2020)
    assert {d.pk for d in search_page(city.outsider, "", register).items} == {closed.pk}
    assert [d.pk for d in search_page(city.outsider, "文書事務研修").items] == [closed.pk]
    assert [d.pk for d in search_page(city.drafter, "例規の改正").items] == [rule.pk]
    detail = client.get(reverse("documents:detail", args=[closed.pk])).text
    assert "第1書庫 棚3 箱12" in detail and 'data-testid="signing-late"' not in detail


def _today_row(number: object, **changes: object) -> list[object]:
    """A good row of this fiscal year in 総務課 (the draft fixture's place), changed where asked."""
    today = timezone.localdate()
    row: dict[str, object] = dict(zip(HEADER, GOOD[0], strict=True))
    row.update({"文書番号": number, "年度": fiscal_year(today), "起案日": "", "決裁日": format_wareki(today)})
    row.update({"保存期間満了": ""}, **changes)
    return list(row.values())


def test_bad_rows_refuse_the_whole_shift_jis_file_naming_row_and_field(city, draft):
    taken = draft()  # 総務課's first number of this fiscal year
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    rows = [
        GOOD[0],
        _today_row("総第90号", 課="企画課"),
        _today_row("総第91号", 文書分類="09-99"),
        _today_row("総第92号"),
        _today_row("総第92号"),
        _today_row(taken.number),
        _today_row("総第93号", 決裁日=format_wareki(tomorrow), 年度=fiscal_year(tomorrow)),
        _today_row("総第94号", 保管場所=""),
        _today_row("総第95号", 保存期間="3年"),
        _today_row("総第96号", 保存期間満了="令和30年3月31日"),
    ]

    run = switchover_import_now(actor=city.docmgr, kind="register", file_name="文書管理簿.csv", data=_csv(rows))

    assert not run.written and run.rejected == 8
    assert not Document.objects.filter(medium=Medium.PAPER).exists()
    assert not DocumentNumberCounter.objects.filter(fiscal_year=2020).exists()
    refused = {r["row"]: r["reasons"] for r in run.report["rows"] if not r["accepted"]}
    fields = {row: [reason["field"] for reason in reasons] for row, reasons in refused.items()}
    assert fields == {
        3: ["section"],
        4: ["file_plan_class"],
        6: ["number"],
        7: ["number"],
        8: ["decided_on"],
        9: ["location"],
        10: ["retention"],
        11: ["expires_on"],
    }
    assert all(m["message"].startswith(f"{n}行目") for n, ms in refused.items() for m in ms)
    assert "5行目と同じ" in refused[6][0]["message"]
    assert taken.number_label in refused[7][0]["message"]


def test_a_dry_run_writes_no_record_counter_or_index_entry(city, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as after_commit:
        run = switchover_import_now(
            actor=city.docmgr, kind="register", file_name="r.csv", data=_csv(GOOD, "utf-8-sig"), dry_run=True
        )

    assert run.report["would_write"] and not run.written
    assert [r["created"] for r in run.report["rows"]] == [
        "紙の原議 総第12号",
        "紙の原議 緑総第13号",
        "紙の原議 財第5号の2",
        "紙の原議 総第3号",
    ]
    assert not Document.objects.filter(medium=Medium.PAPER).exists()
    assert not DocumentNumberCounter.objects.filter(fiscal_year__in=[2019, 2020]).exists()
    assert after_commit == []  # nothing to index


def test_only_the_document_manager_imports_the_old_register(city):
    with pytest.raises(PermissionDenied):
        switchover_import_now(actor=city.kacho, kind="register", file_name="r.csv", data=_csv(GOOD))
    assert not SwitchoverImport.objects.exists()
