"""Paying accounts per 会計 (会計別の支払口座): the 指定金融機関 account each 全銀 file is paid from.

Each 会計 keeps its 歳計現金 apart (一般会計・特別会計), so each has its own account at the
city's 指定金融機関 and the bank registers a 依頼人 code and name for it. The 会計管理者, who
holds the cash (地方自治法第170条), sets them; a 会計 left blank pays from the city-wide
account of ``settings.CITYHALL_ZENGIN``, as before paying accounts were kept per 会計.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from typing import Any

from django.db import transaction

from cityhall.core.audit import record, snapshot
from cityhall.core.errors import PermissionDenied, ValidationFailed
from cityhall.core.japanese import to_zengin_kana
from cityhall.finance import banks
from cityhall.finance.models import Account, PayingAccountType
from cityhall.finance.services._common import require_treasurer

ACCOUNT_NOT_FOUND = "会計が見つかりません。"
REQUESTER_NAME_MAX = 40  # 全銀 header positions 15–54
PAYER_FIELDS = [
    "payer_requester_code",
    "payer_requester_name",
    "payer_bank_code",
    "payer_branch_code",
    "payer_account_type",
    "payer_account_number",
]


def _digits(value: Any, width: int, label: str, field: str) -> str:
    text = unicodedata.normalize("NFKC", str(value or "")).strip()
    if len(text) != width or not text.isascii() or not text.isdigit():
        raise ValidationFailed(f"{label}は{width}桁の数字で入力してください（入力: 「{value}」）。", field=field)
    return text


def _requester_name(value: Any) -> str:
    text = unicodedata.normalize("NFC", str(value or "")).replace("\u3000", " ").strip()
    if not text:
        raise ValidationFailed("依頼人名（半角カナ）を入力してください。", field="requester_name")
    kana = to_zengin_kana(text, field="requester_name")
    if len(kana) > REQUESTER_NAME_MAX:
        raise ValidationFailed(
            f"依頼人名「{kana}」は{len(kana)}文字あり、全銀のヘッダー（{REQUESTER_NAME_MAX}文字）に入りません。",
            field="requester_name",
        )
    return kana


def _checked(
    *,
    requester_code: Any,
    requester_name: Any,
    bank_code: Any,
    branch_code: Any,
    account_type: Any,
    account_number: Any,
) -> dict[str, str]:
    """The six fields checked as the 全銀 header writes them; the bank and branch must exist in zengin-code."""
    bank = _digits(bank_code, 4, "金融機関コード", "bank_code")
    branch = _digits(branch_code, 3, "支店コード", "branch_code")
    banks.branch(bank, branch)  # names the missing bank or branch
    kind = str(account_type or "")
    if kind not in PayingAccountType.values:
        raise ValidationFailed(
            f"預金種目は普通（1）・当座（2）・その他（9）から選んでください（入力: 「{account_type}」）。",
            field="account_type",
        )
    return {
        "payer_requester_code": _digits(requester_code, 10, "依頼人コード", "requester_code"),
        "payer_requester_name": _requester_name(requester_name),
        "payer_bank_code": bank,
        "payer_branch_code": branch,
        "payer_account_type": kind,
        "payer_account_number": _digits(account_number, 7, "口座番号", "account_number"),
    }


def account_set_paying_account(
    *,
    actor: Any,
    account: Account,
    requester_code: Any = "",
    requester_name: Any = "",
    bank_code: Any = "",
    branch_code: Any = "",
    account_type: Any = "",
    account_number: Any = "",
    on: dt.date | None = None,
) -> Account:
    """Set a 会計's paying account (支払口座の設定) as the 会計管理者; all six blank: back to the city-wide setting."""
    actor = require_treasurer(actor, on=on)
    given = (requester_code, requester_name, bank_code, branch_code, account_type, account_number)
    if any(str(value or "").strip() for value in given):
        values = _checked(
            requester_code=requester_code,
            requester_name=requester_name,
            bank_code=bank_code,
            branch_code=branch_code,
            account_type=account_type,
            account_number=account_number,
        )
    else:
        values = dict.fromkeys(PAYER_FIELDS, "")
    with transaction.atomic(durable=True):
        locked = Account.objects.select_for_update().filter(pk=account.pk).first()
        if locked is None:
            raise PermissionDenied(ACCOUNT_NOT_FOUND)
        before = snapshot(locked, PAYER_FIELDS)
        for name, value in values.items():
            setattr(locked, name, value)
        locked.full_clean()
        locked.save(update_fields=PAYER_FIELDS)
        record(
            actor=actor,
            action="finance.account.set_paying_account",
            obj=locked,
            before=before,
            after=snapshot(locked, PAYER_FIELDS),
        )
    return locked


__all__ = ["account_set_paying_account"]
