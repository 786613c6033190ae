"""``/api/automation``: invoice imports and the hours they saved, with the same checks as the screens.

``POST /imports`` takes the files (multipart, ``files``) and ``dry_run``; the answer is the import's
report, one entry per file, in the form of ``manage.py import_invoices --report``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.security import django_auth

from cityhall.accounts.requests import user_of
from cityhall.automation import selectors
from cityhall.automation.api_switchover import router as switchover_router
from cityhall.automation.models import ImportSource, RecurringPayment, SupplierMapping
from cityhall.automation.services.imports import MAX_FILE_BYTES, InvoiceFile, import_invoices
from cityhall.automation.services.recurring import recurring_create, recurring_month
from cityhall.core.errors import PermissionDenied, ValidationFailed
from cityhall.core.http import ERRORS as CORE_ERRORS
from cityhall.core.http import ApiError, BodyId, FiscalYear, Id, Yen
from cityhall.documents.rules import section_of
from cityhall.finance.models import Creditor
from cityhall.finance.selectors.budget import lines_for
from cityhall.savings.selectors import saved_time

router = Router(auth=django_auth, tags=["請求書の取込"])
ERRORS: dict[int, Any] = {**CORE_ERRORS, 422: ApiError}
router.add_router("/switchover", switchover_router)


class ReasonOut(Schema):
    field: str
    message: str


class InvoiceOut(Schema):
    file: str
    invoice_number: str
    registration_number: str
    payable: int | None
    accepted: bool
    reasons: list[ReasonOut]
    order: int | None


class ReportOut(Schema):
    import_id: int | None
    dry_run: bool
    accepted: int
    rejected: int
    invoices: list[InvoiceOut]


class SavedOut(Schema):
    month: str
    section: str
    kind: str
    count: int
    minutes: int
    hours: float


def _read(upload: UploadedFile) -> InvoiceFile:
    if upload.size is not None and upload.size > MAX_FILE_BYTES:
        raise ValidationFailed(
            f"{upload.name}: ファイルが大きすぎます（上限 {MAX_FILE_BYTES // 1_000_000}MB）。", field="files"
        )
    return InvoiceFile(upload.name or "invoice.xml", upload.read())


@router.post(
    "/imports", response={201: ReportOut, 200: ReportOut, **ERRORS}, summary="請求書の取込（支出命令の一括起案）"
)
def import_create(
    request: HttpRequest,
    files: File[list[UploadedFile]],
    dry_run: Form[bool] = False,
    supplier_id: Form[int | None] = None,
) -> Status[dict[str, Any]]:
    """Import invoices as payment orders drafted for the caller's section; ``dry_run`` writes nothing.

    JP PINT XML files need nothing more; CSV and Excel files are read with the layout of the supplier
    ``supplier_id`` (a creditor with a 読み取り形式), or without it with the layout of the supplier whose
    登録番号 each file names in its first rows.
    """
    mapping = None
    if supplier_id is not None:
        mapping = SupplierMapping.objects.select_related("creditor").filter(creditor_id=supplier_id).first()
        if mapping is None:
            raise ValidationFailed("この取引先の読み取り形式は登録されていません。", field="supplier_id")
    report = import_invoices(
        actor=user_of(request),
        files=[_read(f) for f in files],
        source=ImportSource.API,
        dry_run=dry_run,
        mapping=mapping,
    )
    body = {
        "import_id": report.import_id,
        "dry_run": report.dry_run,
        "accepted": report.accepted,
        "rejected": report.rejected,
        **report.as_json(),
    }
    return Status(200 if dry_run else 201, body)


@router.get("/imports/{int:import_id}", response={200: ReportOut, **ERRORS}, summary="取込結果")
def import_detail(request: HttpRequest, import_id: Id) -> dict[str, Any]:
    """The stored report of an import the caller may see (their own, or any for 会計)."""
    run = selectors.imports_for(user_of(request)).filter(pk=import_id).first()
    if run is None:
        raise PermissionDenied("取込が見つかりません。")
    rows = run.invoices.all()
    return {
        "import_id": run.pk,
        "dry_run": False,
        "accepted": run.accepted,
        "rejected": run.rejected,
        "invoices": [
            {
                "file": r.file_name,
                "invoice_number": r.invoice_number,
                "registration_number": r.registration_number,
                "payable": r.payable,
                "accepted": r.accepted,
                "reasons": r.reasons,
                "order": r.order_id,
            }
            for r in rows
        ],
    }


@router.get("/hours-saved", response={200: list[SavedOut], **ERRORS}, summary="手入力の削減時間")
def hours_saved(request: HttpRequest, fiscal_year: FiscalYear) -> list[dict[str, Any]]:
    """Hours saved by month, section and kind (the city's ledger, 削減時間の台帳), as the caller may see them."""
    rows = saved_time(user_of(request), fiscal_year)
    return [
        {
            "month": f"{r.month:%Y-%m}",
            "section": r.section,
            "kind": r.kind,
            "count": r.count,
            "minutes": r.minutes,
            "hours": r.hours,
        }
        for r in rows
    ]


class RecurringIn(Schema):
    name: str
    creditor_id: BodyId
    line_id: BodyId
    base_amount: Yen = 0
    variable: bool = False
    tax_rate: int = 10
    pay_day: int = 25


class RecurringOut(Schema):
    id: int
    name: str
    creditor_id: int
    line_id: int
    base_amount: int
    variable: bool
    tax_rate: int
    pay_day: int


class MonthIn(Schema):
    month: str = Field(description="対象の月（YYYY-MM）")
    variable: dict[int, Yen] = Field(default_factory=dict, description="定例支払IDごとの変動分（円）")


class MonthItemOut(Schema):
    template_id: int
    amount: int
    order: int | None
    reasons: list[str]


def _recurring_out(t: RecurringPayment) -> dict[str, Any]:
    fields = ("id", "name", "creditor_id", "line_id", "base_amount", "variable", "tax_rate", "pay_day")
    return {f: getattr(t, f) for f in fields}


@router.get("/recurring", response={200: list[RecurringOut], **ERRORS}, summary="定例支払の一覧")
def recurring_list(request: HttpRequest) -> list[dict[str, Any]]:
    """The caller's section's active recurring payments."""
    section = section_of(user_of(request), on=timezone.localdate())
    rows = RecurringPayment.objects.filter(section=section, is_active=True) if section else []
    return [_recurring_out(t) for t in rows]


@router.post("/recurring", response={201: RecurringOut, **ERRORS}, summary="定例支払の登録")
def recurring_add(request: HttpRequest, payload: RecurringIn) -> Status[dict[str, Any]]:
    """Add a recurring payment of the caller's section."""
    creditor = Creditor.objects.filter(pk=payload.creditor_id, is_active=True).first()
    line = lines_for(user_of(request)).filter(pk=payload.line_id).first()
    if creditor is None:
        raise ValidationFailed("債権者が見つかりません。", field="creditor_id")
    if line is None:
        raise ValidationFailed("予算科目が見つかりません。", field="line_id")
    template = recurring_create(
        actor=user_of(request),
        name=payload.name,
        creditor=creditor,
        line=line,
        base_amount=payload.base_amount,
        variable=payload.variable,
        tax_rate=payload.tax_rate,
        pay_day=payload.pay_day,
    )
    return Status(201, _recurring_out(template))


@router.post("/recurring/month", response={201: list[MonthItemOut], **ERRORS}, summary="定例支払の月分の一括起案")
def recurring_generate(request: HttpRequest, payload: MonthIn) -> Status[list[dict[str, Any]]]:
    """Draft a month's orders of the caller's section's recurring payments; each month once."""
    try:
        month = dt.datetime.strptime(payload.month, "%Y-%m").date()
    except ValueError:
        raise ValidationFailed("対象の月は YYYY-MM で指定してください。", field="month") from None
    items = recurring_month(actor=user_of(request), month=month, variable=payload.variable)
    body = [
        {"template_id": i.template.pk, "amount": i.amount, "order": i.order_id, "reasons": i.reasons} for i in items
    ]
    return Status(201, body)
