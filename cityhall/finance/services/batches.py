"""Payment batches (支払データ): the 全銀 総合振込 export, the re-download and 支払済.

A batch holds the approved orders of one payment date, one 会計 and one 年度; its file's
header names the paying account of that 会計 (``services.paying_accounts``). Only
口座振込 (``PaymentMethod.TRANSFER``) lines are written: every other method (窓口払 …)
is paid without a bank file and only counts in the batch total.

One data record per payee account (振込先口座ごとに合算): the transfer lines of
all orders in the batch that pay the same creditor account are summed into one
record, as the city pays one transfer fee per payee and date. Each line
contributes its amount less its withholding (支払額 = 金額 − 源泉徴収額). Cash
orders (窓口払) are not in the file but count in the batch total.

The file is read back with our own reader and checked against the database
(record count, transfer total, date) before the batch is marked exported; any
mismatch rolls everything back. Its bytes and SHA-256 are committed in the
same transaction as the status 出力済, so a crash at any point leaves either an
open batch and no file anywhere, or an exported batch with its whole file.
Only after the commit is the copy in storage (``zengin/<date>/…``) written, whole
or not at all (``core.atomic_files``); a copy that a crash kept from being
written is written again from the committed bytes by the next download or run
(``batch_file``, ``export_zengin``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import logging
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.db.models import Sum
from django.utils import timezone

from cityhall.core.atomic_files import store_atomically
from cityhall.core.audit import record, snapshot
from cityhall.core.bulk import update_bytes
from cityhall.core.collector import collector_paused
from cityhall.core.errors import ApplicationError, Conflict, PermissionDenied, ValidationFailed
from cityhall.core.japanese.display import shown_date
from cityhall.core.remote_policy import DataClass, Mode, remote_mode
from cityhall.finance import banks
from cityhall.finance.models import BatchStatus, PaymentBatch, PaymentMethod, PaymentOrder, PaymentOrderLine
from cityhall.finance.selectors.batches import batch_totals
from cityhall.finance.selectors.paying_accounts import paying_account_of
from cityhall.finance.services._common import require_treasurer, today
from cityhall.finance.services.withholding import withholding_receive
from cityhall.finance.zengin import Separator, Transfer, TransferHeader, check_zengin, write_zengin

BATCH_NOT_FOUND = "支払データが見つかりません。"
NAME_WIDTH = 15  # bank and branch name fields of the 全銀 records
_BATCH_FIELDS = ["status", "record_count", "total_amount", "file_name", "exported_at", "exported_by_id", "paid_at"]
_EXPORT_FIELDS = ["status", "record_count", "total_amount", "file_name", "file_content", "file_sha256"]
logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ExportResult:
    """What an export produced: the stored file's name, its bytes, the record count and the batch total (円).

    ``total`` is the batch total (振込 + 窓口払); ``count`` and ``transfer_total`` are
    the file's records and total (振込), ``cash_count`` and ``cash_total`` the cash
    orders (窓口払, not in the file). ``file_name`` and ``content`` are empty when
    the batch holds only cash orders.
    """

    file_name: str
    content: bytes
    count: int
    total: int
    transfer_total: int = 0
    cash_count: int = 0
    cash_total: int = 0


@dataclass(frozen=True)
class _File:
    """The file made for a batch: its bytes (empty when the batch pays no transfer), records and total (円)."""

    content: bytes
    count: int
    transfer_total: int


@dataclass(frozen=True)
class _Payees:
    """The file's data records in the making: one transfer per payee account, in the order of its first line.

    ``lines`` are the transfer lines (``_LINE_COLUMNS``) they sum, kept to name them in a message.
    """

    transfers: list[Transfer]
    lines: list[tuple[Any, ...]]

    def rows(self, index: int) -> str:
        """The order lines of the ``index``-th transfer (0-based), as a refusal of its record names them."""
        account = list(dict.fromkeys(line[2] for line in self.lines))[index]
        return "、".join(_row_labels([line[0] for line in self.lines if line[2] == account]))


def _locked_batch(batch: PaymentBatch) -> PaymentBatch:
    # Without the file's bytes: exporting writes them, marking paid never reads them (12 MB at 100,000 payees).
    locked = PaymentBatch.objects.select_for_update().defer("file_content").filter(pk=batch.pk).first()
    if locked is None:
        raise PermissionDenied(BATCH_NOT_FOUND)
    return locked


def _separator(separator: str | None) -> Separator:
    value = separator or settings.CITYHALL_ZENGIN.get("separator", "crlf")
    if value not in ("crlf", "none"):
        raise ValidationFailed(f"レコード区切り「{value}」は使えません（crlf または none）。", field="separator")
    return "crlf" if value == "crlf" else "none"


class _Names:
    """Half-width kana names of banks and branches from zengin-code, looked up once per code."""

    def __init__(self) -> None:
        self._banks: dict[str, str] = {}
        self._branches: dict[tuple[str, str], str] = {}
        self._pairs: dict[tuple[str, str], tuple[str, str]] = {}

    def bank(self, code: str) -> str:
        if code not in self._banks:
            self._banks[code] = banks.bank(code).kana_halfwidth[:NAME_WIDTH]
        return self._banks[code]

    def branch(self, bank_code: str, code: str) -> str:
        key = (bank_code, code)
        if key not in self._branches:
            self._branches[key] = banks.branch(bank_code, code).kana_halfwidth[:NAME_WIDTH]
        return self._branches[key]

    def pair(self, bank_code: str, code: str) -> tuple[str, str]:
        """(bank name, branch name) in one look-up: a payee's record needs both."""
        key = (bank_code, code)
        found = self._pairs.get(key)
        if found is None:
            found = self._pairs[key] = (self.bank(bank_code), self.branch(bank_code, code))
        return found


