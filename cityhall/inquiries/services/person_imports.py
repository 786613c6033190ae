"""Importing the tax system's list of delinquent persons (滞納者一覧の取込): all rows or none, with a report.

``persons_import`` reads a CSV (UTF-8 with or without BOM, or Shift_JIS, told apart by
``core.tables``) or Excel file with the section's column layout (``person_import_layout_set``;
fields not named are found under their usual headers, ``person_rows.FIELDS``) and, when no row is
refused, stores it in one durable transaction:

* a 宛名番号 new to the section becomes a person (``persons.persons_insert``);
* a 宛名番号 the section knows updates that person (``persons.persons_refresh``): the tax system
  re-exports its list every month, and collectors expect amounts, tax items and addresses to follow
  it; the old address is kept as a former address when it changed; a person nothing changed is not
  written; persons missing from the file are left as they are (paid, or exported elsewhere: a
  human decides), counted in the report.

A refused row refuses the file: nothing is stored but the import's record, whose report names every
row, field and reason in Japanese. A dry run (試行) does everything inside a savepoint rolled back, so
its report says what the import would do. Every import is audited (``inquiries.person_import``),
each person created or changed too (by the person services), and the rows not typed by hand go on
the hours-saved ledger (``savings``, kind ``inquiries.persons``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from cityhall.core.audit import record
from cityhall.core.errors import ValidationFailed
from cityhall.core.tables import MAX_BYTES, Layout, LayoutInvalid, Row, read_rows
from cityhall.inquiries.access import Scope
from cityhall.inquiries.models import DelinquentPerson, PersonImport, PersonImportLayout
from cityhall.inquiries.saved_time_kinds import SAVINGS_KIND
from cityhall.inquiries.selectors.person_imports import import_section, layout_of
from cityhall.inquiries.services._common import collector
from cityhall.inquiries.services.person_rows import FIELDS, people_of
from cityhall.inquiries.services.persons import PersonInput, PersonsRefused, persons_insert, persons_refresh
from cityhall.org.models import OrgUnit
from cityhall.savings.services import saved_time_record

LABEL = "滞納者一覧"
MINUTES_PER_NEW = 3
"""Typing one person by hand (宛名番号, 氏名, カナ, 生年月日, 住所, 税目, 金額): about three minutes."""
MINUTES_PER_UPDATE = 1
"""Correcting one person's amount or address by hand: about a minute."""
_SERVICE_FIELDS = {"former_addresses": "former_address", "tax_items": "taxes", None: "row"}


class _Undo(Exception):
    """Rolls the writes back (a refused row, or a dry run)."""


@dataclass
class _Outcome:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    known: int = 0
    written: bool = False


def person_import_layout_set(
    *, actor: Any, layout: dict[str, Any], section: OrgUnit | None = None
) -> PersonImportLayout:
    """Keep where the fields are in the section's files (滞納者一覧の列の設定); checked before it is stored."""
    scope = collector(actor)
    chosen = import_section(scope, section)
    try:
        checked = Layout.from_dict(layout, fields=FIELDS, label=LABEL).to_dict()
    except LayoutInvalid as exc:
        raise ValidationFailed(exc.message, field=exc.field) from None
    with transaction.atomic(durable=True):
        kept, _made = PersonImportLayout.objects.select_for_update().get_or_create(
            section=chosen, defaults={"layout": checked}
        )
        before = dict(kept.layout) if not _made else None
        kept.layout = checked
        kept.save(update_fields=["layout", "updated_at"])
        record(actor=scope.user, action="inquiries.person_import.layout", obj=kept, before=before, after=checked)
    return kept


def _refuse(found: list[tuple[Row, PersonInput]], exc: PersonsRefused) -> None:
    for index, field, message in exc.problems:
        found[index][0].refuse(_SERVICE_FIELDS.get(field, field or "row"), message)


