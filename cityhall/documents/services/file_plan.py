"""The file plan (文書分類表) kept by the document manager (文書主管): add, change and end a class.

A class carries the retention (保存期間) and the action at expiry (満了時の措置) that a document
filed in it takes when it is drafted (``drafting._apply_file_plan``); a change applies to documents
drafted afterwards, never to records already filed (their own retention is changed by an extension,
``lifecycle.retention_extend``). A class is never deleted: it is ended (廃止) with the last day it
may be chosen (``valid_to``), and the records filed in it keep it. The code and the place in the
tree (大・中・小分類) are fixed once created: the register, the old systems' imports and the typed
documents name classes by code. Only the 文書主管 writes here; every write is audited
(``documents.file_plan.create|update|end``) in its transaction.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from django.db import transaction
from django.db.models import Max, Q

from cityhall.accounts.models import User
from cityhall.core.audit import record, snapshot
from cityhall.core.errors import Conflict, PermissionDenied, ValidationFailed, check_line, clean
from cityhall.core.japanese import format_date
from cityhall.documents.models import RETENTION_YEARS, ExpiryAction, FilePlanClass, FilePlanLevel
from cityhall.documents.services._common import is_document_manager, require_user, today
from cityhall.org.models import OrgUnit, UnitKind

NOT_ALLOWED = "文書分類表を変更できるのは、文書主管の職員だけです。"
CODE_PATTERN = re.compile(r"^[0-9A-Za-z][0-9A-Za-z-]{0,29}$")
_MAX_SORT_ORDER = 1_000_000


def require_manager(actor: object, *, on: dt.date | None = None) -> User:
    """The actor, who must be the document manager (文書主管) today."""
    user = require_user(actor)
    if not is_document_manager(user, on=on):
        raise PermissionDenied(NOT_ALLOWED)
    return user


def check_in_force(plan: FilePlanClass, day: dt.date, *, field: str = "file_plan_class") -> FilePlanClass:
    """The class if it may be chosen for a document on ``day``; else the Japanese reason naming ``field``."""
    if not plan.in_force(day):
        ended = format_date(plan.valid_to) if plan.valid_to else ""
        raise ValidationFailed(
            f"文書分類「{plan}」は{ended}で廃止されています。使用中の分類を選んでください。", field=field
        )
    return plan


def _code(value: str) -> str:
    code = unicodedata.normalize("NFKC", value or "").strip()
    if not code:
        raise ValidationFailed("分類コードを入力してください。", field="code")
    if not CODE_PATTERN.match(code):
        raise ValidationFailed(
            "分類コードは半角の英数字とハイフンで30文字以内にしてください（例: 01-02-03）。", field="code"
        )
    if FilePlanClass.objects.filter(code=code).exists():
        raise ValidationFailed(f"分類コード「{code}」は既にあります。別のコードにしてください。", field="code")
    return code


def _checked(
    *, name: str, retention_years: int, expiry_action: str, section: OrgUnit | None, sort_order: int | None
) -> tuple[str, int, str, OrgUnit | None, int | None]:
    name = check_line((name or "").strip(), field="name", label="分類名", max_length=100)
    if not name:
        raise ValidationFailed("分類名を入力してください。", field="name")
    if isinstance(retention_years, bool) or retention_years not in RETENTION_YEARS:
        raise ValidationFailed("保存期間は1・3・5・10・30年または永年から選んでください。", field="retention_years")
    if expiry_action not in ExpiryAction.values:
        raise ValidationFailed("満了時の措置は「廃棄」か「移管」を選んでください。", field="expiry_action")
    if section is not None and section.kind == UnitKind.SUBSECTION:
        raise ValidationFailed("主管課には課を選んでください（係は選べません）。", field="section")
    if sort_order is not None and not 0 <= sort_order <= _MAX_SORT_ORDER:
        raise ValidationFailed(f"表示順は0から{_MAX_SORT_ORDER:,}までの数にしてください。", field="sort_order")
    return name, retention_years, expiry_action, section, sort_order


def _audit(actor: User, action: str, plan: FilePlanClass, before: dict[str, object] | None) -> None:
    record(actor=actor, action=f"documents.file_plan.{action}", obj=plan, before=before, after=snapshot(plan))


def file_plan_class_create(
    *,
    actor: User,
    code: str,
    name: str,
    retention_years: int,
    expiry_action: str = ExpiryAction.DISPOSE,
    parent: FilePlanClass | None = None,
    section: OrgUnit | None = None,
    sort_order: int | None = None,
) -> FilePlanClass:
    """Add a class to the file plan (文書分類の追加): a 大分類, or a 中・小分類 under a class in force."""
    actor = require_manager(actor)
    day = today()
    name, retention_years, expiry_action, section, sort_order = _checked(
        name=name, retention_years=retention_years, expiry_action=expiry_action, section=section, sort_order=sort_order
    )
    with transaction.atomic(durable=True):
        if parent is not None:
            parent = FilePlanClass.objects.select_for_update().get(pk=parent.pk)
            check_in_force(parent, day, field="parent")
            if parent.level >= FilePlanLevel.MINOR:
                raise ValidationFailed(
                    "小分類の下には分類を作れません。中分類か大分類を選んでください。", field="parent"
                )
        code = _code(code)
        if sort_order is None:
            highest = FilePlanClass.objects.aggregate(top=Max("sort_order"))["top"] or 0
            sort_order = min(highest + 10, _MAX_SORT_ORDER)
        plan = FilePlanClass(
            level=FilePlanLevel.MAJOR if parent is None else parent.level + 1,
            parent=parent,
            code=code,
            name=name,
            section=section,
            retention_years=retention_years,
            expiry_action=expiry_action,
            sort_order=sort_order,
        )
        clean(plan)
        plan.save()
        _audit(actor, "create", plan, None)
    return plan


def file_plan_class_update(
    *,
    actor: User,
    plan: FilePlanClass,
    name: str,
    retention_years: int,
    expiry_action: str,
    section: OrgUnit | None = None,
    sort_order: int | None = None,
) -> FilePlanClass:
    """Change a class in force (文書分類の変更): name, retention, action at expiry, 主管課, order.

    Documents drafted afterwards take the new retention; records already filed keep theirs.
    """
    actor = require_manager(actor)
    day = today()
    name, retention_years, expiry_action, section, sort_order = _checked(
        name=name, retention_years=retention_years, expiry_action=expiry_action, section=section, sort_order=sort_order
    )
    with transaction.atomic(durable=True):
        plan = FilePlanClass.objects.select_for_update().get(pk=plan.pk)
        if not plan.in_force(day):
            raise Conflict(f"文書分類「{plan}」は廃止されているため変更できません。")
        before = snapshot(plan)
        changed = {
            "name": name,
            "retention_years": retention_years,
            "expiry_action": expiry_action,
            "section": section,
            "sort_order": plan.sort_order if sort_order is None else sort_order,
        }
        if all(getattr(plan, field) == value for field, value in changed.items()):
            raise ValidationFailed("変更された項目がありません。", field="name")
        for field, value in changed.items():
            setattr(plan, field, value)
        clean(plan)
        plan.save(update_fields=list(changed))
        _audit(actor, "update", plan, before)
    return plan


def file_plan_class_end(*, actor: User, plan: FilePlanClass, valid_to: dt.date) -> FilePlanClass:
    """End a class (文書分類の廃止): ``valid_to`` is its last day for new documents; filed records keep it.

    Not before today (a document drafted today in it stays valid) and not while a class under it
    stays in force after that day.
    """
    actor = require_manager(actor)
    day = today()
    if not isinstance(valid_to, dt.date) or isinstance(valid_to, dt.datetime):
        raise ValidationFailed("廃止日を入力してください。", field="valid_to")
    if valid_to < day:
        raise ValidationFailed(f"廃止日（{format_date(valid_to)}）は今日以降の日付にしてください。", field="valid_to")
    with transaction.atomic(durable=True):
        plan = FilePlanClass.objects.select_for_update().get(pk=plan.pk)
        if plan.valid_to is not None and plan.valid_to < day:
            raise Conflict(f"文書分類「{plan}」は既に廃止されています。")
        open_children = plan.children.filter(Q(valid_to__isnull=True) | Q(valid_to__gt=valid_to)).order_by("code")
        child = open_children.first()
        if child is not None:
            raise ValidationFailed(
                f"下位の分類「{child}」が廃止日の後も使える状態です。先に下位の分類を廃止してください。",
                field="valid_to",
            )
        before = snapshot(plan)
        plan.valid_to = valid_to
        plan.save(update_fields=["valid_to"])
        _audit(actor, "end", plan, before)
    return plan
