"""A creditor's bank accounts (債権者の振込口座): add, make default, stop, restart, correct the holder name.

Each locks the creditor row first, as stopping a creditor does, so an order being drafted
against the account either sees the change or is counted by it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction

from cityhall.accounts.models import User
from cityhall.core.audit import record, snapshot
from cityhall.core.errors import Conflict, ValidationFailed, clean
from cityhall.documents.models import Document
from cityhall.finance import banks
from cityhall.finance.models import (
    Creditor,
    CreditorBankAccount,
    PaymentOrderLine,
)
from cityhall.finance.selectors.content import shown_individuals
from cityhall.finance.services._common import require_finance_staff
from cityhall.finance.services.creditors import (
    BankAccountInput,
    account_from_input,
    creditor_accounts_viewed,
    lock_creditor,
    refuse_duplicate_account,
    refuse_if_in_use,
    same_account_in_use,
    save_rechecked,
)


def creditor_bank_account_add(*, actor: Any, creditor: Creditor, data: BankAccountInput) -> CreditorBankAccount:
    """Add a bank account (振込口座の追加) to a creditor; it becomes the default account."""
    actor = require_finance_staff(actor)
    with transaction.atomic(durable=True):
        return creditor_bank_account_insert(actor=actor, creditor=creditor, data=data)


def creditor_bank_account_insert(
    *, actor: Any, creditor: Creditor, data: BankAccountInput, default: bool = True
) -> CreditorBankAccount:
    """``creditor_bank_account_add`` inside the caller's transaction; ``default=False`` keeps the default as is.

    The caller has checked the actor's 会計 role and holds the transaction.
    """
    creditor = Creditor.objects.select_for_update().get(pk=creditor.pk)
    account = account_from_input(data, creditor)
    account.is_default = default
    refuse_duplicate_account(account)
    if default:
        creditor.bank_accounts.filter(is_default=True).update(is_default=False)
    clean(account)
    save_rechecked(account, lambda: refuse_duplicate_account(account))
    record(actor=actor, action="finance.creditor.bank_account.add", obj=account, after=snapshot(account))
    return account


def _lock_account(creditor: Creditor, account_id: int) -> tuple[Creditor, CreditorBankAccount]:
    locked = lock_creditor(creditor)
    account = CreditorBankAccount.objects.select_for_update().filter(pk=account_id, creditor=locked).first()
    if account is None:
        raise ValidationFailed("この債権者の口座が見つかりません。", field="account")
    return locked, account


def _named(account: CreditorBankAccount) -> str:
    return f"口座（{account.bank_name} {account.branch_name} {account.account_number}）"


@dataclass(frozen=True)
class BankAccountResult:
    """An account after it was stopped or restarted, and the creditor's default account (既定の口座) then."""

    account: CreditorBankAccount
    default: CreditorBankAccount | None


def creditor_bank_account_set_default(*, actor: Any, creditor: Creditor, account_id: int) -> CreditorBankAccount:
    """Make one of the creditor's accounts in use the default (既定の口座の変更) for new payment orders."""
    actor = require_finance_staff(actor)
    with transaction.atomic(durable=True):
        locked, account = _lock_account(creditor, account_id)
        if not account.is_active:
            raise Conflict(f"{_named(account)}は停止中のため既定にできません。先に再開してください。")
        if account.is_default:
            return account
        previous = locked.bank_accounts.filter(is_default=True).values_list("pk", flat=True).first()
        locked.bank_accounts.filter(is_default=True).update(is_default=False)
        account.is_default = True
        account.save(update_fields=["is_default"])
        record(
            actor=actor,
            action="finance.creditor.bank_account.default",
            obj=locked,
            before={"default_account": previous},
            after={"default_account": account.pk},
        )
    return account


def creditor_bank_account_deactivate(*, actor: Any, creditor: Creditor, account_id: int) -> BankAccountResult:
    """Stop a bank account (振込口座の停止): no new payment order pays to it; the orders that did keep it.

    Refused while undecided or unpaid payment orders pay to it. A stopped default account
    hands the default to the creditor's next account in use (by registration order).
    """
    actor = require_finance_staff(actor)
    with transaction.atomic(durable=True):
        locked, account = _lock_account(creditor, account_id)
        if not account.is_active:
            return BankAccountResult(account, locked.bank_accounts.filter(is_default=True, is_active=True).first())
        refuse_if_in_use(_named(account), PaymentOrderLine.objects.filter(bank_account=account))
        was_default = account.is_default
        account.is_active = account.is_default = False
        account.save(update_fields=["is_active", "is_default"])
        active = locked.bank_accounts.filter(is_active=True)
        successor = active.order_by("pk").first() if was_default else active.filter(is_default=True).first()
        if was_default and successor is not None:
            successor.is_default = True
            successor.save(update_fields=["is_default"])
        record(
            actor=actor,
            action="finance.creditor.bank_account.deactivate",
            obj=account,
            before={"is_active": True, "is_default": was_default},
            after={"is_active": False, "is_default": False, "default_account": successor.pk if successor else None},
        )
    return BankAccountResult(account, successor)


