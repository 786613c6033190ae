"""The documents panels of the home page: what waits (with amounts), my drafts, disposal due; header and inbox agree."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from cityhall.documents import services
from cityhall.documents.models import Document
from cityhall.testing.city import absent
from cityhall.testing.web import client_for, home_panel, visible_text

pytestmark = pytest.mark.django_db


def _approve(user, document: Document) -> Document:
    document.refresh_from_db()
    return services.approve(actor=user, document=document, expected_version=document.version)


def test_the_header_count_and_the_inbox_agree_with_pending_and_post_review(city, submitted):
    decided_by_proxy = _approve(city.kakaricho, submitted(title="代決された文書"))
    absent(city.kacho, proxy=city.hosa)
    _approve(city.hosa, decided_by_proxy)  # 代決: the 課長 reviews it afterwards (後閲)
    _approve(city.kakaricho, submitted(title="課長の処理待ち", amount=120_000, kind="spending"))
    client = client_for(city.kacho)

    inbox = client.get(reverse("documents:inbox")).content.decode()
    header = re.search(r'id="shell-inbox">(.*?)</p>', inbox, flags=re.S)
    assert header is not None and visible_text(header.group(1)) == "未処理 2 件"
    assert f'href="{reverse("documents:inbox")}" data-testid="shell-inbox-link"' in header.group(1)
    summary = re.search(r'data-testid="inbox-waiting">(.*?)</p>', inbox)
    assert summary is not None and summary.group(1) == "未処理 2 件（処理待ち 1 件・後閲 1 件）"

    home = client.get(reverse("web:home")).content.decode()
    waiting = home_panel(home, "documents-waiting")
    assert waiting.startswith("あなたの処理を待っている文書 2 件")
    assert "課長の処理待ち 処理待ち 120,000円 回議開始" in waiting and "代決された文書 後閲" in waiting


def test_my_drafts_list_returned_drafts_first(city, submitted, draft):
    draft(title="まだ起案中の文書")
    returned = submitted(title="差し戻された文書")
    services.send_back(actor=city.kakaricho, document=returned, expected_version=returned.version, comment="再考を")
    panel = home_panel(client_for(city.drafter).get(reverse("web:home")).content.decode(), "documents-drafts")
    assert panel.startswith("あなたの起案中・差戻しの文書 2 件")
    assert panel.index("差し戻された文書 差戻し") < panel.index("まだ起案中の文書 起案中")


def test_the_document_manager_sees_the_disposal_lists_due(city, draft):
    record = draft(title="保存期間が満了した文書")
    closed = {"status": "closed", "decided_at": timezone.now(), "closed_on": dt.date(2014, 5, 1)}
    closed |= {"expires_on": dt.date(2020, 3, 31)}
    Document.objects.filter(pk=record.pk).update(**closed)  # as if closed long ago
    panel = home_panel(client_for(city.docmgr).get(reverse("web:home")).content.decode(), "documents-disposal")
    assert panel.startswith("今年度の廃棄・移管 すべて見る 総務課")  # the link opens the lists screen
    assert "総務課（最も早い満了日） 1 件 令和2年3月31日" in panel


def test_nothing_waiting_is_said_plainly(city):
    html = client_for(city.drafter).get(reverse("web:home")).content.decode()
    assert "処理待ちの文書はありません。" in home_panel(html, "documents-waiting")


def test_a_receipt_waiting_for_the_users_seen_stamp_is_on_the_home_page_and_the_menu_until_seen(city):
    receipt = services.receipt_register(
        actor=city.drafter, received_on=timezone.localdate(), sender="みどり県", title="研修の案内"
    )
    services.receipt_circulate(actor=city.drafter, receipt=receipt, readers=[city.kacho])
    client = client_for(city.kacho)
    html = client.get(reverse("web:home")).content.decode()
    panel = home_panel(html, "documents-to-read")
    assert panel.startswith("閲覧を待っている収受文書（供覧） 1 件") and f"{receipt.number_label} 研修の案内" in panel
    menu = re.search(r'href="/documents/receipts/">(.*?)</a>', html, flags=re.S)
    assert menu is not None and visible_text(menu.group(1)) == "収受 1 件"
    services.receipt_mark_seen(actor=city.kacho, receipt=receipt)
    html = client.get(reverse("web:home")).content.decode()
    assert 'data-panel="documents-to-read"' not in html
    assert 'href="/documents/receipts/">収受</a>' in html
