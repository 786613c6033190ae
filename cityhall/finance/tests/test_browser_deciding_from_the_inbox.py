"""Deciding a payment order with the facts in front of you, in a real browser (Playwright, Debian Chromium).

The 課長 opens the 支出命令 from the inbox preview and then its page: payee, bank, the account
number to its last four digits, the lines, and what is left of the encumbrance it draws on;
approves it (課長専決); the signed 起案用紙, shown in the page and downloaded, records the same
lines and the history.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import override_settings
from playwright.sync_api import expect

from cityhall.documents import services as docs
from cityhall.documents.files import extract_pdf_text
from cityhall.documents.models import Document, DocumentStatus, StepState
from cityhall.finance import services
from cityhall.testing.engine import decide, submit
from cityhall.testing.web import IMMEDIATE_TASKS, PASSWORD, assert_no_serious_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _to_the_kacho(document: Document, kacho) -> Document:
    """The steps before the 課長 approve through the engine."""
    doc = Document.objects.get(pk=document.pk)
    while True:
        step = doc.steps.get(round=doc.current_round, state=StepState.PENDING)
        if step.assignee_id == kacho.pk:
            return doc
        doc = docs.approve(actor=step.assignee, document=doc, expected_version=doc.version)


@override_settings(CITYHALL_MFA_REQUIRED="never", TASKS=IMMEDIATE_TASKS)
def test_the_kacho_decides_an_order_seeing_payee_lines_and_encumbrance(
    page, city, budget, encumber, draft_order, city_signing, settings, tmp_path: Path
):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    city.kacho.set_password(PASSWORD)
    city.kacho.save(update_fields=["password"])
    enc = encumber(amount=800_000)
    decide(enc)
    order = draft_order(
        kind="linked",
        encumbrance=enc,
        lines=[services.OrderLineInput(creditor=budget.creditor, amount=500_000, description="コピー用紙")],
        title="コピー用紙の代金の支払について",
    )
    document = _to_the_kacho(submit(order), city.kacho)
    account = budget.creditor.bank_accounts.get()
    facts = ("株式会社ヤマダ商事", account.bank_name, account.branch_name, "***4567", "コピー用紙", "500,000円")

    # The inbox preview shows what the order decides, beside the list.
    sign_in(page, city.kacho)
    page.goto("/documents/")
    page.get_by_test_id(f"preview-{document.pk}").click()
    preview = page.get_by_test_id("preview")
    expect(preview).to_contain_text("コピー用紙の代金の支払について")
    for fact in facts:
        expect(preview).to_contain_text(fact)
    expect(preview).to_contain_text("300,000円")  # the encumbrance's 800,000 less this order
    expect(preview).not_to_contain_text("1234567")
    expect(page.locator("#preview-title")).to_be_focused()
    assert_no_serious_violations(page)

    # The document page: the same facts, then the approval (課長専決 decides it).
    preview.get_by_test_id("preview-open").click()
    content = page.get_by_test_id("typed-content")
    for fact in (*facts, account.holder_kana, enc.document.number_label):
        expect(content).to_contain_text(fact)
    expect(content.get_by_test_id("record-link")).to_be_visible()
    assert_no_serious_violations(page)
    page.get_by_role("button", name="承認", exact=True).click()
    page.wait_for_selector("text=承認しました。")
    assert page.get_by_test_id("status").inner_text() == "決裁済"
    assert Document.objects.get(pk=document.pk).status == DocumentStatus.DECIDED
    expect(page.get_by_test_id("history")).to_contain_text("決裁")

    # The signed sheet was signed at once: it opens in the page and records the same lines.
    page.reload()
    viewer = page.get_by_test_id("signed-viewer")
    with page.expect_response(lambda r: r.url.endswith("/signed/view/")) as framed:
        viewer.locator("summary").click()  # the viewer loads the PDF only when opened
    assert framed.value.status == 200 and framed.value.headers["x-frame-options"] == "SAMEORIGIN"
    expect(viewer.locator("iframe")).to_have_attribute("src", f"/documents/{document.pk}/signed/view/")
    assert_no_serious_violations(page)
    response = page.request.get(f"/documents/{document.pk}/signed/view/")
    assert response.ok and response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"].startswith("inline;")
    text = "".join(extract_pdf_text("signed.pdf", response.body()).split())
    for fact in (*facts, "300,000円", "回議開始", "決裁"):
        assert fact in text, fact
    assert "1234567" not in text
    with page.expect_download() as download:
        page.get_by_test_id("signed-pdf").click()
    assert Path(download.value.path()).read_bytes() == response.body()
