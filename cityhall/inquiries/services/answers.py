"""Answers of institutions (回答): answer files imported, paper replies entered, rows decided by hand.

``answer_file_import`` takes one institution's answer file for its letter (CSV in UTF-8 or
Shift_JIS, or Excel, read by core's ``read_rows`` with the institution's column layout), once per
file (SHA-256) and only for a letter that was sent. Each row is matched to the person it is about
among those the letter asked about (``matching``: kana and birth date, and the current or former
addresses where the institution matches on them); rows matching nobody or several persons are
kept for a human (``answer_decide``). The rows are checked all together: any bad row refuses the
file, naming every bad row, field and reason in Japanese (``AnswersRefused``), and nothing is
written; otherwise answers and assets are inserted in grouped statements and the import is
audited once. ``answer_enter`` types in a paper reply (回答書) for one person. A letter whose every
person has an answer is marked answered (回答済).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from cityhall.core.audit import record, record_many
from cityhall.core.bulk import insert_rows
from cityhall.core.errors import Conflict, PermissionDenied, ValidationFailed, check_line, clean
from cityhall.core.tables import Layout, LayoutInvalid, Row, read_rows
from cityhall.inquiries.access import NOT_FOUND, Scope
from cityhall.inquiries.matching import LetterIndex, Match
from cityhall.inquiries.models import (
    Answer,
    AnswerFile,
    AnswerLayout,
    AnswerResult,
    AssetKind,
    DelinquentPerson,
    FoundAsset,
    InquiryBatch,
    InquiryItem,
    Institution,
    InstitutionKind,
    Letter,
    LetterStatus,
    MatchStatus,
)
from cityhall.inquiries.models.answers import MATCHED_STATUSES, OPEN_STATUSES
from cityhall.inquiries.services._answer_rows import FIELDS, LABEL, check_row
from cityhall.inquiries.services._common import collector, today

MAX_ASSETS = 50
MAX_PROBLEMS_SHOWN = 500
_KINDS = {
    InstitutionKind.INSURER: AssetKind.INSURANCE,
    InstitutionKind.SECURITIES: AssetKind.SECURITIES,
    InstitutionKind.OTHER: AssetKind.OTHER,
}
_CODE_LENGTHS = {"branch_code": ("支店番号", 10), "account_number": ("口座番号", 20), "policy_number": ("証券番号", 30)}


class AnswersRefused(ValidationFailed):
    """Rows of an answer file that cannot be taken in (取り込めない行): ``problems`` are (row, field, message)."""

    def __init__(self, problems: list[tuple[int, str, str]]) -> None:
        _row, field_name, message = problems[0]
        more = f"（ほか{len(problems) - 1}件）" if len(problems) > 1 else ""
        shown = [{"row": r, "field": f, "message": m} for r, f, m in problems[:MAX_PROBLEMS_SHOWN]]
        super().__init__(f"{message}{more}", field=field_name, extra={"rows": shown, "problems": len(problems)})
        self.problems = problems


@dataclass(frozen=True)
class AnswerImport:
    """An imported answer file and how its rows matched (照合の結果)."""

    file: AnswerFile
    matched: int
    unmatched: int
    ambiguous: int


@dataclass(frozen=True)
class AssetInput:
    """An asset of a paper reply (判明財産の入力): an account with its balance, or a policy."""

    branch_name: str = ""
    branch_code: str = ""
    account_type: str = ""
    account_number: str = ""
    balance: int | None = None
    last_transaction_on: dt.date | None = None
    policy_number: str = ""
    surrender_value: int | None = None
    note: str = ""


@dataclass(frozen=True)
class ManualAnswer:
    """A paper reply about one person (回答書の入力): whom (宛名番号), found or not, the assets."""

    resident_number: str
    result: str
    received_on: dt.date | None = None
    assets: Sequence[AssetInput] = field(default_factory=tuple)
    note: str = ""


def _sent_letter(scope: Scope, letter_id: int, *, lock: bool) -> Letter:
    """The letter, of the caller's sections, sent (回答待ち・回答済); refused otherwise."""
    rows = Letter.objects.select_related("institution", "batch").filter(
        pk=letter_id, batch__section_id__in=scope.section_ids
    )
    letter = (rows.select_for_update(of=("self",)) if lock else rows).first()
    if letter is None:
        raise PermissionDenied(NOT_FOUND)
    if letter.status not in (LetterStatus.SENT, LetterStatus.ANSWERED) or letter.sent_on is None:
        raise ValidationFailed(
            f"「{letter.institution.name}」への照会書はまだ送付されていないため、回答を登録できません。", field="letter"
        )
    return letter


