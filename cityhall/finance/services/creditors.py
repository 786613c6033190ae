"""Creditor services (債権者): registration, bank accounts and duplicate detection."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from cityhall.core.audit import record, snapshot
from cityhall.core.errors import ValidationFailed
from cityhall.finance import banks
from cityhall.finance.invoice_number import validate_invoice_number
from cityhall.finance.models import AccountType, Creditor, CreditorBankAccount
from cityhall.finance.services._common import clean, require_finance_staff, require_user

_CODE = re.compile(r"[0-9A-Za-z\-]{1,20}")


@dataclass(frozen=True)
class BankAccountInput:
    """A bank account as entered (振込口座の入力)."""

    bank_code: str
    branch_code: str
    account_type: str
    account_number: str
    holder_name: str


@dataclass(frozen=True)
class CreditorResult:
    """A saved creditor and a warning to show (e.g. an individual's registration number to confirm)."""

    creditor: Creditor
    warning: str = ""


def _text(value: str, field: str, label: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationFailed(f"{label}を入力してください。", field=field)
    return value


def _account(data: BankAccountInput, creditor: Creditor) -> CreditorBankAccount:
    branch = banks.branch(data.bank_code, data.branch_code)
    bank = banks.bank(branch.bank_code)
    if data.account_type not in AccountType.values:
        raise ValidationFailed(
            "預金種目は1（普通）・2（当座）・4（貯蓄）・9（その他）から選んでください。", field="account_type"
        )
    number = unicodedata.normalize("NFKC", data.account_number or "").strip()
    if len(number) != 7 or not number.isascii() or not number.isdigit():
        raise ValidationFailed(
            f"口座番号は7桁の数字で入力してください（入力: 「{data.account_number}」）。", field="account_number"
        )
    holder = banks.normalize_holder_name(data.holder_name, field="holder_name")
    return CreditorBankAccount(
        creditor=creditor,
        bank_code=bank.code,
        bank_name=bank.name,
        branch_code=branch.code,
        branch_name=branch.name,
        account_type=data.account_type,
        account_number=number,
        holder_kana=holder,
    )


def _duplicate_account(account: CreditorBankAccount) -> None:
    other = (
        CreditorBankAccount.objects.filter(
            bank_code=account.bank_code, branch_code=account.branch_code, account_number=account.account_number
        )
        .exclude(pk=account.pk)
        .select_related("creditor")
        .first()
    )
    if other is not None:
        raise ValidationFailed(
            f"この口座（{account.bank_name} {account.branch_name} {account.account_number}）は"
            f"債権者「{other.creditor.code} {other.creditor.name}」に登録済みです。",
            field="account_number",
            extra={"existing": other.creditor_id},
        )


def _duplicate_number(number: str, exclude: int | None = None) -> None:
    if not number:
        return
    rows = Creditor.objects.filter(invoice_registration_number=number)
    other = (rows.exclude(pk=exclude) if exclude is not None else rows).first()
    if other is not None:
        raise ValidationFailed(
            f"登録番号 {number} の債権者「{other.code} {other.name}」が既に登録されています。",
            field="invoice_registration_number",
            extra={"existing": other.pk},
        )


def creditor_create(
    *,
    actor: Any,
    code: str,
    name: str,
    kana: str,
    address: str = "",
    invoice_registration_number: str = "",
    is_individual: bool = False,
    bank_account: BankAccountInput | None = None,
) -> CreditorResult:
    """Register a creditor (債権者の登録) with an optional bank account (振込口座).

    The registration number (登録番号) is checked (an individual's failing check
    digit is a warning); bank and branch must exist in zengin-code; the holder
    name is normalised to 全銀 kana; a duplicate number or account names the
    existing creditor. Nothing is saved on any error.
    """
    actor = require_finance_staff(actor)
    code = _text(code, "code", "債権者コード")
    if not _CODE.fullmatch(code):
        raise ValidationFailed("債権者コードは20文字以内の英数字で入力してください。", field="code")
    warning, number = "", ""
    if invoice_registration_number.strip():
        checked = validate_invoice_number(invoice_registration_number, individual=is_individual)
        number, warning = checked.number, checked.message if checked.warning else ""
    creditor = Creditor(
        code=code,
        name=_text(name, "name", "名称"),
        kana=_text(kana, "kana", "フリガナ"),
        address=(address or "").strip(),
        invoice_registration_number=number,
        is_individual=is_individual,
    )
    account = _account(bank_account, creditor) if bank_account is not None else None
    with transaction.atomic(durable=True):
        if Creditor.objects.filter(code=code).exists():
            raise ValidationFailed(f"債権者コード「{code}」は既に使われています。", field="code")
        _duplicate_number(number)
        if account is not None:
            _duplicate_account(account)
        clean(creditor)
        creditor.save()
        after = snapshot(creditor)
        if account is not None:
            account.creditor = creditor
            clean(account)
            account.save()
            after["bank_account"] = snapshot(account)
        record(actor=actor, action="finance.creditor.create", obj=creditor, after=after)
    return CreditorResult(creditor=creditor, warning=warning)


def creditor_bank_account_add(*, actor: Any, creditor: Creditor, data: BankAccountInput) -> CreditorBankAccount:
    """Add a bank account (振込口座の追加) to a creditor; it becomes the default account."""
    actor = require_finance_staff(actor)
    with transaction.atomic(durable=True):
        creditor = Creditor.objects.select_for_update().get(pk=creditor.pk)
        account = _account(data, creditor)
        _duplicate_account(account)
        creditor.bank_accounts.filter(is_default=True).update(is_default=False)
        clean(account)
        account.save()
        record(actor=actor, action="finance.creditor.bank_account.add", obj=account, after=snapshot(account))
    return account


def creditor_accounts_viewed(*, actor: Any, creditors: Iterable[Creditor], where: str) -> None:
    """Audit who saw an individual's bank accounts (個人の口座情報の閲覧記録), one entry per creditor.

    A sole proprietor's (個人事業者) account is personal information, like a document
    marked 個人情報あり whose views the documents app records; a company's is not.
    """
    user = require_user(actor)
    individuals = [c for c in creditors if c.is_individual]
    if not individuals:
        return
    with transaction.atomic():  # joins the request's transaction when there is one
        for creditor in individuals:
            record(
                actor=user, action="finance.creditor.view", obj=creditor, after={"code": creditor.code, "where": where}
            )
