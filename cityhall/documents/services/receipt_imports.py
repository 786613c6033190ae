"""Online applications taken in as receipts (オンライン申請の取込): a CSV of applications and a ZIP of their files.

The layout (one row per application, read by ``cityhall.core.tables`` in UTF-8, UTF-8 with BOM or
Shift_JIS) is ``FIELDS`` and is documented in ``docs/receipts-import.md``. Each application becomes
a receipt of the importer's section (収受の方法 オンライン申請, 個人情報あり, 収受日 = the day it was
applied, 収受番号 in the order applied) with the files its row names in the ZIP (``_receipt_zip``),
each checked as an attachment is (``files.check_upload``).

An application already received (the same 申請番号, in any section) is skipped and reported, never
taken twice, so an export that overlaps the last one can be imported again. An import takes all
its new applications or none: any row that cannot be read, any file missing or refused, refuses
the whole import with every reason (row, column, reason in Japanese) and stores nothing. A
preview (``dry_run``) makes the same checks and writes only its audit entry (the file held
applicants' names). Files are checked before the transaction and read again to be stored within
it (their SHA-256 must match), so memory holds one file at a time.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import unicodedata
from dataclasses import dataclass, field
from functools import partial
from typing import IO

from django.db import IntegrityError, transaction
from django.utils import timezone

from cityhall.accounts.models import User
from cityhall.core.audit import record
from cityhall.core.errors import Conflict, PermissionDenied, ValidationFailed
from cityhall.core.tables import Field, Layout, Row, cells, read_rows
from cityhall.core.tables.cells import CellProblem, shown
from cityhall.documents._receipt_zip import AttachmentArchive, normalized_name
from cityhall.documents.files import CheckedFile, check_upload
from cityhall.documents.models import FileOrigin, Receipt, ReceiptChannel
from cityhall.documents.rules import section_of
from cityhall.documents.services._common import require_user
from cityhall.documents.services.receipts import forget_stored_files, receipt_file_insert, receipt_insert
from cityhall.org.models import OrgUnit

IMPORT = "documents.receipt.import"
PREVIEW = "documents.receipt.import_preview"
APPLICATION_NUMBER_MAX = 60
_APPLICATION_NUMBER = re.compile(r"[0-9A-Za-z][0-9A-Za-z_./-]*")
_MOMENT = re.compile(
    r"(?P<y>[0-9]{4})[-/](?P<m>[0-9]{1,2})[-/](?P<d>[0-9]{1,2})"
    r"(?:[ T](?P<H>[0-9]{1,2}):(?P<M>[0-9]{2})(?::(?P<S>[0-9]{2})(?:\.[0-9]+)?)?)?"
    r"(?P<tz>Z|[+-][0-9]{2}:?[0-9]{2})?"
)
_FUTURE_SLACK = dt.timedelta(minutes=10)


def application_number(value: object) -> str | None:
    """申請番号: letters, digits and ``- _ . /``, at most 60; None when empty."""
    written = cells.code(value)
    if written is None:
        return None
    if len(written) > APPLICATION_NUMBER_MAX or not _APPLICATION_NUMBER.fullmatch(written):
        raise CellProblem(
            f"申請番号は英数字と「-」「_」「.」「/」の{APPLICATION_NUMBER_MAX}文字以内で書いてください（{shown(value)}）。"
        )
    return written


def moment(value: object) -> dt.datetime | None:
    """申請日時: 「2026-04-01 10:05」「2026/04/01 10:05:30」「2026-04-01T10:05:30+09:00」 or a date; None if empty."""
    if isinstance(value, dt.datetime):
        return timezone.make_aware(value) if timezone.is_naive(value) else value
    if cells.text(value) is None:
        return None
    written = re.sub(r"\s+", " ", unicodedata.normalize("NFKC", str(value)).strip())
    match = _MOMENT.fullmatch(written)
    if match is None:
        raise CellProblem(
            f"日時として読めません（{shown(value)}）。書き方: 2026-04-01 10:05 または 2026/04/01 10:05:30。"
        )
    y, m, d, hour, minute, second = (int(match[k] or 0) for k in ("y", "m", "d", "H", "M", "S"))
    try:
        naive = dt.datetime(y, m, d, hour, minute, second)
    except ValueError:
        raise CellProblem(f"存在しない日時です（{shown(value)}）。") from None
    offset = match["tz"]
    if offset is None:
        return timezone.make_aware(naive)
    if offset == "Z":
        return naive.replace(tzinfo=dt.UTC)
    sign, digits = (1 if offset[0] == "+" else -1), offset[1:].replace(":", "")
    return naive.replace(tzinfo=dt.timezone(sign * dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))))


def file_names(value: object) -> tuple[str, ...] | None:
    """添付ファイル名: names inside the ZIP separated by 「;」 (or 「；」); None when empty."""
    written = cells.text(value, max_length=4000)
    if written is None:
        return None
    names = tuple(normalized_name(n) for n in re.split(r"[;；]", written) if n.strip())
    if len(set(names)) != len(names):
        raise CellProblem("同じファイル名が二度書かれています。")
    return names or None


FIELDS: tuple[Field, ...] = (
    Field(
        "application_number",
        "申請番号",
        application_number,
        required=True,
        headers=("受付番号", "申請ID"),
        example="2026-000123",
    ),
    Field("procedure", "手続名", partial(cells.text, max_length=100), required=True, example="犬の登録申請"),
    Field("applied_at", "申請日時", moment, required=True, headers=("到達日時",), example="2026-04-01 10:05"),
    Field(
        "applicant_name",
        "申請者氏名",
        partial(cells.text, max_length=100),
        required=True,
        headers=("申請者名", "氏名"),
        example="緑野 花子",
    ),
    Field("applicant_address", "申請者住所", partial(cells.text, max_length=200), headers=("住所",)),
    Field("title", "件名", partial(cells.text, max_length=200), example="犬の登録申請（2026-000123）"),
    Field("file_names", "添付ファイル名", file_names, example="2026-000123/申請書.pdf;2026-000123/写真.jpg"),
)


@dataclass(frozen=True)
class _CheckedName:
    """A file of a row that passed the checks, kept without its bytes: they are read again to be stored."""

    zip_name: str
    name: str
    sha256: str
    content_type: str
    text: str


@dataclass
class ImportRow:
    """One application as the import sees it: what it will be, or why it is skipped or refused."""

    number: int
    application_number: str
    title: str
    applicant: str
    applied_at: dt.datetime | None
    procedure: str = ""
    address: str = ""
    files: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    skipped: str = ""
    """Why an application already received is left out (「取込済み: 緑総収第3号」)."""
    receipt_id: int | None = None
    receipt_number: str = ""


@dataclass
class ImportReport:
    """What an import did or (``dry_run``) would do: every row, the ZIP's unused files, counts."""

    dry_run: bool
    rows: list[ImportRow] = field(default_factory=list)
    unused_files: list[str] = field(default_factory=list)

    @property
    def created(self) -> list[ImportRow]:
        """Rows that become (or became) receipts."""
        return [r for r in self.rows if not r.skipped and not r.reasons]

    @property
    def skipped(self) -> list[ImportRow]:
        """Applications received already (same 申請番号)."""
        return [r for r in self.rows if r.skipped]

    @property
    def reasons(self) -> list[str]:
        """Every problem, 「12行目 申請日時: …」, in row order."""
        return [reason for r in self.rows for reason in r.reasons]


