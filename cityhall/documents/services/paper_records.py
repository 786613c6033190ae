"""Old paper records (旧文書管理簿の紙の原議): the register of the system before cityhall, taken over.

A city switching to cityhall brings the register its old system kept (文書管理簿): paper originals
of past years, each with its number, file plan class (文書分類), retention (保存期間) and the place
it is kept (保管場所). Each becomes a ``Document`` of medium 紙, in its section and fiscal year, with
no route and no signed PDF. Only the document manager (文書主管) takes them over
(``require_document_manager``), and only through ``paper_records_insert``, inside the caller's
transaction (the switch-over import's), checking each record by the rules below (``record_problems``,
which the import also runs before writing, so its report names every refusal).

The old number (旧文書番号). A record keeps the running number the old register gave it: the
``number`` (and ``sub_number``, 枝番) of the section and fiscal year are read from the number as
written (「企政第123号」「第123号の2」「123」, ``numbering.parse_number``), so the register sorts and
finds it as any record of that year. The text as written is kept in ``old_number``; the printed
number (``number_label``) is that text when it carries a symbol (the paper says 「企政第123号」, even
where the section's symbol has changed since), else cityhall's own form (「緑総第123号」). Within
those locks no number is given twice: a number already in cityhall's register for that section
and year, or twice among the records, is refused; then every counter the records touch is moved
past the highest of them (``numbering.advance_counters``), so a document numbered afterwards in
that section and year, also for a year before cityhall's first (a late paper registration),
follows them. Gaps left by the old register (records not exported) stay; cityhall's own numbers
after the import have none.

The status. A record whose matter is closed is 完結 (``CLOSED``): its closing day (完結日) is the
given one or the decision day, its expiry (保存期間満了日) follows the rule of ``expiry_date`` (31
March of the fiscal year after closing plus the retention; none for 永年), and it joins the
disposal lists (廃棄・移管) like any closed record. 「常用」 (a ledger still in use, whose retention
starts only when it is no longer used) is 決裁済 (``DECIDED``) without closing day or expiry, with
its class's retention; closing it later (``close``) sets them.

Rules: the section and file plan class exist (the caller resolves them); the decision day is not
in the future, the drafting day not after it, the closing day between it and today; the fiscal
year is that of the drafting or the decision day; the retention is at least the class's (a
longer one was an extension, a shorter one would dispose of the paper too early); a given
expiry agrees with the rule; the place is given. The drafter of the record is the document
manager who registers it (as for ``paper_decision_register``); the decider, who may never have
been a user, is kept as written (``old_decider``). Every record gets its audit entry
(``documents.document.paper_import``) and is indexed for search after commit.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from cityhall.accounts.models import User
from cityhall.core.errors import PermissionDenied, ValidationFailed
from cityhall.core.japanese import fiscal_year, fiscal_year_label, format_date
from cityhall.core.japanese.money import YEN_MAX
from cityhall.core.text import text_problem
from cityhall.documents import numbering
from cityhall.documents.models import (
    PERMANENT,
    RETENTION_YEARS,
    Document,
    DocumentStatus,
    FilePlanClass,
    MatterKind,
    Medium,
)
from cityhall.documents.services import _effects
from cityhall.documents.services._common import audit_created, is_document_manager, require_user
from cityhall.documents.services.lifecycle import expiry_date
from cityhall.org.models import OrgUnit

PAPER_REASON = "旧システムの文書管理簿から移行した紙の原議"
MATTER_KIND = "general"
NOT_ALLOWED = "旧文書管理簿を取り込めるのは、文書主管の職員だけです。"
_BATCH = 500
_LABEL_MAX = 40  # Document.number_label and old_number

Key = tuple[int, int, int, int]
"""(section id, fiscal year, number, sub-number): one place in the register."""


@dataclass(frozen=True)
class OldRecord:
    """One record of the old register (旧文書管理簿の1件), its section and class already found.

    ``retention_years`` None takes the class's; ``in_use`` is 「常用」; ``expires_on`` is the expiry
    the old register wrote, checked against the rule, never stored as given.
    """

    section: OrgUnit
    fiscal_year: int
    old_number: str
    title: str
    decided_on: dt.date
    file_plan_class: FilePlanClass
    location: str
    drafted_on: dt.date | None = None
    closed_on: dt.date | None = None
    retention_years: int | None = None
    in_use: bool = False
    expires_on: dt.date | None = None
    has_personal_info: bool = False
    is_confidential: bool = False
    amount: int | None = None
    decider: str = ""

    @property
    def parsed(self) -> tuple[int, int, bool] | None:
        """(number, sub-number, has a symbol) read from ``old_number``."""
        return numbering.parse_number(self.old_number)

    @property
    def key(self) -> Key | None:
        """Where the record goes in the register, None when its number cannot be read."""
        parsed = self.parsed
        return None if parsed is None else (self.section.pk, self.fiscal_year, parsed[0], parsed[1])

    @property
    def number_label(self) -> str:
        """The printed number: as written when it carries a symbol (NFKC, no spaces), else cityhall's form."""
        parsed = self.parsed
        if parsed is None:
            return ""
        number, sub_number, symbol = parsed
        if symbol:
            return re.sub(r"\s", "", unicodedata.normalize("NFKC", self.old_number))
        return numbering.format_number(self.section, number, sub_number)

    @property
    def years(self) -> int:
        """The retention kept: the given one, else the class's."""
        return self.file_plan_class.retention_years if self.retention_years is None else self.retention_years

    @property
    def closing_day(self) -> dt.date | None:
        """完結日: the given one, else the decision day; none for 常用."""
        return None if self.in_use else self.closed_on or self.decided_on


