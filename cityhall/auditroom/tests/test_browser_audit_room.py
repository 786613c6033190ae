"""Browser journey: the auditor finds a decision (決裁) in the audit room and downloads it as CSV."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import override_settings
from django.utils import timezone
from playwright.sync_api import expect

from cityhall.core.models import AuditEntry
from cityhall.testing import engine
from cityhall.testing.audit import make_auditor
from cityhall.testing.web import PASSWORD, assert_no_serious_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@override_settings(CITYHALL_MFA_REQUIRED="never")
def test_the_auditor_filters_by_date_and_person_and_downloads_the_csv(page, city, draft, tmp_path):
    document = engine.decide(draft(title="監査で確かめる修繕の決裁"))
    decision = AuditEntry.objects.get(action="documents.document.decide", object_id=str(document.pk))
    decider = decision.actor
    assert decider is not None
    kansa = make_auditor("demo-kansa", password=PASSWORD)

    sign_in(page, kansa)
    page.get_by_role("navigation", name="メインメニュー").get_by_role("link", name="監査室").click()
    expect(page.get_by_role("heading", level=1, name="監査室")).to_be_visible()
    assert_no_serious_violations(page)

    today = timezone.localdate().isoformat()
    page.get_by_label("日付（から）").fill(today)
    page.get_by_label("日付（まで）").fill(today)
    page.get_by_label("職員（ユーザー名または氏名）").fill(decider.last_name)
    page.get_by_role("button", name="表示する").click()
    table = page.get_by_test_id("audit-entries")
    row = table.get_by_role("row").filter(has_text="監査で確かめる修繕の決裁").filter(has_text="決裁").first
    expect(row).to_be_visible()
    expect(row.get_by_role("link", name="監査で確かめる修繕の決裁")).to_be_visible()
    assert_no_serious_violations(page)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="CSVで書き出す").click()
    path = Path(tmp_path / "audit.csv")
    download_info.value.save_as(path)
    text = path.read_text(encoding="utf-8-sig")
    assert text.startswith("通番,日時（日本時間）,和暦,職員,操作")
    lines = [line for line in text.splitlines() if line.startswith(f"{decision.seq},")]
    assert len(lines) == 1 and ",決裁," in lines[0] and "監査で確かめる修繕の決裁" in lines[0]
    assert all(decider.last_name in line for line in text.splitlines()[1:])
    assert AuditEntry.objects.filter(action="auditroom.export", actor=kansa).exists()
