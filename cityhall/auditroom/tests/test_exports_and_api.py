"""Exporting the filtered trail (CSV, Excel: formula-safe, audited), the API and the verify button."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.test import override_settings
from openpyxl import load_workbook

from cityhall.auditroom.selectors import EXPORT_LIMIT
from cityhall.core.audit import record
from cityhall.core.audit.runs import last_verification
from cityhall.core.models import AuditEntry
from cityhall.testing.audit import make_auditor
from cityhall.testing.web import api_call, client_for

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
FORMULA = '=HYPERLINK("http://evil.example","開く")'


@pytest.fixture
def kansa(city):
    return make_auditor()


@pytest.fixture
def formula_entry(city):
    return record(actor=city.drafter, action="documents.document.view", object_id="7", object_repr=FORMULA)


@pytest.mark.django_db
def test_the_csv_holds_the_filtered_rows_formula_safe_and_the_export_is_audited(kansa, formula_entry):
    response = client_for(kansa).get("/audit/export.csv", {"action": "documents.document.view"})
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment;")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:5] == ["通番", "日時（日本時間）", "和暦", "職員", "操作"]
    assert len(rows) == 2
    assert rows[1][0] == str(formula_entry.seq) and rows[1][4] == "閲覧（個人情報あり）"
    assert rows[1][7] == "'" + FORMULA
    entry = AuditEntry.objects.filter(action="auditroom.export").get()
    assert json.loads(entry.after) == {
        "filters": {"action": "documents.document.view"},
        "format": "csv",
        "rows": 1,
    }


@pytest.mark.django_db
def test_the_excel_file_writes_text_never_a_formula(kansa, formula_entry):
    response = client_for(kansa).get("/audit/export.xlsx", {"object": "7"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    cell = sheet.cell(2, 8)
    assert cell.value == FORMULA and cell.data_type == "s"
    assert AuditEntry.objects.filter(action="auditroom.export").exists()


@pytest.mark.django_db
def test_the_api_gives_the_same_filters_and_paging_to_the_same_people(city, kansa, formula_entry):
    for i in range(5):
        record(actor=city.drafter, action="documents.document.download", object_id=str(i), object_repr=f"文書{i}")
    assert api_call(city.drafter, "get", "/api/audit/entries").status_code == 404
    response = api_call(kansa, "get", "/api/audit/entries", {"action": "documents.document.download", "page_size": 2})
    assert response.status_code == 200
    body = response.json()
    assert (body["count"], body["num_pages"], len(body["items"])) == (5, 3, 2)
    assert body["items"][0]["action_label"] == "ダウンロード（個人情報あり）"
    assert body["items"][0]["object_name"] == "文書4"
    page3 = api_call(
        kansa, "get", "/api/audit/entries", {"action": "documents.document.download", "page_size": 2, "page": 3}
    )
    assert [i["object_id"] for i in page3.json()["items"]] == ["0"]
    assert AuditEntry.objects.filter(action="auditroom.view").count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "status", "message"),
    [
        ({"date_to": "昨日"}, 400, "日付（まで）：日付を YYYY-MM-DD"),
        ({"section": "x"}, 400, "課：一覧から選んでください"),
        ({"page": "0"}, 422, "page"),
        ({"page_size": "1000"}, 422, "page_size"),
        ({"page": "99999999999999999999"}, 422, "page"),
    ],
)
def test_bad_api_filters_are_refused_with_a_japanese_message(kansa, params, status, message):
    response = api_call(kansa, "get", "/api/audit/entries", params)
    assert response.status_code == status
    assert message in response.json()["detail"]


@pytest.mark.django_db
@override_settings(TASKS=IMMEDIATE)
def test_the_verify_button_runs_the_verification_in_the_background(
    kansa, tmp_path, settings, django_capture_on_commit_callbacks
):
    settings.AUDIT_ANCHOR_DIR = tmp_path
    client = client_for(kansa)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/audit/verify/")
    assert response.status_code == 302
    last = last_verification()
    assert last is not None and last.ok and last.actor_label == kansa.username
    assert AuditEntry.objects.filter(action="auditroom.verify_request", actor=kansa).exists()
    assert "正常" in client.get("/audit/").content.decode()


@pytest.mark.django_db
def test_an_export_stops_at_its_limit_newest_first(city, kansa, settings, monkeypatch):
    for i in range(5):
        record(actor=city.drafter, action="documents.document.download", object_id=str(i), object_repr=f"文書{i}")
    monkeypatch.setitem(EXPORT_LIMIT, "csv", 3)
    response = client_for(kansa).get("/audit/export.csv", {"action": "documents.document.download"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))[1:]
    assert [r[8] for r in rows] == ["4", "3", "2"]
