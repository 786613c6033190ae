"""Records management of one record (文書の保存): 保存期間の延長 and 原議の補正 by the 文書主管, and 紙決裁の登録.

Each page shows the record's past acts of its kind to whoever sees the record, and the form only to
those the service lets act; a POST from anyone else answers 404 like a missing record.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from cityhall.accounts.models import User
from cityhall.accounts.requests import user_of
from cityhall.core.errors import ApplicationError, ValidationFailed
from cityhall.core.forms import claim, new_form_token, remember, with_fresh_token
from cityhall.core.http import apply_error
from cityhall.documents import services
from cityhall.documents.forms_records import FormalAdditionForm, PaperDecisionForm, RetentionForm
from cityhall.documents.models import Document
from cityhall.documents.selectors import available_actions
from cityhall.documents.selectors_records import additions_of, extensions_of, may_register_paper, paper_deciders
from cityhall.documents.views._common import fetch


def _page(
    request: HttpRequest, template: str, document: Document, form: Any, action: str, status: int = 200
) -> HttpResponse:
    may_act = action in available_actions(user_of(request), document)
    context = {
        "document": document,
        "form": form if may_act else None,
        "extensions": extensions_of(document),
        "additions": additions_of(document),
    }
    return render(request, template, context, status=status)


@login_required
def retention(request: HttpRequest, pk: int) -> HttpResponse:
    """保存期間の延長: the record's extensions, and for the 文書主管 the form (new period, reason)."""
    document = fetch(request, pk)
    template = "documents/records/retention.html"
    if request.method != "POST":
        initial = {"expected_version": document.version}
        form = RetentionForm(initial=initial, current=document.retention_years)
        return _page(request, template, document, form, "extend_retention")
    if "extend_retention" not in available_actions(user_of(request), document):
        raise Http404(_("文書が見つからないか、操作する権限がありません。"))
    form = RetentionForm(request.POST, current=document.retention_years)
    if not form.is_valid():
        return _page(request, template, document, form, "extend_retention", status=400)
    try:
        services.retention_extend(actor=user_of(request), document=document, **form.cleaned_data)
    except ApplicationError as exc:
        apply_error(form, exc)
        return _page(request, template, fetch(request, pk), form, "extend_retention", status=exc.status_code)
    messages.success(request, _("保存期間を延長しました。"))
    return redirect("documents:detail", pk=pk)


@login_required
def formal_additions(request: HttpRequest, pk: int) -> HttpResponse:
    """原議の補正: the record's additions with before and after, and for the 文書主管 the form."""
    document = fetch(request, pk)
    template = "documents/records/formal_additions.html"
    if request.method != "POST":
        initial = {"expected_version": document.version, "field": "title", "value": document.title}
        return _page(request, template, document, FormalAdditionForm(initial=initial), "formal_addition")
    if "formal_addition" not in available_actions(user_of(request), document):
        raise Http404(_("文書が見つからないか、操作する権限がありません。"))
    form = FormalAdditionForm(request.POST)
    if not form.is_valid():
        return _page(request, template, document, form, "formal_addition", status=400)
    try:
        services.formal_addition(actor=user_of(request), document=document, **form.cleaned_data)
    except ApplicationError as exc:
        apply_error(form, exc)
        return _page(request, template, fetch(request, pk), form, "formal_addition", status=exc.status_code)
    messages.success(request, _("原議を補正しました。補正前の内容は補正の記録に残ります。"))
    return redirect("documents:detail", pk=pk)


def _paper_form(request: HttpRequest, form: PaperDecisionForm, status: int = 200) -> HttpResponse:
    return render(request, "documents/records/paper_decision_form.html", {"form": form}, status=status)


@login_required
def paper_decision_new(request: HttpRequest) -> HttpResponse:
    """紙決裁の登録, for the 文書主管 and 課長 and above; a double submission registers one record only."""
    user = user_of(request)
    if not may_register_paper(user):
        raise Http404(_("紙決裁を登録できるのは、文書主管課の職員か、課長以上の職員だけです。"))
    deciders = paper_deciders(user)
    if request.method != "POST":
        return _paper_form(request, PaperDecisionForm(initial={"form_token": new_form_token()}, deciders=deciders))
    form = PaperDecisionForm(request.POST, deciders=deciders)
    if not form.is_valid():
        return _paper_form(request, with_fresh_token(form), status=400)
    first, done = claim(form)
    if not first:
        messages.warning(request, _("この紙決裁は既に登録されています。二重に登録していません。"))
        return redirect("documents:detail", pk=done) if done else redirect("documents:register")
    data = dict(form.cleaned_data)
    data.pop("form_token", None)
    decided_by = User.objects.filter(pk=data.pop("decided_by"), is_active=True).first()
    try:
        if decided_by is None:
            raise ValidationFailed(_("決裁者は一覧から選んでください。"), field="decided_by")
        document = services.paper_decision_register(actor=user, decided_by=decided_by, **data)
        remember(form, document.pk)
    except ApplicationError as exc:
        apply_error(form, exc)
        return _paper_form(request, with_fresh_token(form), status=exc.status_code)
    messages.success(request, _("紙決裁を %(number)s として登録しました。") % {"number": document.number_label})
    return redirect("documents:detail", pk=document.pk)
