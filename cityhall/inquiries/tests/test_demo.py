"""The demo city's inquiries: the institution master, 200 persons and one batch decided, its letters made,
answers taken in (a row left for a collector), the 差押予定一覧 with balances and persons with nothing; once."""

from __future__ import annotations

import io

import pytest
from django.apps import apps
from django.core.management import call_command

from cityhall.accounts.models import User
from cityhall.core.models import AuditEntry
from cityhall.documents.models import DocumentStatus
from cityhall.inquiries.models import (
    Answer,
    BatchPerson,
    DelinquentPerson,
    InquiryBatch,
    Letter,
    LetterFile,
    MatchStatus,
)
from cityhall.inquiries.selectors.answers import seizure_list

pytestmark = pytest.mark.django_db


def test_the_demo_has_one_decided_batch_with_answers_and_seeds_once(city_signing, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("seed_demo", "--staff", "150", "--skip-apps", stdout=io.StringIO())
    config = apps.get_app_config("inquiries")
    summary = config.seed_demo({})  # type: ignore[attr-defined]
    assert "決裁済の預貯金等照会" in summary, summary
    assert DelinquentPerson.objects.count() == 200
    batch = InquiryBatch.objects.select_related("document").get()
    assert batch.document.status == DocumentStatus.DECIDED
    letters = Letter.objects.filter(batch=batch)
    assert list(letters.order_by("number").values_list("number", flat=True)) == [1, 2, 3, 4]
    assert LetterFile.objects.filter(letter__batch=batch, kind="letter").count() == 4
    assert LetterFile.objects.filter(letter__batch=batch, kind="request").count() == 3  # the digital ones
    assert list(Answer.objects.filter(match_status=MatchStatus.UNMATCHED).values_list("kana", flat=True)) == [
        "ミドリノ　ハナコ"
    ]
    listing = seizure_list(User.objects.get(username="demo-nozei"), batch.pk)
    assert [p.total for p in listing.found] == [1_250_000, 1_230_000, 400_000, 12_000]
    assert len(listing.nothing) == 4 and listing.waiting == BatchPerson.objects.filter(batch=batch).count() - 8

    entries = AuditEntry.objects.count()
    assert config.seed_demo({}) == "財産照会のデモデータは投入済みです。変更はありません。"  # type: ignore[attr-defined]
    assert AuditEntry.objects.count() == entries