def _payer_label(batch: PaymentBatch) -> str:
    """How messages name the paying account of the batch's 会計 (or the city-wide setting)."""
    account = batch.account
    if account is not None and account.has_own_paying_account:
        return f"{account.name}の支払口座"
    return "振込元口座の設定（CITYHALL_ZENGIN）"


def _header(batch: PaymentBatch, names: _Names) -> TransferHeader:
    """The header from the paying account of the batch's 会計 (支払口座; default ``settings.CITYHALL_ZENGIN``)."""
    if batch.account is None:  # only batches exported before 会計別; an open batch always has its 会計
        raise Conflict("この支払データには会計がありません。")
    payer = paying_account_of(batch.account)
    try:
        return TransferHeader(
            requester_code=payer.requester_code,
            requester_name=payer.requester_name,
            transfer_date=batch.payment_date,
            bank_code=payer.bank_code,
            bank_name=names.bank(payer.bank_code),
            branch_code=payer.branch_code,
            branch_name=names.branch(payer.bank_code, payer.branch_code),
            account_type=payer.account_type,
            account_number=payer.account_number,
        )
    except ValidationFailed as error:
        raise ValidationFailed(f"{_payer_label(batch)}: {error.message}", field="settings") from error


_LINE_COLUMNS = (
    "pk",
    "creditor_id",
    "bank_account_id",
    "bank_account__creditor_id",
    "bank_account__bank_code",
    "bank_account__branch_code",
    "bank_account__account_type",
    "bank_account__account_number",
    "bank_account__holder_kana",
    "amount",
    "withholding",
)


def _transfer_lines(batch: PaymentBatch) -> list[tuple[Any, ...]]:
    """The batch's transfer lines (``_LINE_COLUMNS``) in file order, in one query and one fetch (all are kept).

    Fetched through the cursor: the columns are integers and text, which the database driver already
    gives as Python needs them, and at 100,000 lines the queryset's row-by-row iteration cost a sixth of
    the read.
    """
    rows = PaymentOrderLine.objects.filter(order__batch=batch, order__payment_method=PaymentMethod.TRANSFER)
    query = rows.order_by("order__document__number", "order_id", "position").values_list(*_LINE_COLUMNS)
    sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


def _row_labels(line_ids: list[int]) -> list[str]:
    """「支出命令 緑総第12号 の1行目（山田商事）」: how messages name order lines (read only for a message)."""
    found = PaymentOrderLine.objects.filter(pk__in=line_ids).values_list(
        "pk", "order__document__number_label", "position", "creditor__name"
    )
    labels = {pk: f"支出命令 {number} の{position}行目（{creditor}）" for pk, number, position, creditor in found}
    return [labels[pk] for pk in line_ids]


