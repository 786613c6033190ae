"""The demo city's budget (デモ市の予算): 款項目, lines, 当初予算 and 補正, allotments, creditors, 流用.

The budget book (``demo.data.BUDGET``: about 500 lines, ¥30 billion) is loaded
in bulk (``bulk_create``) inside one transaction with one audit entry
(``finance.seed_demo.budget``, with the row counts) by the 会計 role holder of
財政課, as the org seed does for the city: through the services one line at a
time it would take thousands of audit entries and most of the seed's time.
Everything after it goes through the real services: creditors
(``creditor_create``, bank and branch checked against zengin-code), budget
transfers and a reserve-fund use (``transfer_draft``, ``reserve_use_draft``,
decided through the approval engine) and the allotment (配当) of what they move.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction

from cityhall.accounts.models import User
from cityhall.core.audit import record
from cityhall.finance import services
from cityhall.finance.demo import engine as engine
from cityhall.finance.demo.data import (
    BUDGET,
    CREDITORS,
    GENERAL_ACCOUNT,
    RESERVE_KAN,
    RESERVE_MILLIONS,
    SUPPLEMENT,
    account_number,
)
from cityhall.finance.invoice_number import corporate_check_digit
from cityhall.finance.models import (
    Account,
    Allotment,
    BudgetAmount,
    BudgetClassification,
    BudgetLine,
    BudgetTransfer,
    BudgetVersion,
    Creditor,
    Level,
)
from cityhall.finance.services.budget import line_label
from cityhall.org.models import OrgUnit

# Share of each line allotted (配当) to its section at the start of the year; the rest stays with 財政課.
ALLOTTED_SHARE = 0.95
# The 流用 and the 予備費充用 the demo decides: kind, (款, 項, 目, 節) from → to, amount, reason.
TRANSFERS: tuple[tuple[str, tuple[str, str, str, str], tuple[str, str, str, str], int, str], ...] = (
    (
        "transfer",
        ("2", "1", "6", "12"),
        ("2", "1", "6", "10"),
        1_500_000,
        "市民アンケートの印刷部数の増加に伴い、需用費（印刷製本費）が不足するため",
    ),
    (
        "transfer",
        ("3", "1", "3", "12"),
        ("3", "1", "2", "19"),
        3_000_000,
        "障害福祉サービスの利用者の増加に伴い、扶助費が不足するため",
    ),
    (
        "reserve",
        (RESERVE_KAN[0], "1", "1", ""),
        ("11", "1", "1", "14"),
        8_000_000,
        "台風により被災した市道の応急復旧工事に要する経費が不足するため",
    ),
)

LineKey = tuple[str, str, str, str]  # (款, 項, 目, 節) codes; 節 "" for the reserve fund (予備費)


@dataclass
class DemoCity:
    """What every part of the finance demo needs: the city, the day, the year and who keeps the books."""

    town_id: int
    today: dt.date
    fiscal_year: int
    start: dt.date
    accounting: User
    sections: dict[str, OrgUnit]
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def account(self) -> Account:
        """The general account (一般会計)."""
        return Account.objects.get(code=GENERAL_ACCOUNT)

    def day(self, back: int) -> dt.date:
        """``back`` days before today, never before 1 April of the year (年度の初日)."""
        return max(self.start, self.today - dt.timedelta(days=back))


def line_keys(fiscal_year: int) -> dict[LineKey, BudgetLine]:
    """The year's general-account lines by (款, 項, 目, 節) codes."""
    lines = BudgetLine.objects.filter(account__code=GENERAL_ACCOUNT, fiscal_year=fiscal_year).select_related(
        "moku__parent__parent", "setsu"
    )
    keys: dict[LineKey, BudgetLine] = {}
    for line in lines:
        kou = line.moku.parent
        kan = kou.parent if kou else None
        if kou is None or kan is None or line.saisetsu_id is not None:
            continue
        keys[(kan.code, kou.code, line.moku.code, line.setsu.code if line.setsu else "")] = line
    return keys


def _headings(account: Account) -> dict[tuple[str, ...], BudgetClassification]:
    """The account's 款・項・目 by code path, creating the missing ones in bulk (three levels, three inserts)."""
    existing = {
        (h.level, h.parent_id, h.code): h
        for h in BudgetClassification.objects.filter(account=account, level__in=(Level.KAN, Level.KOU, Level.MOKU))
    }
    paths: dict[tuple[str, ...], BudgetClassification] = {}
    books = [(m.kan, m.kou, m.moku) for m in BUDGET] + [(RESERVE_KAN, ("1", "予備費"), ("1", "予備費"))]
    for depth, level in enumerate((Level.KAN, Level.KOU, Level.MOKU)):
        new: list[BudgetClassification] = []
        for book in books:
            path = tuple(code for code, _name in book[: depth + 1])
            if path in paths:
                continue
            parent = paths[path[:-1]] if depth else None
            code, name = book[depth]
            heading = existing.get((level, parent.pk if parent else None, code))
            if heading is None:
                heading = BudgetClassification(
                    account=account, level=level, parent=parent, code=code, name=name, sort_order=int(code)
                )
                new.append(heading)
            paths[path] = heading
        BudgetClassification.objects.bulk_create(new)
    return paths


def _spread(millions: int, tokens: list[tuple[str, float, int]]) -> list[int]:
    """A 目's budget divided over its 節 by weight, in thousands of yen (千円単位)."""
    weight = sum(w for _s, w, _i in tokens)
    return [max(1_000, int(round(millions * 1_000_000 * w / weight, -3))) for _s, w, _i in tokens]


