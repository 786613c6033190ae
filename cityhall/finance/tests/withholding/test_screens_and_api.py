"""The 歳計外現金 (源泉所得税) screens and API: the ledger, a month, the payment button, 支払調書, who sees them."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from freezegun import freeze_time
from openpyxl import load_workbook

from cityhall.core.audit.models import AuditEntry
from cityhall.finance.models import WithholdingRemittance
from cityhall.finance.services.batches import batch_export, batch_mark_paid
from cityhall.finance.services.withholding import due_date, month_of, next_month
from cityhall.testing.web import client_for, finance_api, home_panel

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("zengin_files")]


@pytest.fixture
def paid(batch, treasurer):
    """The fixture batch (鈴木一郎's 講演料 ¥100,000, ¥10,210 withheld) exported and marked paid."""
    batch_export(actor=treasurer, batch=batch)
    return batch_mark_paid(actor=treasurer, batch=batch)


def _in_next_month(month: dt.date) -> dt.datetime:
    """09:00 in Japan on the 2nd of the month after ``month``."""
    return dt.datetime.combine(next_month(month) + dt.timedelta(days=1), dt.time(0, 0), tzinfo=dt.UTC)


def test_the_ledger_shows_each_month_with_its_balance_and_the_payment_button(paid, treasurer):
    client = client_for(treasurer)
    assert reverse("finance:withholding") in client.get(reverse("finance:batches")).content.decode()
    page = client.get(reverse("finance:withholding")).content.decode()
    assert 'data-testid="withholding-balance"' in page and "10,210円" in page
    assert reverse("finance:withholding_remit") in page
    month = month_of(paid.payment_date)
    detail = client.get(reverse("finance:withholding_month", args=[month.year, month.month])).content.decode()
    assert "鈴木一郎" in detail and "100,000円" in detail and "10,210円" in detail
    assert "原稿料・講演料" in detail


def test_the_treasurers_home_shows_the_next_due_date_until_the_month_is_paid(paid, treasurer):
    month = month_of(paid.payment_date)
    panel = home_panel(client_for(treasurer).get(reverse("web:home")).content.decode(), "finance-review")
    assert "源泉所得税の納期限" in panel and "10,210円" in panel
    with freeze_time(_in_next_month(month)):
        client = client_for(treasurer)
        assert client.post(reverse("finance:withholding_remit"), {"month": f"{month:%Y-%m}"}).status_code == 302
        panel = home_panel(client.get(reverse("web:home")).content.decode(), "finance-review")
    assert "源泉所得税の納期限" not in panel


def test_the_payment_button_makes_one_payment_per_month(paid, treasurer):
    month = month_of(paid.payment_date)
    with freeze_time(_in_next_month(month)):
        client = client_for(treasurer)
        response = client.post(reverse("finance:withholding_remit"), {"month": f"{month:%Y-%m}"})
        assert response.status_code == 302, response.content.decode()[:2000]
        made = WithholdingRemittance.objects.get()
        assert (made.amount, made.due_date) == (10_210, due_date(month))
        again = client.post(reverse("finance:withholding_remit"), {"month": f"{month:%Y-%m}"})
        assert again.status_code == 409
        assert "既に納付を作成しています" in again.content.decode()
        bad = client.post(reverse("finance:withholding_remit"), {"month": "2026-13"})
        assert bad.status_code == 400 and "「2026-11」の形で" in bad.content.decode()
    assert WithholdingRemittance.objects.count() == 1


def test_statements_download_as_excel_and_are_audited(paid, treasurer):
    year = paid.payment_date.year
    response = client_for(treasurer).get(reverse("finance:withholding_statements"), {"year": year})
    assert response.status_code == 200
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content))["支払調書"]
    assert [sheet.cell(4, c).value for c in (2, 3, 5, 6)] == ["鈴木一郎", "東京都港区", 100_000, 10_210]
    assert AuditEntry.objects.filter(action="finance.withholding.statements").count() == 1


def test_others_do_not_see_the_ledger(paid, city):
    client = client_for(city.drafter)
    assert client.get(reverse("finance:withholding")).status_code == 404
    month = month_of(paid.payment_date)
    assert client.get(reverse("finance:withholding_month", args=[month.year, month.month])).status_code == 404
    assert client.post(reverse("finance:withholding_remit"), {"month": f"{month:%Y-%m}"}).status_code == 404
    assert client.get(reverse("finance:withholding_statements"), {"year": month.year}).status_code == 404
    assert finance_api(city.drafter, "get", "/withholding/months").json() == []
    refused = finance_api(city.drafter, "post", "/withholding/remittances", {"month": f"{month:%Y-%m}"})
    assert refused.status_code in (403, 404)
    assert finance_api(city.drafter, "get", f"/withholding/months/{month:%Y-%m}/entries").status_code == 404
    assert not WithholdingRemittance.objects.exists()


def test_the_api_refuses_a_bad_month_or_year_in_japanese(paid, treasurer):
    bad = finance_api(treasurer, "get", "/withholding/months/2026-13/entries")
    assert bad.status_code == 400 and "「2026-11」の形で" in bad.json()["detail"]
    refused = finance_api(treasurer, "post", "/withholding/remittances", {"month": "11月"})
    assert refused.status_code == 400 and refused.json()["field"] == "month"
    assert finance_api(treasurer, "get", "/withholding/statements.xlsx?year=1999").status_code == 422
    assert not WithholdingRemittance.objects.exists()


def test_the_api_lists_months_and_entries_and_pays_once(paid, treasurer):
    month = month_of(paid.payment_date)
    [row] = finance_api(treasurer, "get", "/withholding/months").json()
    assert (row["month"], row["received"], row["balance"], row["remittance"]) == (
        month.isoformat(),
        10_210,
        10_210,
        None,
    )
    [entry] = finance_api(treasurer, "get", f"/withholding/months/{month:%Y-%m}/entries").json()
    assert (entry["kind"], entry["amount"], entry["paid_amount"], entry["withholding_kind"]) == (
        "receipt",
        10_210,
        100_000,
        "manuscript",
    )
    early = finance_api(treasurer, "post", "/withholding/remittances", {"month": f"{month:%Y-%m}"})
    assert early.status_code == 400 and "その月が終わってから" in early.json()["detail"]
    with freeze_time(_in_next_month(month)):
        made = finance_api(treasurer, "post", "/withholding/remittances", {"month": f"{month:%Y-%m}"})
        assert made.status_code == 201, made.content.decode()
        assert (made.json()["amount"], made.json()["due_date"]) == (10_210, due_date(month).isoformat())
        again = finance_api(treasurer, "post", "/withholding/remittances", {"month": f"{month:%Y-%m}"})
        assert again.status_code == 409
    sheet = finance_api(treasurer, "get", f"/withholding/statements.xlsx?year={month.year}")
    assert sheet.status_code == 200 and sheet.content[:2] == b"PK"
