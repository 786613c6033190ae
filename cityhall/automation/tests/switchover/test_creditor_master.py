"""The creditor master taken over from the old system (債権者マスタの移行): all rows or none, reasons per row."""

from __future__ import annotations

import csv
import io

import pytest

from cityhall.automation.models import SwitchoverImport
from cityhall.automation.services.switchover import switchover_import_now, switchover_layout_set
from cityhall.core.audit.models import AuditEntry
from cityhall.core.errors import PermissionDenied
from cityhall.finance.models import Creditor, CreditorBankAccount

pytestmark = pytest.mark.django_db

HEADER = [
    "取引先コード",
    "債権者名",
    "フリガナ",
    "住所",
    "登録番号",
    "金融機関コード",
    "支店コード",
    "預金種目",
    "口座番号",
    "口座名義",
]
GOOD = [
    [
        "m-001",
        "株式会社みらい商事",
        "ミライショウジ",
        "東京都千代田区1-1",
        "",
        "5",
        "1",
        "普通",
        "1234567",
        "株式会社ミライショウジ",
    ],
    ["M-001", "株式会社みらい商事", "ミライショウジ", "", "", "0001", "001", "2", "7654321", "ｶ)ﾐﾗｲｼﾖｳｼﾞ"],
    ["M-002", "山田 花子", "やまだ はなこ", "", "", "", "", "", "", ""],
]


def _csv(rows: list[list[str]], encoding: str = "cp932") -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows([HEADER, *rows])
    return out.getvalue().encode(encoding)


def test_a_shift_jis_master_registers_creditors_with_their_accounts(city, budget):
    run = switchover_import_now(actor=budget.staff, kind="creditors", file_name="債権者.csv", data=_csv(GOOD))

    assert run.written and run.rejected == 0 and run.accepted == 3
    mirai = Creditor.objects.get(code="M-001")
    accounts = list(mirai.bank_accounts.order_by("-is_default", "pk").values_list("is_default", "holder_kana"))
    assert accounts == [(True, "ｶ)ﾐﾗｲｼﾖｳｼﾞ"), (False, "ｶ)ﾐﾗｲｼﾖｳｼﾞ")]  # 「株式会社」 abbreviated, first row default
    assert Creditor.objects.get(code="M-002").kana == "ヤマダ ハナコ"
    assert AuditEntry.objects.filter(action="automation.switchover.import", object_id=str(run.pk)).exists()


def test_one_bad_row_refuses_the_file_and_names_row_field_and_character(city, budget):
    rows = [*GOOD, ["M-003", "有限会社テスト", "テスト", "", "", "0001", "999", "1", "1111111", "ﾕ)ﾃｽﾄ"]]
    rows.append(["M-004", "株式会社ABC", "エービーシー", "", "", "0001", "001", "1", "2222222", "株式会社ＡＢＣ★"])
    used = budget.creditor.bank_accounts.get(is_default=True)
    rows.append(["M-005", "別の会社", "ベツ", "", "", used.bank_code, used.branch_code, "1", used.account_number, "ﾍﾞﾂ"])
    before = Creditor.objects.count()

    run = switchover_import_now(actor=budget.staff, kind="creditors", file_name="債権者.csv", data=_csv(rows))

    assert not run.written and run.rejected == 3 and Creditor.objects.count() == before
    refused = {r["row"]: r["reasons"] for r in run.report["rows"] if not r["accepted"]}
    assert set(refused) == {5, 6, 7}
    assert refused[5][0]["field"] == "branch_code"
    assert refused[6][0]["field"] == "holder_name" and "★" in refused[6][0]["message"]
    assert refused[7][0]["field"] == "account_number" and "既に" in refused[7][0]["message"]
    assert all(m["message"].startswith(f"{n}行目") for n, ms in refused.items() for m in ms)


def test_a_dry_run_says_what_would_happen_and_writes_nothing(city, budget):
    run = switchover_import_now(
        actor=budget.staff, kind="creditors", file_name="債権者.csv", data=_csv(GOOD, "utf-8-sig"), dry_run=True
    )

    assert run.report["would_write"] and not run.written
    assert not Creditor.objects.filter(code__startswith="M-").exists()
    assert not CreditorBankAccount.objects.filter(account_number="7654321").exists()


def test_codes_in_use_and_a_missing_column_are_refused(city, budget):
    again = [["  " + budget.creditor.code.lower(), "別の会社", "ベツ", "", "", "", "", "", "", ""]]
    run = switchover_import_now(actor=budget.staff, kind="creditors", file_name="a.csv", data=_csv(again))
    assert run.report["rows"][0]["reasons"][0]["field"] == "code"

    no_kana = "取引先コード,債権者名\r\nX-1,テスト\r\n".encode()
    run = switchover_import_now(actor=budget.staff, kind="creditors", file_name="b.csv", data=no_kana)
    assert not run.written and "フリガナ" in run.report["reasons"][0]["message"]


def test_a_stored_layout_reads_an_export_with_other_headers(city, budget):
    switchover_layout_set(actor=budget.staff, kind="creditors", layout={"columns": {"kana": "#3"}, "header_row": 2})
    data = "旧財務システム 出力\r\n取引先コード,債権者名,ｶﾅ\r\nK-9,テスト商店,テストショウテン\r\n".encode("cp932")

    run = switchover_import_now(actor=budget.staff, kind="creditors", file_name="c.csv", data=data)

    assert run.written, run.report
    assert Creditor.objects.get(code="K-9").kana == "テストショウテン"


def test_only_the_accounting_role_imports_the_master(city, budget):
    with pytest.raises(PermissionDenied):
        switchover_import_now(actor=city.drafter, kind="creditors", file_name="a.csv", data=_csv(GOOD))
    assert not SwitchoverImport.objects.exists()
