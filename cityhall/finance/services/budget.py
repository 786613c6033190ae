"""Budget services (予算): headings, lines and versions (当初・補正); allotments (配当) are in ``allotments``.

The reserve fund (予備費) is a line without 節 (``reserve=True``): the council
votes its amount but it is never allotted (配当) nor charged; it only gives to
other lines through 予備費充用 (``services.transfer.reserve_use_draft``).

Each durable service has an ``_insert`` variant that does the same inside the caller's
transaction (``heading_insert``, ``budget_line_insert``, ``budget_version_insert``), for work
that writes many of them as one unit, such as the switch-over of a budget book (当初予算書の移行);
``budget_lines_insert`` creates many lines of a 会計 and 年度 at once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import translation

from cityhall.core.audit import record, snapshot
from cityhall.core.errors import ValidationFailed, clean
from cityhall.core.japanese import closing_period_end, fiscal_year_label, format_wareki
from cityhall.core.japanese.money import parse_yen
from cityhall.finance import balance
from cityhall.finance.models import (
    PARENT_LEVEL,
    Account,
    BudgetAmount,
    BudgetClassification,
    BudgetKind,
    BudgetLine,
    BudgetVersion,
    Level,
)
from cityhall.finance.services._common import require_finance_staff, today


def heading_insert(
    *,
    actor: Any,
    level: str,
    code: str,
    name: str,
    account: Account | None = None,
    parent: BudgetClassification | None = None,
    transfer_locked: bool = False,
) -> BudgetClassification:
    """``heading_create`` inside the caller's transaction (e.g. a switch-over of the budget book).

    The caller has checked the actor's 会計 role and holds the transaction.
    """
    expected_parent = PARENT_LEVEL.get(Level(level)) if level in Level.values else None
    if level not in Level.values or level == Level.SETSU:
        raise ValidationFailed("登録できる科目は款・項・目・細節です。", field="level")
    if expected_parent is not None and (parent is None or parent.level != expected_parent):
        raise ValidationFailed(
            f"{Level(level).label}の上位科目には{Level(expected_parent).label}を選んでください。", field="parent"
        )
    if level in (Level.KAN, Level.KOU, Level.MOKU):
        if account is None:
            raise ValidationFailed("会計を選んでください。", field="account")
        if parent is not None and parent.account_id != account.pk:
            raise ValidationFailed("上位科目が別の会計のものです。", field="parent")
    else:
        account = None
    if BudgetClassification.objects.filter(account=account, level=level, parent=parent, code=code).exists():
        raise ValidationFailed(f"科目コード「{code}」は既に使われています。", field="code")
    heading = BudgetClassification(
        account=account, level=level, parent=parent, code=code, name=name.strip(), transfer_locked=transfer_locked
    )
    clean(heading)
    heading.save()
    record(actor=actor, action="finance.heading.create", obj=heading, after=snapshot(heading))
    return heading


def heading_create(
    *,
    actor: Any,
    level: str,
    code: str,
    name: str,
    account: Account | None = None,
    parent: BudgetClassification | None = None,
    transfer_locked: bool = False,
) -> BudgetClassification:
    """Create a budget heading (予算科目): 款/項/目 of an account, or a 細節 under a 節."""
    actor = require_finance_staff(actor)
    with transaction.atomic(durable=True):
        return heading_insert(
            actor=actor,
            level=level,
            code=code,
            name=name,
            account=account,
            parent=parent,
            transfer_locked=transfer_locked,
        )


def setsu_lock(*, actor: Any, heading: BudgetClassification, locked: bool) -> BudgetClassification:
    """Lock or unlock a 節 against transfers (流用禁止の設定)."""
    actor = require_finance_staff(actor)
    with transaction.atomic(durable=True):
        heading = BudgetClassification.objects.select_for_update().get(pk=heading.pk)
        if heading.level != Level.SETSU:
            raise ValidationFailed("流用禁止は節に設定してください。", field="heading")
        before = snapshot(heading)
        heading.transfer_locked = locked
        heading.save(update_fields=["transfer_locked"])
        record(actor=actor, action="finance.heading.lock", obj=heading, before=before, after=snapshot(heading))
    return heading


def line_label(
    account: Account,
    moku: BudgetClassification,
    setsu: BudgetClassification | None,
    sai: BudgetClassification | None,
    budget_kind: str = BudgetKind.CURRENT,
) -> str:
    """A budget line's label (予算科目名), e.g. 「一般会計 2款総務費 1項総務管理費 1目一般管理費 10節需用費」."""
    kou = moku.parent
    kan = kou.parent if kou else None
    path = [
        account.name,
        f"{kan.code}款{kan.name}" if kan else "",
        f"{kou.code}項{kou.name}" if kou else "",
        f"{moku.code}目{moku.name}",
        f"{setsu.code}節{setsu.name}" if setsu else "",
        sai.name if sai else "",
    ]
    label = " ".join(p for p in path if p)
    if budget_kind != BudgetKind.CURRENT:
        with translation.override("ja"):  # the label is the official name, whatever the screen's language
            label += f"（{BudgetKind(budget_kind).label}）"
    return label


