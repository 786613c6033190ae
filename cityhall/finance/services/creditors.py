"""Creditor services (債権者): registration, maintenance (変更・停止), names and duplicate detection.

Bank accounts after registration (追加・既定・停止・再開・口座名義の訂正) are in ``creditor_accounts``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, models, transaction
from django.db.models import F, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce

from cityhall.core.audit import record, snapshot
from cityhall.core.errors import Conflict, ValidationFailed, clean
from cityhall.core.japanese import to_katakana
from cityhall.documents.models import DECIDED_STATUSES, EDITABLE_STATUSES, DocumentStatus
from cityhall.finance import balance, banks
from cityhall.finance.invoice_number import validate_invoice_number
from cityhall.finance.models import (
    AccountType,
    BatchStatus,
    Creditor,
    CreditorBankAccount,
    Encumbrance,
    PaymentOrderLine,
    ReviewStatus,
)
from cityhall.finance.services._common import require_finance_staff, require_user

_CODE = re.compile(r"[0-9A-Z\-]{1,20}")


# フリガナ is kept in full-width katakana (ァ…ヺ) with the long-vowel mark and single half-width spaces
# (as the demo city writes ヤマダ タロウ), the form both searches look for; the middle dot ・ is refused.
_KANA_SPACE = " "


_VOICING = frozenset("\uff9e\uff9f\u3099\u309a")  # ﾞ ﾟ and the combining marks


def _katakana(text: str) -> bool:
    return bool(text) and all("\u30a1" <= c <= "\u30fa" or c == "ー" for c in text)


def normalize_creditor_kana(raw: str, *, field: str = "kana") -> str:
    """A creditor's フリガナ in full-width katakana (フリガナの正規化), or refuse naming the first bad character.

    Hiragana and half-width kana are converted; the long-vowel mark (ー, ｰ) and spaces
    (one half-width space between words) are kept; anything else (kanji, letters, ・) is
    refused with its 1-based position in the input (spaces around it trimmed).
    """
    text = (raw or "").strip()
    if not text:
        raise ValidationFailed("フリガナを入力してください。", field=field)
    out: list[str] = []
    index = 0
    while index < len(text):
        position, char = index + 1, text[index]
        index += 1
        if char.isspace():
            if out[-1] != _KANA_SPACE:
                out.append(_KANA_SPACE)
            continue
        if index < len(text) and text[index] in _VOICING:  # ｶﾞ, か+゛(combining): one letter
            char += text[index]
            index += 1
        converted = to_katakana(char)
        if not _katakana(converted):
            raise ValidationFailed(
                f"フリガナの{position}文字目の「{char}」は使えません。"
                "フリガナはカタカナかひらがな（半角カナも可）で入力してください。"
                "記号は長音記号（ー）と空白だけが使えます。",
                field=field,
                extra={"character": char, "position": position},
            )
        out.append(converted)
    return "".join(out)


def creditor_kana_search_key(text: str) -> str:
    """Search words written as フリガナ is stored (検索語のフリガナ化): hiragana and half-width kana widened.

    Lenient where ``normalize_creditor_kana`` refuses: other characters stay, so the same words
    still search codes and names.
    """
    return _KANA_SPACE.join(to_katakana(text).split())


def normalize_creditor_code(raw: str) -> str:
    """A creditor code (債権者コード) in one form: NFKC (全角 → 半角) and upper case, so a-1 = Ａ－１ = A-1."""
    return unicodedata.normalize("NFKC", raw or "").strip().upper()


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


def _invoice_number(raw: str, *, individual: bool) -> tuple[str, str]:
    """The checked 登録番号 and a warning (an individual's failing check digit), or ``("", "")`` when blank."""
    if not (raw or "").strip():
        return "", ""
    checked = validate_invoice_number(raw, individual=individual)
    return checked.number, checked.message if checked.warning else ""


def account_from_input(data: BankAccountInput, creditor: Creditor) -> CreditorBankAccount:
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


def same_account_in_use(account: CreditorBankAccount) -> CreditorBankAccount | None:
    """Another row with the same bank, branch and number that is in use (有効), if any."""
    return (
        CreditorBankAccount.objects.filter(
            bank_code=account.bank_code,
            branch_code=account.branch_code,
            account_number=account.account_number,
            is_active=True,
        )
        .exclude(pk=account.pk)
        .select_related("creditor")
        .first()
    )


def refuse_duplicate_account(account: CreditorBankAccount) -> None:
    """Refuse an account in use (有効) by another row: a stopped one (停止中) may be registered again."""
    other = same_account_in_use(account)
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


def _duplicate_code(code: str, typed: str = "") -> None:
    """Refuse a code in use; case-insensitive, for codes stored before they were upper-cased."""
    other = Creditor.objects.filter(code__iexact=code).first()
    if other is not None:
        same = (
            f"入力「{typed}」は大文字・小文字、全角・半角を揃えると「{code}」になり、同じコードとみなします。"
            if typed and typed != code
            else ""
        )
        raise ValidationFailed(
            f"債権者コード「{code}」は既に使われています。債権者「{other.code} {other.name}」のコードです。{same}",
            field="code",
            extra={"existing": other.pk},
        )


def save_rechecked(obj: models.Model, recheck: Callable[[], None], **kwargs: Any) -> None:
    """Save in a savepoint; a unique constraint hit by a concurrent save is refused with the pre-check's message.

    The pre-check cannot see a row another transaction has not committed yet; the database's
    unique index waits for it, and once it has committed the check run again names the row.
    """
    try:
        with transaction.atomic():
            obj.save(**kwargs)
    except IntegrityError as exc:
        recheck()
        raise Conflict("同じ内容が同時に登録されたため保存できませんでした。もう一度操作してください。") from exc


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

    The code is written in one form (NFKC, upper case) and refused when it differs from one
    in use only by case or width; フリガナ is written in full-width katakana
    (``normalize_creditor_kana``). The registration number (登録番号) is checked (an individual's failing check
    digit is a warning); bank and branch must exist in zengin-code; the holder
    name is normalised to 全銀 kana; a duplicate number or account names the
    existing creditor. Nothing is saved on any error.
    """
    actor = require_finance_staff(actor)
    with transaction.atomic(durable=True):
        return creditor_insert(
            actor=actor,
            code=code,
            name=name,
            kana=kana,
            address=address,
            invoice_registration_number=invoice_registration_number,
            is_individual=is_individual,
            bank_account=bank_account,
        )


def creditor_insert(
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
    """``creditor_create`` inside the caller's transaction (the switch-over import of the creditor master).

    The caller has checked the actor's 会計 role and holds the transaction.
    """
    typed = _text(code, "code", "債権者コード")
    code = normalize_creditor_code(typed)
    if not _CODE.fullmatch(code):
        raise ValidationFailed("債権者コードは20文字以内の英数字とハイフンで入力してください。", field="code")
    number, warning = _invoice_number(invoice_registration_number, individual=is_individual)
    creditor = Creditor(
        code=code,
        name=_text(name, "name", "名称"),
        kana=normalize_creditor_kana(kana),
        address=(address or "").strip(),
        invoice_registration_number=number,
        is_individual=is_individual,
    )
    account = account_from_input(bank_account, creditor) if bank_account is not None else None
    _duplicate_code(code, typed)
    _duplicate_number(number)
    if account is not None:
        refuse_duplicate_account(account)
    clean(creditor)

    def taken() -> None:
        _duplicate_code(code, typed)
        _duplicate_number(number)

    save_rechecked(creditor, taken)
    after = snapshot(creditor)
    if account is not None:
        account.creditor = creditor
        clean(account)
        save_rechecked(account, lambda: refuse_duplicate_account(account))
        after["bank_account"] = snapshot(account)
    record(actor=actor, action="finance.creditor.create", obj=creditor, after=after)
    return CreditorResult(creditor=creditor, warning=warning)


EDITABLE_FIELDS = ("name", "kana", "address", "invoice_registration_number", "is_individual")


_UNDECIDED = (*EDITABLE_STATUSES, DocumentStatus.CIRCULATING)


# A payment order line still in use (未決裁・未払): its order is undecided, or decided, not returned
# by the accounting manager and not yet in a paid batch (支払済).
_OPEN_LINE = Q(order__document__status__in=_UNDECIDED) | (
    Q(order__document__status__in=DECIDED_STATUSES)
    & ~Q(order__review_status=ReviewStatus.RETURNED)
    & ~Q(order__batch__status=BatchStatus.PAID)
)


def lock_creditor(creditor: Creditor) -> Creditor:
    return Creditor.objects.select_for_update().get(pk=creditor.pk)


def _labels(rows: Any, prefix: str) -> tuple[int, str]:
    """How many documents ``rows`` belong to, and the first two (by number) to name: 「番号」 or the title."""
    ordered = rows.order_by(f"{prefix}fiscal_year", f"{prefix}number", f"{prefix}pk")
    fields = (f"{prefix}pk", f"{prefix}number_label", f"{prefix}title")
    found = {pk: label or title for pk, label, title in ordered.values_list(*fields)}
    names = list(found.values())
    named = "、".join(f"「{x}」" for x in names[:2]) + (" ほか" if len(names) > 2 else "")
    return len(names), named


def _with_rest(encumbrances: Any) -> Any:
    """Decided, live encumbrances (決裁済・取消なし) with an amount not yet ordered (残額あり).

    Orders in circulation count as ordered (``balance.ordered_against``): their own lines hold the creditor.
    """
    ordered = (
        balance.holding_orders()
        .filter(encumbrance=OuterRef("pk"))
        .values("encumbrance")
        .annotate(total=Sum("total_amount"))
        .values("total")
    )
    return (
        encumbrances.filter(document__status__in=DECIDED_STATUSES, cancelled_at__isnull=True)
        .annotate(ordered=Coalesce(Subquery(ordered), 0, output_field=models.BigIntegerField()))
        .filter(amount__gt=F("ordered"))
    )


def refuse_if_in_use(what: str, lines: Any, encumbrances: Any | None = None) -> None:
    """Refuse (Conflict) while orders or encumbrances still need it.

    Undecided or unpaid payment orders; undecided encumbrances; decided encumbrances with an
    amount not yet ordered, whose payment orders will name the creditor.
    """
    parts: list[str] = []
    extra: dict[str, object] = {}
    count, named = _labels(lines.filter(_OPEN_LINE), "order__document__")
    if count:
        parts.append(f"未決裁または未払の支出命令 {count}件（{named}）")
        extra["orders"] = count
    rest = 0
    if encumbrances is not None:
        count, named = _labels(encumbrances.filter(document__status__in=_UNDECIDED), "document__")
        if count:
            parts.append(f"未決裁の支出負担行為 {count}件（{named}）")
            extra["encumbrances"] = count
        rest, named = _labels(_with_rest(encumbrances), "document__")
        if rest:
            parts.append(f"支出命令の済んでいない残額のある決裁済みの支出負担行為 {rest}件（{named}）")
            extra["encumbrances_with_rest"] = rest
    if parts:
        raise Conflict(
            f"{what}は{'と'.join(parts)}で使われているため停止できません。"
            "決裁・支払が済むか、取り下げられてから停止してください。"
            + ("残額のある支出負担行為は、支出命令するか減額・取消してください。" if rest else ""),
            extra=extra,
        )


def creditor_update(
    *,
    actor: Any,
    creditor: Creditor,
    name: str,
    kana: str,
    address: str = "",
    invoice_registration_number: str = "",
    is_individual: bool = False,
) -> CreditorResult:
    """Change a creditor's name, フリガナ, address or 登録番号 (債権者の変更) with the checks of registration.

    The code (債権者コード) stays; フリガナ is normalised as on registration. Only changed
    fields are written and audited with their before and after values; nothing changes on any error.
    """
    actor = require_finance_staff(actor)
    number, warning = _invoice_number(invoice_registration_number, individual=is_individual)
    values: dict[str, Any] = {
        "name": _text(name, "name", "名称"),
        "kana": normalize_creditor_kana(kana),
        "address": (address or "").strip(),
        "invoice_registration_number": number,
        "is_individual": bool(is_individual),
    }
    with transaction.atomic(durable=True):
        locked = lock_creditor(creditor)
        _duplicate_number(number, exclude=locked.pk)
        changed = [f for f in EDITABLE_FIELDS if getattr(locked, f) != values[f]]
        if changed:
            before = snapshot(locked, changed)
            for field in changed:
                setattr(locked, field, values[field])
            clean(locked)
            save_rechecked(locked, lambda: _duplicate_number(number, exclude=locked.pk), update_fields=changed)
            record(
                actor=actor,
                action="finance.creditor.update",
                obj=locked,
                before=before,
                after=snapshot(locked, changed),
            )
    return CreditorResult(creditor=locked, warning=warning)


def creditor_deactivate(*, actor: Any, creditor: Creditor) -> Creditor:
    """Stop a creditor (債権者の停止): no new encumbrance or order may name it; its history stays.

    Refused while undecided or unpaid payment orders, undecided encumbrances, or decided
    encumbrances with an amount not yet ordered (残額) use it.
    """
    actor = require_finance_staff(actor)
    with transaction.atomic(durable=True):
        locked = lock_creditor(creditor)
        if not locked.is_active:
            return locked
        refuse_if_in_use(
            f"債権者「{locked.code} {locked.name}」",
            PaymentOrderLine.objects.filter(creditor=locked),
            Encumbrance.objects.filter(creditor=locked),
        )
        locked.is_active = False
        locked.save(update_fields=["is_active"])
        record(
            actor=actor,
            action="finance.creditor.deactivate",
            obj=locked,
            before={"is_active": True},
            after={"is_active": False},
        )
    return locked


def creditor_reactivate(*, actor: Any, creditor: Creditor) -> Creditor:
    """Make a stopped creditor usable again (債権者の停止の解除)."""
    actor = require_finance_staff(actor)
    with transaction.atomic(durable=True):
        locked = lock_creditor(creditor)
        if locked.is_active:
            return locked
        locked.is_active = True
        locked.save(update_fields=["is_active"])
        record(
            actor=actor,
            action="finance.creditor.reactivate",
            obj=locked,
            before={"is_active": False},
            after={"is_active": True},
        )
    return locked


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