def _payees(batch: PaymentBatch, names: _Names) -> _Payees:
    """Transfer lines summed per payee account; a line with bad payee data is refused by order and row.

    One pass over the lines summing integers per account, then one ``Transfer`` per account: at 100,000
    payees every object or call more per line or per payee costs about a tenth of a second, so a line of
    an account already seen only adds its amount, and a new one keeps the line with its bank and branch
    names (looked up once per branch). The order lines' names (document number, creditor) are read only
    when a message needs them.
    """
    lines = _transfer_lines(batch)
    amounts: dict[int, int] = {}
    payees: dict[int, tuple[tuple[Any, ...], tuple[str, str]]] = {}
    for line in lines:
        account_id = line[2]
        if account_id in amounts and line[3] == line[1]:  # the account seen, and its creditor's
            amounts[account_id] += line[9] - line[10]  # 金額 − 源泉徴収額
            continue
        payees[account_id] = (line, _payee_names(line, names))
        amounts[account_id] = line[9] - line[10]
    transfers = [
        Transfer(line[4], bank, line[5], branch, line[6], line[7], line[8], amounts[account_id])
        for account_id, (line, (bank, branch)) in payees.items()
    ]
    return _Payees(transfers=transfers, lines=lines)


def _payee_names(line: tuple[Any, ...], names: _Names) -> tuple[str, str]:
    """The bank and branch names of a line's account; a line without its creditor's account is refused."""
    line_id, creditor_id, account_id, owner_id, bank, branch = line[:6]
    if account_id is None:
        raise ValidationFailed(f"{_row_labels([line_id])[0]}: 振込口座が指定されていません。", field="bank_account")
    if owner_id != creditor_id:
        raise ValidationFailed(
            f"{_row_labels([line_id])[0]}: 振込口座がこの債権者の口座ではありません。", field="bank_account"
        )
    try:
        return names.pair(bank, branch)
    except ValidationFailed as error:
        raise ValidationFailed(f"{_row_labels([line_id])[0]}: {error.message}", field=error.field) from error


def _write(batch: PaymentBatch, header: TransferHeader, payees: _Payees, separator: Separator) -> bytes:
    """The file's bytes; a field the writer refuses is reported with the order lines of its record."""
    out = io.BytesIO()
    try:
        write_zengin(out, header, payees.transfers, separator=separator)
    except ValidationFailed as error:
        number = int(str(error.extra.get("record", 0)))
        if 2 <= number <= len(payees.transfers) + 1:
            rows = payees.rows(number - 2)
            raise ValidationFailed(f"{rows}: {error.message}", field=error.field, extra=error.extra) from error
        where = _payer_label(batch) if number == 1 else "振込データを作成できません"
        raise ValidationFailed(f"{where}: {error.message}", field=error.field) from error
    return out.getvalue()


def _verify(content: bytes, batch: PaymentBatch, expected_count: int) -> None:
    """Read the file back and compare its count, total and date with the database.

    ``expected_count`` is the number of payee accounts among the batch's transfer lines, as read in this
    transaction with the batch locked; the total is summed from the orders apart from the lines.
    """
    expected_total = int(
        PaymentOrder.objects.filter(batch=batch, payment_method=PaymentMethod.TRANSFER).aggregate(
            total=Sum("payment_amount")
        )["total"]
        or 0
    )
    parsed = check_zengin(io.BytesIO(content), year=batch.payment_date.year)
    found = (parsed.count, parsed.total, parsed.header.transfer_date)
    if found != (expected_count, expected_total, batch.payment_date):
        raise ValidationFailed(
            "出力した振込データがデータベースと一致しないため、出力を取り消しました"
            f"（ファイル: {parsed.count:,}件 {parsed.total:,}円 振込日{parsed.header.transfer_date:%m月%d日}、"
            f"データベース: {expected_count:,}件 {expected_total:,}円 振込日{batch.payment_date:%m月%d日}）。",
            field="batch",
        )


def _file_name(batch: PaymentBatch) -> str:
    """``zengin/<date>/sogo-furikomi-<date>-<会計コード>-<年度>-<id>.txt``: one file per batch (date, 会計, 年度)."""
    day = batch.payment_date
    code = batch.account.code if batch.account is not None else "x"
    return f"zengin/{day:%Y-%m-%d}/sogo-furikomi-{day:%Y%m%d}-{code}-{batch.fiscal_year}-{batch.pk}.txt"