def _check_line_headings(
    account: Account,
    moku: BudgetClassification,
    setsu: BudgetClassification | None,
    saisetsu: BudgetClassification | None,
    reserve: bool,
) -> None:
    """The path of a line: a 目 of the account, then a 節 (and 細節), or no 節 at all for the 予備費 line."""
    if moku.level != Level.MOKU or moku.account_id != account.pk:
        raise ValidationFailed("この会計の目を選んでください。", field="moku")
    if reserve:
        if setsu is not None or saisetsu is not None:
            raise ValidationFailed(
                "予備費の明細には節・細節を選ばないでください（予備費は節に分けません）。", field="setsu"
            )
        return
    if setsu is None:
        raise ValidationFailed("節を選んでください（節のない明細は予備費としてのみ登録できます）。", field="setsu")
    if setsu.level != Level.SETSU:
        raise ValidationFailed("節を選んでください。", field="setsu")
    if saisetsu is not None and (saisetsu.level != Level.SAISETSU or saisetsu.parent_id != setsu.pk):
        raise ValidationFailed("選んだ節の細節を選んでください。", field="saisetsu")


@dataclass(frozen=True)
class LineHeadings:
    """The headings of a new budget line: its 目, then its 節 (and 細節), or none for the 予備費 (``reserve``)."""

    moku: BudgetClassification
    setsu: BudgetClassification | None
    saisetsu: BudgetClassification | None = None
    reserve: bool = False


# A line's headings are instances the caller holds (checked by ``_check_line_headings``), and its
# uniqueness is read for all lines at once: ``clean`` leaves them out instead of a query per field.
_LINE_HEADINGS = ["account", "moku", "setsu", "saisetsu"]


