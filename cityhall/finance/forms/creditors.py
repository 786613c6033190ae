"""Forms of the creditor screens (債権者の入力): search, registration with a bank account, changes, accounts."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cityhall.finance.models import (
    AccountType,
    Creditor,
    CreditorBankAccount,
)
from cityhall.finance.services import BankAccountInput

EDIT_FIELDS = ("name", "kana", "address", "invoice_registration_number", "is_individual")


ACCOUNT_FIELDS = ("bank_code", "branch_code", "account_type", "account_number", "holder_name")


REQUIRED_MESSAGES = {
    "bank_code": _("銀行コードを入力してください。"),
    "branch_code": _("支店コードを入力してください。"),
    "account_type": _("預金種目を選んでください。"),
    "account_number": _("口座番号を入力してください。"),
    "holder_name": _("口座名義を入力してください。"),
}


class CreditorSearchForm(forms.Form):
    """The creditor search (債権者の検索): one box for code, name or kana."""

    q = forms.CharField(label=_("コード・名称・フリガナ"), required=False, max_length=100)


class BankAccountForm(forms.Form):
    """A bank account (振込口座): codes, type, number and the holder's name as on the passbook."""

    bank_code = forms.CharField(
        label=_("銀行コード（4桁）"),
        max_length=8,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "size": 6}),
    )
    branch_code = forms.CharField(
        label=_("支店コード（3桁）"),
        max_length=8,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "size": 5}),
    )
    account_type = forms.ChoiceField(
        label=_("預金種目"), choices=AccountType.choices, initial=AccountType.ORDINARY, required=False
    )
    account_number = forms.CharField(
        label=_("口座番号（7桁）"),
        max_length=16,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "size": 9}),
    )
    holder_name = forms.CharField(
        label=_("口座名義（カナ）"),
        max_length=60,
        required=False,
        help_text=_(
            "通帳のとおりにカナで入力します（例: カブシキガイシャヤマダショウジ）。全銀の半角カナに直して保存します。"
        ),
    )

    def has_account(self) -> bool:
        """Whether any account field was filled (an account is optional when registering)."""
        return any(str(self.cleaned_data.get(name) or "").strip() for name in ACCOUNT_FIELDS if name != "account_type")

    def account_input(self) -> BankAccountInput:
        """The input the creditor services take."""
        return BankAccountInput(**{name: str(self.cleaned_data.get(name) or "") for name in ACCOUNT_FIELDS})


class AccountAddForm(BankAccountForm):
    """Another bank account for a creditor (口座の追加): every field is needed."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "account")
        super().__init__(*args, **kwargs)
        for name, message in REQUIRED_MESSAGES.items():
            self.fields[name].required = True
            self.fields[name].error_messages["required"] = message


class HolderNameForm(forms.Form):
    """A corrected holder name (口座名義の訂正) for one account; its prefix names the account."""

    holder_name = forms.CharField(
        label=_("正しい口座名義（カナ）"),
        max_length=60,
        error_messages={"required": _("口座名義を入力してください。")},
        help_text=_("通帳のとおりにカナで入力します。未払の支出命令も、次の振込データからこの名義で振り込みます。"),
    )

    @classmethod
    def of(cls, account: CreditorBankAccount, data: Any = None) -> HolderNameForm:
        """The form of one account, filled with its current name (全銀カナ) to correct."""
        return cls(data, prefix=f"holder-{account.pk}", initial={"holder_name": account.holder_kana})


class CreditorDetailsForm(forms.Form):
    """A creditor's name, フリガナ, address and 登録番号 (債権者の基本情報), on registering and on changing."""

    name = forms.CharField(label=_("名称"), max_length=200, error_messages={"required": _("名称を入力してください。")})
    kana = forms.CharField(
        label=_("フリガナ"), max_length=200, error_messages={"required": _("フリガナを入力してください。")}
    )
    address = forms.CharField(label=_("住所"), max_length=300, required=False)
    invoice_registration_number = forms.CharField(
        label=_("登録番号（適格請求書発行事業者）"),
        max_length=30,
        required=False,
        help_text=_("T＋13桁（例: T7000012050002）。法人番号はチェックデジットを確認します。"),
    )
    is_individual = forms.BooleanField(label=_("個人事業者"), required=False)


class CreditorForm(CreditorDetailsForm, BankAccountForm):
    """A new creditor (債権者の登録) with one bank account."""

    code = forms.CharField(
        label=_("債権者コード"), max_length=20, error_messages={"required": _("債権者コードを入力してください。")}
    )
    form_token = forms.CharField(required=False, widget=forms.HiddenInput)

    field_order = ["code", "name", "kana", "address", "invoice_registration_number", "is_individual"]

    def creditor_fields(self) -> dict[str, Any]:
        """The cleaned values ``creditor_create`` takes (the account apart)."""
        names = ("code", "name", "kana", "address", "invoice_registration_number", "is_individual")
        return {name: self.cleaned_data[name] for name in names}


class CreditorEditForm(CreditorDetailsForm):
    """A creditor's changes (債権者の変更): name, フリガナ, address, 登録番号; the code stays."""

    @classmethod
    def of(cls, creditor: Creditor) -> CreditorEditForm:
        """The form filled with the creditor's current values."""
        return cls(initial={name: getattr(creditor, name) for name in EDIT_FIELDS})

    def creditor_fields(self) -> dict[str, Any]:
        """The cleaned values ``creditor_update`` takes."""
        return {name: self.cleaned_data[name] for name in EDIT_FIELDS}