class ImportRejected(ValidationFailed):
    """An import refused for its rows or files: every reason in ``extra["rows"]``, nothing saved."""


def _row(row: Row, title_of: str) -> ImportRow:
    applied = row["applied_at"]
    return ImportRow(
        number=row.number,
        application_number=row["application_number"] or "",
        title=row["title"] or title_of,
        applicant=row["applicant_name"] or "",
        applied_at=applied,
        procedure=row["procedure"] or "",
        address=row["applicant_address"] or "",
        files=list(row["file_names"] or ()),
        reasons=[r.message for r in row.reasons],
    )


def _read(data: bytes) -> list[tuple[Row, ImportRow]]:
    rows = read_rows(FIELDS, data, Layout())
    if not rows:
        raise ValidationFailed("取り込む申請の行がありません。", field="csv")
    out = []
    for row in rows:
        procedure, number = row["procedure"] or "", row["application_number"] or ""
        out.append((row, _row(row, f"{procedure}（申請番号 {number}）" if procedure else "")))
    return out


def _check_rows(items: list[tuple[Row, ImportRow]], archive: AttachmentArchive | None, actor: User) -> None:
    """Put every reason on the rows: duplicates in the file, future dates, files missing; mark those received."""
    seen: dict[str, int] = {}
    now = timezone.now()
    for _row_in, item in items:
        if item.application_number in seen:
            first = seen[item.application_number]
            item.reasons.append(
                f"{item.number}行目: 申請番号「{item.application_number}」が{first}行目と重複しています。"
            )
        elif item.application_number:
            seen[item.application_number] = item.number
        if item.applied_at is not None and item.applied_at > now + _FUTURE_SLACK:
            item.reasons.append(f"{item.number}行目: 「申請日時」: 未来の日時です。")
        if len(item.title) > 200:
            item.reasons.append(
                f"{item.number}行目: 件名（手続名と申請番号）が200文字を超えます。件名の列で短く書いてください。"
            )
        for name in item.files:
            if archive is None:
                item.reasons.append(f"{item.number}行目: 「添付ファイル名」: 添付ファイルのZIPが指定されていません。")
                break
            if name not in archive:
                item.reasons.append(f"{item.number}行目: 「添付ファイル名」: 「{name}」がZIPの中にありません。")
    received = {
        r.application_number: r
        for r in Receipt.objects.filter(application_number__in=list(seen)).only(
            "application_number", "number_label", "section_id"
        )
    }
    own = section_of(actor, on=timezone.localdate())
    for _row_in, item in items:
        found = received.get(item.application_number)
        if found is not None and not item.reasons:
            visible = own is not None and own.pk == found.section_id
            item.skipped = f"取込済み: {found.number_label}" if visible else "取込済み（他の課で収受）"