def _check_exportable(batch: PaymentBatch, day: dt.date) -> int:
    """The batch must be open, hold orders and pay today or later; returns the batch total (円)."""
    if batch.status != BatchStatus.OPEN:
        raise Conflict(f"この支払データは既に出力されています（状態: {batch.get_status_display()}）。")
    total = batch.orders.aggregate(total=Sum("payment_amount"))["total"]
    if total is None:
        raise ValidationFailed("この支払データには支出命令がありません。", field="batch")
    if batch.payment_date < day:
        raise ValidationFailed(
            f"支払日（{shown_date(batch.payment_date)}）が過ぎているため振込データを出力できません。", field="batch"
        )
    return int(total)


def _check_confirmed(batch: PaymentBatch, total: int, expected: tuple[int, int] | None) -> None:
    """The batch still holds what the accounting manager confirmed (orders and total), else nothing is written."""
    if expected is None:
        return
    count = batch.orders.count()
    if (count, total) != expected:
        raise Conflict(
            f"確認した後に支払データの内容が変わりました（確認時: {expected[0]}件 {expected[1]:,}円、"
            f"現在: {count}件 {total:,}円）。内容を確かめて、もう一度出力してください。",
            field="batch",
        )


REMOTE_FILE_REFUSED = (
    "リモートアクセスの方針により、支払先の口座番号を含む振込データは庁外（リモート）からは出力・取得できません。"
    "庁内のネットワークから利用してください。"
)


class RemoteFileRefused(ApplicationError):
    """The 全銀 file asked from a remote session the policy keeps from whole account numbers (403)."""

    status_code = 403


def refuse_remote_file(actor: Any) -> None:
    """Refuse the 全銀 file (every payee's whole account number) unless the policy lets the session see them."""
    if remote_mode(actor, DataClass.PAYEE_ACCOUNT) is not Mode.SEE:
        raise RemoteFileRefused(REMOTE_FILE_REFUSED, field="batch")


def batch_export(
    *,
    actor: Any,
    batch: PaymentBatch,
    separator: str | None = None,
    on: dt.date | None = None,
    expected: tuple[int, int] | None = None,
) -> ExportResult:
    """Export a batch as a 全銀 総合振込 file (振込データ出力): stored, read back and checked, then 出力済.

    ``separator`` is ``"crlf"`` or ``"none"`` (default: ``settings.CITYHALL_ZENGIN``);
    ``on`` is the day of the export (today in Japan), which must not be after the payment date;
    ``expected`` is the (orders, total) the screen asked the accounting manager to confirm.
    """
    day = today(on)
    actor = require_treasurer(actor, on=day)
    refuse_remote_file(actor)
    sep = _separator(separator)
    with transaction.atomic(durable=True):
        locked = _locked_batch(batch)
        total = _check_exportable(locked, day)
        _check_confirmed(locked, total, expected)
        figures = batch_totals(locked)
        made = _file(locked, sep)
        content = made.content
        before = snapshot(locked, _BATCH_FIELDS)
        locked.status = BatchStatus.EXPORTED
        locked.record_count = made.count
        locked.total_amount = total
        locked.file_name = _file_name(locked) if content else ""
        locked.file_sha256 = hashlib.sha256(content).hexdigest() if content else ""
        locked.exported_at = timezone.now()
        locked.exported_by = actor
        fields = [name for name in _EXPORT_FIELDS if name != "file_content"]
        locked.save(update_fields=[*fields, "exported_at", "exported_by"])
        update_bytes(PaymentBatch, locked.pk, "file_content", content)  # 12 MB at 100,000 payees
        locked.file_content = content
        after = snapshot(locked, _BATCH_FIELDS)
        after.update(separator=sep, size=len(content), sha256=locked.file_sha256)
        record(actor=actor, action="finance.payment_batch.export", obj=locked, before=before, after=after)
    # Committed: only now may a file of this batch appear in storage.
    if content:
        _store_copy(locked.file_name, content)
    return ExportResult(
        file_name=locked.file_name,
        content=content,
        count=made.count,
        total=total,
        transfer_total=made.transfer_total,
        cash_count=figures.cash_orders,
        cash_total=figures.cash_total,
    )


