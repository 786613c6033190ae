"""The demo city's task inventory and survey answers (テレワークのデモデータ), through the services.

Five sections get a task inventory written by their head (企画政策課, 総務課, 情報政策課, 市民課, 税務課):
tasks that are ready, ready with conditions, and blocked, some of whose 「押印・紙の決裁」 the demo
documents' electronic decisions already remove. The demo accounts answer the survey for themselves.
Idempotent: a section that has tasks, and an official who answered, are left as they are.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from cityhall.accounts.models import User
from cityhall.org.models import OrgUnit, UnitKind
from cityhall.org.selectors import unit_head
from cityhall.telework.models import InventoryTask, SurveyAnswer
from cityhall.telework.services.inventory import TaskInput, inventory_task_create
from cityhall.telework.services.survey import SurveyInput, survey_answer_set

# name, hours per year, systems, obstacles, kind of matter
Task = tuple[str, int, str, tuple[str, ...], str]
INVENTORY: dict[str, tuple[Task, ...]] = {
    "企画政策課": (
        ("総合計画の進行管理", 900, "文書管理・電子決裁", ("seals",), "general"),
        ("施策評価の取りまとめ", 600, "表計算", (), ""),
        ("委託契約の支出事務", 300, "財務会計", ("seals", "paper_originals"), "spending"),
        ("審議会の運営", 400, "", ("counter_work",), "general"),
    ),
    "総務課": (
        ("例規の審査", 1200, "例規システム", ("seals",), "general"),
        ("文書の収受・発送", 1500, "文書管理", ("paper_originals",), "routine"),
        ("情報公開の請求対応", 700, "文書管理", ("personal_data", "counter_work"), "general"),
        ("統計調査の集計", 500, "統計システム", ("personal_data",), ""),
    ),
    "情報政策課": (
        ("システムの調達", 800, "財務会計", ("seals",), "contract"),
        ("ヘルプデスク", 2000, "問合せ管理", ("field_work",), ""),
        ("DXの企画", 600, "", (), "general"),
    ),
    "市民課": (
        ("住民票の交付", 6000, "住民記録システム", ("personal_data", "counter_work"), ""),
        ("戸籍の届出審査", 3000, "戸籍システム", ("personal_data", "paper_originals", "seals"), "routine"),
        ("窓口の統計", 200, "表計算", (), ""),
    ),
    "税務課": (
        ("固定資産の評価", 2500, "家屋評価システム", ("large_drawings", "field_work"), ""),
        ("市民税の賦課", 4000, "税務システム", ("personal_data",), ""),
        ("課税の更正決議", 800, "税務システム", ("personal_data", "seals"), "general"),
    ),
}
SURVEY: dict[str, SurveyInput] = {
    "demo-drafter": SurveyInput(True, True, True, False, "", 45),
    "demo-kakaricho": SurveyInput(True, True, False, True, "小学生の子の送迎（週2回）", 30),
    "demo-kacho": SurveyInput(True, True, True, True, "親の通院の付き添い（月2回）", 60),
    "demo-bunsho": SurveyInput(False, True, True, False, "", 20),
    "demo-it": SurveyInput(True, True, True, False, "", 50),
}


def _seed_section(name: str, tasks: tuple[Task, ...], day: dt.date) -> int:
    section = OrgUnit.objects.on(day).filter(name=name, kind=UnitKind.SECTION).order_by("pk").first()
    if section is None or InventoryTask.objects.filter(section=section).exists():
        return 0
    head = unit_head(section, on=day)
    if head is None:
        return 0
    for task_name, hours, systems, obstacles, kind in tasks:
        data = TaskInput(task_name, hours, systems, obstacles, kind)
        inventory_task_create(actor=head.user, section_id=section.pk, data=data)
    return len(tasks)


def seed_telework(options: dict[str, Any]) -> str:
    """Inventories for five sections and the demo accounts' survey answers; a one-line summary."""
    day = options.get("today") or timezone.localdate()
    tasks = sum(_seed_section(name, rows, day) for name, rows in INVENTORY.items())
    answered = 0
    for username, data in SURVEY.items():
        user = User.objects.filter(username=username, is_active=True).first()
        if user is not None and not SurveyAnswer.objects.filter(user=user).exists():
            survey_answer_set(actor=user, data=data)
            answered += 1
    if not tasks and not answered:
        return "テレワークのデモデータは投入済みです。変更はありません。"
    return f"テレワーク: 業務棚卸し {tasks}件、調査の回答 {answered}件を投入しました。"
