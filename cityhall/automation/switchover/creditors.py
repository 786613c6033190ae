"""The creditor master with bank accounts (債権者マスタ), taken over from the old financial system.

One row per bank account; a creditor with several accounts has several rows with the same code
(the first row's account becomes the default, 既定の口座), and those rows must agree on the
creditor's own fields. A creditor without an account has one row with the account columns empty.
Everything is checked as the creditor screen checks it (``finance.services.creditors``): the code
in one form (NFKC, upper case) and not in use, フリガナ in katakana, the 登録番号 with its check
digit and not in use, the bank and branch in zengin-code (a closed or unknown branch refuses the
row), the account number of seven digits, and the holder name written in 全銀 kana with legal forms
abbreviated (「株式会社」→「ｶ)」), the first character that cannot be written named. Only the
会計 role imports it, as only it registers creditors.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.utils.translation import gettext_noop as _

from cityhall.accounts.models import User
from cityhall.automation.switchover import cells
from cityhall.automation.switchover.base import SwitchoverKind, register
from cityhall.core.errors import ApplicationError
from cityhall.core.tables import Field, Row
from cityhall.finance.models import Creditor, CreditorBankAccount
from cityhall.finance.services import require_finance_staff
from cityhall.finance.services.creditor_accounts import creditor_bank_account_insert
from cityhall.finance.services.creditors import (
    BankAccountInput,
    account_from_input,
    creditor_insert,
    normalize_creditor_code,
    normalize_creditor_kana,
)

_OWN = ("name", "kana", "address", "registration_number", "is_individual")
_ACCOUNT = ("bank_code", "branch_code", "account_type", "account_number", "holder_name")


@register
class CreditorMaster(SwitchoverKind):
    code = "creditors"
    label = _("債権者マスタ")
    description = _("債権者（取引先）と振込口座。口座が複数ある債権者は、同じ債権者コードの行を口座の数だけ並べます。")
    fields = (
        Field("code", _("債権者コード"), cells.code, True, ("取引先コード", "債権者番号", "相手方コード"), "C-0001"),
        Field("name", _("名称"), cells.text, True, ("債権者名", "取引先名", "相手方名称"), "株式会社みらい商事"),
        Field("kana", _("フリガナ"), cells.text, True, ("カナ名称", "債権者名カナ", "名称カナ"), "ミライショウジ"),
        Field("address", _("住所"), cells.text, False, ("所在地",), "東京都千代田区霞が関1-1"),
        Field(
            "registration_number",
            "登録番号",
            cells.code,
            False,
            ("適格請求書発行事業者登録番号", "インボイス登録番号"),
            "T1234567890123",
        ),
        Field("is_individual", _("個人事業者"), cells.flag, False, ("個人",), "0"),
        Field("bank_code", _("金融機関コード"), cells.digits(4, "金融機関コード"), False, ("銀行コード",), "0005"),
        Field("branch_code", _("支店コード"), cells.digits(3, "支店コード"), False, ("店番", "店舗コード"), "001"),
        Field("account_type", _("預金種目"), cells.account_type, False, ("口座種別", "種目"), "普通"),
        Field("account_number", _("口座番号"), cells.digits(7, "口座番号"), False, (), "1234567"),
        Field("holder_name", _("口座名義カナ"), cells.text, False, ("口座名義", "名義人カナ", "受取人名"), "ｶ)ﾐﾗｲｼﾖｳｼﾞ"),
    )

    def authorize(self, actor: User) -> None:
        require_finance_staff(actor)

    def check(self, actor: User, rows: list[Row]) -> None:
        groups = _groups(rows)
        taken = _codes_in_use(groups)
        numbers = _numbers_in_use(rows)
        accounts: dict[tuple[str, str, str], int] = {}
        for code, group in groups.items():
            first = group[0]
            if code in taken:
                first.refuse("code", f"債権者コード「{code}」は既に登録されています（{taken[code]}）。")
            _check_own(first)
            for row in group[1:]:
                _check_same(first, row)
            for row in group:
                _check_account(row, accounts, numbers)
        _refuse_accounts_in_use(accounts, rows)

    def write(self, actor: User, rows: list[Row]) -> None:
        for group in _groups(rows).values():
            first = group[0]
            try:
                creditor = creditor_insert(actor=actor, bank_account=_account(first), **_creditor(first)).creditor
            except ApplicationError as exc:
                first.refuse(exc.field or "row", exc.message)
                continue
            first.created = f"債権者 {creditor.code}"
            for row in group[1:]:
                account = _account(row)
                if account is None:
                    continue
                try:
                    creditor_bank_account_insert(actor=actor, creditor=creditor, data=account, default=False)
                except ApplicationError as exc:
                    row.refuse(exc.field or "row", exc.message)
                    continue
                row.created = f"債権者 {creditor.code} の口座"


def _groups(rows: list[Row]) -> dict[str, list[Row]]:
    """Rows by creditor code as stored (NFKC, upper case), in the file's order; unreadable codes left out."""
    groups: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        if row["code"]:
            groups[normalize_creditor_code(row["code"])].append(row)
    return groups