def _check_files(items: list[tuple[Row, ImportRow]], archive: AttachmentArchive) -> dict[int, list[_CheckedName]]:
    """Each new row's files checked as attachments; reasons go on the row. Bytes are dropped after the check."""
    checked: dict[int, list[_CheckedName]] = {}
    for _row_in, item in items:
        if item.skipped or item.reasons:
            continue
        kept = []
        for name in item.files:
            try:
                data = archive.read(name)
                found: CheckedFile = check_upload(name.rsplit("/", 1)[-1], io.BytesIO(data), size=len(data))
            except ValidationFailed as exc:
                if exc.field == "archive":
                    raise
                item.reasons.append(f"{item.number}行目: 添付ファイル「{name}」: {exc.message}")
                continue
            kept.append(_CheckedName(name, found.name, found.sha256, found.content_type, found.text))
        checked[item.number] = kept
    return checked


def _section(actor: User) -> OrgUnit:
    section = section_of(actor, on=timezone.localdate())
    if section is None:
        raise PermissionDenied("所属が登録されていないため収受できません。")
    return OrgUnit.objects.select_related("municipality").get(pk=section.pk)


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def receipt_import(
    *,
    actor: User,
    csv_data: bytes,
    archive: IO[bytes] | None = None,
    archive_size: int | None = None,
    dry_run: bool = False,
) -> ImportReport:
    """Take online applications in as receipts of the actor's section (オンライン申請の取込); all new rows or none.

    ``dry_run`` checks everything and saves no receipt (a preview); its view of the file is audited.
    """
    actor = require_user(actor)
    section = _section(actor)
    zipped = AttachmentArchive(archive, size=archive_size) if archive is not None else None
    try:
        items = _read(csv_data)
        _check_rows(items, zipped, actor)
        checked = _check_files(items, zipped) if zipped is not None else {}
        report = ImportReport(dry_run=dry_run, rows=[item for _r, item in items])
        if zipped is not None:
            named = {n for item in report.rows for n in item.files}
            report.unused_files = sorted(n for n in zipped.entries if n not in named)
        summary = {
            "csv_sha256": _digest(csv_data),
            "rows": len(report.rows),
            "new": [r.application_number for r in report.created],
            "skipped": [r.application_number for r in report.skipped],
            "problems": len(report.reasons),
        }
        if dry_run:
            with transaction.atomic(durable=True):
                record(actor=actor, action=PREVIEW, obj=section, after=summary)
            return report
        if report.reasons:
            raise ImportRejected(
                f"{len(report.reasons)}件の誤りがあるため、取り込みませんでした。",
                field="csv",
                extra={"rows": report.reasons},
            )
        _save(actor, section, report, checked, zipped, summary)
        return report
    finally:
        if zipped is not None:
            zipped.close()


def _save(
    actor: User,
    section: OrgUnit,
    report: ImportReport,
    checked: dict[int, list[_CheckedName]],
    zipped: AttachmentArchive | None,
    summary: dict[str, object],
) -> None:
    rows = sorted(report.created, key=lambda r: (r.applied_at or timezone.now(), r.number))
    values = {r.number: r for r in rows}
    stored: list[str] = []
    if zipped is not None:
        zipped.rewind()
    try:
        with transaction.atomic(durable=True):
            for item in rows:
                receipt = _insert(actor, section, item)
                item.receipt_id, item.receipt_number = receipt.pk, receipt.number_label
                for name in checked.get(item.number, []):
                    assert zipped is not None
                    data = zipped.read(name.zip_name)
                    if _digest(data) != name.sha256:
                        raise Conflict(
                            f"「{name.zip_name}」の内容が読み取り中に変わりました。もう一度取り込んでください。"
                        )
                    again = CheckedFile(name.name, data, name.content_type, name.sha256, name.text)
                    receipt_file_insert(actor, receipt, again, FileOrigin.ORIGINAL, stored)
            summary["created"] = {values[r.number].application_number: r.receipt_number for r in rows}
            record(actor=actor, action=IMPORT, obj=section, after=summary)
    except IntegrityError as exc:
        forget_stored_files(stored)
        raise Conflict(
            "同じ申請が同時に取り込まれました。もう一度取り込んでください（取込済みの申請は飛ばされます）。"
        ) from exc
    except BaseException:
        forget_stored_files(stored)
        raise


def _insert(actor: User, section: OrgUnit, item: ImportRow) -> Receipt:
    """The receipt of a checked row: 収受日 is the day applied (到達), the applicant is the sender, 個人情報あり."""
    assert item.applied_at is not None
    return receipt_insert(
        actor=actor,
        section=section,
        received_on=timezone.localtime(item.applied_at).date(),
        sender=item.applicant,
        title=item.title,
        channel=ReceiptChannel.ONLINE,
        sender_address=item.address,
        has_personal_info=True,
        procedure=item.procedure,
        application_number=item.application_number,
        applied_at=item.applied_at,
    )