def _account_free(account: CreditorBankAccount) -> None:
    """Refuse (Conflict) restarting an account while the same one is in use (有効) by another row."""
    other = same_account_in_use(account)
    if other is not None:
        raise Conflict(
            f"{_named(account)}は債権者「{other.creditor.code} {other.creditor.name}」の口座として"
            "使われているため再開できません。",
            extra={"existing": other.creditor_id},
        )


def creditor_bank_account_reactivate(*, actor: Any, creditor: Creditor, account_id: int) -> BankAccountResult:
    """Use a stopped bank account again (振込口座の再開).

    Refused when the same account (bank, branch, number) is in use again, for this or another
    creditor. It becomes the default only when the creditor has no default account in use.
    """
    actor = require_finance_staff(actor)
    with transaction.atomic(durable=True):
        locked, account = _lock_account(creditor, account_id)
        default = locked.bank_accounts.filter(is_default=True, is_active=True).first()
        if account.is_active:
            return BankAccountResult(account, default)
        _account_free(account)
        account.is_active = True
        account.is_default = default is None
        save_rechecked(account, lambda: _account_free(account), update_fields=["is_active", "is_default"])
        record(
            actor=actor,
            action="finance.creditor.bank_account.reactivate",
            obj=account,
            before={"is_active": False, "is_default": False},
            after={"is_active": True, "is_default": account.is_default},
        )
    return BankAccountResult(account, default or account)


@dataclass(frozen=True)
class HolderNameResult:
    """An account after its holder name was corrected, and the name it had before (訂正前の口座名義)."""

    account: CreditorBankAccount
    before: str

    @property
    def changed(self) -> bool:
        """Whether the name differs from before (the same name once normalised changes nothing)."""
        return self.account.holder_kana != self.before


def creditor_bank_account_correct_holder(
    *, actor: Any, creditor: Creditor, account_id: int, holder_name: str
) -> HolderNameResult:
    """Correct an account's holder name (口座名義の訂正), normalised to 全銀 kana as on registration.

    Payment orders point at the account row, not at a copy of its name: undecided and unpaid
    orders paying to it carry the corrected name into the next 全銀 file (振込データ), which is
    why the name can be corrected while such orders use the account, when stopping it cannot.
    A file already exported keeps the name it was written with. Refused for a stopped account
    (停止中); the same name once normalised changes and audits nothing.
    """
    actor = require_finance_staff(actor)
    holder = banks.normalize_holder_name(holder_name, field="holder_name")
    with transaction.atomic(durable=True):
        _locked, account = _lock_account(creditor, account_id)
        if not account.is_active:
            raise Conflict(f"{_named(account)}は停止中のため口座名義を訂正できません。先に再開してください。")
        before = account.holder_kana
        if holder == before:
            return HolderNameResult(account, before)
        account.holder_kana = holder
        clean(account)
        account.save(update_fields=["holder_kana"])
        record(
            actor=actor,
            action="finance.creditor.bank_account.holder_name",
            obj=account,
            before={"holder_kana": before},
            after={"holder_kana": holder},
        )
    return HolderNameResult(account, before)


def document_accounts_viewed(document: Document, user: User, where: str) -> None:
    """Record the individuals' accounts a payment order's document showed ``user`` (個人の口座の閲覧記録).

    The 支出命令's ``content_viewed`` hook: ``where`` is 「detail」 or 「preview」 (the document page
    and the inbox preview, which show the payees only to those who may open the order) or
    「signed_pdf」 (the signed sheet, which lists every payee); one entry per individual, as on
    finance's own pages, with ``where`` 「document_…」.
    """
    individuals = shown_individuals(document, user, on_sheet=where == "signed_pdf")
    creditor_accounts_viewed(actor=user, creditors=individuals, where=f"document_{where}")
