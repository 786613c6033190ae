"""Budget execution reports (予算執行状況): tables, drill-down, Excel and charts."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cityhall.accounts.models import User
from cityhall.core.errors import PermissionDenied
from cityhall.core.forms import ModelChoice
from cityhall.core.japanese import fiscal_year
from cityhall.core.japanese.display import shown_fiscal_year
from cityhall.core.numbers import optional_id, page_number
from cityhall.documents.rules import section_of
from cityhall.finance import excel
from cityhall.finance.models import Account, Allotment, BudgetClassification, BudgetLine, Level, heading_code
from cityhall.finance.selectors import reports
from cityhall.finance.selectors.budget import standard_setsu, visible_sections
from cityhall.org.models import OrgUnit, UnitKind


class HeadingField(ModelChoice):
    """A choice of 款・項・目 shown with its path (「2款1項 総務管理費」)."""

    def label_from_instance(self, obj: Any) -> str:
        parts, node = [], obj
        while node is not None:
            parts.append(heading_code(node.level, node.code))
            node = node.parent
        return f"{''.join(reversed(parts))} {obj.name}（{obj.account.name}）".replace("  ", " ")


def _headings(level: Level) -> QuerySet[BudgetClassification]:
    return (
        BudgetClassification.objects.filter(level=level, account__isnull=False)
        .select_related("account", "parent__parent")
        .order_by("account__sort_order", "parent__parent__code", "parent__code", "sort_order", "code")
    )


class ReportFilterForm(forms.Form):
    """Filters of the execution report (年度・会計・課・款項目節), read from the query string."""

    fiscal_year = forms.TypedChoiceField(label=_("年度"), coerce=int, choices=())
    account = ModelChoice(label=_("会計"), queryset=Account.objects.all(), required=False, empty_label=_("すべて"))
    section = ModelChoice(label=_("課"), queryset=OrgUnit.objects.none(), required=False, empty_label=_("すべて"))
    kan = HeadingField(label=_("款"), queryset=_headings(Level.KAN), required=False, empty_label=_("すべて"))
    kou = HeadingField(label=_("項"), queryset=_headings(Level.KOU), required=False, empty_label=_("すべて"))
    moku = HeadingField(label=_("目"), queryset=_headings(Level.MOKU), required=False, empty_label=_("すべて"))
    setsu = ModelChoice(label=_("節"), queryset=standard_setsu(), required=False, empty_label=_("すべて"))

    def __init__(self, *args: Any, sections: QuerySet[OrgUnit] | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        years = set(BudgetLine.objects.order_by().values_list("fiscal_year", flat=True).distinct())
        years.add(fiscal_year(timezone.localdate()))
        self.fields["fiscal_year"].choices = [(y, shown_fiscal_year(y)) for y in sorted(years, reverse=True)]  # type: ignore[attr-defined]
        if sections is not None:
            self.fields["section"].queryset = sections  # type: ignore[attr-defined]
        else:
            del self.fields["section"]  # the selector limits others to their own section

    def filters(self) -> dict[str, Any]:
        """The selector's keyword filters from the cleaned input."""
        return {name: value for name, value in self.cleaned_data.items() if value not in (None, "")}


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _choosable_sections(user: User) -> QuerySet[OrgUnit] | None:
    """The sections the user may pick (those with an allotment that they see), or None for an official of one 課."""
    scope = visible_sections(user, on=timezone.localdate())
    allotted = OrgUnit.objects.filter(scope.q("pk"), pk__in=Allotment.objects.values("section_id"))
    if not scope.whole_lines and allotted.count() < 2:  # nothing to choose among
        return None
    return allotted


def _form(request: HttpRequest) -> ReportFilterForm:
    data = request.GET.copy()
    data.setdefault("fiscal_year", str(fiscal_year(timezone.localdate())))
    return ReportFilterForm(data, sections=_choosable_sections(_user(request)))


def _page(request: HttpRequest) -> int:
    value = request.GET.get("page", "")
    return page_number(value)


def _common(request: HttpRequest, form: ReportFilterForm) -> dict[str, Any]:
    """Context every report page shares: the form, the query (without page) and the scope label."""
    query = request.GET.copy()
    query.pop("page", None)
    user = _user(request)
    day = timezone.localdate()
    unit = None if visible_sections(user, on=day).whole_lines else section_of(user, on=day)
    # A 部長 sees the sections of their 部 ("すべて" among them), others their own 課.
    department = unit if unit is not None and unit.kind == UnitKind.DEPARTMENT else None
    own = None if "section" in form.fields or department is not None else unit
    return {"form": form, "query": query.urlencode(), "own_section": own, "department": department}


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


@login_required
def report_lines(request: HttpRequest) -> HttpResponse:
    """The report by line (科目別): filters via GET; htmx requests get the results partial only."""
    form = _form(request)
    context = _common(request, form)
    status = 200
    if form.is_valid():
        context["report"] = reports.execution_by_line(_user(request), page=_page(request), **form.filters())
    else:
        status = 400
    # An htmx refresh gets the table, and the tabs out of band so that they keep the new filters.
    context["partial"] = _is_htmx(request)
    template = "finance/reports/_lines.html" if context["partial"] else "finance/reports/lines.html"
    return render(request, template, context, status=status)


@login_required
def report_sections(request: HttpRequest) -> HttpResponse:
    """The report by section (課別) with one horizontal bar chart of every section on one scale."""
    form = _form(request)
    context = _common(request, form)
    if not form.is_valid():
        return render(request, "finance/reports/sections.html", context, status=400)
    report = reports.execution_by_section(_user(request), **form.filters())
    # One chart for all sections on one scale: 配当額 against 負担額 (the numerator of 執行率).
    chart = {
        "labels": [row.name for row in report.rows],
        "budget": [row.figures.allotted for row in report.rows],
        "executed": [row.figures.encumbered for row in report.rows],
    }
    context.update(report=report, chart=chart)
    return render(request, "finance/reports/sections.html", context)


@login_required
def report_line(request: HttpRequest, pk: int) -> HttpResponse:
    """The drill-down of a line (明細の内訳): its encumbrances and orders with links to the documents."""
    section = request.GET.get("section", "")
    try:
        detail = reports.line_documents(_user(request), pk, section=optional_id(section))
    except PermissionDenied as exc:
        raise Http404(exc.message) from exc
    return render(request, "finance/reports/line.html", {"detail": detail})


@login_required
def report_export(request: HttpRequest) -> HttpResponse:
    """The Excel file (予算執行状況.xlsx): every selected line (科目別) and every section (課別)."""
    form = _form(request)
    if not form.is_valid():
        return render(request, "finance/reports/lines.html", _common(request, form), status=400)
    filters = form.filters()
    lines, sections = reports.execution_report(_user(request), **filters)
    # The workbook names the section itself (「課: 総務課」), also the own one of a clerk who cannot choose.
    scope = "・".join(str(value) for name, value in filters.items() if name not in ("fiscal_year", "section"))
    body = excel.execution_workbook(lines, sections, scope=scope)
    response = HttpResponse(body, content_type=excel.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = excel.content_disposition(excel.file_name(lines.fiscal_year))
    return response


urlpatterns: list[URLPattern] = [
    path("reports/", report_lines, name="reports"),
    path("reports/sections/", report_sections, name="report_sections"),
    path("reports/lines/<id:pk>/", report_line, name="report_line"),
    path("reports/export.xlsx", report_export, name="report_export"),
]