class PaperRecordsRefused(ValidationFailed):
    """Some records were refused and nothing was written; ``refusals`` are (index of the record, reason)."""

    def __init__(self, refusals: list[tuple[int, ValidationFailed]]) -> None:
        first = refusals[0][1]
        super().__init__(first.message, field=first.field)
        self.refusals = refusals


def require_document_manager(actor: object, *, on: dt.date | None = None) -> User:
    """The actor, who must be the document manager (文書主管) to take over the old register."""
    user = require_user(actor)
    if not is_document_manager(user, on=on):
        raise PermissionDenied(NOT_ALLOWED)
    return user


def _years_label(years: int) -> str:
    return "永年" if years == PERMANENT else f"{years}年"


def _shorter(years: int, than: int) -> bool:
    """Whether a retention of ``years`` ends before one of ``than`` (永年 never ends)."""
    if years == PERMANENT:
        return False
    return than == PERMANENT or years < than


def _texts(record: OldRecord) -> list[ValidationFailed]:
    problems = []
    for value, name, label, limit in (
        (record.old_number, "old_number", "文書番号", _LABEL_MAX),
        (record.title, "title", "件名", 200),
        (record.location, "location", "保管場所", 100),
        (record.decider, "decider", "決裁者", 100),
    ):
        found = text_problem(value, label=label, max_length=limit)
        if found:
            problems.append(ValidationFailed(found, field=name))
    if not record.title.strip():
        problems.append(ValidationFailed("件名を入力してください。", field="title"))
    if not record.location.strip():
        problems.append(
            ValidationFailed("保管場所（紙の原議のある書庫・棚・箱）を入力してください。", field="location")
        )
    if len(record.number_label) > _LABEL_MAX:
        problems.append(ValidationFailed(f"文書番号は{_LABEL_MAX}文字以内にしてください。", field="old_number"))
    if record.parsed is None:
        problems.append(
            ValidationFailed(
                f"文書番号「{record.old_number}」から番号を読み取れません。"
                "「企政第123号」「第123号の2」「123」のように書いてください。",
                field="old_number",
            )
        )
    if record.amount is not None and not 0 <= record.amount <= YEN_MAX:
        problems.append(ValidationFailed(f"金額は0円から{YEN_MAX:,}円までにしてください。", field="amount"))
    return problems