def _file(batch: PaymentBatch, separator: Separator) -> _File:
    """The batch's file, written and read back, with the cycle collector paused (``core.collector``).

    At 100,000 payees the lines, transfers and records it builds, none of which holds a cycle, set the
    collector off thousands of times; they are all freed when ``_made_file`` returns, before it resumes.
    """
    with collector_paused():
        return _made_file(batch, separator)


def _made_file(batch: PaymentBatch, separator: Separator) -> _File:
    """The file's bytes (none without transfers), checked against the database, with its records and total."""
    names = _Names()
    payees = _payees(batch, names)
    if not payees.transfers:
        return _File(content=b"", count=0, transfer_total=0)
    content = _write(batch, _header(batch, names), payees, separator)
    _verify(content, batch, len(payees.transfers))
    total = sum(transfer.amount for transfer in payees.transfers)
    return _File(content=content, count=len(payees.transfers), transfer_total=total)


def _store_copy(name: str, content: bytes) -> None:
    """The storage copy of a committed file, whole; a failure leaves it to the next download or run."""
    try:
        store_atomically(default_storage, name, content)
    except OSError:
        logger.exception("振込データ %s を保存できませんでした（次回の再取得で保存します）。", name)


def _stored_content(batch: PaymentBatch) -> bytes:
    """The exported file: the committed bytes, its storage copy written again when missing or different."""
    content = bytes(batch.file_content)
    if not content:  # exported before the bytes were kept in the database: the stored file only
        try:
            with default_storage.open(batch.file_name, "rb") as stored:
                return bytes(stored.read())
        except FileNotFoundError:
            raise Conflict(f"保存された振込データ（{batch.file_name}）が見つかりません。") from None
    try:
        with default_storage.open(batch.file_name, "rb") as stored:
            intact = stored.read() == content
    except FileNotFoundError:
        intact = False
    if not intact:
        _store_copy(batch.file_name, content)
    return content


def batch_mark_paid(*, actor: Any, batch: PaymentBatch, on: dt.date | None = None) -> PaymentBatch:
    """Mark an exported batch paid (支払済): its orders count as paid in the execution figures.

    The lines' withheld tax (源泉徴収) is received into the 歳計外現金 ledger in the same transaction.
    """
    actor = require_treasurer(actor, on=on)
    with transaction.atomic(durable=True):
        locked = _locked_batch(batch)
        if locked.status == BatchStatus.OPEN:
            raise Conflict("振込データを出力してから支払済にしてください。")
        if locked.status == BatchStatus.PAID:
            raise Conflict("この支払データは既に支払済です。")
        before = snapshot(locked, _BATCH_FIELDS)
        locked.status = BatchStatus.PAID
        locked.paid_at = timezone.now()
        locked.save(update_fields=["status", "paid_at"])
        withholding_receive(actor=actor, batch=locked)  # 源泉所得税 into the 歳計外現金 ledger
        record(
            actor=actor,
            action="finance.payment_batch.mark_paid",
            obj=locked,
            before=before,
            after=snapshot(locked, _BATCH_FIELDS),
        )
    return locked


def batch_file(*, actor: Any, batch: PaymentBatch) -> bytes:
    """The stored 全銀 file of an exported batch (振込データの再ダウンロード); each download is audited."""
    actor = require_treasurer(actor)
    refuse_remote_file(actor)
    with transaction.atomic(durable=True):
        locked = PaymentBatch.objects.filter(pk=batch.pk).first()
        if locked is None:
            raise PermissionDenied(BATCH_NOT_FOUND)
        if locked.status == BatchStatus.OPEN:
            raise Conflict("この支払データはまだ出力されていません。")
        if not locked.file_name:
            raise Conflict("この支払データには口座振込がないため、振込データのファイルはありません。")
        content = _stored_content(locked)
        record(
            actor=actor,
            action="finance.payment_batch.download",
            obj=locked,
            after={"file_name": locked.file_name, "size": len(content), "sha256": hashlib.sha256(content).hexdigest()},
        )
    return content


__all__ = ["ExportResult", "batch_export", "batch_file", "batch_mark_paid"]
