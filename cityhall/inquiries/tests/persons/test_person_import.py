"""Importing the tax system's list (滞納者一覧の取込): encodings, Excel, 和暦, re-imports, bad rows, layouts."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from cityhall.core.models import AuditEntry
from cityhall.core.tables import Layout, TableRejected
from cityhall.inquiries.models import DelinquentPerson, PersonImport, TaxItem
from cityhall.inquiries.services.person_imports import person_import_layout_set, persons_import
from cityhall.savings.models import SavedTime
from cityhall.testing.inquiries import delinquent_csv

pytestmark = pytest.mark.django_db

SAMPLE = Path(__file__).resolve().parents[2] / "demo" / "delinquent_sample.csv"
HEADER = (
    "宛名番号",
    "氏名",
    "フリガナ",
    "生年月日",
    "住所",
    "旧住所",
    "滞納税目",
    "年度",
    "滞納額",
    "最古納期限",
    "地区",
)


def _row(
    number: str, kana: str = "タナカ　イチロウ", born: object = "昭和50年4月1日", amount: object = "50,000"
) -> list:
    return [
        number,
        "田中　一郎",
        kana,
        born,
        "東京都みどり野市本町1番1号",
        "",
        "市民税",
        "R5",
        amount,
        "2023/06/30",
        "",
    ]


def _count(action: str) -> int:
    return AuditEntry.objects.filter(action=action).count()


def test_the_shift_jis_sample_of_200_persons_is_imported_audited_and_counted_as_hours_saved(inquiry_city):
    w = inquiry_city
    data = SAMPLE.read_bytes()
    assert data == delinquent_csv(200)  # the demo's sample is the helper's file
    created = _count("inquiries.person.create")

    run = persons_import(actor=w.collector, file_name="滞納者一覧.csv", data=data)

    assert (run.written, run.rows, run.created, run.updated, run.refused) == (True, 200, 200, 0, 0)
    assert run.report["absent"] == 3  # 山田, 鈴木, 佐藤 were not in the file: left as they are
    era_code = DelinquentPerson.objects.get(section=w.nozei, resident_number="2000000003")
    assert era_code.birth_date == dt.date(1957, 5, 12)  # 「3320512」: 昭和32年5月12日
    half_width = DelinquentPerson.objects.get(section=w.nozei, resident_number="2000000005")
    assert half_width.kana == "カトウ　ナオキ" and half_width.amount == 221_600
    taxes = TaxItem.objects.filter(person=half_width).values_list("tax", "fiscal_year", "amount")
    assert sorted(taxes) == [("国民健康保険税", 2021, 56_500), ("軽自動車税（種別割）", 2021, 165_100)]
    assert _count("inquiries.person.create") == created + 200
    assert AuditEntry.objects.filter(action="inquiries.person_import", object_id=str(run.pk)).count() == 1
    saved = SavedTime.objects.get(object_id=str(run.pk), kind="inquiries.persons")
    assert (saved.section, saved.count, saved.minutes) == (w.nozei, 200, 600)


def test_utf8_with_bom_and_excel_import_and_a_re_export_updates_keeping_the_old_address(
    inquiry_city, csv_file, xlsx_file
):
    w = inquiry_city
    moved = [
        "0000000101", "山田　太郎", "ﾔﾏﾀﾞ ﾀﾛｳ", "S55.05.01", "東京都みどり野市桜台2番2号", "",
        "市民税", "", "150,000", "令和6年6月30日", "南部地区",
    ]  # fmt: skip
    first = persons_import(
        actor=w.collector, file_name="a.csv", data=csv_file([HEADER, moved, _row("9000000001")], encoding="utf-8-sig")
    )
    assert (first.written, first.created, first.updated) == (True, 1, 1)
    yamada = DelinquentPerson.objects.get(pk=w.yamada.pk)
    assert (yamada.address, yamada.amount, yamada.area) == ("東京都みどり野市桜台2番2号", 150_000, "南部地区")
    assert list(yamada.former_addresses.values_list("address", flat=True)) == [
        "東京都みどり野市中央一丁目1番1号",  # the address before the move, newest first
        "埼玉県所沢市1-2-3",
    ]
    update = json.loads(AuditEntry.objects.get(action="inquiries.person.update", object_id=str(yamada.pk)).after)
    assert update["amount"] == [120_000, 150_000] and update["address_changed"] is True

    born = dt.datetime(1975, 4, 1)  # an Excel date cell; the other row's is 和暦 text
    book = xlsx_file([HEADER, moved, [*_row("9000000001", born=born)[:8], 50_000, dt.datetime(2023, 6, 30), ""]])
    again = persons_import(actor=w.collector, file_name="a.xlsx", data=book)
    assert (again.written, again.created, again.updated, again.unchanged) == (True, 0, 0, 2)
    assert not SavedTime.objects.filter(object_id=str(again.pk)).exists()  # nothing typed, nothing saved


def test_bad_rows_refuse_the_file_naming_row_field_and_reason_and_nothing_is_saved(inquiry_city, csv_file):
    w = inquiry_city
    rows = [
        HEADER,
        _row("9000000001", kana=""),
        _row("9000000002", born="平成2年2月30日"),
        _row("9000000003", amount="五万円"),
        _row("9000000004", kana="田中"),
        _row("9000000004"),
        _row("0000000101", born="2099/01/01"),  # known: the update's check
    ]
    persons, audit, imports = (
        DelinquentPerson.objects.count(),
        _count("inquiries.person.create"),
        _count("inquiries.person_import"),
    )

    run = persons_import(actor=w.collector, file_name="bad.csv", data=csv_file(rows, encoding="cp932"))

    assert (run.written, run.refused, run.created) == (False, 6, 0)
    reasons = {r["row"]: (r["reasons"][0]["field"], r["reasons"][0]["message"]) for r in run.report["rows"]}
    assert reasons[2][0] == "kana" and "空欄です。フリガナが必要です" in reasons[2][1]
    assert reasons[3][0] == "birth_date" and reasons[3][1].startswith("3行目") and "存在しない日付" in reasons[3][1]
    assert reasons[4][0] == "amount" and "数値ではありません" in reasons[4][1]
    assert reasons[5] == ("kana", "5行目: フリガナはカタカナで入力してください（「田」は使えません）。")
    assert reasons[6] == ("resident_number", "6行目: 宛名番号 9000000004 が5行目と重複しています。")
    assert reasons[7][0] == "birth_date" and "ありえない日付" in reasons[7][1]
    assert DelinquentPerson.objects.count() == persons and _count("inquiries.person.create") == audit
    assert DelinquentPerson.objects.get(pk=w.yamada.pk).birth_date == dt.date(1980, 5, 1)
    assert _count("inquiries.person_import") == imports + 1  # the refused import is on record, with its report


def test_a_dry_run_reports_without_saving_and_a_stored_layout_reads_odd_headers(inquiry_city, csv_file):
    w = inquiry_city
    odd = ["番号", "名前", "よみ", "誕生日", "所在", "旧", "税", "年", "残高", "期限", "区"]
    data = csv_file([odd, _row("9000000001", kana="たなか いちろう")])
    columns = dict(zip(("resident_number", "name", "kana", "birth_date", "address"), odd, strict=False))
    columns |= {"amount": "残高", "delinquent_since": "期限", "taxes": "税", "fiscal_year": "年"}
    person_import_layout_set(actor=w.collector, layout={"columns": columns})
    assert _count("inquiries.person_import.layout") == 1

    trial = persons_import(actor=w.collector, file_name="odd.csv", data=data, dry_run=True)
    assert (trial.dry_run, trial.written, trial.created, trial.report["would_write"]) == (True, False, 1, True)
    assert trial.report["rows"][0]["created"] == "宛名番号 9000000001: 新規"
    assert not DelinquentPerson.objects.filter(resident_number="9000000001").exists()

    real = persons_import(actor=w.collector, file_name="odd.csv", data=data)
    assert real.written and DelinquentPerson.objects.get(resident_number="9000000001").kana == "タナカ　イチロウ"
    assert PersonImport.objects.filter(section=w.nozei, dry_run=False).count() == 1
    with pytest.raises(TableRejected, match="「宛名番号」の列"):  # without the layout, the file is refused
        persons_import(actor=w.collector, file_name="odd.csv", data=data, layout=Layout())


def test_the_command_imports_into_the_section_named_by_its_code(inquiry_city, tmp_path, csv_file):
    out = io.StringIO()
    call_command("import_delinquent", str(SAMPLE), user="collector", section="0301", dry_run=True, stdout=out)
    assert "［試行］200行: 新規 200" in out.getvalue()
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_file([HEADER, _row("9000000001", kana="")]))
    with pytest.raises(CommandError, match="何も登録していません"):
        call_command("import_delinquent", str(bad), user="collector", stdout=out)
    assert "2行目: 「フリガナ」: 空欄です。" in out.getvalue()
    with pytest.raises(CommandError, match="0302"):  # 税務課 is not the collector's
        call_command("import_delinquent", str(SAMPLE), user="collector", section="0302", stdout=out)


def test_payment_banks_are_read_and_an_unknown_or_malformed_code_refuses_its_row(inquiry_city, csv_file):
    w = inquiry_city
    header = (*HEADER, "口座振替金融機関")
    good = csv_file([header, [*_row("3000000001"), "0001、0005"]])
    run = persons_import(actor=w.collector, file_name="振替.csv", data=good)
    assert run.written and DelinquentPerson.objects.get(resident_number="3000000001").payment_banks == "0001 0005"
    bad = csv_file([header, [*_row("3000000002"), "9998"], [*_row("3000000003"), "12345"]])
    refused = persons_import(actor=w.collector, file_name="振替.csv", data=bad)
    reasons = json.dumps(refused.report, ensure_ascii=False)
    assert not refused.written and "9998 は存在しません" in reasons and "「12345」は4桁の数字ではありません" in reasons
    assert not DelinquentPerson.objects.filter(resident_number__in=["3000000002", "3000000003"]).exists()