def _received(value: dt.date | None, letter: Letter, day: dt.date) -> dt.date:
    received = value or day
    if received > day or (letter.sent_on is not None and received < letter.sent_on):
        raise ValidationFailed("回答日は照会書の送付日から今日までの日付にしてください。", field="received_on")
    return received


def _answered_items(letter: Letter) -> set[int]:
    """The letter's items that already have an answer (from a file or typed in)."""
    rows = Answer.objects.filter(letter=letter, match_status__in=MATCHED_STATUSES)
    return set(rows.values_list("item_id", flat=True))


def _mark_answered(letter: Letter, day: dt.date) -> None:
    """回答済 once every person of the letter has an answer (the letter is locked by the caller)."""
    if letter.status != LetterStatus.SENT:
        return
    answered = Answer.objects.filter(item=OuterRef("pk"), match_status__in=MATCHED_STATUSES)
    if InquiryItem.objects.filter(letter=letter).exclude(Exists(answered)).exists():
        return
    letter.status, letter.answered_on = LetterStatus.ANSWERED, max(day, letter.sent_on or day)
    letter.save(update_fields=["status", "answered_on"])


def stored_layout(institution: Institution) -> Layout:
    """Where the institution's answer files hold each field (列の設定); the usual headers without one."""
    found = AnswerLayout.objects.filter(institution=institution).values_list("layout", flat=True).first()
    return Layout.from_dict(found, fields=FIELDS, label=LABEL) if found else Layout()


