"""What the budget lets a city carry: 繰越明許費 (法213条) and 継続費 with its 年割額 (法212条).

Both are entered by the finance staff from the budget the council decided (予算の第2表・第3表),
attached to that budget's version (当初 or a 補正 that adds them), each with an audit entry.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import transaction

from cityhall.core.audit import record, snapshot
from cityhall.core.errors import ValidationFailed
from cityhall.core.japanese.money import parse_yen
from cityhall.finance.models import (
    Account,
    BudgetClassification,
    BudgetLine,
    BudgetVersion,
    CarryAllowance,
    ContinuingExpense,
    ContinuingInstallment,
    Level,
)
from cityhall.finance.selectors.carry_statements import carry_statements
from cityhall.finance.services._common import require_finance_staff
from cityhall.org.selectors import primary_assignment


def _project(project: str) -> str:
    text = (project or "").strip()
    if not text:
        raise ValidationFailed("事業名を入力してください。", field="project")
    if len(text) > 100:
        raise ValidationFailed("事業名は100文字以内で入力してください。", field="project")
    return text


def _require_kou(version: BudgetVersion, kou: BudgetClassification) -> None:
    if kou.level != Level.KOU or kou.account_id != version.account_id:
        raise ValidationFailed(f"「{kou}」は{version.account}の項ではありません。", field="kou")


def carry_allowance_create(
    *, actor: Any, version: BudgetVersion, kou: BudgetClassification, project: str, amount: Any
) -> CarryAllowance:
    """Enter a 繰越明許費 of a budget: the 項, the 事業名 and the amount the council allowed to carry."""
    actor = require_finance_staff(actor)
    _require_kou(version, kou)
    project = _project(project)
    amount = parse_yen(amount, label="繰越明許費の額")
    if CarryAllowance.objects.filter(version=version, kou=kou, project=project).exists():
        raise ValidationFailed(f"繰越明許費「{project}」はこの予算に既に登録されています。", field="project")
    with transaction.atomic(durable=True):
        allowance = CarryAllowance.objects.create(
            version=version,
            account_id=version.account_id,
            fiscal_year=version.fiscal_year,
            kou=kou,
            project=project,
            amount=amount,
        )
        record(actor=actor, action="finance.carry_allowance.create", obj=allowance, after=snapshot(allowance))
    return allowance


def continuing_expense_create(
    *, actor: Any, version: BudgetVersion, line: BudgetLine, project: str, installments: Sequence[Any]
) -> ContinuingExpense:
    """Enter a 継続費: its 事業, the 目・節 of ``line`` and the 年割額 of each year from the budget's own.

    ``installments`` are the 年割額 of consecutive years, the first for the version's year; the
    total (総額) is their sum.
    """
    actor = require_finance_staff(actor)
    setsu = line.setsu
    if line.account_id != version.account_id or line.fiscal_year != version.fiscal_year or setsu is None:
        raise ValidationFailed(f"予算明細「{line.label}」はこの予算のものではありません。", field="line")
    if line.is_carried:
        raise ValidationFailed(f"「{line.label}」は繰越分です。現年度の予算明細を選んでください。", field="line")
    project = _project(project)
    if len(installments) < 2:
        raise ValidationFailed(
            "継続費は2年度以上の年割額を入力してください（地方自治法第212条）。", field="installments"
        )
    years = range(version.fiscal_year, version.fiscal_year + len(installments))
    amounts = [parse_yen(amount, label=f"{year}年度の年割額") for year, amount in zip(years, installments, strict=True)]
    with transaction.atomic(durable=True):
        expense = ContinuingExpense.objects.create(
            version=version,
            account_id=version.account_id,
            moku_id=line.moku_id,
            setsu=setsu,
            project=project,
            total=sum(amounts),
            first_year=years[0],
            last_year=years[-1],
        )
        ContinuingInstallment.objects.bulk_create(
            ContinuingInstallment(expense=expense, fiscal_year=year, amount=amount)
            for year, amount in zip(years, amounts, strict=True)
        )
        after = snapshot(expense) | {"installments": dict(zip(years, amounts, strict=True))}
        record(actor=actor, action="finance.continuing.create", obj=expense, after=after)
    return expense


def carry_statements_export(*, actor: Any, account: Account, fiscal_year: int, file_format: str) -> tuple[bytes, str]:
    """The 繰越計算書 of an account's year as .xlsx or .pdf bytes and their Content-Disposition; audited."""
    actor = require_finance_staff(actor)
    if file_format not in ("xlsx", "pdf"):
        raise ValidationFailed("形式は xlsx か pdf を指定してください。", field="format")
    # fpdf and openpyxl are loaded for a download, not when a process starts (half a second together).
    from cityhall.finance import carry_statement_files as files

    statements = carry_statements(account, fiscal_year)
    heading = files.heading_of(account.name, fiscal_year)
    if file_format == "xlsx":
        content = files.statements_workbook(heading, statements)
    else:
        assignment = primary_assignment(actor)
        municipality = assignment.unit.municipality.name if assignment else ""
        content = files.statements_pdf(heading, municipality, statements)
    record(
        actor=actor,
        action="finance.carry_statement.download",
        obj=account,
        after={"fiscal_year": fiscal_year, "format": file_format},
    )
    return content, files.disposition(fiscal_year, file_format)
