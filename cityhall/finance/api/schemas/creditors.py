"""Schemas of the creditor endpoints (債権者) and their bank accounts."""

from __future__ import annotations

from typing import Any

from ninja import Field, Schema

from cityhall.finance.selectors.content import shown_account_number


class BankAccountIn(Schema):
    """A bank account (振込口座) as entered; bank and branch are checked against zengin-code."""

    bank_code: str = Field(description="銀行コード（4桁）")
    branch_code: str = Field(description="支店コード（3桁）")
    account_type: str = Field("1", description="1=普通, 2=当座, 4=貯蓄, 9=その他")
    account_number: str = Field(description="口座番号（7桁）")
    holder_name: str = Field(description="口座名義（全銀の文字に正規化。使えない文字はその文字を示して 400）")


class BankAccountOut(Schema):
    """A creditor's bank account (振込口座), holder in 全銀 half-width kana."""

    id: int
    bank_code: str
    bank_name: str
    branch_code: str
    branch_name: str
    account_type: str
    account_number: str = Field(description="口座番号（庁外からはリモートアクセスの方針によりマスクまたは空欄）")
    holder_kana: str
    is_default: bool
    is_active: bool  # False: stopped (停止中), kept for the orders that paid to it

    @staticmethod
    def resolve_account_number(obj: Any, context: dict[str, Any]) -> str:
        """The number as the remote-access policy lets the caller have it (``shown_account_number``)."""
        request = context.get("request")
        number = str(obj["account_number"] if isinstance(obj, dict) else obj.account_number)
        return shown_account_number(getattr(request, "user", None), number)


class CreditorIn(Schema):
    """A new creditor (債権者) with an optional bank account."""

    code: str
    name: str
    kana: str
    address: str = ""
    invoice_registration_number: str = Field("", description="登録番号（T＋13桁）")
    is_individual: bool = False
    bank_account: BankAccountIn | None = None


class CreditorOut(Schema):
    """A creditor (債権者); bank accounts are shown to the 会計 role only."""

    id: int
    code: str
    name: str
    kana: str
    address: str
    invoice_registration_number: str
    is_individual: bool
    is_active: bool
    bank_accounts: list[BankAccountOut] | None = Field(None, description="会計の権限がある場合のみ")


class CreditorPage(Schema):
    """One page of creditors and the total count (件数)."""

    count: int
    page: int
    page_size: int
    items: list[CreditorOut]


class SimilarCreditorOut(Schema):
    """An existing creditor that may be the same one (重複の可能性)."""

    id: int
    code: str
    name: str
    kana: str


class CreditorCreatedOut(Schema):
    """A registered creditor, its warning and possible duplicates (重複の警告)."""

    creditor: CreditorOut
    warning: str = Field(description="例: 個人の登録番号の確認")
    similar: list[SimilarCreditorOut] = Field(description="名称またはフリガナが同じ既存の債権者")