def budget_lines_insert(
    *,
    actor: Any,
    account: Account,
    fiscal_year: int,
    lines: Sequence[LineHeadings],
    budget_kind: str = BudgetKind.CURRENT,
) -> list[BudgetLine]:
    """Budget lines of one 会計 and 年度 inside the caller's transaction, each audited (e.g. a 当初予算書).

    The caller has checked the actor's 会計 role and holds the transaction; a refused line leaves none
    of them behind, and its index in ``lines`` is in the error's ``extra["line"]``. The lines already
    there are read in one query, whatever the number of lines.
    """
    for index, given in enumerate(lines):
        try:
            _check_line_headings(account, given.moku, given.setsu, given.saisetsu, given.reserve)
        except ValidationFailed as exc:
            raise ValidationFailed(exc.message, field=exc.field, extra={"line": index}) from None
    keys = [(g.moku.pk, g.setsu.pk if g.setsu else None, g.saisetsu.pk if g.saisetsu else None) for g in lines]
    there = BudgetLine.objects.filter(
        account=account, fiscal_year=fiscal_year, budget_kind=budget_kind, moku__in={key[0] for key in keys}
    )
    seen: set[tuple[int, int | None, int | None]] = set(there.values_list("moku", "setsu", "saisetsu"))
    for index, key in enumerate(keys):
        if key in seen:
            raise ValidationFailed("この予算科目の明細は既にあります。", field="setsu", extra={"line": index})
        seen.add(key)
    # One 予備費 per account and year: 予備費充用 takes its source from it without asking.
    reserves = [index for index, given in enumerate(lines) if given.reserve]
    if reserves and (
        len(reserves) > 1
        or BudgetLine.objects.filter(account=account, fiscal_year=fiscal_year, setsu__isnull=True).exists()
    ):
        raise ValidationFailed(
            f"{fiscal_year}年度の{account.name}の予備費の明細は既にあります。",
            field="moku",
            extra={"line": reserves[-1]},
        )
    made = [
        BudgetLine(
            account=account,
            fiscal_year=fiscal_year,
            moku=given.moku,
            setsu=given.setsu,
            saisetsu=given.saisetsu,
            budget_kind=budget_kind,
            label=line_label(account, given.moku, given.setsu, given.saisetsu, budget_kind),
        )
        for given in lines
    ]
    for index, line in enumerate(made):
        try:
            clean(line, exclude=_LINE_HEADINGS)
        except ValidationFailed as exc:
            raise ValidationFailed(exc.message, field=exc.field, extra={"line": index}) from None
    try:
        with transaction.atomic():  # a savepoint: the caller's transaction survives a lost race
            BudgetLine.objects.bulk_create(made)
    except IntegrityError:  # another clerk created the same line since the check above
        raise ValidationFailed("この予算科目の明細は既にあります。", field="setsu") from None
    for line in made:
        record(actor=actor, action="finance.line.create", obj=line, after=snapshot(line))
    return made


def budget_line_insert(
    *,
    actor: Any,
    account: Account,
    fiscal_year: int,
    moku: BudgetClassification,
    setsu: BudgetClassification | None,
    saisetsu: BudgetClassification | None = None,
    reserve: bool = False,
    budget_kind: str = BudgetKind.CURRENT,
) -> BudgetLine:
    """``budget_line_create`` inside the caller's transaction (e.g. the next year's line of a 繰越).

    The caller has checked the actor's 会計 role and holds the transaction. ``budget_kind`` other
    than 現年度 is the 繰越分 line a carry-over creates, labelled as such.
    """
    headings = LineHeadings(moku=moku, setsu=setsu, saisetsu=saisetsu, reserve=reserve)
    return budget_lines_insert(
        actor=actor, account=account, fiscal_year=fiscal_year, lines=[headings], budget_kind=budget_kind
    )[0]


def budget_line_create(
    *,
    actor: Any,
    account: Account,
    fiscal_year: int,
    moku: BudgetClassification,
    setsu: BudgetClassification | None,
    saisetsu: BudgetClassification | None = None,
    reserve: bool = False,
) -> BudgetLine:
    """Create a budget line (予算明細) for 款/項/目/節(/細節); its amount comes from versions.

    ``reserve=True`` creates the reserve-fund line (予備費): a 目 without 節,
    one per account and year. It is asked for explicitly rather than guessed
    from the 目's name, because cities name and number 予備費 differently.
    """
    actor = require_finance_staff(actor)
    with transaction.atomic(durable=True):
        return budget_line_insert(
            actor=actor,
            account=account,
            fiscal_year=fiscal_year,
            moku=moku,
            setsu=setsu,
            saisetsu=saisetsu,
            reserve=reserve,
        )


