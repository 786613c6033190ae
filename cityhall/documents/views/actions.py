"""Actions on a document (決裁の操作): every button posts the version it saw; a stale one changes nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from cityhall.accounts.models import User
from cityhall.accounts.requests import user_of
from cityhall.core.errors import ApplicationError, Conflict
from cityhall.core.http import apply_error
from cityhall.documents import services
from cityhall.documents.forms import ActionForm, SubmitForm
from cityhall.documents.models import Document
from cityhall.documents.selectors_receipts import saved_routes_for
from cityhall.documents.views._common import colleagues, fetch, send_back_choices
from cityhall.documents.views.detail import detail_context

Act = Callable[[User, Document, int, str], Any]


def _review(user: User, document: Document, _v: int, comment: str) -> Any:
    review = document.post_reviews.filter(reviewer=user, done_at__isnull=True).first()
    if review is None:
        raise Conflict(_("この文書に未了の後閲はありません。"))
    return services.post_review_complete(actor=user, review=review, comment=comment)


ACTIONS: dict[str, tuple[Act, Any]] = {
    "approve": (
        lambda u, d, v, c: services.approve(actor=u, document=d, expected_version=v, comment=c),
        gettext_lazy("承認しました。"),
    ),
    "decide_proxy": (
        lambda u, d, v, c: services.approve(actor=u, document=d, expected_version=v, comment=c),
        gettext_lazy("代決しました。"),
    ),
    "send_back": (
        lambda u, d, v, c: services.send_back(actor=u, document=d, expected_version=v, comment=c),
        gettext_lazy("差し戻しました。"),
    ),
    "reject": (
        lambda u, d, v, c: services.reject(actor=u, document=d, expected_version=v, comment=c),
        gettext_lazy("却下しました。"),
    ),
    "pull_back": (
        lambda u, d, v, c: services.pull_back(actor=u, document=d, expected_version=v),
        gettext_lazy("引き戻しました。"),
    ),
    "withdraw": (
        lambda u, d, v, c: services.withdraw(actor=u, document=d, expected_version=v, reason=c),
        gettext_lazy("取り下げました。"),
    ),
    "agree": (
        lambda u, d, v, c: services.agree(actor=u, document=d, expected_version=v, comment=c),
        gettext_lazy("合議に合意しました。"),
    ),
    "object": (
        lambda u, d, v, c: services.object_to(actor=u, document=d, expected_version=v, comment=c),
        gettext_lazy("合議に異議を出しました。"),
    ),
    "skip_absent": (
        lambda u, d, v, c: services.skip_absent(actor=u, document=d, expected_version=v),
        gettext_lazy("不在の回議者を後閲に回しました。"),
    ),
    "comment": (
        lambda u, d, v, c: services.comment_add(actor=u, document=d, body=c),
        gettext_lazy("コメントを追加しました。"),
    ),
    "post_review": (_review, gettext_lazy("後閲しました。")),
    "issue": (
        lambda u, d, v, c: services.issue(actor=u, document=d, expected_version=v),
        gettext_lazy("施行日を記録しました。"),
    ),
    "close": (
        lambda u, d, v, c: services.close(actor=u, document=d, expected_version=v),
        gettext_lazy("完結しました。"),
    ),
}
NO_VERSION = {"comment", "post_review"}


def _send_back_to(target: int) -> Act:
    return lambda u, d, v, c: services.send_back(actor=u, document=d, expected_version=v, comment=c, to=target)


@login_required
@require_POST
def act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Run one action through its service; errors show next to the form with the service's message."""
    if action not in ACTIONS:
        raise Http404
    document, user = fetch(request, pk), user_of(request)
    targets = send_back_choices(user, document) if action == "send_back" else []
    form = ActionForm(request.POST, targets=targets, drafter=document.drafter.full_name)
    if action in NO_VERSION:
        form.fields["expected_version"].required = False
    if not form.is_valid():
        return _failed(request, document, form, status=400)
    run, done = ACTIONS[action]
    target = form.cleaned_data.get("target_step") if action == "send_back" else None
    if target is not None:  # 差戻し先: an earlier approver, from whom the route resumes
        run = _send_back_to(target)
    try:
        run(user, document, form.cleaned_data["expected_version"] or 0, form.cleaned_data["comment"])
    except ApplicationError as exc:
        apply_error(form, exc) if exc.field in ("comment", "target_step") else form.add_error(None, exc.message)
        return _failed(request, document, form, status=exc.status_code, action=action)
    messages.success(request, str(done))
    return redirect("documents:detail", pk=document.pk)


def _failed(
    request: HttpRequest, document: Document, form: ActionForm, *, status: int, action: str = ""
) -> HttpResponse:
    fresh = fetch(request, document.pk)
    context = detail_context(request, fresh, action_form=form, failed_action=action)
    return render(request, "documents/detail.html", context, status=status)


@login_required
@require_POST
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    """Start the route or resubmit (回議開始・再回議) with additions checked against the rules."""
    document = fetch(request, pk)
    user = user_of(request)
    form = SubmitForm(
        request.POST, colleagues=colleagues(user, on=timezone.localdate()), saved_routes=saved_routes_for(user)
    )
    status = 400
    if form.is_valid():
        try:
            services.submit(
                actor=user,
                document=document,
                expected_version=form.cleaned_data["expected_version"],
                extra_reviewers=list(User.objects.filter(pk__in=form.cleaned_data["extra_reviewers"])),
                consult_units=list(form.cleaned_data["consult_units"]),
                saved_route=form.cleaned_data["saved_route"],
            )
        except ApplicationError as exc:
            apply_error(form, exc)
            status = exc.status_code
        else:
            messages.success(request, _("回議を開始しました。"))
            return redirect("documents:detail", pk=document.pk)
    context = detail_context(request, fetch(request, pk), submit_form=form)
    return render(request, "documents/detail.html", context, status=status)
