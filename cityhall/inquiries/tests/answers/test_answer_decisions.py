"""Rows decided by hand (照合の確定), paper replies (回答書の入力) and the 差押予定一覧 with its Excel export."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from cityhall.core.errors import Conflict, PermissionDenied, ValidationFailed
from cityhall.core.models import AuditEntry
from cityhall.inquiries.models import Answer, FoundAsset, Letter, LetterStatus, MatchStatus
from cityhall.inquiries.selectors.answers import seizure_list
from cityhall.inquiries.services.answers import ManualAnswer, answer_decide, answer_enter, answer_file_import
from cityhall.inquiries.services.batches import BatchTerms, InstitutionChoice, batch_draft
from cityhall.inquiries.services.persons import person_create
from cityhall.testing.city import last_entry
from cityhall.testing.inquiries import answer_rows, answered, letters_sent, person_input
from cityhall.testing.web import client_for

pytestmark = pytest.mark.django_db
API = "/api/inquiries"


def test_an_ambiguous_row_is_decided_by_hand_and_audited(inquiry_city, csv_file):
    w = inquiry_city
    twin = person_create(actor=w.collector, data=person_input("0000000199", "山田　太郎", "ヤマダ タロウ"))
    batch = batch_draft(
        actor=w.collector,
        person_ids=[w.yamada.pk, twin.pk],
        institutions=InstitutionChoice(institution_ids=[w.banks["0001"].pk]),
        terms=BatchTerms(purpose="財産調査", base_date=dt.date(2025, 3, 31)),
    )
    (letter,) = letters_sent(batch)
    data = csv_file(answer_rows(("ﾔﾏﾀﾞ ﾀﾛｳ", "1980/05/01", "", "有", "本店", "普通", "1234567", "900000", "")))
    result = answer_file_import(actor=w.collector, letter=letter, name="a.csv", data=data)
    assert result.ambiguous == 1
    row = Answer.objects.get(answer_file=result.file)
    client = client_for(w.collector)
    page = client.get(reverse("inquiries:answer_decide", args=[row.pk])).content.decode()
    assert "0000000101" in page and "0000000199" in page
    with pytest.raises(PermissionDenied):
        answer_decide(actor=w.zeimu_collector, answer=row, resident_number="0000000199")
    response = client.post(reverse("inquiries:answer_decide", args=[row.pk]), {"choice": "0000000199"})
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.item is not None and (row.match_status, row.item.batch_person.person_id) == (
        MatchStatus.DECIDED,
        twin.pk,
    )
    entry = last_entry()
    assert entry.action == "inquiries.answer.decide" and json.loads(entry.after)["resident_number"] == "0000000199"
    with pytest.raises(Conflict):  # once decided, decided
        answer_decide(actor=w.collector, answer=row, not_ours=True)
    assert seizure_list(w.collector, batch.pk).found[0].person.pk == twin.pk


def test_paper_replies_and_decided_rows_make_the_seizure_list_and_its_excel(inquiry_city):
    w = inquiry_city
    a = answered(w)  # 0001: 山田 350,000 and 1,000,000; 鈴木 none; a stranger
    client = client_for(w.collector)
    for institution in (w.banks["0005"], w.post_bank, w.insurer):  # 鈴木: nothing anywhere
        letter = Letter.objects.get(batch=w.batch, institution=institution)
        body = {"resident_number": "0000000102", "result": "none"}
        assert (
            client.post(f"{API}/letters/{letter.pk}/answers", body, content_type="application/json").status_code == 201
        )
    mizuho = Letter.objects.get(batch=w.batch, institution=w.banks["0005"])
    form = {
        "resident_number": "0000000101", "result": "found", "assets-TOTAL_FORMS": "3", "assets-INITIAL_FORMS": "0",
        "assets-0-branch_name": "=HYPERLINK(\"http://x\")", "assets-0-account_type": "ordinary",
        "assets-0-account_number": "7777777", "assets-0-balance": "2,000,000",
    }  # fmt: skip
    response = client.post(reverse("inquiries:answer_manual", args=[mizuho.pk]), form)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert client.post(reverse("inquiries:answer_manual", args=[mizuho.pk]), form).status_code == 409  # twice
    before = FoundAsset.objects.count()
    with pytest.raises(ValidationFailed):  # found, but no asset
        answer_enter(actor=w.collector, letter=mizuho, data=ManualAnswer("0000000102", "found"))
    assert FoundAsset.objects.count() == before

    listing = client.get(f"{API}/batches/{w.batch.pk}/seizure-list").json()
    (yamada,) = listing["found"]
    assert [x["balance"] for x in yamada["assets"]] == [2_000_000, 1_000_000, 350_000] and yamada["total"] == 3_350_000
    assert [p["resident_number"] for p in listing["nothing"]] == ["0000000102"] and listing["waiting"] == 0
    assert Letter.objects.get(pk=mizuho.pk).status == LetterStatus.ANSWERED

    views = AuditEntry.objects.filter(action="inquiries.person.view").count()
    response = client.get(reverse("inquiries:seizure_xlsx", args=[w.batch.pk]))
    book = load_workbook(io.BytesIO(response.content))
    rows = list(book["差押予定一覧"].iter_rows(min_row=2, values_only=True))
    assert [(r[0], r[5], r[12]) for r in rows] == [
        ("0000000101", 3_350_000, b) for b in (2_000_000, 1_000_000, 350_000)
    ]
    assert book["差押予定一覧"]["I2"].data_type == "s" and book["差押予定一覧"]["I2"].value.startswith("=HYPERLINK")
    assert [r[0] for r in book["財産なし"].iter_rows(min_row=2, values_only=True)] == ["0000000102"]
    assert AuditEntry.objects.filter(action="inquiries.seizure.export", object_id=str(w.batch.pk)).exists()
    assert AuditEntry.objects.filter(action="inquiries.person.view").count() == views + 2
    assert a.stranger.match_status == MatchStatus.UNMATCHED


def test_the_api_refuses_a_bad_file_naming_rows_and_takes_a_good_one(inquiry_city, csv_file):
    w = inquiry_city
    letters_sent(w.batch)
    letter = Letter.objects.get(batch=w.batch, institution=w.post_bank)
    client = client_for(w.collector)
    url = f"{API}/letters/{letter.pk}/answer-files"
    bad = csv_file(answer_rows(("ﾔﾏﾀﾞ ﾀﾛｳ", "1980/13/01", "", "はい", "", "", "", "", "")), encoding="cp932")
    response = client.post(url, {"file": io.BytesIO(bad)})
    assert response.status_code == 400
    assert {(r["row"], r["field"]) for r in response.json()["rows"]} == {(2, "birth_date"), (2, "result")}
    assert Answer.objects.filter(letter=letter).count() == 0
    good = io.BytesIO(csv_file(answer_rows(("ﾔﾏﾀﾞ ﾀﾛｳ", "1980/05/01", "", "無", "", "", "", "", ""))))
    good.name = "yucho.csv"
    response = client.post(url, {"file": good})
    assert response.status_code == 201 and response.json()["matched"] == 1
    answers = client.get(f"{API}/batches/{w.batch.pk}/answers?status=matched").json()
    assert [a["resident_number"] for a in answers["items"]] == ["0000000101"]
