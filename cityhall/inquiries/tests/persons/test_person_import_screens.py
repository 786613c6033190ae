"""The import's screens and API (滞納者一覧の取込): upload to report, the layout's preview, the API's answers."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cityhall.core.models import AuditEntry
from cityhall.inquiries.models import DelinquentPerson, PersonImport, PersonImportLayout
from cityhall.testing.inquiries import DELINQUENT_HEADER, delinquent_csv
from cityhall.testing.web import client_for

pytestmark = pytest.mark.django_db
API = "/api/inquiries/person-imports"


def _file(data: bytes, name: str = "滞納者一覧.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="text/csv")


def test_a_collector_uploads_the_list_and_reads_the_report_and_previews_a_layout(inquiry_city, csv_file):
    w = inquiry_city
    client = client_for(w.collector)
    assert client.get(reverse("inquiries:person_imports")).status_code == 200

    row = ["9000000001", "田中　一郎", "", "昭和50年2月30日", "東京都", "", "市民税", "1,000", "2024/06/30", ""]
    bad = csv_file([DELINQUENT_HEADER, row])
    refused = client.post(reverse("inquiries:person_imports"), {"file": _file(bad)})
    page = client.get(refused["Location"]).content.decode()
    assert "何も登録していません" in page and "2行目: 「カナ氏名」: 空欄です。フリガナが必要です。" in page
    assert "存在しない日付です" in page
    run = PersonImport.objects.latest("pk")
    assert AuditEntry.objects.filter(action="inquiries.person_import.view", object_id=str(run.pk)).exists()

    done = client.post(reverse("inquiries:person_imports"), {"file": _file(delinquent_csv(5))})
    assert "すべての行を登録しました" in client.get(done["Location"]).content.decode()
    assert DelinquentPerson.objects.filter(section=w.nozei, resident_number__startswith="2000").count() == 5

    layout = reverse("inquiries:person_import_layout")
    preview = client.post(layout, {"header_row": "1", "col_kana": "カナ氏名", "preview": "1", "sample": _file(bad)})
    assert preview.status_code == 200 and "フリガナが必要です" in preview.content.decode()
    assert not PersonImportLayout.objects.exists()  # a preview keeps nothing
    saved = client.post(layout, {"header_row": "1", "col_kana": "カナ氏名", "save": "1"})
    assert saved.status_code == 302
    assert PersonImportLayout.objects.get(section=w.nozei).layout["columns"] == {"kana": "カナ氏名"}


def test_the_api_answers_201_stored_200_tried_422_refused_and_keeps_the_layout(inquiry_city, csv_file):
    w = inquiry_city
    client = client_for(w.collector)
    tried = client.post(API, {"file": _file(delinquent_csv(3)), "dry_run": "true"})
    assert tried.status_code == 200 and tried.json()["created"] == 3 and not tried.json()["written"]
    stored = client.post(API, {"file": _file(delinquent_csv(3))})
    assert stored.status_code == 201 and stored.json()["created"] == 3
    again = client.post(API, {"file": _file(delinquent_csv(3))})
    assert again.status_code == 201 and again.json()["unchanged"] == 3

    row = ["9000000001", "田中", "タナカ", "1975/04/01", "東京都", "", "", "abc", "2024/06/30", ""]
    bad = csv_file([DELINQUENT_HEADER, row])
    refused = client.post(API, {"file": _file(bad)})
    body = refused.json()
    assert refused.status_code == 422 and body["refused"] == 1 and "何も登録していません" in body["detail"]
    assert body["report"][0]["reasons"][0]["field"] == "amount"
    assert client.get(f"{API}/{body['id']}").json()["refused"] == 1

    put = client.put(f"{API}/layout", {"columns": {"kana": "カナ氏名"}}, content_type="application/json")
    assert put.status_code == 200 and put.json()["section_id"] == w.nozei.pk
    assert client.get(f"{API}/layout").json()["columns"] == {"kana": "カナ氏名"}
    wrong = client.put(f"{API}/layout", {"columns": {"colour": "色"}}, content_type="application/json")
    assert wrong.status_code == 400 and "項目ではありません" in wrong.json()["detail"]