def _file_name(name: str) -> str:
    base = str(name or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    return check_line(base[:200] or "回答ファイル", field="file", label="ファイル名", max_length=200)


def _refuse_twice(scope: Scope, digest: str) -> None:
    """The same file is taken in once, for whichever letter of the section it was imported."""
    done = (
        AnswerFile.objects.filter(sha256=digest, letter__batch__section_id__in=scope.section_ids)
        .select_related("letter__institution")
        .first()
    )
    if done is not None:
        when = timezone.localtime(done.imported_at)
        raise Conflict(
            f"この回答ファイルは{when:%Y年%m月%d日}に「{done.letter.institution.name}」の回答として取り込み済みです。",
            field="file",
        )


def _matches(rows: list[Row], index: LetterIndex, answered: set[int], day: dt.date) -> list[tuple[Row, str, Match]]:
    """Each row's answer and match, reasons put on the rows that cannot be taken in."""
    planned = []
    for row in rows:
        answer = check_row(row, day=day)
        for name, (label, length) in _CODE_LENGTHS.items():
            if row[name] and len(row[name]) > length:
                row.refuse(name, f"{label}は{length}文字までです。")
        match = Match(MatchStatus.UNMATCHED)
        if row["kana"] and row["birth_date"] and not row.reasons:
            match = index.match(row["kana"], row["birth_date"], row["address"] or "")
            if match.item_id is not None and match.item_id in answered:
                number = index.by_item[match.item_id].resident_number
                row.refuse("kana", f"宛名番号 {number} の方の回答は既に登録されています。")
        planned.append((row, answer or AnswerResult.NONE, match))
    return planned


def _problems(rows: list[Row]) -> list[tuple[int, str, str]]:
    return [(row.number, reason.field, reason.message) for row in rows for reason in row.reasons]


def _asset_kind(institution: Institution, values: dict[str, Any]) -> str:
    if values.get("policy_number") and not values.get("account_number"):
        return AssetKind.INSURANCE
    return _KINDS.get(InstitutionKind(institution.kind), AssetKind.DEPOSIT)


def _asset_values(row: Row) -> dict[str, Any]:
    return {
        "branch_name": row["branch_name"] or "",
        "branch_code": row["branch_code"] or "",
        "account_type": row["account_type"] or "",
        "account_number": row["account_number"] or "",
        "balance": row["balance"],
        "last_transaction_on": row["last_transaction_on"],
        "policy_number": row["policy_number"] or "",
        "surrender_value": row["surrender_value"],
    }


def _insert(file: AnswerFile, letter: Letter, planned: list[tuple[Row, str, Match]], received: dt.date) -> None:
    """The file's answers and their assets in grouped statements (no query per row)."""
    now = timezone.now()
    insert_rows(
        Answer,
        (
            {
                "letter_id": letter.pk,
                "item_id": match.item_id,
                "answer_file_id": file.pk,
                "row_number": row.number,
                "name": row["name"] or "",
                "kana": row["kana"] or "",
                "birth_date": row["birth_date"],
                "address": row["address"] or "",
                "result": answer,
                "match_status": match.status,
                "received_on": received,
                "note": row["note"] or "",
                "created_at": now,
            }
            for row, answer, match in planned
        ),
    )
    ids = dict(Answer.objects.filter(answer_file=file).values_list("row_number", "pk"))
    assets = []
    for row, answer, _match in planned:
        if answer == AnswerResult.FOUND:
            values = _asset_values(row)
            assets.append(values | {"answer_id": ids[row.number], "kind": _asset_kind(letter.institution, values)})
    insert_rows(FoundAsset, assets)


def answer_file_import(
    *,
    actor: Any,
    letter: Letter,
    name: str,
    data: bytes,
    received_on: dt.date | None = None,
    on: dt.date | None = None,
) -> AnswerImport:
    """Import an institution's answer file for its letter (回答ファイルの取込): all rows or none, matched."""
    scope = collector(actor, on=on)
    day = today(on)
    checked = _sent_letter(scope, letter.pk, lock=False)
    rows = read_rows(FIELDS, data, stored_layout(checked.institution))
    if not rows:
        raise ValidationFailed("回答ファイルにデータの行がありません。", field="file")
    digest = hashlib.sha256(data).hexdigest()
    with transaction.atomic(durable=True):
        locked = _sent_letter(scope, letter.pk, lock=True)
        received = _received(received_on, locked, day)
        _refuse_twice(scope, digest)
        planned = _matches(rows, LetterIndex(locked), _answered_items(locked), day)
        problems = _problems(rows)
        if problems:
            raise AnswersRefused(problems)
        file = AnswerFile.objects.create(
            letter=locked, name=_file_name(name), sha256=digest, rows=len(rows), imported_by=scope.user
        )
        _insert(file, locked, planned, received)
        _mark_answered(locked, received)
        counts = {s: sum(1 for _r, _a, m in planned if m.status == s) for s in MatchStatus}
        result = AnswerImport(
            file, counts[MatchStatus.MATCHED], counts[MatchStatus.UNMATCHED], counts[MatchStatus.AMBIGUOUS]
        )
        after = {"letter": locked.pk, "sha256": digest, "rows": len(rows), "matched": result.matched}
        after |= {"unmatched": result.unmatched, "ambiguous": result.ambiguous}
        record(actor=scope.user, action="inquiries.answer.import", obj=file, after=after)
    return result


def _manual_assets(data: ManualAnswer, institution: Institution) -> list[FoundAsset]:
    if data.result not in AnswerResult.values:
        raise ValidationFailed("回答の内容を選んでください。", field="result")
    if len(data.assets) > MAX_ASSETS:
        raise ValidationFailed(f"判明財産は{MAX_ASSETS}件までです。", field="assets")
    if data.result == AnswerResult.NONE and data.assets:
        raise ValidationFailed("「該当なし」の回答に判明財産は入力できません。", field="assets")
    assets = []
    for asset in data.assets:
        values = {k: v.strip() if isinstance(v, str) else v for k, v in asset.__dict__.items()}
        if not (values["account_number"] or values["policy_number"]):
            raise ValidationFailed("判明財産には口座番号（保険は証券番号）を入力してください。", field="assets")
        row = FoundAsset(kind=_asset_kind(institution, values), **values)
        clean(row, exclude=["answer"])
        assets.append(row)
    if data.result == AnswerResult.FOUND and not assets:
        raise ValidationFailed("「財産あり」の回答には判明財産を1件以上入力してください。", field="assets")
    return assets


def answer_enter(*, actor: Any, letter: Letter, data: ManualAnswer, on: dt.date | None = None) -> Answer:
    """Type in a paper reply about one person (回答書の入力) for the letter's institution."""
    scope = collector(actor, on=on)
    day = today(on)
    number = str(data.resident_number or "").strip()
    if not number:
        raise ValidationFailed("宛名番号を入力してください。", field="resident_number")
    with transaction.atomic(durable=True):
        locked = _sent_letter(scope, letter.pk, lock=True)
        received = _received(data.received_on, locked, day)
        assets = _manual_assets(data, locked.institution)
        item = (
            InquiryItem.objects.filter(letter=locked, batch_person__person__resident_number=number)
            .select_related("batch_person")
            .first()
        )
        if item is None:
            raise ValidationFailed(f"この照会書の対象者に宛名番号 {number} の方はいません。", field="resident_number")
        if item.pk in _answered_items(locked):
            raise Conflict(f"宛名番号 {number} の方の回答は既に登録されています。", field="resident_number")
        person = item.batch_person
        answer = Answer(
            letter=locked, item=item, name=person.name, kana=person.kana, birth_date=person.birth_date,
            address=person.address, result=data.result, match_status=MatchStatus.DECIDED, received_on=received,
            note=data.note.strip(),
        )  # fmt: skip
        clean(answer, exclude=["letter", "item"])
        answer.save()
        for asset in assets:
            asset.answer = answer
        FoundAsset.objects.bulk_create(assets)
        _mark_answered(locked, received)
        after = {"letter": locked.pk, "resident_number": number, "result": data.result, "assets": len(assets)}
        record(actor=scope.user, action="inquiries.answer.enter", obj=answer, after=after)
    return answer


def answer_decide(
    *, actor: Any, answer: Answer, resident_number: str = "", not_ours: bool = False, on: dt.date | None = None
) -> Answer:
    """Decide whose an unmatched or ambiguous row is (照合の確定): a person of the letter, or not ours (対象外)."""
    scope = collector(actor, on=on)
    number = str(resident_number or "").strip()
    if not_ours == bool(number):
        raise ValidationFailed(
            "宛名番号を入力するか、「対象外」を選んでください（どちらか一つ）。", field="resident_number"
        )
    with transaction.atomic(durable=True):
        locked = (
            Answer.objects.select_for_update()
            .filter(pk=answer.pk, letter__batch__section_id__in=scope.section_ids)
            .first()
        )
        if locked is None:
            raise PermissionDenied(NOT_FOUND)
        if locked.match_status not in OPEN_STATUSES:
            raise Conflict("この回答の照合は既に確定しています。")
        before = {"match_status": locked.match_status}
        letter = Letter.objects.select_for_update().get(pk=locked.letter_id)
        if not_ours:
            locked.match_status, locked.item = MatchStatus.NOT_OURS, None
        else:
            item = InquiryItem.objects.filter(letter=letter, batch_person__person__resident_number=number).first()
            if item is None:
                raise ValidationFailed(
                    f"この照会書の対象者に宛名番号 {number} の方はいません。", field="resident_number"
                )
            locked.match_status, locked.item = MatchStatus.DECIDED, item
        locked.save(update_fields=["match_status", "item"])
        _mark_answered(letter, locked.received_on)
        after = {"match_status": locked.match_status, "resident_number": number or None}
        record(actor=scope.user, action="inquiries.answer.decide", obj=locked, before=before, after=after)
    return locked


def answer_layout_set(*, actor: Any, institution: Institution, layout: dict[str, Any]) -> AnswerLayout:
    """Keep where the institution's answer files hold each field (回答ファイルの列の設定), checked first."""
    scope = collector(actor)
    try:
        checked = Layout.from_dict(layout, fields=FIELDS, label=LABEL)
    except LayoutInvalid as exc:
        raise ValidationFailed(exc.message, field=exc.field) from None
    with transaction.atomic(durable=True):
        locked = Institution.objects.select_for_update().filter(pk=institution.pk).first()
        if locked is None:
            raise PermissionDenied(NOT_FOUND)
        mapping, _made = AnswerLayout.objects.select_for_update().get_or_create(
            institution=locked, defaults={"layout": checked.to_dict()}
        )
        before = dict(mapping.layout)
        mapping.layout = checked.to_dict()
        mapping.save(update_fields=["layout", "updated_at"])
        record(actor=scope.user, action="inquiries.answer.layout", obj=locked, before=before, after=mapping.layout)
    return mapping


def answers_viewed(*, actor: Any, answers: Sequence[Answer], where: str) -> None:
    """Record that ``actor`` saw these answer rows (回答の閲覧記録), one entry per row."""
    scope = collector(actor)
    if not answers:
        return
    with transaction.atomic(durable=True):
        record_many(
            actor=scope.user,
            action="inquiries.answer.view",
            objects=list(answers),
            after=[{"letter": a.letter_id, "where": where} for a in answers],
        )


def seizure_viewed(
    *, actor: Any, batch: InquiryBatch, persons: Sequence[DelinquentPerson], where: str, export: bool = False
) -> None:
    """Record a look at (or a download of) the batch's 差押予定一覧: one entry for it, one per person."""
    scope = collector(actor)
    action = "inquiries.seizure.export" if export else "inquiries.seizure.view"
    with transaction.atomic(durable=True):
        record(actor=scope.user, action=action, obj=batch, after={"where": where, "persons": len(persons)})
        if persons:
            record_many(
                actor=scope.user,
                action="inquiries.person.view",
                objects=list(persons),
                after=[{"resident_number": p.resident_number, "where": where} for p in persons],
            )
