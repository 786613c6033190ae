"""The answers' screens (回答): per batch, file import, paper replies, rows to decide, 差押予定一覧, columns.

Every screen shows data of the caller's sections only (the selectors) and records what it shows:
the answer rows (``answers_viewed``), the persons (``persons_viewed``), the 差押予定一覧 and its
download (``seizure_viewed``).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from cityhall.core.errors import ApplicationError, PermissionDenied
from cityhall.core.http import apply_error
from cityhall.inquiries.access import Scope
from cityhall.inquiries.forms.answers import (
    AnswerImportForm,
    AnswerLayoutForm,
    AssetFormSet,
    DecideForm,
    ManualAnswerForm,
)
from cityhall.inquiries.models import InstitutionKind, LetterStatus
from cityhall.inquiries.seizure_excel import XLSX, seizure_workbook
from cityhall.inquiries.selectors.answers import (
    answer_files,
    answer_for,
    answer_letters,
    candidates,
    letter_for,
    open_answers,
    seizure_list,
)
from cityhall.inquiries.selectors.batches import batch_detail
from cityhall.inquiries.selectors.institutions import institution_for
from cityhall.inquiries.services import answers as services
from cityhall.inquiries.services._answer_rows import FIELDS, LABEL
from cityhall.inquiries.services.persons import persons_viewed
from cityhall.inquiries.views._common import PAGE_SIZE, collector_page, layout_preview

PREVIEW_ROWS = 10


@collector_page
def answers_view(request: HttpRequest, scope: Scope, pk: int) -> HttpResponse:
    """A batch's answers (回答の状況): each letter's answers, the files, the rows left to decide."""
    batch = batch_detail(scope.user, pk)
    page = Paginator(open_answers(batch), PAGE_SIZE).get_page(request.GET.get("page"))
    services.answers_viewed(actor=scope.user, answers=list(page.object_list), where="answers")
    context = {"batch": batch, "letters": answer_letters(batch), "files": answer_files(batch)[:50], "page": page}
    return render(request, "inquiries/answers/overview.html", context | {"query": ""})


def _sent_letters(batch: Any) -> Any:
    return batch.letters.filter(status__in=(LetterStatus.SENT, LetterStatus.ANSWERED)).select_related("institution")


@collector_page
def answer_import_view(request: HttpRequest, scope: Scope, pk: int) -> HttpResponse:
    """Import an answer file for one of the batch's letters (回答ファイルの取込); all rows or none."""
    batch = batch_detail(scope.user, pk)
    template = "inquiries/answers/import.html"
    form = AnswerImportForm(request.POST or None, request.FILES or None, letters=_sent_letters(batch))
    context: dict[str, Any] = {"batch": batch, "form": form}
    if request.method != "POST":
        return render(request, template, context)
    if not form.is_valid():
        return render(request, template, context, status=400)
    upload = form.cleaned_data["file"]
    try:
        result = services.answer_file_import(
            actor=scope.user,
            letter=form.cleaned_data["letter"],
            name=upload.name,
            data=upload.read(),
            received_on=form.cleaned_data["received_on"],
        )
    except PermissionDenied:
        raise
    except services.AnswersRefused as exc:
        context |= {"problems": exc.extra["rows"], "problem_count": exc.extra["problems"]}
        return render(request, template, context, status=400)
    except ApplicationError as exc:
        apply_error(form, exc)
        return render(request, template, context, status=exc.status_code)
    messages.success(
        request,
        _("回答ファイルを取り込みました（照合済 %(m)s 件・該当者なし %(u)s 件・複数該当 %(a)s 件）。")
        % {"m": result.matched, "u": result.unmatched, "a": result.ambiguous},
    )
    return redirect("inquiries:answers", pk=batch.pk)


def _assets(formset: Any, *, policy: bool) -> list[Any]:
    return [a for f in formset.forms if (a := f.asset(policy=policy)) is not None]


