"""The remote-access policy in finance and inquiries: payee accounts masked, no 全銀 file, inquiries refused."""

from __future__ import annotations

import pytest

from cityhall.core.network import AccessContext
from cityhall.finance.models import BatchStatus
from cityhall.inquiries.access import ViewingMode, viewing_mode
from cityhall.telework.models import RemoteRule
from cityhall.testing.web import client_for

pytestmark = pytest.mark.django_db
REMOTE = "203.0.113.20"
WHOLE, MASKED = "1234567", "***4567"


@pytest.fixture(autouse=True)
def _no_second_factor(settings):
    settings.CITYHALL_MFA_REQUIRED = "never"


def test_creditor_accounts_are_masked_or_hidden_from_outside_for_the_accounting_role(budget):
    client = client_for(budget.staff)
    page, api = f"/finance/creditors/{budget.creditor.pk}/", f"/api/finance/creditors?q={budget.creditor.code}"
    assert WHOLE in client.get(page).content.decode()
    remote_page = client.get(page, REMOTE_ADDR=REMOTE).content.decode()
    assert WHOLE not in remote_page and MASKED in remote_page
    accounts = client.get(api, REMOTE_ADDR=REMOTE).json()["items"][0]["bank_accounts"]
    assert [a["account_number"] for a in accounts] == [MASKED]
    assert client.get(api).json()["items"][0]["bank_accounts"][0]["account_number"] == WHOLE
    RemoteRule.objects.create(data_class="payee_account", role="", mode="none")
    remote_page = client.get(page, REMOTE_ADDR=REMOTE).content.decode()
    assert "4567" not in remote_page and "庁外では非表示" in remote_page
    assert client.get(api, REMOTE_ADDR=REMOTE).json()["items"][0]["bank_accounts"][0]["account_number"] == ""
    RemoteRule.objects.create(data_class="payee_account", role="accounting", mode="see")
    assert WHOLE in client.get(page, REMOTE_ADDR=REMOTE).content.decode()


@pytest.mark.usefixtures("zengin_files")
def test_the_zengin_file_is_not_exported_from_outside(batch, treasurer):
    client = client_for(treasurer)
    answer = client.post(f"/api/finance/batches/{batch.pk}/export", REMOTE_ADDR=REMOTE)
    assert answer.status_code == 403 and "庁内のネットワーク" in answer.json()["detail"]
    batch.refresh_from_db()
    assert batch.status == BatchStatus.OPEN


def test_inquiries_viewing_mode_asks_the_policy(city):
    office, outside = AccessContext(ip="127.0.0.1", is_office=True), AccessContext(ip=REMOTE, is_office=False)
    assert viewing_mode(city.kacho, office) is ViewingMode.FULL
    assert viewing_mode(city.kacho, outside) is ViewingMode.REFUSED
    # A rule the class does not allow (written past the service) falls back to the default: still refused.
    RemoteRule.objects.create(data_class="inquiry", role="", mode="see")
    assert viewing_mode(city.kacho, outside) is ViewingMode.REFUSED
