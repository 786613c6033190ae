"""Schemas of the payment batch endpoints (支払データ)."""

from __future__ import annotations

import datetime as dt

from ninja import Schema

from cityhall.finance.api.schemas.payment_orders import OrderOut


class BatchOut(Schema):
    """A payment batch (支払データ) of one payment date, 会計 and 年度 (blank only on batches from before 会計別)."""

    id: int
    payment_date: dt.date
    account_id: int | None
    account_name: str
    fiscal_year: int | None
    status: str
    status_label: str
    record_count: int
    total_amount: int
    file_name: str
    exported_at: dt.datetime | None
    paid_at: dt.datetime | None


class BatchPage(Schema):
    """One page of batches and the total count (件数)."""

    count: int
    page: int
    page_size: int
    items: list[BatchOut]


class BatchDetailOut(BatchOut):
    """A batch with its approved orders."""

    orders: list[OrderOut]