@collector_page
def answer_manual_view(request: HttpRequest, scope: Scope, pk: int) -> HttpResponse:
    """Type in a paper reply (回答書の入力) about one person of the letter."""
    letter = letter_for(scope.user, pk)
    template = "inquiries/answers/manual.html"
    form = ManualAnswerForm(request.POST or None)
    formset = AssetFormSet(request.POST or None, prefix="assets")
    context: dict[str, Any] = {"letter": letter, "batch": letter.batch, "form": form, "formset": formset}
    if request.method != "POST":
        return render(request, template, context)
    if not (form.is_valid() and formset.is_valid()):
        return render(request, template, context, status=400)
    policy = letter.institution.kind == InstitutionKind.INSURER
    try:
        services.answer_enter(actor=scope.user, letter=letter, data=form.answer(_assets(formset, policy=policy)))
    except PermissionDenied:
        raise
    except ApplicationError as exc:
        apply_error(form, exc)
        return render(request, template, context, status=exc.status_code)
    messages.success(request, _("回答を登録しました。"))
    return redirect("inquiries:answers", pk=letter.batch_id)


@collector_page
def answer_decide_view(request: HttpRequest, scope: Scope, pk: int) -> HttpResponse:
    """Decide whose an unmatched or ambiguous row is (照合の確定), among the likely persons of the letter."""
    answer = answer_for(scope.user, pk)
    persons = candidates(answer)
    services.answers_viewed(actor=scope.user, answers=[answer], where="decide")
    persons_viewed(actor=scope.user, persons=[p.person for p in persons], where="decide")
    form = DecideForm(request.POST or None, persons=persons)
    template = "inquiries/answers/decide.html"
    context: dict[str, Any] = {"answer": answer, "batch": answer.letter.batch, "form": form, "persons": persons}
    if request.method != "POST":
        return render(request, template, context)
    if not form.is_valid():
        return render(request, template, context, status=400)
    number, not_ours = form.decision()
    try:
        services.answer_decide(actor=scope.user, answer=answer, resident_number=number, not_ours=not_ours)
    except PermissionDenied:
        raise
    except ApplicationError as exc:
        apply_error(form, exc)
        return render(request, template, context, status=exc.status_code)
    messages.success(request, _("照合を確定しました。"))
    return redirect("inquiries:answers", pk=answer.letter.batch_id)


@collector_page
def seizure_view(request: HttpRequest, scope: Scope, pk: int) -> HttpResponse:
    """The batch's 差押予定一覧: persons by the assets found, largest first, and those with none."""
    batch = batch_detail(scope.user, pk)
    listing = seizure_list(scope.user, pk)
    services.seizure_viewed(actor=scope.user, batch=batch, persons=listing.persons, where="seizure")
    return render(request, "inquiries/answers/seizure.html", {"batch": batch, "listing": listing})


@collector_page
def seizure_xlsx_view(request: HttpRequest, scope: Scope, pk: int) -> HttpResponse:
    """The 差押予定一覧 as Excel (formula-safe); each download recorded."""
    batch = batch_detail(scope.user, pk)
    listing = seizure_list(scope.user, pk)
    services.seizure_viewed(actor=scope.user, batch=batch, persons=listing.persons, where="seizure_xlsx", export=True)
    response = HttpResponse(seizure_workbook(listing), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="seizure-candidates-{batch.pk}.xlsx"'
    return response


@collector_page
def answer_layout_view(request: HttpRequest, scope: Scope, pk: int) -> HttpResponse:
    """An institution's answer-file columns (回答ファイルの列の設定): preview a sample, or keep them."""
    institution = institution_for(scope.user, pk)
    current = services.stored_layout(institution)
    initial: dict[str, Any] = {"header_row": current.header_row, "sheet": current.sheet or ""}
    initial |= {f"col_{name}": ref for name, ref in current.columns.items()}
    form = AnswerLayoutForm(request.POST or None, request.FILES or None, fields=FIELDS, initial=initial)
    template = "inquiries/answers/layout.html"
    context: dict[str, Any] = {"institution": institution, "form": form}
    if request.method != "POST":
        return render(request, template, context)
    if not form.is_valid():
        return render(request, template, context, status=400)
    try:
        if "preview" in request.POST:
            return _preview(request, form, context)
        services.answer_layout_set(actor=scope.user, institution=institution, layout=form.layout())
    except PermissionDenied:
        raise
    except ApplicationError as exc:
        apply_error(form, exc)
        return render(request, template, context, status=exc.status_code)
    messages.success(request, _("列の設定を保存しました。"))
    return redirect("inquiries:institutions")


def _preview(request: HttpRequest, form: AnswerLayoutForm, context: dict[str, Any]) -> HttpResponse:
    """The sample's first rows as the layout reads them (nothing stored)."""
    return layout_preview(
        request, form, context, template="inquiries/answers/layout.html", fields=FIELDS, label=LABEL, limit=PREVIEW_ROWS
    )
