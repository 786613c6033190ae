"""Forms of the payment order screens (支出命令の入力): the head, its lines, and the values of an order to edit."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from cityhall.accounts.models import User
from cityhall.core.errors import ApplicationError
from cityhall.core.forms import ModelChoice, YenField
from cityhall.core.http import apply_error
from cityhall.core.japanese.display import shown_yen
from cityhall.core.numbers import optional_id
from cityhall.finance.forms._common import DATE, LineChoiceField, active_creditors
from cityhall.finance.models import (
    BudgetLine,
    Creditor,
    CreditorBankAccount,
    Encumbrance,
    OrderKind,
    PaymentMethod,
    PaymentOrder,
    PaymentOrderLine,
    PaymentTiming,
    PrepayGround,
    TaxRate,
)
from cityhall.finance.selectors.budget import section_lines
from cityhall.finance.selectors.content import mask_account
from cityhall.finance.selectors.payment_orders import inspector_candidates
from cityhall.finance.services.payment_order_checks import MAX_ORDER_LINES
from cityhall.finance.withholding_tax import kind_choices


def orderable_encumbrances(rows: QuerySet[Encumbrance]) -> QuerySet[Encumbrance]:
    """Decided, not cancelled encumbrances among ``rows`` (支出命令を起こせる負担行為)."""
    from cityhall.documents.models import DECIDED_STATUSES

    return rows.filter(cancelled_at__isnull=True, document__status__in=DECIDED_STATUSES).order_by("-pk")


class EncumbranceChoiceField(ModelChoice):
    """An encumbrance shown with its number, title and amount."""

    def label_from_instance(self, obj: Any) -> str:
        return _("%(number)s %(title)s（%(amount)s・%(creditor)s）") % {
            "number": obj.document.number_label,
            "title": obj.document.title,
            "amount": shown_yen(obj.amount),
            "creditor": obj.creditor.name,
        }


class PaymentOrderForm(forms.Form):
    """The head of a payment order (支出命令): kind, what it charges, dates."""

    title = forms.CharField(label=_("件名"), max_length=200, error_messages={"required": _("件名を入力してください。")})
    kind = forms.ChoiceField(
        label=_("種類"), choices=OrderKind.choices, initial=OrderKind.LINKED, widget=forms.RadioSelect
    )
    encumbrance = EncumbranceChoiceField(
        label=_("支出負担行為（支出命令のとき）"),
        queryset=Encumbrance.objects.none(),
        required=False,
        empty_label=_("選んでください"),
        error_messages={"invalid_choice": _("この支出負担行為からは支出命令できません。")},
    )
    line = LineChoiceField(
        label=_("予算科目（兼・集合のとき）"),
        queryset=BudgetLine.objects.none(),
        required=False,
        empty_label=_("選んでください"),
        error_messages={"invalid_choice": _("この予算科目は所属課に配当されていません。")},
    )
    payment_method = forms.ChoiceField(
        label=_("支払方法"), choices=PaymentMethod.choices, initial=PaymentMethod.TRANSFER
    )
    payment_timing = forms.ChoiceField(
        label=_("支払の時期"),
        choices=PaymentTiming.choices,
        initial=PaymentTiming.REGULAR,
        required=False,
        help_text=_("概算払（地方自治法施行令第162条）・前金払（同第163条）は口座振込か窓口払で"),
    )
    advance_holder = forms.ModelChoiceField(
        label=_("資金前渡職員（資金前渡のとき）"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("選んでください"),
        help_text=_("前渡を受ける職員（地方自治法施行令第161条）。前渡の目的は摘要に書きます。"),
        error_messages={"invalid_choice": _("資金前渡職員は所属課の職員から選んでください。")},
    )
    prepay_ground = forms.ChoiceField(
        label=_("前金払の根拠（前金払のとき）"),
        choices=[("", _("選んでください")), *PrepayGround.choices],
        required=False,
    )
    method_ground = forms.CharField(
        label=_("口座振替の依頼（契約）の内容（口座振替のとき）"),
        max_length=200,
        required=False,
        help_text=_("地方自治法施行令第165条の2"),
    )
    transfer_to = forms.CharField(label=_("振替先の会計・基金（公金振替のとき）"), max_length=100, required=False)
    prior_fiscal_year = forms.IntegerField(
        label=_("過年度支出の原年度（西暦）"),
        required=False,
        min_value=1900,
        max_value=2999,
        help_text=_("出納閉鎖後の過年度の債務を現年度の予算から支払うとき（地方自治法施行令第165条の8）"),
        error_messages={"invalid": _("過年度支出の原年度は西暦の年度で入力してください。")},
    )
    payment_date = forms.DateField(
        label=_("支払予定日"),
        widget=DATE,
        error_messages={
            "required": _("支払予定日を入力してください。"),
            "invalid": _("支払予定日を正しい日付で入力してください。"),
        },
    )
    inspection_date = forms.DateField(
        label=_("検収日"),
        required=False,
        widget=DATE,
        error_messages={"invalid": _("検収日を正しい日付で入力してください。")},
    )
    inspector = forms.ModelChoiceField(
        label=_("検査員"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("選んでください"),
        help_text=_("検収をした職員（この支出命令・支出負担行為の起案者以外）"),
        error_messages={"invalid_choice": _("検査員は所属課の職員から選んでください。")},
    )
    invoice_received_on = forms.DateField(
        label=_("請求書受理日"),
        required=False,
        widget=DATE,
        error_messages={"invalid": _("請求書受理日を正しい日付で入力してください。")},
    )
    description = forms.CharField(label=_("摘要"), max_length=200, required=False)
    # On the new page only: a draft's body is corrected on the document's own 修正 page.
    body = forms.CharField(label=_("本文（伺い文・理由）"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    form_token = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, user: User, on: dt.date, encumbrances: QuerySet[Encumbrance], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["encumbrance"].queryset = orderable_encumbrances(encumbrances)  # type: ignore[attr-defined]
        self.fields["line"].queryset = section_lines(user, on=on, closing=True)  # type: ignore[attr-defined]
        self.fields["inspector"].queryset = inspector_candidates(user, on=on)  # type: ignore[attr-defined]
        self.fields["inspector"].label_from_instance = lambda u: u.full_name  # type: ignore[attr-defined]
        self.fields["advance_holder"].queryset = inspector_candidates(user, on=on)  # type: ignore[attr-defined]
        self.fields["advance_holder"].label_from_instance = lambda u: u.full_name  # type: ignore[attr-defined]

    def method_values(self) -> dict[str, Any]:
        """The payment method's own fields as the services take them (after ``is_valid``)."""
        data = self.cleaned_data
        timing = data.get("payment_timing") or PaymentTiming.REGULAR
        prepay = timing == PaymentTiming.PREPAY
        return {
            "payment_timing": timing,
            "advance_holder": data.get("advance_holder"),
            "method_ground": data.get("prepay_ground") if prepay else data.get("method_ground") or "",
            "transfer_to": data.get("transfer_to") or "",
            "prior_fiscal_year": data.get("prior_fiscal_year"),
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind")
        if kind == OrderKind.LINKED and not data.get("encumbrance") and "encumbrance" not in self.errors:
            self.add_error("encumbrance", _("支出命令のときは支出負担行為を選んでください。"))
        if kind in (OrderKind.COMBINED, OrderKind.COLLECTIVE) and not data.get("line") and "line" not in self.errors:
            self.add_error("line", _("支出負担行為兼支出命令・集合支出命令のときは予算科目を選んでください。"))
        if data.get("inspection_date") and not data.get("inspector") and "inspector" not in self.errors:
            self.add_error("inspector", _("検収日を入力したときは検査員を選んでください。"))
        return data


class OrderLineForm(forms.Form):
    """One line of a payment order (支出命令の明細), with the account to transfer to (振込口座).

    The account select lists the chosen creditor's accounts in use, the default first; left empty, the
    service takes the default account (既定の口座). Any account id passes the form: the service says
    when it is not this creditor's or is stopped. With ``full_accounts`` false an individual's
    (個人事業者) account number shows its last 3 digits only, as on the order's page.
    """

    creditor = ModelChoice(
        label=_("債権者"),
        queryset=Creditor.objects.none(),
        empty_label=_("選んでください"),
        error_messages={"required": _("債権者を選んでください。"), "invalid_choice": _("債権者が見つかりません。")},
    )
    description = forms.CharField(label=_("内容"), max_length=200, required=False)
    amount = YenField(label=_("金額（税込・円）"), error_messages={"required": _("金額を入力してください。")})
    tax_rate = forms.TypedChoiceField(label=_("税率"), choices=TaxRate.choices, coerce=int, initial=TaxRate.STANDARD)
    # Blank: computed from the rate, rounded down per line (端数切捨て). An invoice that rounds otherwise
    # (or totals its tax per rate) gives its own figure, which the service accepts within 1 yen.
    tax_amount = YenField(
        label=_("うち消費税額（円）"),
        label_for_message="消費税額",
        minimum=None,
        required=False,
        help_text=_("空欄なら税率から計算します（1円未満切捨て）。"),
    )
    # 源泉区分: the withholding is computed from it (所得税法第204条・第205条); a typed figure must match.
    withholding_kind = forms.ChoiceField(label=_("源泉区分"), required=False)
    withholding = YenField(
        label=_("源泉徴収額（円）"),
        label_for_message="源泉徴収額",
        minimum=None,
        required=False,
        help_text=_("空欄なら源泉区分と金額から計算します。"),
    )
    bank_account = ModelChoice(
        label=_("振込口座"),
        queryset=CreditorBankAccount.objects.select_related("creditor"),
        required=False,
        empty_label=_("既定の口座"),
        error_messages={"invalid_choice": _("振込口座が見つかりません。")},
    )

    def __init__(self, *args: Any, full_accounts: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["creditor"].queryset = active_creditors()  # type: ignore[attr-defined]
        self.fields["withholding_kind"].choices = [("", _("なし")), *kind_choices()]  # type: ignore[attr-defined]
        self.full_accounts = full_accounts
        self.creditor_shown = self._chosen_creditor()
        self.accounts_shown: list[CreditorBankAccount] = []
        if self.creditor_shown is not None:
            accounts = self.creditor_shown.bank_accounts.filter(is_active=True).order_by("-is_default", "pk")
            self.accounts_shown = list(accounts)
        choices = [(account.pk, self.account_label(account)) for account in self.accounts_shown]
        self.fields["bank_account"].widget.choices = [("", _("既定の口座")), *choices]

    def _chosen_creditor(self) -> Creditor | None:
        """The creditor chosen on this row (posted, else initial), if it may be paid."""
        value = str(self["creditor"].value() or "").strip()
        creditor_id = optional_id(value)
        return active_creditors().filter(pk=creditor_id).first() if creditor_id is not None else None

    def account_label(self, account: CreditorBankAccount) -> str:
        """「みずほ 東京営業部 普通 1234567（既定）」; ***4567 unless full numbers are shown, as on the order page."""
        number = account.account_number
        if not self.full_accounts:
            number = mask_account(number)
        text = f"{account.bank_name} {account.branch_name} {account.get_account_type_display()} {number}"
        return text + str(_("（既定）")) if account.is_default else text

    @property
    def shows_individual_accounts(self) -> bool:
        """Whether the row lists an individual's full account numbers (閲覧記録の対象)."""
        creditor = self.creditor_shown
        return self.full_accounts and bool(self.accounts_shown) and creditor is not None and creditor.is_individual

    def has_changed(self) -> bool:
        """A row with no creditor, content, amount or withholding is empty (空の明細), whatever its tax rate."""
        if not self.is_bound:
            return super().has_changed()
        names = ("creditor", "description", "amount", "tax_amount", "withholding_kind", "withholding")
        return any(str(self[name].value() or "").strip() for name in names)


class BaseOrderLineFormSet(forms.BaseFormSet):
    """The lines of a payment order: at least one filled line."""

    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        # 空の明細は無視する: a prefilled row (修正・支出負担行為から) emptied by the user too.
        return {**super().get_form_kwargs(index), "empty_permitted": True}

    def clean(self) -> None:
        if any(self.errors):
            return
        if not any(form.cleaned_data and not form.cleaned_data.get("DELETE") for form in self.forms):
            raise forms.ValidationError(_("明細を1行以上入力してください。"), code="empty")


OrderLineFormSet = forms.formset_factory(
    OrderLineForm, formset=BaseOrderLineFormSet, extra=1, max_num=MAX_ORDER_LINES, validate_max=True
)
OrderLineFormSet.default_error_messages = {
    **forms.BaseFormSet.default_error_messages,
    "too_many_forms": _("明細は%(num)d行までです。"),
}


def order_initial(order: PaymentOrder) -> dict[str, Any]:
    """The head form's values from the order as saved (支出命令の修正前の内容)."""
    linked = order.kind == OrderKind.LINKED
    return {
        "title": order.document.title,
        "kind": order.kind,
        "encumbrance": order.encumbrance_id if linked else None,
        "line": None if linked else order.line_id,
        "payment_method": order.payment_method,
        "payment_timing": order.payment_timing,
        "advance_holder": order.advance_holder_id,
        "prepay_ground": order.method_ground if order.payment_timing == PaymentTiming.PREPAY else "",
        "method_ground": "" if order.payment_timing == PaymentTiming.PREPAY else order.method_ground,
        "transfer_to": order.transfer_to,
        "prior_fiscal_year": order.prior_fiscal_year,
        "payment_date": order.payment_date,
        "inspection_date": order.inspection_date,
        "inspector": order.inspector_id,
        "invoice_received_on": order.invoice_received_on,
        "description": order.description,
    }


def order_lines_initial(order: PaymentOrder) -> list[dict[str, Any]]:
    """The line rows' values from the order's lines (明細), in their order."""
    return [
        {
            "creditor": line.creditor_id,
            "description": line.description,
            "amount": f"{line.amount:,}",
            "tax_rate": line.tax_rate,
            "tax_amount": f"{line.tax_amount:,}" if line.tax_amount != _computed_tax(line) else "",
            "withholding_kind": line.withholding_kind,
            # Computed from the kind: blank, so that a changed amount is computed again.
            "withholding": f"{line.withholding:,}" if line.withholding and not line.withholding_kind else "",
        }
        for line in order.lines.order_by("position")
    ]


def _computed_tax(line: PaymentOrderLine) -> int:
    """The tax the service computes for the line's amount and rate (内税・端数切捨て).

    A line whose stored tax is that figure shows a blank 消費税額, so that changing its amount recomputes it.
    """
    return line.amount * line.tax_rate // (100 + line.tax_rate)


# A line's field as the payment services name it: "lines.2.amount" (明細2行目, counted from 1).
_LINE_FIELD = re.compile(r"^lines\.(\d+)\.(\w+)$")


def apply_order_error(head: forms.Form, line_forms: Sequence[forms.Form], error: ApplicationError) -> None:
    """Show the error at the line field it names, else at the head field, else at the top.

    ``line_forms`` are the filled rows in the order they were passed to the service.
    """
    match = _LINE_FIELD.match(error.field or "")
    if match is not None:
        position, name = int(match.group(1)), match.group(2)
        if 1 <= position <= len(line_forms) and name in line_forms[position - 1].fields:
            line_forms[position - 1].add_error(name, error.message)
            return
    apply_error(head, error)


class SettlementForm(forms.Form):
    """精算 of a paid 資金前渡 or 概算払: what was actually spent (令161・162条)."""

    actual = YenField(label=_("精算額（実際の支出額・円）"), minimum=0)
    note = forms.CharField(label=_("摘要"), max_length=200, required=False)


class RefundForm(forms.Form):
    """戻入 of a paid order (令159条): the amount paid back and why."""

    amount = YenField(label=_("戻入額（円）"))
    reason = forms.CharField(label=_("理由"), max_length=200)
