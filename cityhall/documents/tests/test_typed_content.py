"""What a typed document decides, on its page and on the signed 起案用紙 (文書の型の内容).

A type registers ``content`` (its data as sections of rows and tables) and ``content_viewed``
(told when a screen showed it); the documents app shows the content to those who may see the
document, escaped, with amounts in yen and dates in 和暦, and prints it on the signed sheet.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from cityhall.core.audit.models import AuditEntry
from cityhall.documents import registry, services
from cityhall.documents.files import extract_pdf_text
from cityhall.documents.sheet import build_sheet
from cityhall.documents.typed import ContentRow, ContentSection, ContentTable, TypedContent
from cityhall.signing.sheet import render_sheet

pytestmark = pytest.mark.django_db
TYPE = "tests.typed_content"


@pytest.fixture(autouse=True)
def _no_second_factor(settings):
    settings.CITYHALL_MFA_REQUIRED = "never"


@pytest.fixture
def calls():
    return {"content": [], "viewed": []}


@pytest.fixture
def typed(city, calls):
    """A 支出 draft of a registered type whose content names a payee, an amount, a date and a line."""

    def content(document, viewer):
        calls["content"].append((document.pk, getattr(viewer, "pk", None)))
        number = "1234567" if viewer is None else "***4567"
        return TypedContent(
            sections=(
                ContentSection(
                    "支払の内容",
                    rows=(
                        ContentRow("債権者", "株式会社<b>テスト</b>"),
                        ContentRow("支出命令額", 1_234_567),
                        ContentRow("支払予定日", dt.date(2026, 4, 1)),
                        ContentRow("検収日", None),
                        ContentRow("口座番号", number),
                    ),
                    tables=(ContentTable("明細", ("内容", "金額"), (("弁当代", 108_000),)),),
                ),
            ),
            record_url="/finance/payments/1/",
            record_label="支出命令の画面を開く",
        )

    def viewed(document, user, where):
        calls["viewed"].append((document.pk, user.pk, where))

    registry.register_type(TYPE, "試験用の支出", content=content, content_viewed=viewed)
    doc = services.draft_create(
        actor=city.drafter,
        title="弁当の購入について",
        matter_kind=city.kinds["spending"],
        amount=1_234_567,
        file_plan_class=city.plan,
        doc_type=TYPE,
    )
    yield doc
    registry.unregister_type(TYPE)


def test_the_document_page_shows_what_the_type_decides(client, city, typed, calls):
    client.force_login(city.drafter)
    page = client.get(reverse("documents:detail", args=[typed.pk])).content.decode()
    assert 'data-testid="typed-content"' in page
    assert "支払の内容" in page and "1,234,567円" in page and "令和8年4月1日" in page
    assert "108,000円" in page and "弁当代" in page and "***4567" in page and ">1234567<" not in page
    assert "株式会社&lt;b&gt;テスト&lt;/b&gt;" in page  # data, never HTML
    assert 'href="/finance/payments/1/"' in page and "支出命令の画面を開く" in page
    assert calls["content"] == [(typed.pk, city.drafter.pk)]
    assert calls["viewed"] == [(typed.pk, city.drafter.pk, "detail")]


def test_nobody_who_may_not_see_the_document_sees_its_content(client, city, typed, calls):
    services.draft_update(actor=city.drafter, document=typed, expected_version=typed.version, is_confidential=True)
    client.force_login(city.outsider)
    assert client.get(reverse("documents:detail", args=[typed.pk])).status_code == 404
    assert calls == {"content": [], "viewed": []}


def test_a_plain_document_has_no_content_panel(client, city, draft):
    doc = draft()
    client.force_login(city.drafter)
    page = client.get(reverse("documents:detail", args=[doc.pk])).content.decode()
    assert 'data-testid="typed-content"' not in page


def test_the_signed_sheet_prints_the_content_as_the_official_record(city, typed, calls):
    sheet = build_sheet(typed)
    assert calls["content"] == [(typed.pk, None)]  # no viewer: the sheet is the record (原議)
    (section,) = sheet.sections
    assert section.title == "支払の内容"
    assert ("支出命令額", "1,234,567円") in section.rows and ("支払予定日", "令和8年4月1日") in section.rows
    assert ("口座番号", "1234567") in section.rows and ("検収日", "—") in section.rows
    text = extract_pdf_text("sheet.pdf", render_sheet(sheet))
    for expected in ("支払の内容", "株式会社<b>テスト</b>", "1,234,567円", "弁当代", "108,000円", "1234567"):
        assert expected in text, expected


def test_the_inbox_preview_shows_the_content_and_opens_the_document(client, city, typed, calls):
    services.submit(actor=city.drafter, document=typed, expected_version=typed.version)
    client.force_login(city.kakaricho)
    inbox = client.get(reverse("documents:inbox")).content.decode()
    url = reverse("documents:preview", args=[typed.pk])
    assert f'hx-get="{url}"' in inbox and 'id="inbox-preview"' in inbox
    preview = client.get(url, headers={"HX-Request": "true"})
    page = preview.content.decode()
    assert preview.status_code == 200 and "<html" not in page
    assert "弁当の購入について" in page and "1,234,567円" in page and "弁当代" in page and "***4567" in page
    assert reverse("documents:detail", args=[typed.pk]) in page
    assert calls["viewed"] == [(typed.pk, city.kakaricho.pk, "preview")]
    plain = client.get(url)  # without htmx the link opens the document itself
    assert plain.status_code == 302 and plain["Location"] == reverse("documents:detail", args=[typed.pk])


def test_the_preview_is_no_way_round_visibility_and_its_views_are_recorded(client, city, typed, calls):
    services.draft_update(
        actor=city.drafter, document=typed, expected_version=typed.version, is_confidential=True, has_personal_info=True
    )
    url = reverse("documents:preview", args=[typed.pk])
    client.force_login(city.outsider)
    assert client.get(url, headers={"HX-Request": "true"}).status_code == 404
    assert calls == {"content": [], "viewed": []}
    client.force_login(city.drafter)
    views = AuditEntry.objects.filter(action="documents.document.view", object_id=str(typed.pk))
    assert client.get(url, headers={"HX-Request": "true"}).status_code == 200
    assert views.count() == 1
