"""On decision a batch's letters are numbered and dated, and become signed PDFs (照会書・回答書) and,
for digital institutions, request files (照会ファイル); downloads are for collectors only, audited."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import shutil
import subprocess
from typing import Any

import pytest
from django.db.models import F
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from cityhall.core.models import AuditEntry
from cityhall.inquiries.models import Channel, Institution, Letter, LetterFile, LetterStatus, MatchOn, Reminder
from cityhall.inquiries.request_file import COLUMNS
from cityhall.savings.models import SavedTime
from cityhall.signing.verify import verify_pdf
from cityhall.testing.engine import decide
from cityhall.testing.web import client_for, sign_in_verified

pytestmark = pytest.mark.django_db
PDFTOTEXT = shutil.which("pdftotext") or "pdftotext"
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def _body(response: Any) -> bytes:
    return b"".join(response.streaming_content)


def _text(pdf: bytes) -> str:
    done = subprocess.run([PDFTOTEXT, "-layout", "-", "-"], input=pdf, capture_output=True, check=True)
    return re.sub(r"\s+", "", done.stdout.decode())


@pytest.fixture
def decided(inquiry_city, city_signing, django_capture_on_commit_callbacks):
    """The test city's batch decided, its files made by the task after commit; the insurer answers digitally."""
    w = inquiry_city
    Institution.objects.filter(pk=w.insurer.pk).update(channel=Channel.DIGITAL)
    Institution.objects.filter(pk=w.banks["0001"].pk).update(match_on=MatchOn.KANA_BIRTH_ADDRESS)
    with override_settings(TASKS=IMMEDIATE), django_capture_on_commit_callbacks(execute=True):
        decide(w.batch)
    return w


def test_the_decision_numbers_and_dates_every_letter_and_makes_signed_pdfs_and_the_request_file(decided):
    w = decided
    letters = list(Letter.objects.filter(batch=w.batch).select_related("institution").order_by("number"))
    day = w.batch.document.decided_at.astimezone(dt.timezone(dt.timedelta(hours=9))).date()
    assert [letter.number for letter in letters] == [1, 2, 3, 4]
    assert {(x.status, x.sent_on, x.reply_deadline) for x in letters} == {
        (LetterStatus.SENT, day, day + dt.timedelta(days=14))
    }
    label = w.batch.document.number_label
    insurer = next(x for x in letters if x.institution_id == w.insurer.pk)
    pdf = LetterFile.objects.get(letter=insurer, kind="letter").file.read()
    text = _text(pdf)
    assert f"{label}-{insurer.number}" in text and "回答書" in text and w.insurer.name in text
    assert (
        "鈴木花子" in text and "スズキハナコ" in text and "山田太郎" not in text
    )  # only 鈴木 was asked of the insurer
    report = verify_pdf(pdf)
    assert report.signed and report.intact and report.trusted
    rows = list(csv.reader(io.StringIO(LetterFile.objects.get(letter=insurer, kind="request").file.read().decode())))
    assert tuple(rows[0]) == COLUMNS and len(rows) == 2
    assert rows[1][:2] == [f"{label}-{insurer.number}", "1"] and rows[1][10:13] == [
        "スズキ　ハナコ",
        "鈴木　花子",
        "1980-05-01",
    ]
    assert rows[1][13:] == ["", ""] and "中央一丁目" not in text  # the insurer matches without addresses
    bank = next(x for x in letters if x.institution_id == w.banks["0001"].pk)
    assert not LetterFile.objects.filter(letter=bank, kind="request").exists()  # a paper institution
    bank_text = _text(LetterFile.objects.get(letter=bank, kind="letter").file.read())
    assert "山田太郎" in bank_text and "中央一丁目" in bank_text and "所沢市" in bank_text  # it matches on them
    saved = dict(SavedTime.objects.filter(object_id=str(w.batch.pk)).values_list("kind", "count"))
    assert saved == {"inquiries.letter": 4, "inquiries.row": 7}
    assert AuditEntry.objects.filter(action="inquiries.letter.files").count() == 4


