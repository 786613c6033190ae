"""A document's history (履歴) and its approval column (決裁欄): every action kept, every box named.

Each action is kept with the person, their post, the time in Japan, the comment and the round
(回議 1, 再回議 2 …), so a send-back reason still shows after the draft went round again; each
box of the approval column says what happened there (承認, 決裁, 代決, 後閲, 合議, 差戻し, 引戻し,
省略), on the page and on the signed 起案用紙.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from cityhall.core.japanese import format_wareki
from cityhall.documents import services
from cityhall.documents.models import Document, DocumentEvent, EventKind
from cityhall.documents.selectors_history import document_history
from cityhall.documents.sheet import build_sheet
from cityhall.testing.city import absent

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_second_factor(settings):
    settings.CITYHALL_MFA_REQUIRED = "never"


def _boxes(client, doc) -> list[str]:
    """The labels of the approval column's boxes, top to bottom, as the page shows them."""
    page = client.get(reverse("documents:detail", args=[doc.pk])).content.decode()
    return [re.sub(r"\s+", " ", s).strip() for s in re.findall(r'data-testid="step-state">([^<]*)<', page)]


def _send_back_and_resubmit(city, doc):
    doc = services.send_back(
        actor=city.kakaricho, document=doc, expected_version=doc.version, comment="金額の根拠を添付してください"
    )
    return services.resubmit(actor=city.drafter, document=doc, expected_version=doc.version)


def test_after_resubmission_the_earlier_send_back_reason_still_shows(client, city, submitted):
    doc = _send_back_and_resubmit(city, submitted())
    client.force_login(city.kacho)
    page = client.get(reverse("documents:detail", args=[doc.pk])).content.decode()
    history = page[page.index('data-testid="history"') :]
    assert "金額の根拠を添付してください" in history
    assert "回議 1" in history and "再回議 2" in history
    sent_back = DocumentEvent.objects.get(document=doc, kind=EventKind.SEND_BACK)
    local = timezone.localtime(sent_back.at)
    assert f"{format_wareki(local.date())} {local:%H:%M}" in history  # Japan time
    assert "文書法制係 係長" in history and city.kakaricho.full_name in history


def test_every_action_is_kept_with_its_person_post_round_and_comment(city, submitted):
    doc = submitted()
    doc = services.approve(actor=city.kakaricho, document=doc, expected_version=doc.version, comment="確認しました")
    doc = services.pull_back(actor=city.kakaricho, document=doc, expected_version=doc.version)
    doc = services.approve(actor=city.kakaricho, document=doc, expected_version=doc.version, comment="再確認")
    services.comment_add(actor=city.drafter, document=doc, body="見積書を差し替えました")
    doc.refresh_from_db()
    services.approve(actor=city.kacho, document=doc, expected_version=doc.version, comment="了")
    (only,) = document_history(doc)
    assert only.label == "回議 1"
    rows = [(e.kind, e.actor.username, e.post, e.comment) for e in only.events]
    assert rows == [
        (EventKind.SUBMIT, "drafter", "文書法制係 主事", ""),
        (EventKind.APPROVE, "kakaricho", "文書法制係 係長", "確認しました"),
        (EventKind.PULL_BACK_APPROVAL, "kakaricho", "文書法制係 係長", ""),
        (EventKind.APPROVE, "kakaricho", "文書法制係 係長", "再確認"),
        (EventKind.COMMENT, "drafter", "文書法制係 主事", "見積書を差し替えました"),
        (EventKind.DECIDE, "kacho", "総務課 課長", "了"),
    ]
    with pytest.raises(RuntimeError):
        only.events[0].save()  # kept for good: never changed


def test_boxes_say_send_back_and_skipped_not_cancelled(client, city, submitted):
    doc = submitted()
    services.send_back(actor=city.kakaricho, document=doc, expected_version=doc.version, comment="やり直し")
    client.force_login(city.drafter)
    assert _boxes(client, doc) == ["差戻し", "省略"]  # the 課長 was never reached


def test_boxes_say_pulled_back(client, city, submitted):
    doc = submitted()
    services.pull_back(actor=city.drafter, document=doc, expected_version=doc.version)
    client.force_login(city.drafter)
    assert _boxes(client, doc) == ["引戻し", "引戻し"]


def test_boxes_say_post_review_proxy_and_consultation(client, city, submitted):
    doc = submitted(consult_units=[city.units.zaisei])
    absent(city.kakaricho)
    doc = services.skip_absent(actor=city.drafter, document=doc, expected_version=doc.version)
    doc = services.agree(actor=city.zaisei_kacho, document=doc, expected_version=doc.version)
    absent(city.kacho, proxy=city.hosa)
    services.approve(actor=city.hosa, document=doc, expected_version=doc.version)
    client.force_login(city.drafter)
    page = client.get(reverse("documents:detail", args=[doc.pk])).content.decode()
    boxes = [re.sub(r"\s+", " ", s).strip() for s in re.findall(r'data-testid="(?:step|consult)-state">([^<]*)<', page)]
    assert boxes == ["後閲", "代決", "合議"]


def test_the_signed_sheet_carries_every_round_and_names_each_box(city, submitted):
    doc = _send_back_and_resubmit(city, submitted())
    doc = services.approve(actor=city.kakaricho, document=doc, expected_version=doc.version)
    services.approve(actor=city.kacho, document=doc, expected_version=doc.version)
    doc.refresh_from_db()
    sheet = build_sheet(doc)
    assert [entry.action for entry in sheet.route] == ["承認", "決裁"]
    assert [(h.round_label, h.action) for h in sheet.history] == [
        ("回議 1", "回議開始"),
        ("回議 1", "差戻し"),
        ("再回議 2", "再回議"),
        ("再回議 2", "承認"),
        ("再回議 2", "決裁"),
    ]
    assert sheet.history[1].comment == "金額の根拠を添付してください"


def test_a_decision_at_0730_in_japan_on_1_april_shows_as_1_april(client, city, submitted):
    doc = submitted()
    services.approve(actor=city.kakaricho, document=doc, expected_version=doc.version)
    doc.refresh_from_db()
    services.approve(actor=city.kacho, document=doc, expected_version=doc.version)
    moment = dt.datetime(2026, 3, 31, 22, 30, tzinfo=dt.UTC)  # 07:30 on 1 April in Japan
    Document.objects.filter(pk=doc.pk).update(decided_at=moment)
    client.force_login(city.drafter)
    page = client.get(reverse("documents:detail", args=[doc.pk])).content.decode()
    assert "令和8年4月1日" in page and "令和8年3月31日" not in page