def _write(
    scope: Scope, section: OrgUnit, found: list[tuple[Row, PersonInput]], rows: list[Row], dry_run: bool
) -> _Outcome:
    """Create new numbers, refresh known ones, in a savepoint undone when a row is refused or on a dry run."""
    numbers = [str(person.resident_number).strip() for _row, person in found]
    known = set(
        DelinquentPerson.objects.filter(section=section, resident_number__in=numbers).values_list(
            "resident_number", flat=True
        )
    )
    new = [(row, p) for (row, p), n in zip(found, numbers, strict=True) if n not in known]
    old = [(row, p) for (row, p), n in zip(found, numbers, strict=True) if n in known]
    outcome = _Outcome(known=len(old))
    try:
        with transaction.atomic():
            changed: set[str] = set()
            try:
                persons, outcome.unchanged = persons_refresh(
                    actor=scope.user, section=section, rows=[p for _r, p in old]
                )
                changed = {p.resident_number for p in persons}
                outcome.updated = len(persons)
            except PersonsRefused as exc:
                _refuse(old, exc)
            try:
                outcome.created = len(persons_insert(actor=scope.user, section=section, rows=[p for _r, p in new]))
            except PersonsRefused as exc:
                _refuse(new, exc)
            for row, person in found:
                number = str(person.resident_number).strip()
                became = "新規" if number not in known else "更新" if number in changed else "変更なし"
                row.created = f"宛名番号 {number}: {became}"
            if dry_run or any(row.reasons for row in rows):
                raise _Undo
            outcome.written = True
    except _Undo:
        pass
    return outcome


def _report(run: PersonImport, rows: list[Row], absent: int) -> dict[str, Any]:
    return {
        "file": run.file_name,
        "dry_run": run.dry_run,
        "written": run.written,
        "would_write": not run.refused,
        "absent": absent,
        "rows": [
            {
                "row": row.number,
                "accepted": not row.reasons,
                "reasons": [{"field": r.field, "message": r.message} for r in row.reasons],
                "created": "" if row.reasons else row.created,
            }
            for row in rows
        ],
    }


def _checked_file(file_name: str, data: bytes) -> None:
    if not data:
        raise ValidationFailed("取り込むファイルを選んでください。", field="file")
    if len(data) > MAX_BYTES:
        raise ValidationFailed(
            f"{file_name}: ファイルが大きすぎます（上限 {MAX_BYTES // 1_000_000}MB）。", field="file"
        )


def persons_import(
    *,
    actor: Any,
    file_name: str,
    data: bytes,
    section: OrgUnit | None = None,
    dry_run: bool = False,
    layout: Layout | None = None,
    on: dt.date | None = None,
) -> PersonImport:
    """Import the tax system's list into a section (滞納者一覧の取込): every row, or none and the reasons.

    A file that cannot be read at all raises (``TableRejected``, nothing recorded); otherwise the
    import is recorded with its report, audited, and its persons stored unless a row is refused or
    it is a dry run. ``layout`` None: the section's (``layout_of``).
    """
    scope = collector(actor, on=on)
    chosen = import_section(scope, section)
    _checked_file(file_name, data)
    rows = read_rows(FIELDS, data, layout or layout_of(chosen))
    if not rows:
        raise ValidationFailed(f"{file_name}: データの行がありません。", field="file")
    found = people_of(rows)
    with transaction.atomic(durable=True):
        before = DelinquentPerson.objects.filter(section=chosen).count()
        outcome = _write(scope, chosen, found, rows, dry_run)
        run = PersonImport(
            section=chosen, created_by=scope.user, file_name=file_name[:255], dry_run=dry_run,
            file_sha256=hashlib.sha256(data).hexdigest(), written=outcome.written, rows=len(rows),
            created=outcome.created, updated=outcome.updated, unchanged=outcome.unchanged,
            refused=sum(1 for row in rows if row.reasons),
        )  # fmt: skip
        run.report = _report(run, rows, absent=before - outcome.known)
        run.save()
        summary = {k: getattr(run, k) for k in ("file_name", "file_sha256", "dry_run", "written", "rows", "refused")}
        summary |= {"created": run.created, "updated": run.updated, "unchanged": run.unchanged}
        record(actor=scope.user, action="inquiries.person_import", obj=run, after=summary)
        if run.written:
            saved_time_record(
                actor=scope.user, section=chosen, kind=SAVINGS_KIND, count=run.created + run.updated,
                minutes=run.created * MINUTES_PER_NEW + run.updated * MINUTES_PER_UPDATE, obj=run,
            )  # fmt: skip
    return run


def person_import_viewed(*, actor: Any, run: PersonImport, where: str) -> None:
    """Record that ``actor`` opened an import's report (its rows name persons by 宛名番号)."""
    scope = collector(actor)
    with transaction.atomic(durable=True):
        record(actor=scope.user, action="inquiries.person_import.view", obj=run, after={"where": where})