def _codes_in_use(groups: dict[str, list[Row]]) -> dict[str, str]:
    found: dict[str, str] = {}
    for code, name in Creditor.objects.values_list("code", "name").iterator():
        key = normalize_creditor_code(code)
        if key in groups:
            found[key] = f"{code} {name}"
    return found


def _numbers_in_use(rows: list[Row]) -> dict[str, str]:
    wanted = {row["registration_number"] for row in rows if row["registration_number"]}
    found = Creditor.objects.filter(invoice_registration_number__in=wanted).values_list(
        "invoice_registration_number", "code"
    )
    return dict(found)


def _creditor(row: Row) -> dict[str, Any]:
    return {
        "code": row["code"] or "",
        "name": row["name"] or "",
        "kana": row["kana"] or "",
        "address": row["address"] or "",
        "invoice_registration_number": row["registration_number"] or "",
        "is_individual": bool(row["is_individual"]),
    }


def _account(row: Row) -> BankAccountInput | None:
    if not any(row[name] for name in _ACCOUNT):
        return None
    return BankAccountInput(*(row[name] or "" for name in _ACCOUNT))


def _check_own(row: Row) -> None:
    if row["kana"]:
        try:
            normalize_creditor_kana(row["kana"])
        except ApplicationError as exc:
            row.refuse("kana", exc.message)


def _check_same(first: Row, row: Row) -> None:
    for name in _OWN:
        if row[name] is not None and row[name] != first[name]:
            row.refuse(
                name,
                f"債権者コード「{first['code']}」の{first.number}行目と内容が違います"
                f"（{first[name] or '空欄'} と {row[name]}）。同じ債権者の行は同じ内容にしてください。",
            )


def _check_account(row: Row, accounts: dict[tuple[str, str, str], int], numbers: dict[str, str]) -> None:
    number = row["registration_number"]
    if number and number in numbers and numbers[number] != normalize_creditor_code(row["code"] or ""):
        row.refuse("registration_number", f"登録番号 {number} は債権者「{numbers[number]}」に登録済みです。")
    data = _account(row)
    if data is None:
        return
    try:
        account = account_from_input(data, Creditor())
    except ApplicationError as exc:
        row.refuse(exc.field or "row", exc.message)
        return
    key = (account.bank_code, account.branch_code, account.account_number)
    if key in accounts:
        row.refuse("account_number", f"{accounts[key]}行目と同じ口座です。")
        return
    accounts[key] = row.number


def _refuse_accounts_in_use(accounts: dict[tuple[str, str, str], int], rows: list[Row]) -> None:
    """Refuse the rows whose account another creditor already uses (one query for the file)."""
    by_number = {row.number: row for row in rows}
    banks = {bank for bank, _branch, _number in accounts}
    in_use = CreditorBankAccount.objects.filter(bank_code__in=banks, is_active=True).values_list(
        "bank_code", "branch_code", "account_number"
    )
    for key in in_use.iterator():
        if key in accounts:
            by_number[accounts[key]].refuse(
                "account_number", "この口座は既に他の債権者の振込口座として登録されています。"
            )
