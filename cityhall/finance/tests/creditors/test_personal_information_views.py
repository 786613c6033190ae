"""An individual's bank account is personal information (個人情報): showing it on screens and API is recorded."""

from __future__ import annotations

import pytest
from django.test import override_settings
from django.urls import reverse

from cityhall.core.audit.models import AuditEntry
from cityhall.finance import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def individual(budget):
    """鈴木一郎 (個人事業者) with an account at another bank."""
    return services.creditor_create(
        actor=budget.staff, code="200001", name="鈴木一郎", kana="スズキイチロウ", address="東京都港区",
        is_individual=True,
        bank_account=services.BankAccountInput("0005", "001", "1", "7654321", "スズキ イチロウ"),
    ).creditor  # fmt: skip


def _views(creditor=None) -> list[str]:
    rows = AuditEntry.objects.filter(action="finance.creditor.view")
    if creditor is not None:
        rows = rows.filter(object_id=str(creditor.pk))
    return [str(after) for after in rows.order_by("seq").values_list("after", flat=True)]


def test_showing_an_individuals_accounts_is_audited_on_screens_and_api(client, city, budget, individual):
    client.force_login(budget.staff)
    assert client.get(reverse("finance:creditors")).status_code == 200
    assert client.get(reverse("finance:creditor", args=[individual.pk])).status_code == 200
    assert client.get(reverse("finance:creditor", args=[budget.creditor.pk])).status_code == 200
    with override_settings(CITYHALL_MFA_REQUIRED="never"):
        assert client.get("/api/finance/creditors", {"q": "鈴木"}).status_code == 200
    assert len(_views(individual)) == 3
    assert _views() == _views(individual)  # the company's account is not personal information
    entry = AuditEntry.objects.filter(action="finance.creditor.view").latest("seq")
    assert entry.actor_id == budget.staff.pk
