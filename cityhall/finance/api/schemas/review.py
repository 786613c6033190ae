"""Schemas of the accounting manager's review (会計管理者審査)."""

from __future__ import annotations

from ninja import Field, Schema


class ReviewCheckOut(Schema):
    """One check of the accounting manager's review (審査項目) and its result."""

    label: str
    ok: bool
    detail: str
    field: str
    warning: bool = Field(False, description="注意のみ（承認は妨げない。例: 送信期限を過ぎている）")


class ReturnIn(Schema):
    """Return of an order to the drafter (返付) with the reason."""

    reason: str
