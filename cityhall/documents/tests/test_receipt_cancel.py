"""A receipt registered by mistake is cancelled (収受の取消): the number stays in the register, marked 取消.

Only its section, with a reason, before anyone has seen, answered or closed it; its files go after the
commit; nothing more is done to it; the page, the list and the API say so.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from cityhall.core.audit import verify_chain
from cityhall.core.audit.models import AuditEntry
from cityhall.core.errors import Conflict, PermissionDenied, ValidationFailed
from cityhall.documents import services
from cityhall.documents.models import FilePlanClass, Receipt, ReceiptFile
from cityhall.documents.services.receipts import NewFile
from cityhall.testing.disposal import today
from cityhall.testing.documents import pdf_bytes, submitted_document
from cityhall.testing.web import client_for


@pytest.fixture
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


def _register(city, title: str = "研修の案内", files=()) -> Receipt:
    return services.receipt_register(
        actor=city.drafter, received_on=today(), sender="みどり県", title=title, reply_needed=False, files=files
    )


def test_its_section_cancels_it_with_a_reason_and_its_files_go(city, media, django_capture_on_commit_callbacks):
    scan = NewFile(name="案内.pdf", stream=io.BytesIO(pdf_bytes("研修の案内")), origin="scan")
    receipt = _register(city, files=[scan])
    stored = [media / f.file.name for f in ReceiptFile.objects.filter(receipt=receipt)]
    for typed in (" ", "誤り\x00", "理" * 201):  # empty, a NUL pasted in, too long
        with pytest.raises(ValidationFailed) as refused:
            services.receipt_cancel(actor=city.drafter, receipt=receipt, reason=typed)
        assert refused.value.field == "reason"
    with pytest.raises(PermissionDenied):
        services.receipt_cancel(actor=city.outsider, receipt=receipt, reason="二重登録")
    with django_capture_on_commit_callbacks(execute=True):
        cancelled = services.receipt_cancel(actor=city.drafter2, receipt=receipt, reason="二重に登録したため")
    assert (cancelled.cancel_reason, cancelled.cancelled_by) == ("二重に登録したため", city.drafter2)
    assert cancelled.number_label == receipt.number_label and cancelled.title == "研修の案内"
    assert not ReceiptFile.objects.filter(receipt=receipt).exists() and not any(f.exists() for f in stored)
    entry = AuditEntry.objects.get(action="documents.receipt.cancel", object_id=str(receipt.pk))
    assert len(json.loads(entry.after)["files_sha256"]) == 1 and verify_chain().ok
    for act in (
        lambda: services.receipt_cancel(actor=city.drafter, receipt=receipt, reason="再度"),
        lambda: services.receipt_circulate(actor=city.drafter, receipt=receipt, readers=[city.kakaricho]),
        lambda: services.receipt_close(
            actor=city.drafter, receipt=receipt, file_plan_class=FilePlanClass.objects.get(code="01-02-01")
        ),
        lambda: submitted_document(city, receipt=receipt),
    ):
        with pytest.raises(Conflict, match="取り消されました"):
            act()
    assert _register(city).number == receipt.number + 1  # the number is not taken again


def test_what_someone_has_acted_on_is_not_cancelled(city):
    circulated = _register(city, "供覧した通知")
    services.receipt_circulate(actor=city.drafter, receipt=circulated, readers=[city.kakaricho])
    answered = _register(city, "回答した照会")
    submitted_document(city, receipt=answered)
    closed = _register(city, "完結した通知")
    services.receipt_close(
        actor=city.drafter, receipt=closed, file_plan_class=FilePlanClass.objects.get(code="01-02-01")
    )
    for receipt, why in ((circulated, "供覧を始めた"), (answered, "回答を起案した"), (closed, "完結した")):
        with pytest.raises(Conflict, match=why):
            services.receipt_cancel(actor=city.drafter, receipt=receipt, reason="誤り")
        assert Receipt.objects.get(pk=receipt.pk).cancelled_at is None


def test_the_page_list_and_api_cancel_and_say_so(city):
    receipt = _register(city)
    client = client_for(city.drafter)
    page = client.get(f"/documents/receipts/{receipt.pk}/").content.decode()
    assert 'data-testid="cancel-form"' in page
    refused = client.post(f"/documents/receipts/{receipt.pk}/cancel/", {"reason": ""})
    assert refused.status_code == 400 and "取消の理由を入力してください。" in refused.content.decode()
    done = client.post(f"/documents/receipts/{receipt.pk}/cancel/", {"reason": "他の課あての文書"}, follow=True)
    text = done.content.decode()
    assert "収受を取り消しました" in text and "理由: 他の課あての文書" in text
    assert 'data-testid="cancel-form"' not in text and "回答を起案" not in text and "完結する" not in text
    assert 'data-testid="cancelled"' in client.get("/documents/receipts/").content.decode()
    other = _register(city, "別の案内")
    url = f"/api/documents/receipts/{other.pk}/cancel"
    bad = client.post(url, {"reason": ""}, content_type="application/json")
    assert bad.status_code == 400 and bad.json()["field"] == "reason"
    ok = client.post(url, {"reason": "二重登録"}, content_type="application/json")
    assert ok.status_code == 200 and ok.json()["cancel_reason"] == "二重登録" and ok.json()["cancelled_at"]
    assert client.post(url, {"reason": "二重登録"}, content_type="application/json").status_code == 409