def _days(record: OldRecord, today: dt.date) -> list[ValidationFailed]:
    problems = []
    decided = record.decided_on
    if decided > today:
        problems.append(
            ValidationFailed(
                f"決裁日（{format_date(decided)}）が未来の日付です。今日以前にしてください。", field="decided_on"
            )
        )
    if record.drafted_on is not None and record.drafted_on > decided:
        problems.append(
            ValidationFailed(
                f"起案日（{format_date(record.drafted_on)}）が決裁日（{format_date(decided)}）より後です。",
                field="drafted_on",
            )
        )
    if record.closed_on is not None:
        if record.in_use:
            problems.append(ValidationFailed("常用の文書は完結していないので、完結日は書けません。", field="closed_on"))
        elif not decided <= record.closed_on <= today:
            problems.append(
                ValidationFailed(
                    f"完結日（{format_date(record.closed_on)}）は決裁日（{format_date(decided)}）から今日までの日付にしてください。",
                    field="closed_on",
                )
            )
    years = {fiscal_year(d) for d in (record.drafted_on, decided) if d is not None}
    if record.fiscal_year not in years:
        written = "・".join(fiscal_year_label(y) for y in sorted(years))
        problems.append(
            ValidationFailed(
                f"年度（{fiscal_year_label(record.fiscal_year)}）が起案日・決裁日の年度（{written}）と合いません。",
                field="fiscal_year",
            )
        )
    return problems


def _retention(record: OldRecord) -> list[ValidationFailed]:
    plan = record.file_plan_class
    years = record.years
    if years not in RETENTION_YEARS:
        return [ValidationFailed("保存期間は1・3・5・10・30年、永年または常用で書いてください。", field="retention")]
    if _shorter(years, plan.retention_years):
        return [
            ValidationFailed(
                f"保存期間（{_years_label(years)}）が文書分類「{plan.code} {plan.name}」の保存期間"
                f"（{_years_label(plan.retention_years)}）より短くなっています。分類の保存期間以上にしてください。",
                field="retention",
            )
        ]
    given = record.expires_on
    if given is None:
        return []
    closing = record.closing_day
    if closing is None:
        return [
            ValidationFailed(
                "常用の文書は完結するまで保存期間満了日がありません。満了を空欄にしてください。", field="expires_on"
            )
        ]
    rule = expiry_date(closing, years)
    if rule is None:
        return [
            ValidationFailed(
                "永年保存の文書に保存期間満了日はありません。満了を空欄にしてください。", field="expires_on"
            )
        ]
    if given != rule:
        return [
            ValidationFailed(
                f"保存期間満了（{format_date(given)}）が規則による満了日（{format_date(rule)}: 完結日"
                f"{format_date(closing)}の翌年度4月1日から{_years_label(years)}）と合いません。",
                field="expires_on",
            )
        ]
    return []


def record_problems(record: OldRecord, *, today: dt.date | None = None) -> list[ValidationFailed]:
    """Everything wrong with one old record by itself (no query), each naming its field."""
    day = today or timezone.localdate()
    return [*_texts(record), *_days(record, day), *_retention(record)]


def numbers_taken(records: Sequence[OldRecord]) -> dict[Key, str]:
    """The records' places already held in cityhall's register, with the number printed there (one query)."""
    keys = {key for record in records if (key := record.key) is not None}
    ranges: dict[tuple[int, int], tuple[int, int]] = {}
    for section_id, year, number, _sub in keys:
        low, high = ranges.get((section_id, year), (number, number))
        ranges[(section_id, year)] = (min(low, number), max(high, number))
    if not ranges:
        return {}
    wanted = Q()
    for (section_id, year), (low, high) in ranges.items():
        wanted |= Q(section_id=section_id, fiscal_year=year, number__gte=low, number__lte=high)
    found = Document.objects.filter(wanted).values_list(
        "section_id", "fiscal_year", "number", "sub_number", "number_label"
    )
    return {(s, y, n, b): label for s, y, n, b, label in found if (s, y, n, b) in keys}


