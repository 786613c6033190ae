"""Remote sessions and a document's files: the policy decides, the original never leaves, the view is watermarked."""

from __future__ import annotations

import json
from typing import Any

import pytest

from cityhall.core.audit.models import AuditEntry
from cityhall.documents import services
from cityhall.telework import provider
from cityhall.telework.models import RemoteRule
from cityhall.testing.documents import pdf_bytes, upload
from cityhall.testing.web import DOCUMENTS_API, client_for

pytestmark = pytest.mark.django_db
REMOTE = "203.0.113.20"


@pytest.fixture(autouse=True)
def _no_second_factor(settings):
    settings.CITYHALL_MFA_REQUIRED = "never"


@pytest.fixture
def files(city, draft):
    """A 個人情報あり document, a 秘 one and a plain one, each with a PDF attached."""
    out = {}
    for key, flags in (("personal", {"has_personal_info": True}), ("secret", {"is_confidential": True}), ("plain", {})):
        doc = draft(title=f"{key}の記録", **flags)
        attachment = services.attachment_add(
            actor=city.drafter, document=doc, expected_version=doc.version, **upload("記録.pdf", pdf_bytes())
        )
        out[key] = (doc, attachment)
    return out


def _urls(doc, attachment):
    return (
        f"/documents/{doc.pk}/attachments/{attachment.pk}/",
        f"/documents/{doc.pk}/attachments/{attachment.pk}/view/",
        f"{DOCUMENTS_API}/{doc.pk}/attachments/{attachment.pk}",
    )


def test_remote_sessions_get_no_original_of_personal_or_secret_files_by_default(city, files):
    reader = client_for(city.kakaricho)
    for key in ("personal", "secret"):
        download, inline, api = _urls(*files[key])
        assert reader.get(download, REMOTE_ADDR=REMOTE).status_code == 403
        assert reader.get(inline, REMOTE_ADDR=REMOTE).status_code == 403
        answer = reader.get(api, REMOTE_ADDR=REMOTE)
        assert answer.status_code == 403
        assert "庁外" in answer.json()["detail"]
        # In the office the same official downloads it.
        assert reader.get(download).status_code == 200
        assert reader.get(api).status_code == 200
    # Attachments in general stay downloadable from outside.
    download, _, api = _urls(*files["plain"])
    assert reader.get(download, REMOTE_ADDR=REMOTE).status_code == 200
    assert reader.get(api, REMOTE_ADDR=REMOTE).status_code == 200


def test_forged_forwarding_header_does_not_make_a_remote_request_an_office_one(city, files):
    download, _, api = _urls(*files["personal"])
    reader = client_for(city.kakaricho)
    forged: dict[str, Any] = {"REMOTE_ADDR": REMOTE, "HTTP_X_FORWARDED_FOR": "127.0.0.1", "HTTP_X_REAL_IP": "127.0.0.1"}
    assert reader.get(download, **forged).status_code == 403
    assert reader.get(api, **forged).status_code == 403


def test_the_page_offers_only_the_watermarked_view_and_that_view_is_audited_with_its_classification(city, files):
    doc, attachment = files["personal"]
    reader = client_for(city.kakaricho)
    page = reader.get(f"/documents/{doc.pk}/", REMOTE_ADDR=REMOTE).content.decode()
    assert f"/attachments/{attachment.pk}/rendered/" in page
    assert f'/attachments/{attachment.pk}/"' not in page and f"/attachments/{attachment.pk}/view/" not in page
    office_page = reader.get(f"/documents/{doc.pk}/").content.decode()
    assert f"/attachments/{attachment.pk}/view/" in office_page

    shown = reader.get(f"/documents/{doc.pk}/attachments/{attachment.pk}/rendered/", REMOTE_ADDR=REMOTE)
    html = shown.content.decode()
    assert shown.status_code == 200 and "no-store" in shown["Cache-Control"]
    assert "data:image/jpeg;base64," in html  # the pages, rendered on the server with the watermark burnt in
    assert city.kakaricho.full_name in html and REMOTE in html
    assert "download" not in html.split('data-testid="rendered-view"')[1]
    entry = AuditEntry.objects.get(action="documents.attachment.remote_view", object_id=str(attachment.pk))
    after = json.loads(entry.after)
    assert after["classification"] == ["個人情報"] and after["remote"] is True
    assert entry.actor_id == city.kakaricho.pk and entry.source_ip == REMOTE


def test_role_rules_widen_and_narrow_what_remote_sessions_get(city, files):
    RemoteRule.objects.create(data_class="personal", role="approver", mode="see")
    RemoteRule.objects.create(data_class="attachment", role="", mode="none")
    RemoteRule.objects.create(data_class="attachment", role="approver", mode="see")
    download, _, _ = _urls(*files["personal"])
    assert client_for(city.kakaricho).get(download, REMOTE_ADDR=REMOTE).status_code == 200  # 係長: 決裁者
    plain, _, _ = _urls(*files["plain"])
    drafter = client_for(city.drafter)
    assert drafter.get(plain, REMOTE_ADDR=REMOTE).status_code == 403  # 「表示しない」 for everyone else
    refused = drafter.get(f"/documents/{files['plain'][0].pk}/attachments/{files['plain'][1].pk}/rendered/",
                          REMOTE_ADDR=REMOTE)  # fmt: skip
    assert refused.status_code == 403


def test_a_day_check_is_the_hook_for_approved_telework_days(city, files):
    plain, _, _ = _urls(*files["plain"])
    reader = client_for(city.kakaricho)

    def not_today(user, day, data_class):
        return False

    provider.register_day_check(not_today)
    try:
        assert reader.get(plain, REMOTE_ADDR=REMOTE).status_code == 403
        assert reader.get(plain).status_code == 200  # the office is never governed by the policy
    finally:
        provider.unregister_day_check(not_today)
    assert reader.get(plain, REMOTE_ADDR=REMOTE).status_code == 200
