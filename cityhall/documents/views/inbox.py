"""The inbox (受信箱): buckets with counts, server-side sorting and paging, bulk approval (一括承認)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cityhall.accounts.requests import user_of
from cityhall.core.numbers import ID_MAX, ascii_integer, optional_id
from cityhall.documents import services
from cityhall.documents.models import Document
from cityhall.documents.selectors import (
    BUCKET_LABELS,
    Bucket,
    InboxCounts,
    inbox,
    inbox_counts,
    remember_counts,
    visible_documents,
)

PAGE_SIZE = 25
SORTS = {
    "number": ("fiscal_year", "section__code", "number", "sub_number"),
    "title": ("title", "pk"),
    "drafted_on": ("drafted_on", "pk"),
    "updated": ("updated_at", "pk"),
}
RESULTS_KEY = "documents:bulk-results"


class _CountedPaginator(Paginator):
    """A paginator of a bucket whose count is already known, so it does not count again."""

    def __init__(self, qs: QuerySet[Document], per_page: int, count: int) -> None:
        super().__init__(qs, per_page)
        self._known_count = count

    @property
    def count(self) -> int:
        """The bucket's count from :func:`inbox_counts` (capped for 完了)."""
        return self._known_count


def _tab_count(counts: InboxCounts, bucket: Bucket) -> str:
    """The number shown on a tab; 「1,000件以上」 when the 完了 count stopped at its cap."""
    if bucket == Bucket.DONE and counts.done_capped:
        return _("%(n)s件以上") % {"n": number_format(counts.done, force_grouping=True)}
    return str(getattr(counts, bucket.value))


def _bucket(value: str | None) -> Bucket:
    try:
        return Bucket(value or Bucket.PENDING)
    except ValueError:
        return Bucket.PENDING


@login_required
def inbox_view(request: HttpRequest) -> HttpResponse:
    """The user's inbox; ``?tab=``, ``?sort=`` (``-`` for descending) and ``?page=``."""
    user = user_of(request)
    bucket = _bucket(request.GET.get("tab"))
    sort = request.GET.get("sort", "")
    qs = inbox(user, bucket)
    if sort.lstrip("-") in SORTS:
        fields = SORTS[sort.lstrip("-")]
        qs = qs.order_by(*(f"-{f}" if sort.startswith("-") else f for f in fields))
    counts = inbox_counts(user)
    remember_counts(user, counts)  # the header's 未処理件数 reuses them
    page = _CountedPaginator(qs, PAGE_SIZE, getattr(counts, bucket.value)).get_page(request.GET.get("page"))
    tabs = [(b, BUCKET_LABELS[b], _tab_count(counts, b)) for b in Bucket]
    context = {"bucket": bucket, "tabs": tabs, "page": page, "sort": sort, "counts": counts}
    context["bulk_results"] = request.session.pop(RESULTS_KEY, None)
    return render(request, "documents/inbox.html", context)


@login_required
@require_POST
def bulk_approve_view(request: HttpRequest) -> HttpResponse:
    """Approve the selected documents (一括承認), each on its own, and report every result."""
    items: list[tuple[int, int]] = []
    for raw in request.POST.getlist("items"):
        pk, _sep, version = raw.partition(":")
        document_id, number = optional_id(pk), ascii_integer(version)
        if document_id is not None and number is not None and 0 <= number <= ID_MAX:
            items.append((document_id, number))
    if not items:
        request.session[RESULTS_KEY] = {"error": _("承認する文書を選んでください。")}
        return redirect("documents:inbox")
    results = services.bulk_approve(actor=user_of(request), items=items)
    visible = visible_documents(user_of(request)).filter(pk__in=[i for i, _v in items])
    titles = dict(visible.values_list("pk", "number_label"))
    rows = [
        {"id": r.document_id, "ok": r.ok, "message": r.message, "number": titles.get(r.document_id, "")}
        for r in results
    ]
    request.session[RESULTS_KEY] = {
        "rows": rows,
        "ok": sum(r.ok for r in results),
        "failed": sum(not r.ok for r in results),
    }
    return redirect("documents:inbox")
