"""``manage.py export_zengin --date YYYY-MM-DD --output PATH`` (全銀 総合振込データの出力).

Exports the open payment batches (支払データ) of the date as the 会計管理者 through
``batch_export``, one file per batch (one per 会計 and 年度: each file's header names
its 会計's paying account, and during the 出納整理期間 the old and new year are never
in one file), and marks each paid (支払済) unless ``--no-mark-paid``. When the date
has batches of one 会計 and 年度 only, the file is PATH itself; else each is PATH with
``-<会計コード>-<年度>`` before its suffix (``out.txt`` → ``out-01-2026.txt``).
A batch already exported but not yet paid is written again from the stored file
(an audited download) and then marked paid. While one batch of the date, 会計 and
年度 is exported and not paid, a second one (approvals after the export) is
refused, naming the first, so none is forgotten.

The stored file is written as it was exported: ``--separator`` other than the
stored file's is refused rather than the file re-encoded, because the stored
bytes are the ones read back and checked at export and whose SHA-256 the audit
log holds; a re-encoded copy would be a file nobody checked.

After a crash (``kill -9``) at any point, running the command again finishes the
work: an open batch is exported; an exported one is written from its committed
bytes and marked paid; the output file is written whole or not at all.

The closing line gives the file's transfers (振込: records and total) apart from
the cash orders (窓口払), which are paid at the counter and are not in the file.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.core.checks import Tags
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import QuerySet
from django.utils import timezone

from cityhall.accounts.models import User
from cityhall.core.atomic_files import write_atomically
from cityhall.core.errors import ApplicationError
from cityhall.finance.models import BatchStatus, PaymentBatch
from cityhall.finance.selectors.batches import batch_totals
from cityhall.finance.services.batches import batch_export, batch_file, batch_mark_paid
from cityhall.finance.zengin import RECORD_LENGTH
from cityhall.org.models import Role, RoleGrant


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"日付「{text}」が正しくありません（YYYY-MM-DD の形式で指定してください）。") from None


def _treasurer(username: str | None) -> User:
    """The given user, or the first active user holding 会計管理者 today."""
    if username:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"ユーザー「{username}」は存在しません。")
        return user
    grant = (
        RoleGrant.objects.on(timezone.localdate())
        .filter(role=Role.TREASURER, user__is_active=True)
        .order_by("user_id")
        .first()
    )
    if grant is None:
        raise CommandError("会計管理者の権限を持つ有効なユーザーがいません（--user で指定してください）。")
    return grant.user


def _refuse_other_exported(batches: QuerySet[PaymentBatch], found: PaymentBatch) -> None:
    """Another batch of the same day, 会計 and 年度 exported but not paid must be handled first, or it would be
    forgotten."""
    other = batches.filter(status=BatchStatus.EXPORTED).exclude(pk=found.pk).order_by("pk").first()
    if other is None:
        return
    raise CommandError(
        f"支払日 {other.payment_date:%Y-%m-%d} には{_scope(other)}の出力済で未払の支払データ（ID {other.pk}、"
        f"{other.record_count:,}件、合計 {other.total_amount:,}円）があります。"
        "先にその支払データの振込を確認して支払済にしてから、もう一度実行してください。"
    )


def _scope(batch: PaymentBatch) -> str:
    """「一般会計 2026年度」: the 会計 and 年度 of a batch, as messages name them."""
    if batch.account is None:
        return "会計・年度の区別のない"
    return f"{batch.account.name} {batch.fiscal_year}年度"


def _batches(day: dt.date) -> list[PaymentBatch]:
    """Per (会計, 年度) of the day: the open batch, else the latest exported one; paid ones are done.

    Refused when every batch of the day is paid or none exists, and while another batch of the
    same 会計 and 年度 is exported and not yet paid (see ``_refuse_other_exported``).
    """
    batches = PaymentBatch.objects.filter(payment_date=day).select_related("account")
    groups = batches.order_by("account__sort_order", "account__code", "fiscal_year").values_list(
        "account_id", "fiscal_year"
    )
    chosen: list[PaymentBatch] = []
    for account_id, year in dict.fromkeys(groups):
        group = batches.filter(account_id=account_id, fiscal_year=year)
        for status in (BatchStatus.OPEN, BatchStatus.EXPORTED):
            found = group.filter(status=status).order_by("-pk").first()
            if found is not None:
                _refuse_other_exported(group, found)
                chosen.append(found)
                break
    if chosen:
        return chosen
    if batches.exists():
        raise CommandError(f"支払日 {day:%Y-%m-%d} の支払データは既に出力され、支払済です。")
    raise CommandError(f"支払日 {day:%Y-%m-%d} の支払データはありません（審査済の支出命令がありません）。")


def _output_path(output: Path, batch: PaymentBatch, several: bool) -> Path:
    """PATH itself when the day has one 会計 and 年度; else PATH with ``-<会計コード>-<年度>`` before the suffix."""
    if not several:
        return output
    code = batch.account.code if batch.account is not None else "x"
    return output.with_name(f"{output.stem}-{code}-{batch.fiscal_year}{output.suffix}")


def _refuse_other_separator(batch: PaymentBatch, wanted: str | None) -> None:
    """An already exported file is written as stored: a different ``--separator`` is refused, not re-encoded.

    Checked before the audited download (``batch_file``), from the end of the stored file's first
    120-byte record, so that a refusal leaves no record of a file handed out.
    """
    if not wanted or not batch.file_name:
        return
    first = bytes(batch.file_content[: RECORD_LENGTH + 2])
    if not first:  # exported before the bytes were kept in the database
        try:
            with default_storage.open(batch.file_name, "rb") as stored:
                first = stored.read(RECORD_LENGTH + 2)
        except FileNotFoundError:
            return  # batch_file names the missing file
    stored_separator = "crlf" if first[RECORD_LENGTH:] == b"\r\n" else "none"
    if stored_separator != wanted:
        raise CommandError(
            f"支払日 {batch.payment_date:%Y-%m-%d} の支払データ（ID {batch.pk}）は既に出力済で、"
            f"保存済みの振込データのレコード区切りは「{stored_separator}」です。指定された「{wanted}」では書き出しません"
            "（出力時に読み戻して確認したファイルをそのまま渡すため）。"
            f"--separator を指定しないか、--separator {stored_separator} を指定してください。"
        )


def _write(output: Path, content: bytes) -> None:
    """Write the file whole or not at all: a kill mid-write leaves no half file for the bank."""
    try:
        write_atomically(output, content)
    except OSError as exc:
        raise CommandError(
            f"{output} に書き込めません（{exc.strerror}）。支払データは出力済です。"
            "書き込める場所を指定してもう一度実行すると、保存済みのファイルを書き出します。"
        ) from exc


class Command(BaseCommand):
    help = "支払日の支払データを全銀 総合振込ファイルとして出力し、支払済にします。"
    # The model checks only: the URL checks import every view and API schema (about 0.6 s) and the
    # others (PDF font, templates, caches…) concern the web pages, not a file for the bank.
    requires_system_checks = [Tags.models]

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", required=True, help="支払日（YYYY-MM-DD）")
        parser.add_argument("--output", type=Path, required=True, help="書き出すファイルのパス")
        parser.add_argument(
            "--separator", choices=["crlf", "none"], default=None, help="レコード区切り（既定は設定値）"
        )
        parser.add_argument("--user", default=None, help="会計管理者のユーザー名（既定は最初の会計管理者）")
        parser.add_argument("--no-mark-paid", action="store_true", help="出力後に支払済にしない")

    def handle(self, *args: Any, **options: Any) -> None:
        day = _date(options["date"])
        output = Path(options["output"])
        if not output.parent.is_dir():
            raise CommandError(f"書き出し先のディレクトリ {output.parent} がありません。")
        actor = _treasurer(options["user"])
        batches = _batches(day)
        groups = PaymentBatch.objects.filter(payment_date=day).values("account_id", "fiscal_year").distinct()
        several = groups.count() > 1  # the same names on a second run after some batches were paid
        for batch in batches:
            self._one(batch, _output_path(output, batch, several), actor, options)

    def _one(self, batch: PaymentBatch, output: Path, actor: User, options: dict[str, Any]) -> None:
        """Export (or write again) one batch to ``output`` and mark it paid unless ``--no-mark-paid``."""
        try:
            if batch.status == BatchStatus.OPEN:
                result = batch_export(actor=actor, batch=batch, separator=options["separator"])
                content, count, total = result.content, result.count, result.total
                cash = (result.transfer_total, result.cash_count, result.cash_total)
            else:
                # Already exported: the stored file as it was, as an audited download.
                _refuse_other_separator(batch, options["separator"])
                content = batch_file(actor=actor, batch=batch) if batch.file_name else b""
                count, total = batch.record_count, batch.total_amount
                figures = batch_totals(batch)
                cash = (figures.transfer_total, figures.cash_orders, figures.cash_total)
            if content:
                _write(output, content)
            if not options["no_mark_paid"]:
                batch_mark_paid(actor=actor, batch=batch)
        except ApplicationError as exc:
            raise CommandError(f"{_scope(batch)}: {exc.message}") from exc
        written = f"{output} に書き出しました" if content else "口座振込がないためファイルは作成していません"
        paid = "" if options["no_mark_paid"] else "、支払済にしました"
        self.stdout.write(
            self.style.SUCCESS(
                f"支払日 {batch.payment_date:%Y-%m-%d}（{_scope(batch)}）: 振込データ {count:,}件 "
                f"{cash[0]:,}円、"
                f"窓口払（振込データに含まない） {cash[1]:,}件 {cash[2]:,}円、"
                f"支払データの合計 {total:,}円。{written}{paid}。"
            )
        )
