"""Importing invoice files as payment orders (請求書の取込): read, validate, match, draft, report.

One import is one unit. Every file is read and checked first (safe XML, the JP PINT fields, the
arithmetic, duplicates within the upload and against earlier imports), then matched to a creditor,
account and encumbrance or default line. In one durable transaction the accepted invoices are
drafted as payment orders (``finance.services.payment_orders_bulk``: each in a savepoint, so an
order the budget refuses is reported and the others go on), and the import with a row per invoice
is stored; a crash at any point leaves nothing, and the database's constraint on accepted invoices
makes a second run of the same files refuse them as duplicates. A dry run does the same inside a
transaction that is rolled back, so its report says exactly what a real run would do.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import zipfile
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction

from cityhall.accounts.models import User
from cityhall.automation.einvoice.errors import InvoiceRejected
from cityhall.automation.einvoice.jp_pint import Invoice
from cityhall.automation.einvoice.validation import Reason, validate
from cityhall.automation.models import ImportedInvoice, ImportSource, InvoiceImport, InvoiceKind, SupplierMapping
from cityhall.automation.services.drafts import group_drafts, lines_total, order_draft
from cityhall.automation.services.matching import Match, Refused, lookup_for, match_invoice
from cityhall.automation.services.reading import InvoiceFile, Layouts, kind_of, read_file
from cityhall.automation.services.saved_time import import_saved_time
from cityhall.core.audit import record
from cityhall.core.bulk import insert_rows
from cityhall.core.collector import collector_paused
from cityhall.core.errors import ApplicationError, Conflict, ValidationFailed
from cityhall.core.japanese import format_yen
from cityhall.finance.services import require_user, today
from cityhall.finance.services.payment_orders_bulk import payment_orders_draft_many

MAX_FILES = 50_000
PROGRESS_EVERY = 50
MAX_FILE_BYTES = 5_000_000  # the same limit as the XML reader's


def _minutes() -> dict[str, int]:
    return {kind: int(getattr(settings, "CITYHALL_MINUTES_PER_SLIP", {}).get(kind, 0)) for kind in InvoiceKind.values}


@dataclass
class Outcome:
    """What became of one file: the invoice read from it, whether it is accepted, why not, its order."""

    file: InvoiceFile
    invoice: Invoice | None = None
    reasons: list[Reason] = field(default_factory=list)
    match: Match | None = None
    order_id: int | None = None
    kind: str = InvoiceKind.JP_PINT
    file_index: int = 0  # the file's position in the upload (a CSV gives several invoices)

    @property
    def accepted(self) -> bool:
        return not self.reasons

    def as_json(self) -> dict[str, Any]:
        inv = self.invoice
        return {
            "file": self.file.name,
            "invoice_number": inv.invoice_number if inv else "",
            "registration_number": inv.registration_number if inv else "",
            "payable": int(inv.totals.payable_amount) if inv else None,
            "accepted": self.accepted,
            "reasons": [{"field": r.field, "message": r.message} for r in self.reasons],
            "order": self.order_id,
        }


@dataclass(frozen=True)
class ImportReport:
    """The report of an import (取込結果): one outcome per file, and the stored import unless a dry run."""

    outcomes: tuple[Outcome, ...]
    dry_run: bool
    import_id: int | None = None

    @property
    def accepted(self) -> int:
        return sum(1 for o in self.outcomes if o.accepted)

    @property
    def rejected(self) -> int:
        return len(self.outcomes) - self.accepted

    def as_json(self) -> dict[str, Any]:
        return {"invoices": [o.as_json() for o in self.outcomes]}


def _read(index: int, file: InvoiceFile, day: dt.date, seen: set[tuple[str, str]], layouts: Layouts) -> list[Outcome]:
    """Read and validate one file: one outcome per invoice in it, or one refusal for a file not read."""
    kind = kind_of(file)
    try:
        read = read_file(file, kind, layouts)
    except InvoiceRejected as exc:
        return [Outcome(file, reasons=[Reason(exc.field, exc.message)], kind=kind, file_index=index)]
    outcomes = []
    for invoice, reasons in read:
        outcome = Outcome(file, invoice=invoice, reasons=list(reasons), kind=kind, file_index=index)
        if invoice is not None and not reasons:
            outcome.reasons.extend(validate(invoice, seen=seen, today=day))
        outcomes.append(outcome)
    return outcomes


def _earlier(outcomes: Iterable[Outcome]) -> None:
    """Refuse what an earlier import already accepted (登録番号 + 請求書番号)."""
    keys = {(o.invoice.registration_number, o.invoice.invoice_number): o for o in outcomes if o.invoice and o.accepted}
    if not keys:
        return
    numbers = {number for _reg, number in keys}
    found = ImportedInvoice.objects.filter(accepted=True, invoice_number__in=numbers).values_list(
        "registration_number", "invoice_number"
    )
    for key in found:
        if key in keys:
            keys[key].reasons.append(
                Reason("invoice_number", "この請求書は以前の取込で受け付け済みです（二重払いの防止）。")
            )


def _match(actor: User, outcomes: Sequence[Outcome]) -> None:
    readable = [o for o in outcomes if o.accepted and o.invoice is not None]
    lookup = lookup_for(actor, [o.invoice for o in readable if o.invoice is not None])
    for outcome in readable:
        assert outcome.invoice is not None
        try:
            outcome.match = match_invoice(actor, outcome.invoice, lookup)
        except Refused as exc:
            outcome.reasons.append(exc.reason)
            continue
        payable, ordered = int(outcome.invoice.totals.payable_amount), lines_total(outcome.invoice)
        if payable != ordered:  # a prepaid part or a rounding: the order would not pay what is asked
            outcome.reasons.append(
                Reason(
                    "payable_amount",
                    f"前払額または端数調整のある請求書は自動では支出命令にできません（請求金額: "
                    f"{format_yen(payable)}、税率ごとの税込合計: {format_yen(ordered)}）。",
                )
            )


def _reason(error: ApplicationError) -> Reason:
    return Reason(getattr(error, "field", None) or "order", error.message)


def _draft(actor: User, outcomes: Sequence[Outcome], day: dt.date) -> None:
    """Draft the accepted ones, grouped, inside the caller's transaction; a refused order adds its reason.

    A group the finance rules refuse (the budget's hard stop, say) is tried again invoice by invoice,
    so only the invoices at fault are refused.
    """
    ready = [(n, o.invoice, o.match) for n, o in enumerate(outcomes) if o.accepted and o.invoice and o.match]
    groups = group_drafts(ready, day)
    results = payment_orders_draft_many(actor=actor, drafts=[g.draft for g in groups], on=day)
    retry = []
    for group, result in zip(groups, results, strict=True):
        if result.order is not None:
            for n in group.members:
                outcomes[n].order_id = result.order.pk
        elif len(group.members) > 1:
            retry += [order_draft(str(n), outcomes[n].invoice, outcomes[n].match, day) for n in group.members]  # type: ignore[arg-type]
        elif result.error is not None:
            outcomes[group.members[0]].reasons.append(_reason(result.error))
    for result in payment_orders_draft_many(actor=actor, drafts=retry, on=day):
        outcome = outcomes[int(result.key)]
        if result.order is not None:
            outcome.order_id = result.order.pk
        elif result.error is not None:
            outcome.reasons.append(_reason(result.error))


def member_name(outcome: Outcome) -> str:
    """The name of a file's original inside its import's archive (the upload's name is not trusted)."""
    suffixes: dict[str, str] = {InvoiceKind.CSV: "csv", InvoiceKind.EXCEL: "xlsx"}
    suffix = suffixes.get(outcome.kind, "xml")
    return f"{outcome.file_index:06d}.{suffix}"


Members = tuple[tuple[str, bytes], ...]


def _members(outcomes: Sequence[Outcome]) -> Members:
    """The originals kept: each file with an accepted invoice once, named by its position in the upload."""
    members: dict[str, bytes] = {}
    for outcome in outcomes:
        if outcome.accepted:
            members.setdefault(member_name(outcome), outcome.file.data)
    return tuple(members.items())


def _archive(members: Members) -> bytes:
    """The originals as one zip."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for name, data in members:
            archive.writestr(name, data)
    return buffer.getvalue()


def _packed(outcomes: Sequence[Outcome], members: Members, packing: Future[bytes]) -> bytes:
    """The zip packed while the orders were drafted, or packed again if drafting refused one of its files."""
    now = _members(outcomes)
    return packing.result() if now == members else _archive(now)


def read_original(row: ImportedInvoice, limit: int) -> bytes:
    """An imported invoice's original, from its import's archive (at most ``limit`` bytes)."""
    with (
        row.invoice_import.archive.open("rb") as handle,
        zipfile.ZipFile(handle) as archive,
        archive.open(row.original) as member,
    ):
        return member.read(limit)


def _row(run: InvoiceImport, position: int, outcome: Outcome, minutes: dict[str, int]) -> dict[str, Any]:
    """The ``ImportedInvoice`` of one outcome, as the values ``insert_rows`` takes."""
    inv = outcome.invoice
    return {
        "invoice_import_id": run.pk,
        "position": position,
        "file_name": outcome.file.name[:255],
        "file_sha256": hashlib.sha256(outcome.file.data).hexdigest(),
        "original": member_name(outcome) if outcome.accepted else "",
        "invoice_number": (inv.invoice_number if inv else "")[:100],
        "registration_number": (inv.registration_number if inv else "")[:20],
        "seller_name": (inv.seller_name if inv else "")[:200],
        "payable": int(inv.totals.payable_amount) if inv else None,
        "kind": outcome.kind,
        "minutes_saved": minutes.get(outcome.kind, 0) if outcome.order_id else 0,
        "accepted": outcome.accepted,
        "reasons": [{"field": r.field, "message": r.message} for r in outcome.reasons],
        "creditor_id": outcome.match.creditor.pk if outcome.match else None,
        "order_id": outcome.order_id,
    }


def _store(actor: User, source: str, outcomes: Sequence[Outcome], archive: bytes) -> InvoiceImport:
    """The import and a row per file, with the originals of the accepted invoices (``archive``), in the transaction."""
    accepted = sum(1 for o in outcomes if o.accepted)
    run = InvoiceImport.objects.create(
        created_by=actor, source=source, total=len(outcomes), accepted=accepted, rejected=len(outcomes) - accepted
    )
    if accepted:
        run.archive.save(f"import-{run.pk}.zip", ContentFile(archive), save=False)
        run.save(update_fields=["archive"])
    minutes = _minutes()
    insert_rows(ImportedInvoice, (_row(run, n, outcome, minutes) for n, outcome in enumerate(outcomes, start=1)))
    record(
        actor=actor,
        action="automation.import.create",
        obj=run,
        after={"total": run.total, "accepted": run.accepted, "rejected": run.rejected, "source": source},
    )
    return run


def import_invoices(
    *,
    actor: Any,
    files: Sequence[InvoiceFile],
    source: str = ImportSource.COMMAND,
    dry_run: bool = False,
    on: dt.date | None = None,
    progress: Callable[[int], None] | None = None,
    on_create: Callable[[], object] | None = None,
    mapping: SupplierMapping | None = None,
) -> ImportReport:
    """Import ``files`` as payment orders drafted by ``actor`` for their section, all or nothing.

    Refused invoices do not block the accepted ones; the report says for each file the order it
    became or the reasons (field and message in Japanese). CSV and Excel files are read with the
    supplier's ``mapping`` (取引先の読み取り形式), or without one with the layout of the supplier whose
    登録番号 each file names (``reading.Layouts``); a JP PINT file needs none. ``progress(n)`` is told every 50 files
    read; ``on_create()`` when the orders are about to be drafted.
    """
    actor = require_user(actor)
    day = today(on)
    if not files:
        raise ValidationFailed("取り込む請求書ファイルを指定してください。", field="files")
    if len(files) > MAX_FILES:
        raise ValidationFailed(f"一度に取り込めるのは{MAX_FILES:,}件までです。", field="files")
    # A year's invoices, their outcomes and rows are hundreds of thousands of objects, none in a cycle.
    with collector_paused():
        seen: set[tuple[str, str]] = set()
        layouts = Layouts(mapping)
        outcomes = []
        for n, file in enumerate(files, start=1):
            outcomes += _read(n, file, day, seen, layouts)
            if progress is not None and (n % PROGRESS_EVERY == 0 or n == len(files)):
                progress(n)
        _earlier(outcomes)
        _match(actor, outcomes)
        if on_create is not None:
            on_create()
        if dry_run:
            with transaction.atomic():
                _draft(actor, outcomes, day)
                transaction.set_rollback(True)
            return ImportReport(tuple(replace(o, order_id=None) for o in outcomes), dry_run=True)
        members = _members(outcomes)
        # zlib lets go of the GIL while it compresses: the originals are packed on a second core while the
        # orders are drafted (a year's invoices take seconds to pack); the thread touches no database.
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="invoice-archive") as packer:
            packing = packer.submit(_archive, members)
            try:
                with transaction.atomic(durable=True):
                    _draft(actor, outcomes, day)
                    run = _store(actor, source, outcomes, _packed(outcomes, members, packing))
                    import_saved_time(actor, run)
            except IntegrityError as exc:  # another import accepted the same invoice meanwhile
                raise Conflict("同じ請求書を含む取込が同時に行われました。もう一度取り込んでください。") from exc
        return ImportReport(tuple(outcomes), dry_run=False, import_id=run.pk)


def summary(report: ImportReport) -> str:
    """「120件中 118件を受け付け、2件を受け付けませんでした（計 1,234,567円）」."""
    total = sum(int(o.invoice.totals.payable_amount) for o in report.outcomes if o.accepted and o.invoice)
    what = "受け付けます" if report.dry_run else "受け付けました"
    return (
        f"{len(report.outcomes)}件中 {report.accepted}件を{what}（計 {format_yen(total)}）。"
        f"受け付けない請求書: {report.rejected}件。"
    )
