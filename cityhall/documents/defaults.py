"""Default delegation rules, kinds of matter and file plan for the demo city (初期設定).

Demo defaults of the 事務決裁規程 for spending: under ¥1,000,000 課長専決,
under ¥5,000,000 部長専決, under ¥30,000,000 副市長決裁, otherwise 市長決裁.
Budget movements have their own rows (``MOVEMENT_KINDS``) and the 財政課 as mandatory consult;
the disposal/transfer of records (``RECORDS_KINDS``: 廃棄・移管リスト) its own row and the 文書主管課
(総務課) as mandatory consult; 例規 (the enactment or revision of 条例・規則) is 市長決裁 with the 例規審査 section
(``settings.CITYHALL_LEGAL_SECTION_NAME``, 総務課) as the row's mandatory consult.
The rows are whole-city rows in effect from ``RULES_SINCE``; the 文書主管 edits them on the
事務決裁規程 screen. Idempotent: a kind that has rows keeps them as the city edited them.
One audit entry records the act.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction

from cityhall.core.audit import record
from cityhall.core.matters import CARRY_KIND, RESERVE_KIND, SERVICE_KIND, SPENDING_KIND, TRANSFER_KIND
from cityhall.documents.models import RULES_SINCE, DelegationRule, ExpiryAction, FilePlanClass, MatterKind
from cityhall.org.models import OrgUnit, Post, UnitKind

ORDINANCE_KIND = "ordinance"
"""例規: enacting or revising 条例・規則・規程, 市長決裁 after the 例規審査 (総務課) in the defaults."""

# code, name, amount_based, [(amount_below or None, post code, label)]
MATTER_KINDS: tuple[tuple[str, str, bool, list[tuple[int | None, str, str]]], ...] = (
    ("general", "一般", False, [(None, "kacho", "課長専決")]),
    ("routine", "定例・軽易", False, [(None, "kakaricho", "係長専決")]),
    ("policy", "重要施策", False, [(None, "shicho", "市長決裁")]),
    (
        SPENDING_KIND,
        "支出",
        True,
        [
            (1_000_000, "kacho", "課長専決"),
            (5_000_000, "bucho", "部長専決"),
            (30_000_000, "fukushicho", "副市長決裁"),
            (None, "shicho", "市長決裁"),
        ],
    ),
    (
        "contract",
        "契約",
        True,
        [
            (1_300_000, "kacho", "課長専決"),
            (10_000_000, "bucho", "部長専決"),
            (50_000_000, "fukushicho", "副市長決裁"),
            (None, "shicho", "市長決裁"),
        ],
    ),
    (SERVICE_KIND, "服務", False, [(None, "kakaricho", "係長専決")]),
    (ORDINANCE_KIND, "例規", False, [(None, "shicho", "市長決裁")]),
)

# Budget movements (予算の移動), each by its own rows and always consulted with the budget section
# (財政課, ``settings.CITYHALL_BUDGET_SECTION_NAME``): 予備費充用 法217条, 流用 法220条2項,
# 繰越 法213条・220条3項. Same shape as MATTER_KINDS.
MOVEMENT_KINDS: tuple[tuple[str, str, bool, list[tuple[int | None, str, str]]], ...] = (
    (TRANSFER_KIND, "予算流用", False, [(None, "bucho", "部長専決")]),
    (RESERVE_KIND, "予備費充用", False, [(None, "fukushicho", "副市長決裁")]),
    (CARRY_KIND, "繰越", False, [(None, "shicho", "市長決裁")]),
)


DISPOSAL_KIND = "disposal"
"""文書の廃棄・移管: the disposal/transfer list (廃棄・移管リスト), 文書主管課 合議 and, in the demo city, 課長専決."""
# The records' end (公文書等の管理に関する法律第8条, mirrored by the city's 公文書管理条例): the list of a
# section's records past retention, always consulted with the documents section (文書主管課,
# ``settings.CITYHALL_RECORDS_SECTION_NAME``). Same shape as MATTER_KINDS.
RECORDS_KINDS: tuple[tuple[str, str, bool, list[tuple[int | None, str, str]]], ...] = (
    (DISPOSAL_KIND, "文書の廃棄・移管", False, [(None, "kacho", "課長専決")]),
)


def _sections_named(setting: str, default: str) -> list[OrgUnit]:
    """The live sections named by a setting (財政課, 例規審査の総務課)."""
    name = getattr(settings, setting, default)
    return list(OrgUnit.objects.filter(kind=UnitKind.SECTION, name=name, valid_to__isnull=True))


def _budget_sections() -> list[OrgUnit]:
    """The sections named as the budget section (財政課) in the settings."""
    return _sections_named("CITYHALL_BUDGET_SECTION_NAME", "財政課")


# The kinds whose rows name a mandatory consult by default: the setting naming the section, its default.
ROW_CONSULTS: dict[str, tuple[str, str]] = {ORDINANCE_KIND: ("CITYHALL_LEGAL_SECTION_NAME", "総務課")}


def _seed_rules(kind: MatterKind, rules: list[tuple[int | None, str, str]], posts: dict[str, Post]) -> int:
    """The kind's initial rows (whole city, from ``RULES_SINCE``), unless it has rows already."""
    if DelegationRule.objects.filter(matter_kind=kind).exists():
        return 0
    consults = _sections_named(*ROW_CONSULTS[kind.code]) if kind.code in ROW_CONSULTS else []
    made = 0
    for bound, post_code, label in rules:
        if post_code not in posts:
            continue
        rule = DelegationRule.objects.create(
            matter_kind=kind, amount_below=bound, decider_post=posts[post_code], label=label, valid_from=RULES_SINCE
        )
        rule.consult_units.set(consults)
        made += 1
    return made


