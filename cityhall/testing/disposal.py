"""Records whose retention ended, for the disposal tests (保存期間が満了した文書).

A record is drafted, decided and closed through the services as staff would, with an attachment,
its signed sheet when asked (the ``city_signing`` fixture must be in use) and its search entry;
then its expiry (保存期間満了日) is moved into the past, as if the years of its retention had gone by
(the one write outside the services: time cannot be waited for in a test). A receipt closed on its
own (完結) ages the same way (``expired_receipt``).
"""

from __future__ import annotations

import datetime as dt
import io
from types import SimpleNamespace

from django.utils import timezone

from cityhall.accounts.models import User
from cityhall.documents import services
from cityhall.documents.indexing import index_document
from cityhall.documents.models import Document, ExpiryAction, FilePlanClass, Receipt
from cityhall.documents.sheet import sign_decided_document
from cityhall.testing.documents import pdf_bytes, submitted_document, upload
from cityhall.testing.engine import approve_to_decision

ENDED = dt.date(2024, 3, 31)
"""The expiry the records get: a 31 March long past."""


def expired_record(
    city: SimpleNamespace,
    *,
    by: User | None = None,
    title: str = "照会への回答について",
    body: str = "照会に次のとおり回答する。",
    plan: str = "01-02-01",
    attachment: str | None = "回答書.pdf",
    sign: bool = False,
    transfer: bool = False,
    ended: dt.date = ENDED,
    is_confidential: bool = False,
    receipt: Receipt | None = None,
) -> Document:
    """A closed record of ``by``'s section (default ``city.drafter``) whose retention ended on ``ended``
    (answering ``receipt`` when given)."""
    clerk = by or city.drafter
    kept_under = FilePlanClass.objects.get(code=plan)
    doc = submitted_document(
        city,
        by=clerk,
        title=title,
        body=body,
        file_plan_class=kept_under,
        is_confidential=is_confidential,
        receipt=receipt,
    )
    doc = approve_to_decision(doc)
    if attachment is not None:
        data = pdf_bytes(f"{title}の添付資料")
        services.attachment_add(actor=clerk, document=doc, expected_version=doc.version, **upload(attachment, data))
        doc = Document.objects.get(pk=doc.pk)
    if sign:
        assert sign_decided_document(doc.pk)
        doc = Document.objects.get(pk=doc.pk)
    doc = services.close(actor=clerk, document=doc, expected_version=doc.version)
    action = ExpiryAction.TRANSFER if transfer else doc.expiry_action
    Document.objects.filter(pk=doc.pk).update(expires_on=ended, expiry_action=action)
    index_document(doc.pk)  # the entry the on-commit callback writes
    return Document.objects.get(pk=doc.pk)


def expired_receipt(
    city: SimpleNamespace,
    *,
    title: str = "県からの通知について",
    plan: str = "01-02-01",
    transfer: bool = False,
    ended: dt.date = ENDED,
) -> Receipt:
    """A received letter with a scanned file, circulated to the 係長 who marked it seen, closed on its own
    (完結) under ``plan`` by the drafter; then its expiry is moved into the past like a record's."""
    scan = services.NewFile(name="通知.pdf", stream=io.BytesIO(pdf_bytes(title)), origin="scan")
    receipt = services.receipt_register(
        actor=city.drafter,
        received_on=today(),
        sender="みどり県 総務部",
        sender_address="みどり県庁 1-1",
        title=title,
        files=[scan],
    )
    services.receipt_circulate(actor=city.drafter, receipt=receipt, readers=[city.kakaricho])
    services.receipt_mark_seen(actor=city.kakaricho, receipt=receipt)
    plan_class = FilePlanClass.objects.get(code=plan)
    services.receipt_close(actor=city.drafter, receipt=receipt, file_plan_class=plan_class)
    action = ExpiryAction.TRANSFER if transfer else plan_class.expiry_action
    Receipt.objects.filter(pk=receipt.pk).update(expires_on=ended, expiry_action=action)
    return Receipt.objects.get(pk=receipt.pk)


def today() -> dt.date:
    """Today in Japan, as the services count it."""
    return timezone.localdate()
