"""The 変更契約 journey in a real browser: a ¥4,800,000 工事 contract increased by ¥600,000.

The clerk drafts the change from the encumbrance's page with the new total, starts its route from
its document, and the route goes to the 部長 (the total, ¥5,400,000, not the ¥600,000, decides);
the 部長 reads the original, the change and the new total on the document and decides it; the
encumbrance's page shows the new amount and its history.
"""

from __future__ import annotations

import pytest
from django.test import override_settings

from cityhall.accounts.models import User
from cityhall.documents import services as docs
from cityhall.documents.models import Document, DocumentStatus, StepState
from cityhall.finance.models import Encumbrance, EncumbranceChange
from cityhall.testing.engine import decide
from cityhall.testing.finance import make_setsu_line
from cityhall.testing.web import PASSWORD, assert_no_serious_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _approve_up_to(document: Document, decider: User) -> None:
    doc = Document.objects.get(pk=document.pk)
    while doc.status == DocumentStatus.CIRCULATING:
        step = doc.steps.get(round=doc.current_round, state=StepState.PENDING)
        if step.assignee_id == decider.pk:
            return
        doc = docs.approve(actor=step.assignee, document=doc, expected_version=doc.version)


@override_settings(CITYHALL_MFA_REQUIRED="never")
def test_a_works_contract_is_increased_by_a_change_decided_by_the_bucho(page, city, budget, encumber):
    for user in (city.drafter, city.bucho):
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
    works = make_setsu_line(budget, "14", 6_000_000, section=city.units.soumu)
    enc = encumber(line=works, amount=4_800_000, contract_method="general_tender", title="庁舎改修工事について")
    decide(enc)

    sign_in(page, city.drafter)
    page.goto(f"/finance/encumbrances/{enc.pk}/")
    page.locator("#id_change-new_amount").fill("5,400,000")
    page.locator("#id_change-reason").fill("地中障害物の撤去に伴う増額")
    assert_no_serious_violations(page)
    page.get_by_role("button", name="変更契約を起案する").click()
    page.wait_for_selector("text=変更契約を起案しました")
    page.get_by_role("button", name="回議を開始する").click()
    page.wait_for_selector("text=回議を開始しました。")
    change = EncumbranceChange.objects.select_related("document").get()
    assert change.document.decision_label == "部長専決"

    _approve_up_to(change.document, city.bucho)
    sign_in(page, city.bucho)
    page.goto(f"/documents/{change.document_id}/")
    content = page.locator("main").inner_text()
    assert "4,800,000円" in content and "600,000円" in content and "5,400,000円" in content
    assert_no_serious_violations(page)
    page.get_by_role("button", name="承認", exact=True).click()
    page.wait_for_selector("text=承認しました。")
    assert Encumbrance.objects.get(pk=enc.pk).amount == 5_400_000

    page.goto(f"/finance/encumbrances/{enc.pk}/")
    assert page.get_by_test_id("amount").inner_text() == "5,400,000円"
    history = page.get_by_test_id("changes").inner_text()
    assert "第1回変更" in history and "600,000円" in history
    assert_no_serious_violations(page)
