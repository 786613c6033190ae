"""The upload screen with its background job and report, the downloads, hours saved, and the API."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from cityhall.automation.einvoice.samples import Item, jp_pint_xml
from cityhall.automation.models import ImportedInvoice, ImportJob, JobStatus
from cityhall.automation.services.defaults import supplier_default_set
from cityhall.finance.models import PaymentOrder
from cityhall.testing.web import client_for

pytestmark = pytest.mark.django_db

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def _xml(number: str, **kw) -> bytes:
    return jp_pint_xml(
        number=number,
        registration_number="T7000012050002",
        items=(Item("コピー用紙", 100_000),),
        payee_account="0001:001:1:1234567",
        **kw,
    )


@pytest.fixture
def ready(budget, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.TASKS = IMMEDIATE
    supplier_default_set(actor=budget.staff, creditor=budget.creditor, line=budget.line)


def test_upload_runs_in_the_background_and_the_report_shows_each_invoice(
    city, ready, django_capture_on_commit_callbacks
):
    client = client_for(city.drafter)
    assert client.get(reverse("automation:upload")).status_code == 200
    files = [
        SimpleUploadedFile("good.xml", _xml("G-1"), content_type="text/xml"),
        SimpleUploadedFile("wrong-total.xml", _xml("G-2", payable_delta=100), content_type="text/xml"),
    ]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("automation:upload"), {"invoices": files})
    job = ImportJob.objects.get()
    assert response["Location"] == reverse("automation:job", args=[job.pk])
    assert (job.status, job.processed, job.report["accepted"], job.report["rejected"]) == (JobStatus.DONE, 2, 1, 1)
    page = client.get(reverse("automation:job", args=[job.pk])).content.decode()
    assert "2件中 受付 1件・不受理 1件" in page and "wrong-total.xml" in page
    assert PaymentOrder.objects.count() == 1
    row = ImportedInvoice.objects.get(accepted=True)
    assert reverse("automation:original", args=[row.pk]) in page
    shown = client.get(reverse("automation:original", args=[row.pk])).content.decode()
    assert "&lt;cbc:ID&gt;G-1&lt;/cbc:ID&gt;" in shown  # the XML as text, escaped
    assert client_for(city.outsider).get(reverse("automation:original", args=[row.pk])).status_code == 404
    colleague = client_for(city.drafter2)  # sees the section's order, so the invoice it was drafted from
    order_page = colleague.get(reverse("finance:payment_order", args=[row.order_id])).content.decode()
    assert reverse("automation:original", args=[row.pk]) in order_page and "請求書 G-1" in order_page
    assert colleague.get(reverse("automation:original", args=[row.pk])).status_code == 200
    progress = client.get(reverse("automation:job", args=[job.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert 'data-status="done"' in progress and "hx-trigger" not in progress  # polling stops when done
    xlsx = client.get(reverse("automation:report_file", args=[job.pk, "xlsx"]))
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert (sheet["A2"].value, sheet["E2"].value, sheet["E3"].value) == ("good.xml", "受付", "不受理")
    data = json.loads(client.get(reverse("automation:report_file", args=[job.pk, "json"])).content)
    assert [row["accepted"] for row in data["invoices"]] == [True, False]
    assert client_for(city.drafter2).get(reverse("automation:job", args=[job.pk])).status_code == 404
    hours = client.get(reverse("automation:hours_saved")).content.decode()
    assert "合計 6 分（0.1 時間）" in hours and city.units.soumu.name in hours


def test_an_upload_without_files_is_a_message_not_an_error(city, ready):
    response = client_for(city.drafter).post(reverse("automation:upload"), {})
    assert response.status_code == 400 and "取り込む請求書ファイルを選んでください" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_the_api_imports_reports_and_counts_hours(city, ready):
    client = client_for(city.drafter)
    files = [SimpleUploadedFile("a.xml", _xml("H-1")), SimpleUploadedFile("b.xml", b"<not-an-invoice/>")]
    dry = client.post("/api/automation/imports", {"files": files, "dry_run": "true"})
    assert dry.status_code == 200 and dry.json()["import_id"] is None and not PaymentOrder.objects.exists()
    files = [SimpleUploadedFile("a.xml", _xml("H-1")), SimpleUploadedFile("b.xml", b"<not-an-invoice/>")]
    made = client.post("/api/automation/imports", {"files": files})
    assert made.status_code == 201, made.content
    body = made.json()
    assert (body["accepted"], body["rejected"]) == (1, 1) and body["invoices"][1]["reasons"][0]["message"]
    stored = client.get(f"/api/automation/imports/{body['import_id']}").json()
    assert stored["invoices"][0]["order"] == body["invoices"][0]["order"]
    assert client_for(city.drafter2).get(f"/api/automation/imports/{body['import_id']}").status_code == 404
    (row,) = client.get("/api/automation/hours-saved", {"fiscal_year": PaymentOrder.objects.get().fiscal_year}).json()
    assert (row["count"], row["minutes"], row["section"]) == (1, 6, city.units.soumu.name)


def test_an_import_at_0730_on_1_april_counts_in_april_of_the_new_year(city, ready):
    """07:30 in Japan on 1 April is still 31 March in UTC: the hours belong to April and the new 年度."""
    from cityhall.automation.services.imports import InvoiceFile, import_invoices
    from cityhall.savings.models import SavedTime
    from cityhall.savings.selectors import saved_time

    report = import_invoices(actor=city.drafter, files=[InvoiceFile("a.xml", _xml("T-1"))])
    assert report.import_id is not None
    year = PaymentOrder.objects.get().fiscal_year
    morning = dt.datetime(year + 1, 3, 31, 22, 30, tzinfo=dt.UTC)  # 1 April 07:30 in Japan
    SavedTime.objects.filter(object_id=str(report.import_id)).update(occurred_at=morning)
    (row,) = saved_time(city.drafter, year + 1)
    assert (row.month, row.minutes) == (dt.date(year + 1, 4, 1), 6)
    assert saved_time(city.drafter, year) == []
