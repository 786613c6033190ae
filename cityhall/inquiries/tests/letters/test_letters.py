"""On decision a batch's letters are numbered and dated, and become signed PDFs (照会書・回答書) and,
for digital institutions, request files (照会ファイル); downloads are for collectors only, audited."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import shutil
import subprocess

import pytest
from django.test import override_settings

from cityhall.core.models import AuditEntry
from cityhall.inquiries.models import Channel, Institution, Letter, LetterFile, LetterStatus
from cityhall.inquiries.request_file import COLUMNS
from cityhall.savings.models import SavedTime
from cityhall.signing.verify import verify_pdf
from cityhall.testing.engine import decide

pytestmark = pytest.mark.django_db
PDFTOTEXT = shutil.which("pdftotext") or "pdftotext"
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def _text(pdf: bytes) -> str:
    done = subprocess.run([PDFTOTEXT, "-layout", "-", "-"], input=pdf, capture_output=True, check=True)
    return re.sub(r"\s+", "", done.stdout.decode())


@pytest.fixture
def decided(inquiry_city, city_signing, django_capture_on_commit_callbacks):
    """The test city's batch decided, its files made by the task after commit; the insurer answers digitally."""
    w = inquiry_city
    Institution.objects.filter(pk=w.insurer.pk).update(channel=Channel.DIGITAL)
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
    bank = letters[0]
    assert not LetterFile.objects.filter(letter=bank, kind="request").exists()  # a paper institution
    assert "山田太郎" in _text(LetterFile.objects.get(letter=bank, kind="letter").file.read())
    saved = dict(SavedTime.objects.filter(object_id=str(w.batch.pk)).values_list("kind", "count"))
    assert saved == {"inquiries.letter": 4, "inquiries.row": 7}
    assert AuditEntry.objects.filter(action="inquiries.letter.files").count() == 4
