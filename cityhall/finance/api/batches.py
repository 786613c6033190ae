"""Payment batches (支払データ): the list, one batch, the 全銀 export as a download, the file again, mark paid."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Schema

from cityhall.accounts.requests import user_of
from cityhall.core.http import Id
from cityhall.finance.api import _common as c
from cityhall.finance.api._common import PageQuery
from cityhall.finance.api.payment_orders import order_out
from cityhall.finance.api.schemas.batches import BatchDetailOut, BatchPage
from cityhall.finance.models import PaymentBatch
from cityhall.finance.selectors import batches as batch_selectors
from cityhall.finance.services.batches import batch_export, batch_file, batch_mark_paid

# One tag with the review, as the screens keep batches under the accounting manager's menu.
router = Router(tags=["会計管理者審査・支払データ"])
BINARY = {
    "responses": {
        200: {
            "description": "全銀 総合振込ファイル（ダウンロード）",
            "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}},
        }
    }
}


_INTEGER = {"schema": {"type": "integer"}}


# The export's figures: the file's (口座振込) apart from the cash orders (窓口払), which are not in it.
EXPORT = {
    "responses": {
        200: {
            **BINARY["responses"][200],
            "headers": {
                "X-Record-Count": {"description": "ファイルのデータ・レコード数（振込先口座の数）", **_INTEGER},
                "X-Total-Amount": {"description": "ファイルの振込金額の合計（円、口座振込のみ）", **_INTEGER},
                "X-Cash-Count": {"description": "ファイルに含まれない窓口払の支出命令の件数", **_INTEGER},
                "X-Cash-Amount": {"description": "窓口払の支払額の合計（円）", **_INTEGER},
                "X-Batch-Total": {"description": "支払データの合計金額（円、口座振込 + 窓口払）", **_INTEGER},
            },
        },
        204: {"description": "窓口払のみの支払データ: 確定しましたが、振込データのファイルはありません。"},
    }
}


class ExportQuery(Schema):
    """How records are separated in the file (default: the city's setting)."""

    separator: str | None = None


def batch_out(batch: PaymentBatch) -> dict[str, Any]:
    """A batch as the API shows it."""
    fields = [
        *("id", "payment_date", "account_id", "fiscal_year", "status", "record_count", "total_amount"),
        *("file_name", "exported_at", "paid_at"),
    ]
    return {
        **{f: getattr(batch, f) for f in fields},
        "account_name": batch.account.name if batch.account is not None else "",
        "status_label": batch.get_status_display(),
    }


def _download(name: str, content: bytes) -> HttpResponse:
    response = HttpResponse(content, content_type="application/octet-stream")
    response["Content-Disposition"] = f'attachment; filename="{name.rsplit("/", 1)[-1]}"'
    return response


@router.get("/batches", response={200: BatchPage, **c.ERRORS}, summary="支払データの一覧")
def batch_list(request: HttpRequest, filters: Query[PageQuery]) -> dict[str, Any]:
    """Payment batches, latest payment date first (会計管理者・会計; empty for others)."""
    page = c.paged(batch_selectors.batches_for(user_of(request)), filters.page, filters.page_size)
    page["items"] = [batch_out(batch) for batch in page["items"]]
    return page


@router.get("/batches/{int:batch_id}", response={200: BatchDetailOut, **c.ERRORS}, summary="支払データの詳細")
def batch_detail(request: HttpRequest, batch_id: Id) -> dict[str, Any]:
    """One batch with its approved orders."""
    batch = batch_selectors.batch_detail(user_of(request), batch_id)
    return {**batch_out(batch), "orders": [order_out(o) for o in batch_selectors.batch_orders(batch)]}


@router.post(
    "/batches/{int:batch_id}/export", response=c.ERRORS, summary="振込データ（全銀）の出力", openapi_extra=EXPORT
)
def batch_export_file(request: HttpRequest, batch_id: Id, options: Query[ExportQuery]) -> HttpResponse:
    """Write the 全銀 総合振込 file, check it by reading it back, mark the batch 出力済 and download the file.

    ``X-Record-Count`` and ``X-Total-Amount`` are the file's records and transfer total
    (振込); ``X-Cash-Count`` and ``X-Cash-Amount`` the cash orders (窓口払), which are
    not in the file; ``X-Batch-Total`` both together. A batch of cash payments only
    has no file: the answer is then 204 with the same headers.
    """
    user = user_of(request)
    result = batch_export(actor=user, batch=batch_selectors.batch_detail(user, batch_id), separator=options.separator)
    response = _download(result.file_name, result.content) if result.content else HttpResponse(status=204)
    response["X-Record-Count"], response["X-Total-Amount"] = str(result.count), str(result.transfer_total)
    response["X-Cash-Count"], response["X-Cash-Amount"] = str(result.cash_count), str(result.cash_total)
    response["X-Batch-Total"] = str(result.total)
    return response


@router.get("/batches/{int:batch_id}/file", response=c.ERRORS, summary="振込データの再取得", openapi_extra=BINARY)
def batch_file_download(request: HttpRequest, batch_id: Id) -> HttpResponse:
    """The stored 全銀 file of an exported batch again (each download is audited)."""
    user = user_of(request)
    batch = batch_selectors.batch_detail(user, batch_id)
    return _download(batch.file_name, batch_file(actor=user, batch=batch))


@router.post("/batches/{int:batch_id}/mark-paid", response={200: BatchDetailOut, **c.ERRORS}, summary="支払済にする")
def batch_paid(request: HttpRequest, batch_id: Id) -> dict[str, Any]:
    """Mark an exported batch paid (支払済): its orders count as paid in the execution figures."""
    user = user_of(request)
    batch = batch_mark_paid(actor=user, batch=batch_selectors.batch_detail(user, batch_id))
    return {**batch_out(batch), "orders": [order_out(o) for o in batch_selectors.batch_orders(batch)]}