def _tokens(text: str) -> list[tuple[str, float, int]]:
    """``"2:40 10:6@1"`` → [("2", 40.0, 0), ("10", 6.0, 1)]."""
    out = []
    for token in text.split():
        setsu, _colon, rest = token.partition(":")
        weight, _at, index = rest.partition("@")
        out.append((setsu, float(weight), int(index or 0)))
    return out


def load_budget(city: DemoCity) -> int:
    """当初予算 and 補正予算第1号 of the general account, allotted to sections; 0 when the year has a budget.

    Bulk load (see the module docstring): one transaction, one audit entry.
    """
    account = city.account
    if BudgetVersion.objects.filter(account=account, fiscal_year=city.fiscal_year).exists():
        return 0
    with transaction.atomic(durable=True):
        paths = _headings(account)
        setsu = {h.code: h for h in BudgetClassification.objects.filter(level=Level.SETSU, account__isnull=True)}
        lines: list[BudgetLine] = []
        initial: list[int] = []
        owners: list[OrgUnit | None] = []
        for book in BUDGET:
            moku = paths[(book.kan[0], book.kou[0], book.moku[0])]
            tokens = _tokens(book.setsu)
            for (code, _w, index), amount in zip(tokens, _spread(book.millions, tokens), strict=True):
                lines.append(
                    BudgetLine(
                        account=account,
                        fiscal_year=city.fiscal_year,
                        moku=moku,
                        setsu=setsu[code],
                        label=line_label(account, moku, setsu[code], None),
                    )
                )
                initial.append(int(amount))
                owners.append(city.sections[book.sections[index]])
        reserve = paths[(RESERVE_KAN[0], "1", "1")]
        lines.append(
            BudgetLine(
                account=account,
                fiscal_year=city.fiscal_year,
                moku=reserve,
                setsu=None,
                label=line_label(account, reserve, None, None),
            )
        )
        initial.append(RESERVE_MILLIONS * 1_000_000)
        owners.append(None)
        BudgetLine.objects.bulk_create(lines)
        first = BudgetVersion.objects.create(
            account=account,
            fiscal_year=city.fiscal_year,
            number=0,
            name="当初予算",
            decided_on=city.start - dt.timedelta(days=8),
        )
        second = BudgetVersion.objects.create(
            account=account,
            fiscal_year=city.fiscal_year,
            number=1,
            name="補正予算（第1号）",
            decided_on=min(city.today, city.start + dt.timedelta(days=84)),
        )
        keys = line_keys(city.fiscal_year)
        changes = {keys[(kan, kou, moku, s)].pk: change * 1_000 for kan, kou, moku, s, change in SUPPLEMENT}
        amounts = [BudgetAmount(line=ln, version=first, amount=a) for ln, a in zip(lines, initial, strict=True)]
        amounts += [BudgetAmount(line_id=pk, version=second, amount=change) for pk, change in changes.items()]
        BudgetAmount.objects.bulk_create(amounts)
        allotments = [
            Allotment(line=ln, section=owner, amount=int((a + changes.get(ln.pk, 0)) * ALLOTTED_SHARE) // 1_000 * 1_000)
            for ln, a, owner in zip(lines, initial, owners, strict=True)
            if owner is not None
        ]
        Allotment.objects.bulk_create(allotments)
        total = sum(initial) + sum(changes.values())
        record(
            actor=city.accounting,
            action="finance.seed_demo.budget",
            obj=first,
            after={
                "fiscal_year": city.fiscal_year,
                "headings": len(paths),
                "lines": len(lines),
                "amounts": len(amounts),
                "allotments": len(allotments),
                "total": total,
            },
        )
    return len(lines)


def ensure_creditors(city: DemoCity) -> int:
    """Register the demo creditors (債権者) through ``creditor_create``; those already there are kept."""
    known = set(Creditor.objects.filter(code__in=[c.code for c in CREDITORS]).values_list("code", flat=True))
    made = 0
    for spec in CREDITORS:
        if spec.code in known:
            continue
        number = f"T{corporate_check_digit(spec.body)}{spec.body}" if spec.body else ""
        services.creditor_create(
            actor=city.accounting,
            code=spec.code,
            name=spec.name,
            kana=spec.kana,
            address=spec.address,
            invoice_registration_number=number,
            is_individual=spec.individual,
            bank_account=services.BankAccountInput(
                spec.bank, spec.branch, spec.account_type, account_number(spec), spec.holder
            ),
        )
        made += 1
    return made


def decide_transfers(city: DemoCity) -> int:
    """Draft the demo 流用 and 予備費充用, decide them through the engine and allot what they bring."""
    if BudgetTransfer.objects.filter(source__fiscal_year=city.fiscal_year, source__account=city.account).exists():
        return 0
    keys = line_keys(city.fiscal_year)
    done = 0
    for n, (kind, source_key, target_key, amount, reason) in enumerate(TRANSFERS):
        source, target = keys.get(source_key), keys.get(target_key)
        if source is None or target is None or target.setsu is None:
            continue
        day = city.day(90 - n * 25)
        draft = services.reserve_use_draft if kind == "reserve" else services.transfer_draft
        what = "予備費の充用" if kind == "reserve" else "予算の流用"
        transfer = draft(
            actor=city.accounting,
            title=f"{what}について（{target.moku.name} {target.setsu.name}）",
            source=source,
            target=target,
            amount=amount,
            reason=reason,
            on=day,
        )
        engine.advance(engine.submit(city.accounting, transfer.document, day), None, day)
        allotment = Allotment.objects.filter(line=target).first()
        if allotment is not None:
            services.allotment_set(
                actor=city.accounting, line=target, section=allotment.section, amount=allotment.amount + amount
            )
        done += 1
    return done
