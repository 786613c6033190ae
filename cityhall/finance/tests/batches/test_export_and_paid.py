"""Payment batches (支払データ): the 全銀 総合振込 export read back with our reader, 支払済, the command, 送信期限."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.urls import reverse

from cityhall.core.audit.models import AuditEntry
from cityhall.core.errors import Conflict, PermissionDenied, ValidationFailed
from cityhall.core.japanese import previous_bank_business_day
from cityhall.finance.models import BatchStatus, CreditorBankAccount, PaymentBatch, PaymentOrder
from cityhall.finance.selectors.batches import batch_detail, batches_for, send_by, send_is_late
from cityhall.finance.services.batches import batch_export, batch_file, batch_mark_paid
from cityhall.finance.services.review import order_review_approve
from cityhall.finance.zengin import read_zengin
from cityhall.testing.finance import BATCH_TOTAL, FILE_TOTAL, ZENGIN, pay_day
from cityhall.testing.race import race
from cityhall.testing.web import client_for, finance_api

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("zengin_files")]


@pytest.mark.parametrize("separator", ["crlf", "none"])
def test_export_writes_a_zengin_file_that_reads_back(batch, treasurer, separator):
    result = batch_export(actor=treasurer, batch=batch, separator=separator)
    assert (result.count, result.total) == (2, BATCH_TOTAL)
    parsed = read_zengin(io.BytesIO(result.content), year=batch.payment_date.year)
    assert (parsed.count, parsed.total, parsed.separator) == (2, FILE_TOTAL, separator)
    assert parsed.header.transfer_date == batch.payment_date
    assert (parsed.header.requester_code, parsed.header.account_number) == ("0000012345", "7777777")
    assert [(t.bank_code, t.account_number, t.payee_name, t.amount) for t in parsed.transfers] == [
        ("0001", "1234567", "ｶ)ﾔﾏﾀﾞｼﾖｳｼﾞ", 165_000),
        ("0005", "7654321", "ｽｽﾞｷ ｲﾁﾛｳ", 89_790),
    ]
    records = result.content.split(b"\r\n")[:-1] if separator == "crlf" else None
    if records is not None:
        assert [len(r) for r in records] == [120] * 5
    else:
        assert len(result.content) == 5 * 120 and b"\r" not in result.content
    assert result.file_name.startswith(f"zengin/{batch.payment_date:%Y-%m-%d}/")
    with default_storage.open(result.file_name, "rb") as stored:
        assert stored.read() == result.content


def test_export_marks_the_batch_exported_and_audits(batch, treasurer):
    result = batch_export(actor=treasurer, batch=batch)
    batch.refresh_from_db()
    assert (batch.status, batch.record_count, batch.total_amount, batch.file_name, batch.exported_by) == (
        BatchStatus.EXPORTED,
        2,
        BATCH_TOTAL,
        result.file_name,
        treasurer,
    )
    assert batch.exported_at is not None
    entry = AuditEntry.objects.get(action="finance.payment_batch.export", object_id=str(batch.pk))
    assert '"sha256":' in entry.after and '"separator":"crlf"' in entry.after


def test_a_second_export_is_refused_and_a_new_open_batch_takes_later_approvals(
    batch,
    treasurer,
    decided_order,
):
    batch_export(actor=treasurer, batch=batch)
    with pytest.raises(Conflict, match="既に出力されています（状態: 振込データ出力済）"):
        batch_export(actor=treasurer, batch=batch)
    late = order_review_approve(actor=treasurer, order=decided_order(payment_date=batch.payment_date))
    assert late.batch is not None and late.batch_id != batch.pk
    assert late.batch.status == BatchStatus.OPEN
    assert AuditEntry.objects.filter(action="finance.payment_batch.export").count() == 1


def test_bad_payee_data_names_the_order_and_row_and_saves_nothing(batch, treasurer, suzuki):
    # The creditor service refuses such a holder name: reached only behind the services' back.
    CreditorBankAccount.objects.filter(creditor=suzuki).update(holder_kana="ｽｽﾞｷｰｲﾁﾛｳ")
    with pytest.raises(ValidationFailed) as caught:
        batch_export(actor=treasurer, batch=batch)
    message = caught.value.message
    assert message.startswith("支出命令 ") and "の2行目（鈴木一郎）: " in message
    assert "受取人名の5文字目「ｰ」は全銀の振込データに使えない文字です" in message
    batch.refresh_from_db()
    assert (batch.status, batch.file_name) == (BatchStatus.OPEN, "")
    assert not default_storage.exists(f"zengin/{batch.payment_date:%Y-%m-%d}")
    assert not AuditEntry.objects.filter(action="finance.payment_batch.export").exists()


def test_an_unknown_branch_names_the_row(batch, treasurer, budget):
    CreditorBankAccount.objects.filter(creditor=budget.creditor).update(branch_code="998")
    with pytest.raises(
        ValidationFailed, match="の1行目（株式会社ヤマダ商事）: 銀行コード 0001 の支店コード 998 は存在しません"
    ):
        batch_export(actor=treasurer, batch=batch)


@pytest.mark.parametrize(
    ("key", "value", "detail"),
    [
        ("requester_code", "12345", "委託者コードは10桁の数字でなければなりません"),
        ("branch_code", "998", "銀行コード 0001 の支店コード 998 は存在しません"),
    ],
)
def test_a_bad_paying_account_in_the_settings_is_named(settings, batch, treasurer, key, value, detail):
    settings.CITYHALL_ZENGIN = {**ZENGIN, key: value}
    with pytest.raises(ValidationFailed, match=r"^振込元口座の設定（CITYHALL_ZENGIN）: .*" + detail):
        batch_export(actor=treasurer, batch=batch)
    batch.refresh_from_db()
    assert batch.status == BatchStatus.OPEN


def test_only_the_accounting_manager_exports_and_marks_paid(city, budget, batch, treasurer):
    for actor in (city.drafter, budget.staff):
        with pytest.raises(PermissionDenied):
            batch_export(actor=actor, batch=batch)
    batch_export(actor=treasurer, batch=batch)
    with pytest.raises(PermissionDenied):
        batch_mark_paid(actor=budget.staff, batch=batch)
    with pytest.raises(PermissionDenied):
        batch_file(actor=city.drafter, batch=batch)
    assert list(batches_for(budget.staff)) == [batch]  # 会計 sees the batches
    assert list(batches_for(city.drafter)) == []
    with pytest.raises(PermissionDenied):
        batch_detail(city.drafter, batch.pk)


def test_a_batch_whose_payment_date_has_passed_is_not_exported(batch, treasurer):
    with pytest.raises(ValidationFailed, match="が過ぎているため振込データを出力できません"):
        batch_export(actor=treasurer, batch=batch, on=batch.payment_date + dt.timedelta(days=1))


def test_mark_paid_after_export_and_the_stored_file_again(batch, treasurer):
    with pytest.raises(Conflict, match="出力してから"):
        batch_mark_paid(actor=treasurer, batch=batch)
    result = batch_export(actor=treasurer, batch=batch)
    assert batch_file(actor=treasurer, batch=batch) == result.content
    assert AuditEntry.objects.filter(action="finance.payment_batch.download", object_id=str(batch.pk)).count() == 1
    paid = batch_mark_paid(actor=treasurer, batch=batch)
    assert (paid.status, paid.paid_at is not None) == (BatchStatus.PAID, True)
    with pytest.raises(Conflict, match="既に支払済"):
        batch_mark_paid(actor=treasurer, batch=batch)
    assert AuditEntry.objects.filter(action="finance.payment_batch.mark_paid").count() == 1


def test_a_batch_of_cash_orders_only_has_no_file(treasurer, decided_order):
    order = order_review_approve(actor=treasurer, order=decided_order(amounts=(20_000,), payment_method="cash"))
    assert order.batch is not None
    result = batch_export(actor=treasurer, batch=order.batch)
    assert (result.file_name, result.content, result.count, result.total) == ("", b"", 0, 20_000)
    with pytest.raises(Conflict, match="口座振込がないため"):
        batch_file(actor=treasurer, batch=order.batch)


def test_the_command_exports_writes_and_marks_paid(batch, treasurer, tmp_path):
    out, path = io.StringIO(), tmp_path / "furikomi.txt"
    call_command("export_zengin", date=f"{batch.payment_date:%Y-%m-%d}", output=str(path), separator="none", stdout=out)
    parsed = read_zengin(io.BytesIO(path.read_bytes()), year=batch.payment_date.year)
    assert (parsed.count, parsed.total, parsed.separator) == (2, FILE_TOTAL, "none")
    assert (
        f"振込データ 2件 {FILE_TOTAL:,}円、窓口払（振込データに含まない） 1件 33,000円、"
        f"支払データの合計 {BATCH_TOTAL:,}円" in out.getvalue()
    )
    assert "支払済にしました" in out.getvalue()
    batch.refresh_from_db()
    assert (batch.status, batch.exported_by) == (BatchStatus.PAID, treasurer)
    assert default_storage.exists(batch.file_name)
    with pytest.raises(CommandError, match="既に出力され、支払済です"):
        call_command("export_zengin", date=f"{batch.payment_date:%Y-%m-%d}", output=str(path))


def test_the_command_without_marking_paid_then_again(batch, treasurer, tmp_path):
    day = f"{batch.payment_date:%Y-%m-%d}"
    first, second = tmp_path / "1.txt", tmp_path / "2.txt"
    with pytest.raises(CommandError, match=r"に書き込めません.*支払データは出力済です"):
        call_command("export_zengin", "--date", day, "--output", str(tmp_path))  # a directory
    batch.refresh_from_db()
    assert batch.status == BatchStatus.EXPORTED  # exported, not paid: the file was not handed over
    call_command(
        "export_zengin",
        "--date",
        day,
        "--output",
        str(first),
        "--no-mark-paid",
        "--user",
        "kaikei",
        stdout=io.StringIO(),
    )
    batch.refresh_from_db()
    assert batch.status == BatchStatus.EXPORTED
    call_command("export_zengin", "--date", day, "--output", str(second), stdout=io.StringIO())
    assert second.read_bytes() == first.read_bytes()  # the stored file, written again
    batch.refresh_from_db()
    assert batch.status == BatchStatus.PAID


def test_the_command_refuses_in_japanese(city, treasurer, tmp_path):
    path = str(tmp_path / "x.txt")
    with pytest.raises(CommandError, match="日付「2026-13-01」が正しくありません"):
        call_command("export_zengin", date="2026-13-01", output=path)
    with pytest.raises(CommandError, match="の支払データはありません"):
        call_command("export_zengin", date="2026-05-08", output=path)
    with pytest.raises(CommandError, match="ユーザー「nobody」は存在しません"):
        call_command("export_zengin", date="2026-05-08", output=path, user="nobody")
    with pytest.raises(CommandError, match="ディレクトリ"):
        call_command("export_zengin", date="2026-05-08", output=str(tmp_path / "no" / "x.txt"))
    assert not PaymentBatch.objects.exists()


def test_export_command_refuses_while_another_batch_of_the_day_is_exported_and_unpaid(
    tmp_path, treasurer, decided_order
):
    day = pay_day()
    first = order_review_approve(actor=treasurer, order=decided_order(amounts=(110_000,), payment_date=day)).batch
    assert first is not None
    batch_export(actor=treasurer, batch=first)  # handed to the bank, not yet confirmed paid
    second = order_review_approve(actor=treasurer, order=decided_order(amounts=(55_000,), payment_date=day)).batch
    assert second is not None
    assert second.pk != first.pk and second.status == BatchStatus.OPEN
    path = tmp_path / "furikomi.txt"
    with pytest.raises(CommandError) as caught:
        call_command("export_zengin", date=f"{day:%Y-%m-%d}", output=str(path), stdout=io.StringIO())
    assert f"ID {first.pk}、1件、合計 110,000円" in str(caught.value)
    assert "もう一度実行してください" in str(caught.value)
    assert not path.exists()
    statuses = dict(PaymentBatch.objects.values_list("pk", "status"))
    assert statuses == {first.pk: BatchStatus.EXPORTED, second.pk: BatchStatus.OPEN}
    batch_mark_paid(actor=treasurer, batch=first)
    call_command("export_zengin", date=f"{day:%Y-%m-%d}", output=str(path), stdout=io.StringIO())
    assert PaymentBatch.objects.get(pk=second.pk).status == BatchStatus.PAID


# --- the export's figures: transfers and cash apart, and the stored file's separator ----------


def test_the_command_gives_transfers_and_cash_apart(batch, treasurer, tmp_path):
    out = io.StringIO()
    call_command("export_zengin", date=f"{batch.payment_date:%Y-%m-%d}", output=str(tmp_path / "f.txt"), stdout=out)
    line = out.getvalue()
    assert f"振込データ 2件 {FILE_TOTAL:,}円" in line
    assert "窓口払（振込データに含まない） 1件 33,000円" in line
    assert f"支払データの合計 {BATCH_TOTAL:,}円" in line


def test_the_api_export_headers_give_the_file_total_and_cash_apart(batch, treasurer):
    answer = finance_api(treasurer, "post", f"/batches/{batch.pk}/export")
    assert answer.status_code == 200, answer.content
    assert (answer["X-Record-Count"], answer["X-Total-Amount"]) == ("2", str(FILE_TOTAL))
    assert (answer["X-Cash-Count"], answer["X-Cash-Amount"], answer["X-Batch-Total"]) == (
        "1",
        "33000",
        str(BATCH_TOTAL),
    )
    operation = client_for(treasurer).get("/api/openapi.json").json()["paths"]["/api/finance/batches/{batch_id}/export"]
    headers = operation["post"]["responses"]["200"]["headers"]
    assert {"X-Record-Count", "X-Total-Amount", "X-Cash-Count", "X-Cash-Amount", "X-Batch-Total"} <= set(headers)


def test_the_command_refuses_another_separator_for_a_stored_file(batch, treasurer, tmp_path):
    day = f"{batch.payment_date:%Y-%m-%d}"
    first = tmp_path / "1.txt"
    call_command("export_zengin", "--date", day, "--output", str(first), "--no-mark-paid", stdout=io.StringIO())
    with pytest.raises(CommandError, match="保存済みの振込データのレコード区切りは「crlf」です。指定された「none」"):
        call_command("export_zengin", "--date", day, "--output", str(tmp_path / "2.txt"), "--separator", "none")
    assert not (tmp_path / "2.txt").exists()
    assert not AuditEntry.objects.filter(action="finance.payment_batch.download").exists()  # nothing handed out
    batch.refresh_from_db()
    assert batch.status == BatchStatus.EXPORTED  # not marked paid
    out = io.StringIO()
    call_command("export_zengin", "--date", day, "--output", str(tmp_path / "3.txt"), "--separator", "crlf", stdout=out)
    assert (tmp_path / "3.txt").read_bytes() == first.read_bytes()
    assert AuditEntry.objects.filter(action="finance.payment_batch.download").count() == 1
    assert PaymentOrder.objects.filter(batch=batch).count() == 3


@pytest.mark.django_db(transaction=True)
def test_concurrent_approvals_and_an_export_of_one_date(treasurer, decided_order):
    """Approvals racing each other and the export: one open batch at a time, every order in exactly one file."""
    day = pay_day()
    first = order_review_approve(actor=treasurer, order=decided_order(amounts=(10_000,), payment_date=day))
    batch = first.batch
    assert batch is not None
    racing = [decided_order(amounts=(1_000 * (i + 1),), payment_date=day) for i in range(4)]

    def approve(order):
        return lambda: order_review_approve(actor=treasurer, order=order)

    outcomes = race([lambda: batch_export(actor=treasurer, batch=batch), *map(approve, racing)])

    assert sorted(outcomes) == ["ok"] * 5
    exported = PaymentBatch.objects.get(pk=batch.pk)
    in_file = sum(PaymentOrder.objects.filter(batch=exported).values_list("payment_amount", flat=True))
    assert (exported.status, exported.total_amount) == (BatchStatus.EXPORTED, in_file)
    later = PaymentBatch.objects.exclude(pk=exported.pk)
    assert later.count() <= 1 and all(b.status == BatchStatus.OPEN for b in later)
    assert PaymentOrder.objects.filter(batch__isnull=False).count() == 5


# --- 送信期限: the bank wants the file some business days before the payment date ------------


def test_the_sending_day_is_lead_business_days_before_the_payment_date(batch, settings, client, treasurer):
    settings.CITYHALL_ZENGIN = {**ZENGIN, "lead_days": 2}
    expected = previous_bank_business_day(previous_bank_business_day(batch.payment_date))
    assert send_by(batch) == expected
    assert not send_is_late(batch, on=expected)
    assert send_is_late(batch, on=expected + dt.timedelta(days=1))
    settings.CITYHALL_ZENGIN = {**ZENGIN, "lead_days": 0}
    assert send_by(batch) == batch.payment_date

    settings.CITYHALL_ZENGIN = {**ZENGIN, "lead_days": 30}  # the next business day is long past its sending day
    client.force_login(treasurer)
    page = client.get(reverse("finance:batch", args=[batch.pk])).content.decode()
    assert 'data-testid="send-late"' in page and "送信期限（" in page
    batch_export(actor=treasurer, batch=batch)  # a warning, not a refusal: the bank may still accept it
    batch.refresh_from_db()
    assert not send_is_late(batch)
    assert 'data-testid="send-late"' not in client.get(reverse("finance:batch", args=[batch.pk])).content.decode()
