"""The switch-over screens, API and command (移行データの取込): one file, all rows or none, a report."""

from __future__ import annotations

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from cityhall.automation.models import SwitchoverImport, SwitchoverMapping, SwitchoverStatus
from cityhall.core.audit.models import AuditEntry
from cityhall.finance.models import Creditor
from cityhall.testing.web import client_for

pytestmark = pytest.mark.django_db

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
GOOD = "債権者コード,名称,フリガナ\r\nS-1,株式会社すいっち,スイッチ\r\nS-2,山田 一郎,ヤマダ イチロウ\r\n".encode(
    "cp932"
)
BAD = "債権者コード,名称,フリガナ\r\nS-3,テスト,テスト\r\nS-4,漢字,漢字\r\n".encode("cp932")


def _xlsx(rows: list[list[object]]) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def kaikei(budget, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.TASKS = IMMEDIATE
    return client_for(budget.staff)


def test_an_upload_runs_in_the_background_and_writes_every_row(kaikei, django_capture_on_commit_callbacks):
    page = kaikei.get(reverse("automation:switchover")).content.decode()
    assert "債権者マスタ" in page and "口座名義カナ" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = kaikei.post(
            reverse("automation:switchover"),
            {"kind": "creditors", "file": SimpleUploadedFile("master.csv", GOOD, content_type="text/csv")},
        )
    run = SwitchoverImport.objects.get()
    assert response["Location"] == reverse("automation:switchover_run", args=[run.pk])
    assert (run.status, run.written, run.accepted, run.pending) == (SwitchoverStatus.DONE, True, 2, "")
    page = kaikei.get(reverse("automation:switchover_run", args=[run.pk])).content.decode()
    assert "すべての行を登録しました" in page
    assert set(Creditor.objects.filter(code__startswith="S-").values_list("code", flat=True)) == {"S-1", "S-2"}

    book = load_workbook(io.BytesIO(kaikei.get(reverse("automation:switchover_report", args=[run.pk, "xlsx"])).content))
    assert [c.value for c in book.active[2]] == [2, "受付", "債権者 S-1", None]
    assert AuditEntry.objects.filter(action="automation.switchover.report", object_id=str(run.pk)).exists()


def test_a_refused_excel_file_shows_every_reason_and_writes_nothing(kaikei, django_capture_on_commit_callbacks):
    data = _xlsx([["債権者コード", "名称", "フリガナ"], ["S-5", "よい会社", "ヨイ"], ["S-6", "=1+1", "ワルイ"]])
    with django_capture_on_commit_callbacks(execute=True):
        kaikei.post(reverse("automation:switchover"), {"kind": "creditors", "file": SimpleUploadedFile("m.xlsx", data)})
    run = SwitchoverImport.objects.get()
    page = kaikei.get(reverse("automation:switchover_run", args=[run.pk])).content.decode()
    assert "何も登録していません" in page and "3行目" in page and "B3" in page and "数式" in page
    assert not Creditor.objects.filter(code__in=["S-5", "S-6"]).exists()


def test_the_layout_is_previewed_before_it_is_kept(kaikei):
    url = reverse("automation:switchover_layout", args=["creditors"])
    sample = "コード,名前,カナ\r\nP-1,プレビュー商店,プレビュー\r\n".encode()
    form = {"header_row": 1, "col_code": "コード", "col_name": "名前", "col_kana": "#3"}

    preview = kaikei.post(url, form | {"preview": "1", "sample": SimpleUploadedFile("s.csv", sample)})
    assert preview.status_code == 200 and "プレビュー商店" in preview.content.decode()
    assert not SwitchoverMapping.objects.exists()

    assert kaikei.post(url, form | {"save": "1"}).status_code == 302
    assert SwitchoverMapping.objects.get().layout["columns"] == {"code": "コード", "name": "名前", "kana": "#3"}


def test_the_api_imports_reports_and_keeps_layouts(kaikei):
    kinds = kaikei.get("/api/automation/switchover/kinds").json()
    assert "creditors" in [k["code"] for k in kinds]

    dry = kaikei.post(
        "/api/automation/switchover/creditors", {"file": SimpleUploadedFile("m.csv", GOOD), "dry_run": True}
    )
    assert dry.status_code == 200 and dry.json()["would_write"] and not dry.json()["written"]
    bad = kaikei.post("/api/automation/switchover/creditors", {"file": SimpleUploadedFile("m.csv", BAD)})
    assert bad.status_code == 200 and bad.json()["rejected"] == 1
    assert bad.json()["rows"][1]["reasons"][0]["field"] == "kana"
    done = kaikei.post("/api/automation/switchover/creditors", {"file": SimpleUploadedFile("m.csv", GOOD)})
    assert done.status_code == 201 and done.json()["written"]
    assert kaikei.get(f"/api/automation/switchover/imports/{done.json()['id']}").json()["accepted"] == 2

    layout = {"columns": {"kana": "カナ"}, "header_row": 2, "sheet": None}
    put = kaikei.put("/api/automation/switchover/creditors/layout", layout, content_type="application/json")
    assert put.status_code == 200
    assert kaikei.get("/api/automation/switchover/creditors/layout").json() == layout
    wrong = kaikei.put(
        "/api/automation/switchover/creditors/layout", {"columns": {"nope": "x"}}, content_type="application/json"
    )
    assert wrong.status_code == 400 and "nope" in wrong.json()["detail"]


def test_other_staff_find_nothing(city, budget, kaikei):
    run = kaikei.post("/api/automation/switchover/creditors", {"file": SimpleUploadedFile("m.csv", GOOD)}).json()
    clerk = client_for(city.drafter)
    for url in (
        reverse("automation:switchover"),
        reverse("automation:switchover_run", args=[run["id"]]),
        reverse("automation:switchover_report", args=[run["id"], "json"]),
        reverse("automation:switchover_layout", args=["creditors"]),
        f"/api/automation/switchover/imports/{run['id']}",
        "/api/automation/switchover/creditors/layout",
    ):
        assert clerk.get(url).status_code == 404, url
    assert clerk.get("/api/automation/switchover/kinds").json() == []
    refused = clerk.post("/api/automation/switchover/creditors", {"file": SimpleUploadedFile("m.csv", GOOD)})
    assert refused.status_code == 404


def test_the_command_writes_a_report_and_fails_on_a_refused_file(budget, tmp_path):
    good, bad, report = tmp_path / "good.csv", tmp_path / "bad.csv", tmp_path / "report.json"
    good.write_bytes(GOOD)
    bad.write_bytes(BAD)
    out = io.StringIO()
    call_command("import_switchover", "creditors", str(good), user=budget.staff.username, dry_run=True, stdout=out)
    assert "すべての行を登録できます" in out.getvalue() and not Creditor.objects.filter(code="S-1").exists()

    with pytest.raises(CommandError, match="何も登録していません"):
        call_command(
            "import_switchover", "creditors", str(bad), user=budget.staff.username, report=str(report), stdout=out
        )
    assert json.loads(report.read_text())["rows"][1]["accepted"] is False
    assert "3行目" in out.getvalue()
