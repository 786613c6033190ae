"""The document detail (文書詳細): register fields, content, route with seal stamps, history, actions, files."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from cityhall.accounts.requests import user_of
from cityhall.core.audit.history import HISTORY_LIMIT, object_history
from cityhall.documents.forms import ActionForm, AttachmentForm, SubmitForm
from cityhall.documents.models import Document, PostReview, StepKind
from cityhall.documents.selectors import available_actions, open_post_reviews, route_steps, signing_late
from cityhall.documents.selectors_history import box_labels, document_history
from cityhall.documents.selectors_receipts import saved_routes_for
from cityhall.documents.selectors_records_log import records_log
from cityhall.documents.views._common import (
    colleagues,
    content_shown,
    fetch,
    gone_when_disposed,
    record_personal_info_access,
    route_rows,
    send_back_choices,
    typed_content,
)


def detail_context(request: HttpRequest, document: Document, **extra: Any) -> dict[str, Any]:
    """Everything the detail page shows; ``extra`` carries forms with errors after a failed action."""
    user = user_of(request)
    actions = available_actions(user, document)
    steps = list(route_steps(document, round=document.current_round)) if document.current_round else []
    reviewed = set(
        PostReview.objects.filter(document=document, done_at__isnull=False).values_list("step_id", flat=True)
    )
    rows = route_rows(steps, reviewed, box_labels(document, steps))
    review = open_post_reviews(user).filter(document=document).first()
    context: dict[str, Any] = {
        "document": document,
        "content": typed_content(document, user),
        "actions": actions,
        "route": [r for r in rows if r.step.kind != StepKind.CONSULT],
        "consultations": [r for r in rows if r.step.kind == StepKind.CONSULT],
        "attachments": document.attachments.select_related("uploaded_by").order_by("pk"),
        "history": document_history(document),
        "records_log": records_log(document),
        # Everything recorded about the document, views and downloads included (監査ログ).
        "audit_history": object_history(document._meta.label_lower, str(document.pk)),
        "audit_history_limit": HISTORY_LIMIT,
        "decided_on": timezone.localtime(document.decided_at).date() if document.decided_at else None,
        "post_review": review,
        "signing_late": signing_late(document),
        "action_form": ActionForm(
            initial={"expected_version": document.version},
            targets=send_back_choices(user, document) if "send_back_to" in actions else [],
            drafter=document.drafter.full_name,
        ),
        "attachment_form": AttachmentForm(initial={"expected_version": document.version}),
    }
    if "submit" in actions:
        choices = colleagues(user, on=timezone.localdate())
        context["submit_form"] = SubmitForm(
            initial={"expected_version": document.version}, colleagues=choices, saved_routes=saved_routes_for(user)
        )
    context.update(extra)
    return context


@login_required
@gone_when_disposed(200)
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One document as its reader may see it; views of personal information are audited.

    A disposed record (廃棄済) shows its register entry and the list that disposed it, nothing else.
    """
    document, user = fetch(request, pk), user_of(request)
    record_personal_info_access(user, document, "view")
    context = detail_context(request, document)
    if context["content"] is not None:
        content_shown(document, user, "detail")
    return render(request, "documents/detail.html", context)


@login_required
def preview(request: HttpRequest, pk: int) -> HttpResponse:
    """The inbox preview (受信箱のプレビュー) of a document: its particulars and content, as an htmx partial.

    Without htmx it opens the document page. A view of personal information is audited as on that page.
    """
    document, user = fetch(request, pk), user_of(request)
    if request.headers.get("HX-Request") != "true":
        return redirect("documents:detail", pk=pk)
    record_personal_info_access(user, document, "view")
    content = typed_content(document, user)
    if content is not None:
        content_shown(document, user, "preview")
    return render(request, "documents/partials/preview.html", {"document": document, "content": content})
