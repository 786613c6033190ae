"""Issue 15, item 3 reproduced: a receipt (収受) has no 収受番号, no file and no 閲 by named superiors.

Expected to fail until receipts replace paper; kept afterwards as the short statement of what they must do.
"""

from __future__ import annotations

import datetime as dt

import pytest

from cityhall.documents import services
from cityhall.documents.models import Receipt

pytestmark = pytest.mark.django_db


def test_a_receipt_has_a_number_files_and_readers(city):
    receipt = services.receipt_register(
        actor=city.drafter, received_on=dt.date(2025, 5, 1), sender="みどり県総務部長", title="統計調査について"
    )
    fields = {f.name for f in Receipt._meta.get_fields()}
    assert "number_label" in fields, "収受番号がない"
    assert "files" in fields, "収受文書にファイルを付けられない"
    assert "readers" in fields, "供覧は一つの日時だけで、誰が閲したかが残らない"
    assert receipt.pk