def test_downloads_are_for_collectors_audited_and_refused_from_outside(decided, city):
    w = decided
    letter = Letter.objects.get(batch=w.batch, institution=w.insurer)
    args = [w.batch.pk, letter.pk]
    collector = client_for(w.collector)
    page = collector.get(reverse("inquiries:batch", args=[w.batch.pk])).content.decode()
    assert reverse("inquiries:letter_pdf", args=args) in page and reverse("inquiries:letter_csv", args=args) in page
    pdf = collector.get(reverse("inquiries:letter_pdf", args=args))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert _body(pdf).startswith(b"%PDF")
    api = collector.get(f"/api/inquiries/batches/{w.batch.pk}/letters/{letter.pk}/csv")
    assert api.status_code == 200 and "スズキ" in _body(api).decode()
    listed = collector.get(f"/api/inquiries/batches/{w.batch.pk}/letters").json()
    assert [x["number"] for x in listed] == [1, 2, 3, 4] and {
        f["kind"] for x in listed if x["id"] == letter.pk for f in x["files"]
    } == {"letter", "request"}
    downloads = AuditEntry.objects.filter(action="inquiries.letter.download", object_id=str(letter.pk))
    assert sorted(json.loads(e.after)["where"] for e in downloads) == ["api", "screen"]
    assert all(e.actor_id == w.collector.pk for e in downloads)
    paper = Letter.objects.filter(batch=w.batch).exclude(pk=letter.pk)[0]
    assert collector.get(reverse("inquiries:letter_csv", args=[w.batch.pk, paper.pk])).status_code == 404
    for outsider in (city.drafter, w.kakaricho, w.zeimu_collector):  # the route's 係長 holds no 徴税 role
        assert client_for(outsider).get(reverse("inquiries:letter_pdf", args=args)).status_code == 404
    before = downloads.count()
    with override_settings(CITYHALL_MFA_REQUIRED="remote"):
        remote = sign_in_verified(Client(), w.collector)
        refused = remote.get(reverse("inquiries:letter_pdf", args=args), REMOTE_ADDR="203.0.113.20")
        assert refused.status_code == 403 and "地方税法第22条" in refused.content.decode()
    assert downloads.count() == before


def test_an_overdue_letter_is_listed_and_reminded_with_a_signed_reminder_and_a_new_deadline(
    decided, django_capture_on_commit_callbacks
):
    w = decided
    letter = Letter.objects.get(batch=w.batch, institution=w.insurer)
    client = client_for(w.collector)
    early = client.post(reverse("inquiries:letter_remind", args=[w.batch.pk, letter.pk]), {"reply_days": "7"})
    assert early.status_code == 400 and "過ぎていないため督促できません" in early.content.decode()
    sent = Letter.objects.filter(batch=w.batch)  # sent a month ago: every deadline has passed
    sent.update(
        sent_on=F("sent_on") - dt.timedelta(days=30), reply_deadline=F("reply_deadline") - dt.timedelta(days=30)
    )
    letter.refresh_from_db()
    later, was = timezone.localdate(), letter.reply_deadline
    overdue = client.get(reverse("inquiries:overdue")).content.decode()
    assert w.insurer.name in overdue and f"{w.batch.document.number_label}-{letter.number}" in overdue
    assert len(client.get("/api/inquiries/letters/overdue").json()["items"]) == 4
    bad = client.post(reverse("inquiries:letter_remind", args=[w.batch.pk, letter.pk]), {"reply_days": "0"})
    assert bad.status_code == 400 and "1日以上120日以内" in bad.content.decode()
    assert not Reminder.objects.exists()
    with override_settings(TASKS=IMMEDIATE), django_capture_on_commit_callbacks(execute=True):
        done = client.post(reverse("inquiries:letter_remind", args=[w.batch.pk, letter.pk]), {"reply_days": "7"})
    assert done.status_code == 302
    reminded = client.get("/api/inquiries/letters/overdue").json()["items"]
    assert letter.pk not in [x["id"] for x in reminded] and len(reminded) == 3
    api = client.post(
        f"/api/inquiries/batches/{w.batch.pk}/letters/{letter.pk}/reminders", {}, content_type="application/json"
    )
    assert api.status_code == 400 and "督促できません" in api.json()["detail"]
    letter.refresh_from_db()
    assert (letter.reminders, letter.reminded_on, letter.reply_deadline) == (1, later, later + dt.timedelta(days=7))
    reminder = Reminder.objects.get(letter=letter)
    assert reminder.previous_deadline == was
    pdf = client.get(reverse("inquiries:reminder_pdf", args=[w.batch.pk, letter.pk, 1]))
    content = _body(pdf)
    assert "督促" in _text(content) and "鈴木花子" in _text(content) and verify_pdf(content).intact
    assert AuditEntry.objects.filter(action="inquiries.letter.remind", object_id=str(letter.pk)).count() == 1


def test_before_the_decision_there_is_nothing_to_download_and_no_number(inquiry_city):
    w = inquiry_city
    letter = Letter.objects.filter(batch=w.batch)[0]
    client = client_for(w.collector)
    assert client.get(reverse("inquiries:letter_pdf", args=[w.batch.pk, letter.pk])).status_code == 404
    assert client.get(f"/api/inquiries/batches/{w.batch.pk}/letters").json()[0]["number"] is None
    assert client.get(f"/api/inquiries/batches/{w.batch.pk + 999}/letters").status_code == 404
