"""Forms of the budget screens for finance staff (予算管理の入力): lines, versions and allotments."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from cityhall.core.forms import ModelChoice, YenField
from cityhall.core.japanese import fiscal_year
from cityhall.core.japanese.display import shown_fiscal_year
from cityhall.finance.forms._common import LineChoiceField
from cityhall.finance.models import (
    Account,
    BudgetClassification,
    BudgetLine,
    Level,
    heading_code,
)
from cityhall.finance.selectors.budget import standard_setsu
from cityhall.org.models import OrgUnit, UnitKind

VERSION_ROWS = 5


MAX_VERSION_ROWS = 200


def year_choices(on: dt.date) -> list[tuple[int, str]]:
    """Fiscal years with lines, plus last, this and next year (年度の選択肢), newest first."""
    years = set(BudgetLine.objects.order_by().values_list("fiscal_year", flat=True).distinct())
    current = fiscal_year(on)
    years |= {current - 1, current, current + 1}
    return [(y, shown_fiscal_year(y)) for y in sorted(years, reverse=True)]


def heading_path(heading: BudgetClassification) -> str:
    """A 款・項・目 with its path and account (「2款1項1目 一般管理費（一般会計）」)."""
    parts: list[str] = []
    node: BudgetClassification | None = heading
    while node is not None:
        parts.append(heading_code(node.level, node.code))
        node = node.parent
    account = f"（{heading.account.name}）" if heading.account else ""
    return f"{''.join(reversed(parts))} {heading.name}{account}".replace("  ", " ")


def account_headings(level: Level) -> QuerySet[BudgetClassification]:
    """款・項・目 of every account, in the order of the budget book (予算書の順)."""
    return (
        BudgetClassification.objects.filter(level=level, account__isnull=False)
        .select_related("account", "parent__parent")
        .order_by("account__sort_order", "parent__parent__code", "parent__code", "sort_order", "code")
    )


class SignedYenField(YenField):
    """A whole-yen amount that may be negative (減額): 「-」「－」「▲」 all mean minus."""

    def to_python(self, value: Any) -> int | None:  # type: ignore[override]
        text = str(value or "").strip()
        for minus in ("▲", "△", "－", "−", "ー"):
            text = text.replace(minus, "-")
        return super().to_python(text)


class HeadingField(ModelChoice):
    """A choice of 款・項・目 shown with its path."""

    def label_from_instance(self, obj: Any) -> str:
        return heading_path(obj)


class SetsuField(ModelChoice):
    """A choice of the 27 standard 節 (「10節 需用費」)."""

    def label_from_instance(self, obj: Any) -> str:
        return f"{heading_code(Level.SETSU, obj.code)} {obj.name}"


class LineFilterForm(forms.Form):
    """Filters of the budget lines list (年度・会計・款), read from the query string."""

    fiscal_year = forms.TypedChoiceField(label=_("年度"), coerce=int, choices=())
    account = ModelChoice(label=_("会計"), queryset=Account.objects.all(), required=False, empty_label=_("すべて"))
    kan = HeadingField(label=_("款"), queryset=account_headings(Level.KAN), required=False, empty_label=_("すべて"))

    def __init__(self, *args: Any, on: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["fiscal_year"].choices = year_choices(on)  # type: ignore[attr-defined]

    def apply(self, rows: QuerySet[BudgetLine]) -> QuerySet[BudgetLine]:
        """The lines matching the cleaned filters."""
        data = self.cleaned_data
        rows = rows.filter(fiscal_year=data["fiscal_year"])
        if data.get("account"):
            rows = rows.filter(account=data["account"])
        if data.get("kan"):
            rows = rows.filter(moku__parent__parent=data["kan"])
        return rows


class AllotmentForm(forms.Form):
    """The allotment (配当) of a line to one section: the new amount replaces the old."""

    section = ModelChoice(
        label=_("配当先の課"),
        queryset=OrgUnit.objects.filter(kind=UnitKind.SECTION).order_by("code"),
        empty_label=_("選んでください"),
        error_messages={"required": _("配当先の課を選んでください。"), "invalid_choice": _("課が見つかりません。")},
    )
    amount = YenField(
        label=_("配当額（円）"),
        label_for_message="配当額",
        minimum=None,
        error_messages={"required": _("配当額を入力してください。")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "allot")
        super().__init__(*args, **kwargs)


class LineCreateForm(forms.Form):
    """A new budget line (予算明細の登録): 会計・年度・目 and a 節, or the 予備費 without 節."""

    account = ModelChoice(
        label=_("会計"),
        queryset=Account.objects.all(),
        empty_label=_("選んでください"),
        error_messages={"required": _("会計を選んでください。")},
    )
    fiscal_year = forms.TypedChoiceField(
        label=_("年度"), coerce=int, choices=(), error_messages={"required": _("年度を選んでください。")}
    )
    moku = HeadingField(
        label=_("款・項・目"),
        queryset=account_headings(Level.MOKU),
        empty_label=_("選んでください"),
        error_messages={"required": _("目を選んでください。"), "invalid_choice": _("目が見つかりません。")},
    )
    setsu = SetsuField(
        label=_("節"),
        queryset=standard_setsu(),
        required=False,
        empty_label=_("（予備費のときは空欄）"),
        error_messages={"invalid_choice": _("節が見つかりません。")},
    )
    reserve = forms.BooleanField(label=_("予備費の明細として登録する（節なし）"), required=False)

    def __init__(self, *args: Any, on: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["fiscal_year"].choices = year_choices(on)  # type: ignore[attr-defined]
        self.fields["moku"].choices = grouped_moku()  # type: ignore[attr-defined]


def grouped_moku() -> list[tuple[Any, Any]]:
    """The 目 grouped under their 会計・款・項 (<optgroup>), so that a long budget stays readable."""
    groups: dict[str, list[tuple[int, str]]] = {}
    for moku in account_headings(Level.MOKU):
        # heading_create guarantees 目 → 項 → 款 within one account.
        kou, kan = moku.parent, moku.parent.parent if moku.parent else None
        account = moku.account.name if moku.account else ""
        group = ""
        if kou and kan:
            group = f"{heading_code(Level.KAN, kan.code)} {kan.name} {heading_code(Level.KOU, kou.code)} {kou.name}"
            group = f"{group}（{account}）".replace("  ", " ")
        label = f"{heading_code(Level.MOKU, moku.code)} {moku.name}"
        groups.setdefault(group, []).append((moku.pk, label.replace("  ", " ")))
    return [("", _("選んでください")), *groups.items()]


class VersionForm(forms.Form):
    """The head of a budget (予算の登録, 当初・補正): account, year and name; the amounts come in rows."""

    account = ModelChoice(
        label=_("会計"),
        queryset=Account.objects.all(),
        empty_label=None,
        error_messages={"required": _("会計を選んでください。")},
    )
    fiscal_year = forms.TypedChoiceField(label=_("年度"), coerce=int, choices=())
    name = forms.CharField(label=_("名称"), max_length=100, error_messages={"required": _("名称を入力してください。")})
    personnel_transfer = forms.BooleanField(
        label=_("人件費の項間流用を定める（地方自治法第220条第2項ただし書）"),
        required=False,
        help_text=_("同一款内の各項に計上した給料・職員手当等・共済費の間の流用を、予算で定めた場合に選びます。"),
    )
    form_token = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, on: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["fiscal_year"].choices = year_choices(on)  # type: ignore[attr-defined]


class VersionRowForm(forms.Form):
    """One row of a budget: a line and the amount the version adds (補正では減額も可)."""

    line = LineChoiceField(
        label=_("予算科目"),
        queryset=BudgetLine.objects.none(),
        required=False,
        empty_label=_("選んでください"),
        error_messages={"invalid_choice": _("この会計・年度の予算科目を選んでください。")},
    )
    amount = SignedYenField(
        label=_("金額（円、減額は▲）"),
        label_for_message="金額",
        minimum=None,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def __init__(self, *args: Any, lines: QuerySet[BudgetLine] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if lines is not None:
            self.fields["line"].queryset = lines  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        line, amount = data.get("line"), data.get("amount")
        if line is not None and amount is None and "amount" not in self.errors:
            self.add_error("amount", _("金額を入力してください。"))
        if line is None and amount is not None and "line" not in self.errors:
            self.add_error("line", _("予算科目を選んでください。"))
        return data


class VersionRowFormSet(forms.BaseFormSet):
    """The rows of a budget; every row offers the lines of the chosen account and year."""

    def __init__(self, *args: Any, lines: QuerySet[BudgetLine], **kwargs: Any) -> None:
        self.lines = lines
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        return {**super().get_form_kwargs(index), "lines": self.lines}


VersionRows = cast(
    type[VersionRowFormSet],
    forms.formset_factory(
        VersionRowForm,
        formset=VersionRowFormSet,
        extra=VERSION_ROWS,
        max_num=MAX_VERSION_ROWS,
        absolute_max=MAX_VERSION_ROWS,
        validate_max=True,
    ),
)
