"""The survey screens (テレワーク環境の調査): one's own answers and eligibility, a section's summary, the rules."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from cityhall.accounts.requests import user_of
from cityhall.core.errors import ApplicationError, PermissionDenied
from cityhall.core.http import apply_error
from cityhall.telework.forms.survey import RulesForm, SurveyForm
from cityhall.telework.scopes import is_it, sections_of
from cityhall.telework.selectors.survey import eligibility_of, own_answer, rules, section_summary
from cityhall.telework.services import survey as services


@login_required
def survey_view(request: HttpRequest) -> HttpResponse:
    """The official's own answers and eligibility; on POST save the answers."""
    user = user_of(request)
    answer = own_answer(user)
    initial = {name: getattr(answer, name) for name in services.SurveyInput.__dataclass_fields__} if answer else {}
    form = SurveyForm(request.POST if request.method == "POST" else None, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.survey_answer_set(actor=user, data=form.data_input())
            except ApplicationError as exc:
                apply_error(form, exc)
            else:
                messages.success(request, _("回答を保存しました。"))
                return redirect("telework:survey")
    context = {
        "form": form,
        "eligibility": eligibility_of(user),
        "sections": [] if is_it(user) else list(sections_of(user)),
        "is_it": is_it(user),
    }
    return render(request, "telework/survey/mine.html", context, status=status)


@login_required
def section_view(request: HttpRequest, pk: int) -> HttpResponse:
    """A section's staff and their eligibility, for its head or 情報政策."""
    try:
        summary = section_summary(user_of(request), pk)
    except PermissionDenied as exc:
        raise Http404(_("ページが見つかりません。")) from exc
    return render(request, "telework/survey/section.html", {"summary": summary})


@login_required
def rules_view(request: HttpRequest) -> HttpResponse:
    """The eligibility rules (情報政策): shown, and on POST saved."""
    user = user_of(request)
    if not is_it(user):
        raise Http404(_("ページが見つかりません。"))
    current = rules()
    initial = {name: getattr(current, name) for name in services.RulesInput.__dataclass_fields__}
    form = RulesForm(request.POST if request.method == "POST" else None, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.eligibility_rules_set(actor=user, data=form.data_input())
            except ApplicationError as exc:
                apply_error(form, exc)
            else:
                messages.success(request, _("対象要件を保存しました。"))
                return redirect("telework:survey_rules")
    return render(request, "telework/survey/rules.html", {"form": form, "sections": sections_of(user)}, status=status)
