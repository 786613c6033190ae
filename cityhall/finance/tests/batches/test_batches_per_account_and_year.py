"""Payment batches per 会計 and 年度: one 全銀 file per batch, each with its 会計's paying account.

A 一般会計 and a 特別会計 order paid on the same day go to two batches and two files;
during the 出納整理期間 (法235条の5) an old-year and a new-year order paid on the same
day go to two batches as well. ``export_zengin`` keeps its arguments and writes one
file per batch.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.urls import reverse

from cityhall.core.japanese import next_bank_business_day
from cityhall.finance.models import Account, BatchStatus, PaymentBatch
from cityhall.finance.services import acting_on
from cityhall.finance.services.batches import batch_export
from cityhall.finance.services.paying_accounts import account_set_paying_account
from cityhall.finance.services.review import order_review_approve
from cityhall.finance.zengin import read_zengin
from cityhall.testing.finance import FY, ZENGIN, decided_order, make_special_line, pay_day
from cityhall.testing.web import client_for, finance_api, home_panel

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("zengin_files")]

SPECIAL_PAYER: dict[str, Any] = {
    "requester_code": "0000099999",
    "requester_name": "ｺｸﾎﾄｸﾍﾞﾂｶｲｹｲ",
    "bank_code": "0005",
    "branch_code": "001",
    "account_type": "2",
    "account_number": "3333333",
}


def _two_accounts(city, budget, treasurer):
    """A 一般会計 and a 国民健康保険特別会計 order, both approved for the next bank business day."""
    special_line = make_special_line(budget, 1_000_000, section=city.units.soumu)
    day = pay_day()
    general = decided_order(city, budget, amounts=(110_000,), payment_date=day)
    special = decided_order(city, budget, amounts=(55_000,), payment_date=day, line=special_line)
    general = order_review_approve(actor=treasurer, order=general)
    special = order_review_approve(actor=treasurer, order=special)
    return general, special


def test_orders_of_two_accounts_on_one_day_go_to_two_batches(city, budget, treasurer):
    general, special = _two_accounts(city, budget, treasurer)
    assert general.batch_id != special.batch_id
    rows = set(PaymentBatch.objects.values_list("account__code", "fiscal_year", "payment_date"))
    assert rows == {("01", FY, general.payment_date), ("02", FY, general.payment_date)}


def test_each_file_has_its_accounts_paying_account_in_the_header(city, budget, treasurer):
    general, special = _two_accounts(city, budget, treasurer)
    account_set_paying_account(actor=treasurer, account=Account.objects.get(code="02"), **SPECIAL_PAYER)
    headers = {}
    for order in (general, special):
        result = batch_export(actor=treasurer, batch=PaymentBatch.objects.get(pk=order.batch_id))
        parsed = read_zengin(io.BytesIO(result.content), year=order.payment_date.year)
        headers[order.pk] = (parsed.header.requester_code, parsed.header.bank_code, parsed.header.account_number)
        assert parsed.total == order.payment_amount  # each file pays only its own 会計's order
    assert headers[general.pk] == (ZENGIN["requester_code"], ZENGIN["bank_code"], ZENGIN["account_number"])
    assert headers[special.pk] == ("0000099999", "0005", "3333333")


def test_old_and_new_year_payments_in_the_closing_period_never_share_a_file(city, budget, treasurer, tmp_path):
    """Paid on one day in May: the old year's (年度 FY) and the new year's (FY+1) orders, two files."""
    april_1 = dt.date(FY + 1, 4, 1)
    may_day = next_bank_business_day(dt.date(FY + 1, 5, 10))
    with acting_on(april_1):
        new_line = make_special_line(budget, 500_000, section=city.units.soumu, fiscal_year=FY + 1, on=april_1)
        old = decided_order(
            city, budget, amounts=(44_000,), payment_date=may_day, inspection_date=dt.date(FY + 1, 3, 25),
            invoice_received_on=april_1, on=april_1,
        )  # fmt: skip
        new = decided_order(
            city, budget, amounts=(22_000,), payment_date=may_day, line=new_line,
            inspection_date=april_1, invoice_received_on=april_1, on=april_1,
        )  # fmt: skip
    old = order_review_approve(actor=treasurer, order=old, on=april_1)
    new = order_review_approve(actor=treasurer, order=new, on=april_1)
    batches = {b.fiscal_year: b for b in PaymentBatch.objects.filter(payment_date=may_day)}
    assert set(batches) == {FY, FY + 1}
    assert (old.batch_id, new.batch_id) == (batches[FY].pk, batches[FY + 1].pk)

    # The command keeps its arguments and writes one file per batch, named by 会計 and 年度.
    out = io.StringIO()
    call_command("export_zengin", date=f"{may_day:%Y-%m-%d}", output=str(tmp_path / "furikomi.txt"), stdout=out)
    for order, year, code in ((old, FY, "01"), (new, FY + 1, "02")):
        written = (tmp_path / f"furikomi-{code}-{year}.txt").read_bytes()
        parsed = read_zengin(io.BytesIO(written), year=may_day.year)
        assert (parsed.count, parsed.total) == (1, order.payment_amount)
    assert not (tmp_path / "furikomi.txt").exists()
    assert set(PaymentBatch.objects.filter(payment_date=may_day).values_list("status", flat=True)) == {"paid"}
    assert f"{FY}年度" in out.getvalue() and f"{FY + 1}年度" in out.getvalue()


def test_the_command_writes_the_given_path_when_the_day_has_one_account_and_year(batch, tmp_path):
    path = tmp_path / "one.txt"
    call_command("export_zengin", date=f"{batch.payment_date:%Y-%m-%d}", output=str(path), stdout=io.StringIO())
    assert read_zengin(io.BytesIO(path.read_bytes()), year=batch.payment_date.year).count == 2


def test_one_open_batch_per_date_account_and_year(budget, batch):
    special = Account.objects.get(code="02")
    same = {"payment_date": batch.payment_date, "account": batch.account, "fiscal_year": batch.fiscal_year}
    with pytest.raises(IntegrityError), transaction.atomic():
        PaymentBatch.objects.create(**same)
    PaymentBatch.objects.create(**{**same, "account": special})
    PaymentBatch.objects.create(**{**same, "fiscal_year": FY + 1})
    with pytest.raises(IntegrityError), transaction.atomic():
        PaymentBatch.objects.create(payment_date=batch.payment_date, status=BatchStatus.OPEN)  # no 会計, no 年度


def test_the_batch_screens_and_api_show_account_and_year(city, budget, treasurer):
    _general, special = _two_accounts(city, budget, treasurer)
    client = client_for(treasurer)
    page = client.get("/finance/batches/").content.decode()
    assert "国民健康保険特別会計" in page and "一般会計" in page
    detail = client.get(f"/finance/batches/{special.batch_id}/").content.decode()
    assert 'data-testid="batch-account">国民健康保険特別会計<' in detail
    listed = finance_api(treasurer, "get", "/batches").json()["items"]
    assert {(row["account_name"], row["fiscal_year"]) for row in listed} == {
        ("一般会計", FY),
        ("国民健康保険特別会計", FY),
    }


def test_the_home_panel_links_the_next_payment_date_to_the_list_when_it_has_several_batches(city, budget, treasurer):
    _two_accounts(city, budget, treasurer)
    home = client_for(treasurer).get(reverse("web:home")).content.decode()
    panel = re.search(r'data-panel="finance-review">(.*?)</section>', home, flags=re.S)
    assert panel is not None and f'href="{reverse("finance:batches")}"' in panel.group(1)
    assert "その日の支払額（審査済） 2 件 165,000円" in home_panel(home, "finance-review")
