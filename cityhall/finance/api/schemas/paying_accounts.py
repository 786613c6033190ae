"""Schemas of the paying account endpoints (会計別の支払口座)."""

from __future__ import annotations

from ninja import Field, Schema


class PayingAccountOut(Schema):
    """A 会計 and the paying account its 全銀 files use; ``own`` is false for the city-wide setting."""

    account_id: int
    account_code: str
    account_name: str
    own: bool
    requester_code: str
    requester_name: str
    bank_code: str
    branch_code: str
    account_type: str
    account_number: str


class PayingAccountIn(Schema):
    """A 会計's paying account; all six blank: back to the city-wide setting (CITYHALL_ZENGIN)."""

    requester_code: str = Field("", description="依頼人コード（10桁）")
    requester_name: str = Field("", description="依頼人名（半角カナに変換、40文字以内）")
    bank_code: str = Field("", description="金融機関コード（4桁）")
    branch_code: str = Field("", description="支店コード（3桁）")
    account_type: str = Field("", description="預金種目: 1=普通, 2=当座, 9=その他")
    account_number: str = Field("", description="口座番号（7桁）")