def records_sections() -> list[OrgUnit]:
    """The documents section (文書主管課, 総務課 by default) the settings name: consulted on every disposal list."""
    return _sections_named("CITYHALL_RECORDS_SECTION_NAME", "総務課")


def _attach_mandatory_consults(kinds: list[MatterKind], sections: list[OrgUnit]) -> int:
    """``sections`` as the mandatory consult (必須合議先) of the kinds that have none yet."""
    attached = 0
    for kind in kinds:
        if sections and not kind.consult_units.exists():
            kind.consult_units.set(sections)
            attached += 1
    return attached


# code, name, level, parent code, retention years (0 = 永年), action at expiry
FILE_PLAN: tuple[tuple[str, str, int, str | None, int, str], ...] = (
    ("01", "総務", 1, None, 10, ExpiryAction.DISPOSE),
    ("01-01", "文書", 2, "01", 10, ExpiryAction.DISPOSE),
    ("01-01-01", "例規・告示", 3, "01-01", 0, ExpiryAction.TRANSFER),
    ("01-01-02", "文書管理", 3, "01-01", 5, ExpiryAction.DISPOSE),
    ("01-02", "庶務", 2, "01", 3, ExpiryAction.DISPOSE),
    ("01-02-01", "照会・回答", 3, "01-02", 1, ExpiryAction.DISPOSE),
    ("01-02-02", "会議・行事", 3, "01-02", 3, ExpiryAction.DISPOSE),
    ("02", "財務", 1, None, 5, ExpiryAction.DISPOSE),
    ("02-01", "予算・決算", 2, "02", 10, ExpiryAction.DISPOSE),
    ("02-01-01", "支出負担行為・支出命令", 3, "02-01", 5, ExpiryAction.DISPOSE),
    ("02-02", "契約", 2, "02", 10, ExpiryAction.DISPOSE),
    ("02-02-01", "工事請負契約", 3, "02-02", 10, ExpiryAction.TRANSFER),
    ("03", "人事", 1, None, 30, ExpiryAction.TRANSFER),
    ("03-01", "任免", 2, "03", 30, ExpiryAction.TRANSFER),
    ("03-01-01", "人事異動", 3, "03-01", 30, ExpiryAction.TRANSFER),
)


def ensure_defaults(*, actor: str = "documents.defaults") -> dict[str, int]:
    """Create the default kinds of matter, delegation rules and file plan where missing (初期設定)."""
    created = {"matter_kinds": 0, "delegation_rules": 0, "file_plan": 0, "mandatory_consults": 0}
    with transaction.atomic():
        posts = {p.code: p for p in Post.objects.all()}
        movement_codes = {code for code, *_rest in MOVEMENT_KINDS}
        records_codes = {code for code, *_rest in RECORDS_KINDS}
        movements: list[MatterKind] = []
        records: list[MatterKind] = []
        for order, (code, name, amount_based, rules) in enumerate((*MATTER_KINDS, *MOVEMENT_KINDS, *RECORDS_KINDS)):
            kind, made = MatterKind.objects.get_or_create(
                code=code, defaults={"name": name, "amount_based": amount_based, "sort_order": order}
            )
            created["matter_kinds"] += int(made)
            if code in movement_codes:
                movements.append(kind)
            if code in records_codes:
                records.append(kind)
            created["delegation_rules"] += _seed_rules(kind, rules, posts)
        created["mandatory_consults"] = _attach_mandatory_consults(movements, _budget_sections())
        created["mandatory_consults"] += _attach_mandatory_consults(records, records_sections())
        by_code: dict[str, FilePlanClass] = {c.code: c for c in FilePlanClass.objects.all()}
        for order, (code, name, level, parent, years, action) in enumerate(FILE_PLAN):
            if code in by_code:
                continue
            by_code[code] = FilePlanClass.objects.create(
                code=code,
                name=name,
                level=level,
                parent=by_code[parent] if parent else None,
                retention_years=years,
                expiry_action=action,
                sort_order=order,
            )
            created["file_plan"] += 1
        if any(created.values()):
            record(actor=actor, action="documents.defaults", object_type="documents", after=created)
    return created
