"""The 検査調書 (法234条の2・令167条の15): required for 工事 and larger purchases, made as a PDF, audited."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from django.urls import reverse

from cityhall.core.audit.models import AuditEntry
from cityhall.core.errors import PermissionDenied, ValidationFailed
from cityhall.finance.services.inspection import inspection_report_pdf, inspection_requirement
from cityhall.testing.engine import decide
from cityhall.testing.finance import make_setsu_line
from cityhall.testing.web import client_for, finance_api

pytestmark = pytest.mark.django_db

PDFTOTEXT = shutil.which("pdftotext") or "pdftotext"  # poppler-utils, as the approval sheet's tests use


def _text(pdf: bytes) -> str:
    done = subprocess.run([PDFTOTEXT, "-layout", "-", "-"], input=pdf, capture_output=True, check=True)
    return re.sub(r"\s+", "", done.stdout.decode())


@pytest.fixture
def works_order(city, budget, encumber, draft_order):
    """A ¥1,800,000 工事 (節14 工事請負費) order on a decided encumbrance, inspected by 主任 主野."""
    line = make_setsu_line(budget, "14", 2_000_000, section=city.units.soumu)
    enc = encumber(amount=1_800_000, line=line, title="庁舎外壁改修工事")
    decide(enc)
    return draft_order(kind="linked", encumbrance=enc, amounts=(1_800_000,), title="庁舎外壁改修工事の支払")


def test_works_always_and_purchases_from_the_configured_amount_need_the_report(city, budget, draft_order, works_order):
    assert inspection_requirement(works_order).required
    small = draft_order(amounts=(110_000,))
    assert not inspection_requirement(small).required
    large = draft_order(amounts=(1_000_000,))
    assert inspection_requirement(large).required  # 節10 需用費 at ¥1,000,000 (the default)


def test_the_threshold_is_a_setting(city, budget, draft_order, settings):
    settings.CITYHALL_INSPECTION_REPORT_FROM_YEN = 100_000
    assert inspection_requirement(draft_order(amounts=(110_000,))).required
    settings.CITYHALL_INSPECTION_REPORT_FROM_YEN = 200_000
    assert not inspection_requirement(draft_order(amounts=(110_000,))).required


def test_the_report_states_the_matter_the_contract_the_inspector_and_the_result(city, budget, works_order):
    name, pdf = inspection_report_pdf(actor=city.drafter, order_id=works_order.pk)
    assert pdf.startswith(b"%PDF") and name == f"検査調書_{works_order.document.number_label}.pdf"
    text = _text(pdf)
    for expected in (
        "検査調書",
        "庁舎外壁改修工事の支払",
        "庁舎外壁改修工事",  # the encumbrance (支出負担行為)
        "株式会社ヤマダ商事",
        "1,800,000円",
        "主野太郎",
        "合格",
        "工事の完成検査",
        "地方自治法第234条の2第1項",
    ):
        assert expected in text, expected
    entry = AuditEntry.objects.get(action="finance.inspection_report.download")
    assert entry.object_id == str(works_order.pk) and entry.actor_id == city.drafter.pk


def test_no_report_before_the_inspection_is_recorded_nor_for_who_may_not_see_the_order(city, budget, draft_order):
    order = draft_order(inspector=None, inspection_date=None)
    with pytest.raises(ValidationFailed, match=r"検収日と検査員.*第234条の2"):
        inspection_report_pdf(actor=city.drafter, order_id=order.pk)
    with pytest.raises(PermissionDenied):
        inspection_report_pdf(actor=city.outsider, order_id=order.pk)
    assert not AuditEntry.objects.filter(action="finance.inspection_report.download").exists()


def test_the_order_page_shows_the_requirement_and_offers_the_pdf(city, budget, works_order):
    client = client_for(city.drafter)
    page = client.get(reverse("finance:payment_order", args=[works_order.pk])).content.decode()
    assert 'data-testid="inspection-report"><strong>要</strong>（工事' in page
    url = reverse("finance:payment_order_inspection_report", args=[works_order.pk])
    assert url in page
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert client_for(city.outsider).get(url).status_code == 404


def test_the_api_shows_the_requirement_and_gives_the_same_pdf(city, budget, works_order, draft_order):
    detail = finance_api(city.drafter, "get", f"/payment-orders/{works_order.pk}")
    assert detail.json()["inspection_report_required"] is True
    response = finance_api(city.drafter, "get", f"/payment-orders/{works_order.pk}/inspection-report.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "庁舎外壁改修工事の支払" in _text(response.content)
    uninspected = draft_order(inspector=None, inspection_date=None)
    refused = finance_api(city.drafter, "get", f"/payment-orders/{uninspected.pk}/inspection-report.pdf")
    assert refused.status_code == 400 and "第234条の2" in refused.json()["detail"]
    hidden = finance_api(city.outsider, "get", f"/payment-orders/{works_order.pk}/inspection-report.pdf")
    assert hidden.status_code == 404