def _place(record: OldRecord, key: Key) -> str:
    number = f"第{key[2]}号" + (f"の{key[3]}" if key[3] else "")
    return f"{record.section.name} {fiscal_year_label(record.fiscal_year)} {number}"


def duplicate_problems(
    records: Sequence[OldRecord], taken: dict[Key, str], names: Sequence[str] | None = None
) -> dict[int, ValidationFailed]:
    """By index: records whose place is already in cityhall's register or held by an earlier record.

    ``names`` say how the messages call each record (the import: 「5行目」); by default 「3件目」.
    """
    called = names or [f"{i + 1}件目" for i in range(len(records))]
    problems: dict[int, ValidationFailed] = {}
    first: dict[Key, int] = {}
    for index, record in enumerate(records):
        key = record.key
        if key is None:
            continue
        if key in taken:
            problems[index] = ValidationFailed(
                f"文書番号「{record.old_number}」（{_place(record, key)}）は既に文書管理簿にあります（{taken[key]}）。",
                field="old_number",
            )
        elif key in first:
            problems[index] = ValidationFailed(
                f"文書番号「{record.old_number}」（{_place(record, key)}）が{called[first[key]]}と同じです。",
                field="old_number",
            )
        else:
            first[key] = index
    return problems


def _document(record: OldRecord, parsed: tuple[int, int, bool], actor: User, kind: MatterKind) -> Document:
    plan = record.file_plan_class
    number, sub_number, _symbol = parsed
    closing = record.closing_day
    return Document(
        fiscal_year=record.fiscal_year,
        section=record.section,
        number=number,
        sub_number=sub_number,
        number_label=record.number_label,
        old_number=record.old_number.strip(),
        title=record.title.strip(),
        matter_kind=kind,
        amount=record.amount,
        is_confidential=record.is_confidential,
        has_personal_info=record.has_personal_info,
        file_plan_class=plan,
        drafter=actor,
        status=DocumentStatus.DECIDED if closing is None else DocumentStatus.CLOSED,
        drafted_on=record.drafted_on or record.decided_on,
        decided_at=timezone.make_aware(dt.datetime.combine(record.decided_on, dt.time(12, 0))),
        closed_on=closing,
        old_decider=record.decider.strip(),
        retention_years=record.years,
        expires_on=None if closing is None else expiry_date(closing, record.years),
        expiry_action=plan.expiry_action,
        medium=Medium.PAPER,
        paper_reason=PAPER_REASON,
        location=record.location.strip(),
    )


def paper_records_insert(*, actor: User, records: Sequence[OldRecord]) -> list[Document]:
    """Register old paper records (旧文書管理簿の取込) inside the caller's transaction, all or none.

    The caller holds the transaction (the switch-over import's); the role is checked again here.
    ``PaperRecordsRefused`` names every refused record; then nothing was written.
    """
    actor = require_document_manager(actor)
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("paper_records_insert must run inside the caller's transaction")
    kind = MatterKind.objects.filter(code=MATTER_KIND).first()
    if kind is None:
        raise ValidationFailed("事案の種類「一般」が登録されていません。文書の初期設定を行ってください。")
    today = timezone.localdate()
    refusals = [(i, p) for i, record in enumerate(records) for p in record_problems(record, today=today)]
    highest: dict[tuple[int, int], int] = {}
    for record in records:
        if (key := record.key) is not None:
            highest[(key[0], key[1])] = max(highest.get((key[0], key[1]), 0), key[2])
    with transaction.atomic():  # a savepoint: a refusal leaves no counter moved
        numbering.advance_counters(highest)  # locks them: nobody numbers these sections and years meanwhile
        refusals += list(duplicate_problems(records, numbers_taken(records)).items())
        if refusals:
            raise PaperRecordsRefused(sorted(refusals, key=lambda item: item[0]))
        documents = [_document(r, p, actor, kind) for r in records if (p := r.parsed) is not None]
        created = Document.objects.bulk_create(documents, batch_size=_BATCH)
        audit_created(actor, "document.paper_import", created)
        _effects.index_new([document.pk for document in created])
    return created
