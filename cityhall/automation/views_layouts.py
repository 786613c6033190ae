"""The suppliers' layouts screen (取引先の読み取り形式): which column holds which field, with a preview.

For the 会計 role, who sets up suppliers: the list of layouts, and per supplier a form of the
columns (header names as written in the file, or 「#3」 for the third column) with a sample file
whose first rows and the invoices read from it are shown before anything is saved.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cityhall.accounts.requests import user_of
from cityhall.automation import selectors
from cityhall.automation.models import SupplierMapping
from cityhall.automation.preview import preview
from cityhall.automation.services.defaults import supplier_mapping_set
from cityhall.automation.tabular import ColumnMapping
from cityhall.core.errors import ApplicationError
from cityhall.core.http import apply_error
from cityhall.finance.models import Creditor

LABELS = {
    "invoice_number": gettext_lazy("請求書番号の列"),
    "issue_date": gettext_lazy("請求日の列"),
    "due_date": gettext_lazy("支払期日の列"),
    "description": gettext_lazy("品名の列"),
    "net_amount": gettext_lazy("税抜金額の列"),
    "gross_amount": gettext_lazy("税込金額の列"),
    "tax_rate": gettext_lazy("税率の列"),
    "tax_amount": gettext_lazy("消費税額の列"),
    "payee_account": gettext_lazy("振込先口座の列（銀行:支店:種目:番号）"),
    "order_reference": gettext_lazy("発注番号・契約番号の列"),
}


class LayoutForm(forms.Form):
    """The columns of a layout, the header row, grouping, and an optional sample file to preview."""

    header_row = forms.IntegerField(label=gettext_lazy("見出しの行"), min_value=0, max_value=50, initial=1)
    group_by_invoice_number = forms.BooleanField(
        label=gettext_lazy("同じ請求書番号の行を1件の請求書の明細としてまとめる"), required=False
    )
    sample = forms.FileField(label=gettext_lazy("見本のファイル（CSV・Excel、プレビュー用）"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, label in LABELS.items():
            self.fields[name] = forms.CharField(label=label, max_length=100, required=False)

    def layout(self) -> dict[str, Any]:
        """The mapping as ``ColumnMapping.from_dict`` takes it (empty columns left out)."""
        data: dict[str, Any] = {n: self.cleaned_data[n].strip() for n in LABELS if self.cleaned_data[n].strip()}
        data["header_row"] = self.cleaned_data["header_row"]
        data["group_by_invoice_number"] = self.cleaned_data["group_by_invoice_number"]
        return data


def _staff(request: HttpRequest) -> Any:
    user = user_of(request)
    if not selectors.sees_all(user):  # the 会計 role, as for every import
        raise Http404
    return user


@login_required
def layouts(request: HttpRequest) -> HttpResponse:
    """Every supplier's layout, and the suppliers to give one."""
    _staff(request)
    rows = SupplierMapping.objects.select_related("creditor").order_by("creditor__code")
    creditors = Creditor.objects.filter(is_active=True).order_by("code")
    return render(request, "automation/layouts.html", {"rows": rows, "creditors": creditors})


@login_required
def layout_edit(request: HttpRequest, creditor_id: int) -> HttpResponse:
    """Edit a supplier's layout; 「プレビュー」 shows the sample read with it, 「保存」 stores it."""
    user = _staff(request)
    creditor = Creditor.objects.filter(pk=creditor_id, is_active=True).first()
    if creditor is None:
        raise Http404
    current = SupplierMapping.objects.filter(creditor=creditor).first()
    template = "automation/layout_edit.html"
    if request.method != "POST":
        initial = dict(current.mapping) if current else {"header_row": 1}
        return render(request, template, {"form": LayoutForm(initial=initial), "creditor": creditor})
    form = LayoutForm(request.POST, request.FILES)
    context: dict[str, Any] = {"form": form, "creditor": creditor}
    if not form.is_valid():
        return render(request, template, context, status=400)
    try:
        if "preview" in request.POST:
            sample = form.cleaned_data["sample"]
            if sample is None:
                form.add_error("sample", _("プレビューする見本のファイルを選んでください。"))
                return render(request, template, context, status=400)
            layout = ColumnMapping.from_dict(form.layout())
            shown = preview(sample.read(), sample.name, layout, creditor.invoice_registration_number or None)
            return render(request, template, context | {"preview": shown})
        supplier_mapping_set(actor=user, creditor=creditor, mapping=form.layout())
    except ApplicationError as exc:
        apply_error(form, exc)
        return render(request, template, context, status=exc.status_code)
    messages.success(request, _("読み取り形式を保存しました。"))
    return redirect("automation:layouts")


urlpatterns: list[URLPattern] = [
    path("layouts/", layouts, name="layouts"),
    path("layouts/<id:creditor_id>/", layout_edit, name="layout_edit"),
]
