"""The main pages under the Content-Security-Policy in a real browser: no violation, htmx and scripts still work.

Chromium reports every blocked script, style or frame in the console ("Refused to …
Content Security Policy"); the journey opens the pages people use most and fails on any such
message, then uses htmx (the route preview of a new draft) and the payment order form's script.
"""

from __future__ import annotations

import pytest
from django.test import override_settings

from cityhall.testing.accounts import give_password
from cityhall.testing.documents import pdf_bytes, upload
from cityhall.testing.web import LOGIN_PATH, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _watch(page) -> list[str]:
    """Console messages and page errors that say the policy blocked something."""
    seen: list[str] = []
    page.on("console", lambda message: seen.append(message.text))
    page.on("pageerror", lambda error: seen.append(f"pageerror: {error}"))
    return seen


def _violations(seen: list[str]) -> list[str]:
    words = ("Content Security Policy", "Content-Security-Policy", "Refused to", "pageerror", "Permissions policy")
    return [text for text in seen if any(word in text for word in words)]


@override_settings(CITYHALL_MFA_REQUIRED="never")
def test_main_pages_load_without_a_csp_violation_and_htmx_works(page, city, budget, draft):
    from cityhall.documents import services

    give_password(city.drafter)
    doc = draft()
    services.attachment_add(
        actor=city.drafter, document=doc, expected_version=doc.version, **upload("見積.pdf", pdf_bytes())
    )
    seen = _watch(page)

    response = page.goto(LOGIN_PATH)
    assert "script-src 'self'" in response.headers["content-security-policy"]
    sign_in(page, city.drafter)
    for path in (
        "/",
        "/documents/",
        f"/documents/{doc.pk}/",
        "/documents/search/?q=修繕",
        "/documents/receipts/",
        "/finance/reports/",
        "/finance/reports/sections/",
        "/finance/payments/new/",
    ):
        response = page.goto(path)
        assert response.status == 200, path
        assert "no-store" in response.headers["cache-control"], path
        page.wait_for_load_state("networkidle")
        assert _violations(seen) == [], f"{path}: {_violations(seen)}"

    # The payment order form's script (now a static file) hides the fields of the other kinds.
    page.goto("/finance/payments/new/")
    page.wait_for_load_state("networkidle")
    assert page.locator("[data-order-kinds]:not([hidden])").count() < page.locator("[data-order-kinds]").count()

    # htmx: the route preview answers as the amount changes.
    page.goto("/documents/new/")
    page.get_by_label("事案の種類").select_option(label="支出")
    page.get_by_label("金額（円）").fill("800,000")
    page.get_by_label("金額（円）").dispatch_event("change")
    assert page.get_by_test_id("decision-label").inner_text() == "課長専決"
    page.wait_for_load_state("networkidle")
    assert _violations(seen) == []
    assert page.evaluate("() => document.querySelectorAll('style').length") == 0