def budget_version_insert(
    *,
    actor: Any,
    account: Account,
    fiscal_year: int,
    name: str,
    amounts: Sequence[tuple[BudgetLine, int]],
    on: dt.date | None = None,
    personnel_transfer: bool = False,
) -> BudgetVersion:
    """``budget_version_create`` inside the caller's transaction (e.g. the 当初予算 of a switched-over book).

    The caller has checked the actor's 会計 role and holds the transaction; a refused version leaves
    nothing behind in it. The lines' budgets are checked against their allotments in a fixed number
    of queries, whatever the number of lines.
    """
    day = today(on)
    if not name.strip():
        raise ValidationFailed("名称を入力してください。", field="name")
    if not amounts:
        raise ValidationFailed("金額を1行以上入力してください。", field="amounts")
    with transaction.atomic():  # a savepoint: the caller's transaction survives a refused version
        lines = BudgetLine.objects.select_for_update().filter(pk__in=[ln.pk for ln, _a in amounts])
        locked = {ln.pk: ln for ln in lines}
        top = BudgetVersion.objects.filter(account=account, fiscal_year=fiscal_year).aggregate(n=Max("number"))["n"]
        if top is not None:
            _check_supplementary(account, fiscal_year, name.strip(), day)
        version = BudgetVersion.objects.create(
            account=account,
            fiscal_year=fiscal_year,
            number=0 if top is None else top + 1,
            name=name.strip(),
            personnel_transfer=bool(personnel_transfer),
        )
        rows: dict[int, BudgetAmount] = {}
        for given, raw in amounts:
            line = locked[given.pk]
            if line.account_id != account.pk or line.fiscal_year != fiscal_year or line.pk in rows:
                raise ValidationFailed(f"予算明細「{line.label}」はこの予算に含められません。", field="amounts")
            amount = parse_yen(raw, field="amounts", minimum=None)
            rows[line.pk] = BudgetAmount(line=line, version=version, amount=amount)
        BudgetAmount.objects.bulk_create(rows.values())
        figures = balance.line_figures_for([row.line for row in rows.values()], allotments=False)
        for row in rows.values():
            total, allotted = figures[row.line.pk].budget, figures[row.line.pk].allotted
            if total < max(allotted, 0):
                raise ValidationFailed(
                    f"予算明細「{row.line.label}」の予算額（{total:,}円）が配当済額（{allotted:,}円）を下回ります。",
                    field="amounts",
                )
        record(
            actor=actor,
            action="finance.version.create",
            obj=version,
            after={
                "number": version.number,
                "name": version.name,
                "personnel_transfer": version.personnel_transfer,
                "amounts": {str(pk): row.amount for pk, row in rows.items()},
            },
        )
    return version


def budget_version_create(
    *,
    actor: Any,
    account: Account,
    fiscal_year: int,
    name: str,
    amounts: Sequence[tuple[BudgetLine, int]],
    on: dt.date | None = None,
    personnel_transfer: bool = False,
) -> BudgetVersion:
    """Add a budget (予算の議決): 当初予算 first, then each 補正予算 adds (or takes) amounts per line.

    A line's budget may never fall below what is allotted (配当済額) from it. A 補正 is voted within
    the year (by 31 March, ``on`` being today unless given), and a year has one 当初予算.
    ``personnel_transfer`` records the budget's clause allowing 人件費 to move between 項 of one 款
    (予算で定めた場合の各項の間の流用, 法220条2項ただし書).
    """
    actor = require_finance_staff(actor, on=on)
    with transaction.atomic(durable=True):
        return budget_version_insert(
            actor=actor,
            account=account,
            fiscal_year=fiscal_year,
            name=name,
            amounts=amounts,
            on=on,
            personnel_transfer=personnel_transfer,
        )


def _check_supplementary(account: Account, fiscal_year: int, name: str, day: dt.date) -> None:
    """A version after the first is a 補正予算: not named as a 当初予算, entered by the end of the closing period.

    A 補正 is voted by 31 March, but one decided on the last day (3月31日付の専決処分) is typed in
    during the closing period (出納整理期間), so entry stays open until 31 May of the next year.
    """
    year = fiscal_year_label(fiscal_year)
    if "当初" in name:
        first = BudgetVersion.objects.filter(account=account, fiscal_year=fiscal_year).order_by("number").first()
        raise ValidationFailed(
            f"{account.name}の{year}の当初予算は「{getattr(first, 'name', '当初予算')}」として登録済みです。"
            f"追加の予算は補正予算として「補正予算（第1号）」のような名称で登録してください。",
            field="name",
        )
    if day > closing_period_end(fiscal_year):
        raise ValidationFailed(
            f"{year}の補正予算は、出納整理期間（{format_wareki(closing_period_end(fiscal_year))}まで）を"
            "過ぎているため登録できません。",
            field="fiscal_year",
        )
