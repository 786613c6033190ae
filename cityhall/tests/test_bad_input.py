"""Bad input never gives a server error: one test per class of bad input, on the screens and the API.

Classes: digits that are not ASCII (「²」「①」), numbers beyond what the database holds (ids, pages),
年度 out of range, oversized bodies, lone surrogates and NUL in JSON, control characters and bidi
overrides in names and titles, lengths and counts over the limits, and booleans where a number is
expected. Each answer is a 4xx with a Japanese message (or, for links and filters, the page as if the
parameter were absent); services refuse the same input when called directly.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from cityhall.accounts.models import User
from cityhall.core.errors import ValidationFailed, check_line
from cityhall.core.numbers import ID_MAX, optional_id, page_number, parse_int
from cityhall.documents import services as documents
from cityhall.documents.models import COMMENT_MAX_LENGTH, DocumentComment, SavedRoute
from cityhall.finance.services.payment_order_checks import MAX_ORDER_LINES, OrderLineInput
from cityhall.testing.plugin import database
from cityhall.testing.web import client_for, documents_api, finance_api

# On PostgreSQL too: the database's text limits and types: a value SQLite stores may be refused by PostgreSQL.
pytestmark = [pytest.mark.django_db, database]

HUGE = "99999999999999999999"  # 20 digits: more than a signed 64-bit integer holds
NOT_ASCII = ["²", "①", "١٢"]


# --- the one parser ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [("12", 12), ("１２", 12), ("²", 2), ("①", 1), (" 7 ", 7), ("1_000", None), ("0x10", None), ("1e3", None)],
)
def test_integers_are_ascii_digits_after_nfkc(text: str, expected: int | None) -> None:
    """Full-width and compatibility digits read as a Japanese keyboard types them; nothing else does."""
    assert optional_id(text) == expected


@pytest.mark.parametrize("text", [HUGE, str(ID_MAX + 1), "9" * 5000, "0", "-1", "true", ""])
def test_ids_out_of_the_database_range_are_none(text: str) -> None:
    assert optional_id(text) is None
    with pytest.raises(ValidationFailed) as error:
        parse_int(text, field="line_id", label="予算明細", minimum=1)
    assert error.value.field == "line_id"


def test_booleans_are_not_numbers() -> None:
    assert optional_id(True) is None
    assert page_number(HUGE) == 100_000 and page_number("²x") == 1


# --- screens -----------------------------------------------------------------------------------


def _screen_gets(budget: SimpleNamespace) -> list[tuple[str, dict[str, Any]]]:
    """Every screen that reads a number from its query string, with the parameters it reads."""
    return [
        (reverse("documents:route_preview"), {"matter_kind": "{bad}", "amount": "{bad}"}),
        (reverse("documents:route_preview"), {"matter_kind": "{bad}", "extra_reviewers": "{bad}"}),
        (reverse("documents:search"), {"q": "修繕", "page": "{bad}"}),
        (reverse("documents:inbox"), {"page": "{bad}"}),
        (reverse("documents:receipts"), {"page": "{bad}"}),
        (reverse("documents:new"), {"receipt": "{bad}"}),
        (reverse("documents:loans"), {"page": "{bad}", "state": "{bad}"}),
        (reverse("documents:storage"), {"page": "{bad}"}),
        (reverse("documents:file_plan"), {"ended": "{bad}"}),
        (reverse("finance:encumbrance_balance"), {"line": "{bad}"}),
        (reverse("finance:budget_line_figures"), {"source": "{bad}"}),
        (reverse("finance:budget_version_row"), {"rows-TOTAL_FORMS": "{bad}"}),
        (reverse("finance:movement_transfer_new"), {"source": "{bad}"}),
        (reverse("finance:payment_order_new"), {"encumbrance": "{bad}"}),
        (reverse("finance:payment_order_line_row"), {"lines-TOTAL_FORMS": "{bad}"}),
        (reverse("finance:payment_orders"), {"page": "{bad}"}),
        (reverse("finance:reports"), {"page": "{bad}", "fiscal_year": "{bad}"}),
        (reverse("finance:report_line", args=[budget.line.pk]), {"section": "{bad}"}),
    ]


@pytest.mark.parametrize("bad", [*NOT_ASCII, HUGE, "0", "-5", "9" * 5000, "\x00"])
def test_screens_read_numbers_strictly(city: SimpleNamespace, budget: SimpleNamespace, bad: str) -> None:
    """No screen answers 500 to a number it cannot use (the 会計 staff see every finance screen)."""
    for user in (city.drafter, city.zaisei_kacho):
        client = client_for(user)
        for path, params in _screen_gets(budget):
            query = {key: value.replace("{bad}", bad) for key, value in params.items()}
            response = client.get(path, query)
            assert response.status_code < 500, (path, query, response.status_code)


@pytest.mark.parametrize(
    "path",
    [
        "/documents/{id}/",
        "/documents/receipts/{id}/",
        "/documents/{id}/retention/",
        "/documents/{id}/storage/",
        "/documents/storage/boxes/{id}/",
        "/documents/{id}/attachments/{id}/",
        "/finance/reports/lines/{id}/",
    ],
)
def test_screen_ids_beyond_the_database_are_404(city: SimpleNamespace, path: str) -> None:
    response = client_for(city.drafter).get(path.replace("{id}", HUGE))
    assert response.status_code == 404


def test_screen_posts_with_huge_ids(city: SimpleNamespace, budget: SimpleNamespace) -> None:
    """Lists of ids posted by forms (お知らせ既読, 一括承認) skip what is no id."""
    client = client_for(city.drafter)
    assert client.post(reverse("notifications:mark_read"), {"id": [HUGE, "²", "1"]}).status_code < 500
    assert (
        client.post(reverse("documents:bulk_approve"), {"items": [f"{HUGE}:1", "1:²", f"1:{HUGE}"]}).status_code < 500
    )
    response = client.post(reverse("documents:new"), {"title": "件名", "matter_kind": HUGE, "file_plan_class": HUGE})
    assert response.status_code == 400  # the form again, with the errors next to the fields


def test_oversized_form_is_a_japanese_page(city: SimpleNamespace, settings: Any) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    response = client_for(city.drafter).post(
        reverse("documents:new"), data="x" * 4096, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 413
    assert "送信された内容が大きすぎます" in response.content.decode()


# --- API ---------------------------------------------------------------------------------------

API_LISTS = [
    "/api/documents/?page={bad}",
    "/api/documents/receipts?page={bad}",
    "/api/documents/receipts?section_id={bad}",
    "/api/documents/receipts?fiscal_year={bad}",
    "/api/finance/lines?page={bad}",
    "/api/finance/lines?section_id={bad}",
    "/api/finance/lines?fiscal_year={bad}",
    "/api/finance/encumbrances?page={bad}",
    "/api/finance/payment-orders?page={bad}",
    "/api/finance/creditors?page={bad}",
    "/api/finance/reports/lines?fiscal_year={bad}",
    "/api/finance/reports/export.xlsx?fiscal_year={bad}",
    "/api/documents/{bad}",
    "/api/finance/payment-orders/{bad}",
    "/api/finance/lines/{bad}",
]


@pytest.mark.parametrize("path", API_LISTS)
@pytest.mark.parametrize("bad", [HUGE, "10000000000000000000", "0", "²"])
def test_api_numbers_out_of_range_are_422_or_404(
    city: SimpleNamespace, budget: SimpleNamespace, path: str, bad: str
) -> None:
    response = client_for(city.zaisei_kacho).get(path.replace("{bad}", bad))
    assert response.status_code in (404, 422), (path, bad, response.status_code)
    if "?" in path:  # a path that is no number at all is the site's 404 page, not an API answer
        assert "detail" in response.json()


def test_api_oversized_body_is_413_json(city: SimpleNamespace) -> None:
    body = '{"name": "' + "あ" * (4 * 1024 * 1024) + '"}'  # 12 MB of UTF-8
    response = client_for(city.drafter).post("/api/documents/saved-routes", body, content_type="application/json")
    assert response.status_code == 413
    assert "大きすぎます" in response.json()["detail"]


@pytest.mark.parametrize("text", ['"\\ud800"', '"a\\u0000b"'])
def test_api_lone_surrogate_and_nul_are_400_naming_the_field(city: SimpleNamespace, text: str) -> None:
    body = '{"name": ' + text + "}"
    response = client_for(city.drafter).post("/api/documents/saved-routes", body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["field"] == "name"
    assert not SavedRoute.objects.exists()


@pytest.mark.parametrize("version", [True, "1", 1.0])
def test_api_expected_version_must_be_an_integer(city: SimpleNamespace, version: Any) -> None:
    document = documents.draft_create(actor=city.drafter, title="件名", matter_kind=city.kinds["general"])
    response = documents_api(city.drafter, "patch", f"/{document.pk}", {"expected_version": version, "title": "新"})
    assert response.status_code == 422
    document.refresh_from_db()
    assert document.title == "件名"


# --- names, titles and limits in the services ----------------------------------------------------

BAD_LINES = {
    "NUL": "件名\x00",
    "CR/LF": "件名\r\n二行目",
    "RLO": "請求書\u202efdp.exe",
    "isolate": "件名\u2066",
    "lone surrogate": "件名\ud800",
    "bell": "件名\x07",
}


@pytest.mark.parametrize("value", BAD_LINES.values(), ids=BAD_LINES.keys())
def test_titles_refuse_invisible_characters(city: SimpleNamespace, value: str) -> None:
    with pytest.raises(ValidationFailed) as error:
        documents.draft_create(actor=city.drafter, title=value, matter_kind=city.kinds["general"])
    assert error.value.field == "title" and "件名" in error.value.message
    with pytest.raises(ValidationFailed) as error:
        documents.saved_route_create(actor=city.drafter, name=value)
    assert error.value.field == "name"
    assert not SavedRoute.objects.exists()


@pytest.mark.parametrize("value", BAD_LINES.values(), ids=BAD_LINES.keys())
def test_api_titles_refuse_invisible_characters(city: SimpleNamespace, value: str) -> None:
    """Through the API the same: 400 with the field named (NUL and surrogates before the service)."""
    response = documents_api(city.drafter, "post", "/saved-routes", {"name": value})
    assert response.status_code == 400
    assert response.json()["field"] == "name"


def test_check_line_allows_ordinary_japanese() -> None:
    assert check_line("令和８年度　予算（第１号）", field="title", label="件名") == "令和８年度　予算（第１号）"


def test_saved_route_name_limit_in_the_service(city: SimpleNamespace) -> None:
    with pytest.raises(ValidationFailed) as error:
        documents.saved_route_create(actor=city.drafter, name="あ" * 10_000)
    assert error.value.field == "name" and "50文字以内" in error.value.message
    assert not SavedRoute.objects.exists()


def test_comment_limit_in_the_service(city: SimpleNamespace) -> None:
    document = documents.draft_create(actor=city.drafter, title="件名", matter_kind=city.kinds["general"])
    with pytest.raises(ValidationFailed) as error:
        documents.comment_add(actor=city.drafter, document=document, body="あ" * (COMMENT_MAX_LENGTH + 1))
    assert error.value.field == "body" and "2,000文字以内" in error.value.message
    assert not DocumentComment.objects.exists()


def test_action_comment_limit_in_the_service(city: SimpleNamespace, submitted: Any) -> None:
    document = submitted()
    step = document.steps.filter(state="pending").first()
    approver = User.objects.get(pk=step.assignee_id)
    with pytest.raises(ValidationFailed) as error:
        documents.approve(actor=approver, document=document, expected_version=document.version, comment="x" * 5_000_000)
    assert error.value.field == "comment"
    document.refresh_from_db()
    assert document.steps.filter(state="pending", pk=step.pk).exists()


def test_order_line_count_limit_in_the_service(
    city: SimpleNamespace, budget: SimpleNamespace, draft_order: Any
) -> None:
    lines = [OrderLineInput(creditor=budget.creditor, amount=100)] * (MAX_ORDER_LINES + 1)
    with pytest.raises(ValidationFailed) as error:
        draft_order(lines=lines)
    assert error.value.field == "lines" and f"{MAX_ORDER_LINES}行まで" in error.value.message


def test_api_order_with_too_many_lines(city: SimpleNamespace, budget: SimpleNamespace) -> None:
    line = {"creditor_id": budget.creditor.pk, "amount": 100}
    payload = {"title": "支払", "kind": "combined", "line_id": budget.line.pk, "lines": [line] * 10_000}
    response = finance_api(city.drafter, "post", "/payment-orders", payload)
    assert response.status_code in (400, 422)


# --- the 500 page ------------------------------------------------------------------------------


def test_server_error_page_is_ours_without_debug(city: SimpleNamespace, settings: Any) -> None:
    """With DEBUG off (as anywhere but development) a failure shows our page, never a traceback."""
    settings.DEBUG = False
    settings.ROOT_URLCONF = "cityhall.testing.failing_urls"
    client = Client(raise_request_exception=False)
    client.force_login(city.drafter)
    response = client.get("/__fail__/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "システムエラーが発生しました" in html
    assert "Traceback" not in html and "RuntimeError" not in html and "settings" not in html.lower()
