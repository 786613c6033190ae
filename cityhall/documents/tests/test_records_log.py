"""A record's management log (文書管理の記録): extension, formal addition and loan on its page and in the API.

The 履歴 keeps the route's actions; what the records side does afterwards is read from its own tables
into one list, oldest first, shown under the 履歴 and served by ``GET /api/documents/{id}/records-log``.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from cityhall.documents import services
from cityhall.documents.models import Document
from cityhall.documents.selectors_records_log import records_log
from cityhall.testing.records import paper_record
from cityhall.testing.web import client_for, visible_text

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_second_factor(settings):
    settings.CITYHALL_MFA_REQUIRED = "never"


def _fresh(document: Document) -> Document:
    return Document.objects.get(pk=document.pk)


def test_extension_addition_and_loan_are_on_the_page_and_in_the_api_oldest_first(city):
    record = paper_record(city, title="旧庁舎の解体について")
    today = timezone.localdate()
    loan = services.record_lend(
        actor=city.docmgr,
        document=record,
        borrower=city.drafter,
        purpose="議会答弁の準備",
        lent_on=today - dt.timedelta(days=2),
        due_on=today + dt.timedelta(days=5),
    )
    services.loan_return(actor=city.docmgr, loan=loan, returned_on=today - dt.timedelta(days=1))
    record = _fresh(record)
    services.retention_extend(
        actor=city.docmgr, document=record, expected_version=record.version, new_years=30, reason="訴訟に備えるため"
    )
    record = _fresh(record)
    services.formal_addition(
        actor=city.docmgr,
        document=record,
        expected_version=record.version,
        field="title",
        value="旧庁舎の解体工事について",
        reason="件名の補正",
    )

    rows = records_log(_fresh(record))
    assert [r.action for r in rows] == ["借覧（貸出）", "借覧（返却）", "保存期間の延長", "原議補正"]
    assert "議会答弁の準備" in rows[0].detail and city.drafter.full_name in rows[0].who
    assert "→ 30年" in rows[2].detail and "訴訟に備えるため" in rows[2].detail
    assert "旧庁舎の解体について" not in rows[3].detail  # the changed text stays in the audit trail
    assert rows[3].detail.startswith("項目: 件名 ")

    page = client_for(city.drafter).get(reverse("documents:detail", args=[record.pk])).content.decode()
    assert 'data-testid="records-log"' in page
    text = visible_text(page[page.index('data-testid="records-log"') :])
    text = text[text.index("日時 処理 氏名 内容") :]  # after the caption, which names every kind
    assert text.index("借覧（貸出）") < text.index("保存期間の延長") < text.index("原議補正")

    answer = client_for(city.drafter).get(f"/api/documents/{record.pk}/records-log")
    assert answer.status_code == 200
    assert [r["action"] for r in answer.json()] == [r.action for r in rows]
    assert answer.json()[0]["at"] is None and answer.json()[2]["at"] is not None
    secret = paper_record(city, title="職員の懲戒について", is_confidential=True)  # 秘: its section only
    assert client_for(city.outsider).get(f"/api/documents/{secret.pk}/records-log").status_code == 404


def test_a_record_nothing_was_done_to_has_no_log_section(city):
    record = paper_record(city, title="公印の管理について")
    assert records_log(record) == []
    page = client_for(city.drafter).get(reverse("documents:detail", args=[record.pk])).content.decode()
    assert 'data-testid="records-log"' not in page
