"""The old document register (文書管理簿（旧システム）): paper records of past years, taken over.

One row is one record of the old register: its number as the old register wrote it (「企政第123号」,
「第12号の2」 or 123 with the 年度), the 年度 (西暦 or 和暦), the 課 (name or 組織コード of a 課 in
cityhall's organisation), 件名, 起案日・決裁日・完結日 (和暦 or 西暦), the 文書分類 (a code of the file
plan), 保存期間 (years, 「永年」 or 「常用」; the class's when empty), 保存期間満了 (derived; a given one
must agree), 保管場所 (書庫・棚・箱; required: the record is paper), 個人情報 and 秘, 金額 and the
決裁者 as text. Each row becomes a document of medium 紙 through documents' service
(``documents.services.paper_records``), which holds the rules and the design of the old number
(its ``number`` kept from 「…第N号」, the text in 旧文書番号, the counters moved past the imported
numbers): see its docstring. ``check`` reads sections, classes and the numbers already in the
register once for all rows and runs the same rules the service runs; only the 文書主管 imports.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from typing import Any

from django.utils.translation import gettext_noop as _

from cityhall.accounts.models import User
from cityhall.automation.switchover import cells
from cityhall.automation.switchover.base import SwitchoverKind, register
from cityhall.core.errors import ApplicationError
from cityhall.core.tables import Field, Row
from cityhall.documents.models import FilePlanClass
from cityhall.documents.services.paper_records import (
    OldRecord,
    PaperRecordsRefused,
    duplicate_problems,
    numbers_taken,
    paper_records_insert,
    record_problems,
    require_document_manager,
)
from cityhall.org.models import OrgUnit, UnitKind

# The service names the number ``old_number``; the row calls it ``number``.
_FIELD = {"old_number": "number"}


@register
class OldRegister(SwitchoverKind):
    code = "register"
    label = _("文書管理簿（旧システム）")
    description = _(
        "旧システムの文書管理簿に載っている紙の原議。1行が1件の文書で、文書番号・年度・課・"
        "文書分類・保存期間・保管場所を引き継ぎます。保存期間が空欄なら文書分類の期間です。"
    )
    fields = (
        Field("number", _("文書番号"), cells.text, True, ("旧文書番号", "文書番号（旧）", "番号"), "企政第123号"),
        Field("fiscal_year", _("年度"), cells.fiscal_year, True, ("会計年度", "作成年度"), "令和2年度"),
        Field("section", _("課"), cells.text, True, ("課名", "所管課", "担当課", "所属", "課コード"), "総務課"),
        Field(
            "title", _("件名"), cells.text, True, ("文書件名", "表題", "標題"), "令和2年度 文書事務研修の実施について"
        ),
        Field("drafted_on", _("起案日"), cells.day, False, ("起案年月日",), "令和2年6月1日"),
        Field("decided_on", _("決裁日"), cells.day, True, ("決裁年月日",), "令和2年6月3日"),
        Field("closed_on", _("完結日"), cells.day, False, ("完結年月日",), "令和3年3月31日"),
        Field("file_plan_class", _("文書分類"), cells.code, True, ("分類コード", "文書分類コード", "分類"), "01-01-02"),
        Field("retention", _("保存期間"), cells.retention, False, ("保存年限",), "5年"),
        Field(
            "expires_on", "保存期間満了", cells.day, False, ("保存期間満了日", "満了日", "廃棄予定日"), "令和9年3月31日"
        ),
        Field("location", _("保管場所"), cells.text, True, ("保存場所", "保管先", "書庫"), "第1書庫 棚3 箱12"),
        Field("has_personal_info", _("個人情報"), cells.flag, False, ("個人情報の有無",), "0"),
        Field("is_confidential", _("秘"), cells.flag, False, ("秘文書", "秘密区分"), "0"),
        Field("amount", _("金額"), cells.amount, False, (), "120000"),
        Field("decider", _("決裁者"), cells.text, False, ("決裁者名", "決裁者氏名"), "旧田 一郎"),
    )

    def authorize(self, actor: User) -> None:
        require_document_manager(actor)

    def check(self, actor: User, rows: list[Row]) -> None:
        found = _records(rows)
        for row, record in found:
            for problem in record_problems(record):
                row.refuse(_FIELD.get(problem.field or "", problem.field or "row"), problem.message)
        records = [record for _row, record in found]
        names = [f"{row.number}行目" for row, _record in found]
        for index, problem in duplicate_problems(records, numbers_taken(records), names).items():
            found[index][0].refuse("number", problem.message)

    def write(self, actor: User, rows: list[Row]) -> None:
        found = _records(rows)
        if not found or any(row.reasons for row in rows):
            return
        try:
            documents = paper_records_insert(actor=actor, records=[record for _row, record in found])
        except PaperRecordsRefused as exc:
            for index, problem in exc.refusals:
                found[index][0].refuse(_FIELD.get(problem.field or "", problem.field or "row"), problem.message)
            return
        except ApplicationError as exc:
            rows[0].refuse(exc.field or "row", exc.message)
            return
        for (row, _record), document in zip(found, documents, strict=True):
            row.created = f"紙の原議 {document.number_label}"


def _key(written: str) -> str:
    return unicodedata.normalize("NFKC", written).replace(" ", "").replace("\u3000", "").upper()


def _records(rows: list[Row]) -> list[tuple[Row, OldRecord]]:
    """The rows read without a reason, as old records with their section and class found (two queries).

    A row whose 課 or 文書分類 is not in cityhall gets its reason here; rows with reasons are left out.
    """
    sections: dict[str, list[OrgUnit]] = defaultdict(list)
    for unit in OrgUnit.objects.filter(kind=UnitKind.SECTION).select_related("municipality"):
        for name in {_key(unit.code), _key(unit.name)}:
            sections[name].append(unit)
    classes = {_key(c.code): c for c in FilePlanClass.objects.all()}
    found = []
    for row in rows:
        section = _section(row, sections) if row["section"] else None
        plan = classes.get(_key(row["file_plan_class"])) if row["file_plan_class"] else None
        if row["file_plan_class"] and plan is None:
            row.refuse(
                "file_plan_class",
                f"文書分類「{row['file_plan_class']}」が文書分類表にありません。分類コードで書いてください。",
            )
        if section is not None and plan is not None and not row.reasons:
            found.append((row, _record(row, section, plan)))
    return found


def _section(row: Row, sections: dict[str, list[OrgUnit]]) -> OrgUnit | None:
    """The 課 named by the row; among several of that name, the one that existed on the decision day."""
    named = sections.get(_key(row["section"]), [])
    if len(named) == 1:
        return named[0]
    if not named:
        row.refuse("section", f"課「{row['section']}」が組織にありません。課の名称か組織コードで書いてください。")
        return None
    day = row["decided_on"]
    on_day = [u for u in named if day is not None and u.valid_from <= day and (u.valid_to is None or day <= u.valid_to)]
    if len(on_day) == 1:
        return on_day[0]
    row.refuse("section", f"課「{row['section']}」に当たる課が複数あります。組織コードで書いてください。")
    return None


def _record(row: Row, section: OrgUnit, plan: FilePlanClass) -> OldRecord:
    retention: Any = row["retention"]
    return OldRecord(
        section=section,
        fiscal_year=row["fiscal_year"],
        old_number=row["number"],
        title=row["title"],
        decided_on=row["decided_on"],
        file_plan_class=plan,
        location=row["location"],
        drafted_on=row["drafted_on"],
        closed_on=row["closed_on"],
        retention_years=None if retention in (None, cells.IN_USE) else retention,
        in_use=retention == cells.IN_USE,
        expires_on=row["expires_on"],
        has_personal_info=bool(row["has_personal_info"]),
        is_confidential=bool(row["is_confidential"]),
        amount=row["amount"],
        decider=row["decider"] or "",
    )
