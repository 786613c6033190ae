"""The demo city's decisions of the months behind it (デモの過去の決裁): the 年度 so far, for the DX dashboard.

The rest of the demo acts through the engine today: every act it records is stamped with the moment
the demo is loaded, so all its decisions fall in the current month and take minutes. A city using
cityhall since April has a register that grew month by month; this module writes that history for
ten sections (``SECTIONS``; not 企画政策課, whose demo accounts keep their own inboxes), a few
documents each per month (some 30 in all) from the start of the 年度 up to yesterday:

* electronic decisions (電子決裁) as the engine would have left them: the route planned by
  ``rules.plan_route`` from the roster of the drafting day, every step acted on by its holder at
  office hours one after the other (the time a step takes grows with the post: a 係長 hours, a
  部長 days), the history (履歴) of each act, the number from the section's counter in date order,
  the decider and the decision label (専決区分). Written in bulk, with one audit entry per document
  (``documents.document.demo_history``), added to the search index in one go, and their signed PDFs
  queued for the worker as a decision queues its own (as for the rest of the demo's documents);
* about one in ten registered as a paper decision (紙決裁) through ``paper_decision_register``,
  the service a 課長 uses for it, on its day.

Through the services each electronic decision takes a quarter of a second or more (draft, submit,
three approvals, each with its audit entry and notifications): over a minute for the 年度. In bulk the
history takes some three seconds, most of them planning the routes and registering the paper ones.
Deterministic for a given date (seeded random).
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from cityhall.accounts.models import User
from cityhall.core.errors import ApplicationError
from cityhall.core.japanese import fiscal_year, fiscal_year_start, is_city_business_day
from cityhall.core.japanese.business_days import next_business_day
from cityhall.documents import numbering, services
from cityhall.documents.models import (
    Document,
    DocumentEvent,
    DocumentStatus,
    EventKind,
    FilePlanClass,
    MatterKind,
    Medium,
    RouteStep,
    StepKind,
    StepState,
)
from cityhall.documents.rules import RoutePlan, plan_route
from cityhall.documents.services import _effects
from cityhall.documents.services._common import audit_created
from cityhall.org import selectors as org
from cityhall.org.models import OrgUnit, UnitKind

ACTOR = "seed_demo"
DrafterOf = Callable[[OrgUnit, dt.date], User | None]
# Section, the kinds of matter it decides (the first most often), documents a month.
SECTIONS: tuple[tuple[str, tuple[str, ...], int], ...] = (
    ("総務課", ("general", "routine", "contract"), 4),
    ("人事課", ("routine", "service", "general"), 4),
    ("市民課", ("routine", "general"), 3),
    ("税務課", ("general", "routine", "spending"), 3),
    ("福祉総務課", ("general", "spending"), 3),
    ("子育て支援課", ("spending", "general"), 3),
    ("環境政策課", ("general", "contract", "spending"), 3),
    ("道路課", ("contract", "spending", "general"), 3),
    ("教育総務課", ("general", "spending", "routine"), 3),
    ("生涯学習課", ("general", "routine"), 3),
)
PAPER_SHARE = 0.1
AMOUNTS = (120_000, 380_000, 760_000, 1_800_000, 4_200_000, 12_000_000)
PLANS = {"general": "01-02-02", "routine": "01-02-01", "service": "01-02-01", "spending": "02-01-01"}
TITLES = {
    "general": ("講演会の開催について", "広報紙への掲載について", "関係機関への依頼について", "事業報告について"),
    "routine": ("照会への回答について", "資料の提供について", "定例報告について", "会議資料の送付について"),
    "service": ("職員の研修派遣について", "時間外勤務の命令について", "出張命令について"),
    "spending": ("消耗品の購入について", "委託料の支出について", "補助金の交付について", "修繕料の支出について"),
    "contract": ("業務委託契約の締結について", "物品購入契約の締結について", "修繕工事の請負契約について"),
}
# The longest a step usually waits for its holder, in hours, by post (a 係長 hours, a 部長 days).
WAIT_HOURS = {"kakaricho": 16.0, "kacho_hosa": 24.0, "kacho": 48.0, "bucho": 96.0, "fukushicho": 160.0, "shicho": 200.0}
OPENS, CLOSES = dt.time(8, 30), dt.time(17, 45)


@dataclass
class _Planned:
    section: OrgUnit
    kind: MatterKind
    amount: int | None
    drafter: User
    day: dt.date
    plan: RoutePlan  # a paper decision: only its decider (決裁者) is read
    times: list[dt.datetime]  # submitted, then each step's act (a paper decision: its noon)
    paper: bool = False  # registered through the service (紙決裁の登録)
    number: int = 0


def _at_work(moment: dt.datetime) -> dt.datetime:
    """The moment, or when the city hall next opens (plus the moment's minutes) if it is closed then."""
    local = timezone.localtime(moment)
    if is_city_business_day(local.date()) and OPENS <= local.time() <= CLOSES:
        return local
    early = local.time() < OPENS and is_city_business_day(local.date())
    day = local.date() if early else next_business_day(local.date())
    return timezone.make_aware(dt.datetime.combine(day, OPENS)) + dt.timedelta(minutes=local.minute)


def _times(rng: random.Random, day: dt.date, plan: RoutePlan) -> list[dt.datetime]:
    """When the draft was submitted and when each step was acted on (a stage's steps in parallel)."""
    start = timezone.make_aware(dt.datetime.combine(day, dt.time(9)))
    submitted = _at_work(start + dt.timedelta(minutes=rng.randrange(420)))
    times = [submitted]
    stage_start, stage, stage_end = submitted, 1, submitted
    for step in plan.steps:
        if step.stage != stage:
            stage, stage_start = step.stage, stage_end
        longest = WAIT_HOURS.get(step.post.code if step.post else "", 48.0)
        wait = math.exp(rng.uniform(0.0, math.log(longest)))  # an hour at least
        acted = _at_work(stage_start + dt.timedelta(hours=wait))
        times.append(acted)
        stage_end = max(stage_end, acted)
    return times


def _days(month: dt.date, before: dt.date) -> list[dt.date]:
    """The city's business days of ``month`` before ``before``."""
    days, day = [], month
    while day.month == month.month and day < before:
        if is_city_business_day(day):
            days.append(day)
        day += dt.timedelta(days=1)
    return days


# What each kind of step becomes when acted on, and the history entry it leaves (``_engine._STEP_EVENTS``).
ACTED: dict[str, tuple[str, str]] = {
    StepKind.REVIEW: (StepState.APPROVED, EventKind.APPROVE),
    StepKind.CONSULT: (StepState.AGREED, EventKind.AGREE),
    StepKind.DECIDE: (StepState.DECIDED, EventKind.DECIDE),
}


def _post_of(user: User, day: dt.date, cache: dict[tuple[int, dt.date], str]) -> str:
    """「総務課 主事」: the post the drafter held on the day, as the history names it."""
    if (user.pk, day) not in cache:
        own = org.primary_assignment(user, on=day)
        cache[(user.pk, day)] = f"{own.unit.name} {own.post.name}" if own is not None else ""
    return cache[(user.pk, day)]


def _write(planned: list[_Planned], plans: dict[str, FilePlanClass]) -> list[Document]:
    """The documents, their routes and histories as the engine leaves them at the decision."""
    documents, steps, history = [], [], []
    posts: dict[tuple[int, dt.date], str] = {}
    for p in planned:
        plan_class, titles = plans[PLANS.get(p.kind.code, "02-02-01")], TITLES[p.kind.code]
        document = Document(
            fiscal_year=fiscal_year(p.day), section=p.section, number=p.number,
            number_label=numbering.format_number(p.section, p.number), title=titles[p.number % len(titles)],
            body="標記について、次のとおり実施してよろしいか伺います。", matter_kind=p.kind, amount=p.amount,
            file_plan_class=plan_class, retention_years=plan_class.retention_years,
            expiry_action=plan_class.expiry_action, drafter=p.drafter, status=DocumentStatus.DECIDED,
            version=2 + len(p.plan.steps), current_round=1, drafted_on=p.day, submitted_at=p.times[0],
            decided_at=p.times[-1], decision_label=p.plan.decision_label, delegation_rule=p.plan.rule,
            decided_by=p.plan.decider,
            medium=Medium.ELECTRONIC,
        )  # fmt: skip
        documents.append(document)
        history.append(DocumentEvent(
            document=document, round=1, kind=EventKind.SUBMIT, actor=p.drafter,
            post=_post_of(p.drafter, p.day, posts), at=p.times[0],
        ))  # fmt: skip
        for order, (planned_step, at) in enumerate(zip(p.plan.steps, p.times[1:], strict=True), start=1):
            state, event = ACTED[planned_step.kind]
            step = RouteStep(
                document=document, round=1, order=order, stage=planned_step.stage, kind=planned_step.kind,
                unit=planned_step.unit, post=planned_step.post, assignee=planned_step.assignee, state=state,
                acted_by=planned_step.assignee, acted_at=at,
            )  # fmt: skip
            steps.append(step)
            history.append(DocumentEvent(
                document=document, round=1, kind=event, actor=planned_step.assignee, post=planned_step.label,
                step=step, at=at,
            ))  # fmt: skip
    Document.objects.bulk_create(documents)
    for document, p in zip(documents, planned, strict=True):  # auto_now stamped the load: the history's own times
        document.created_at, document.updated_at = p.times[0], p.times[-1]
    Document.objects.bulk_update(documents, ["created_at", "updated_at"], batch_size=500)
    RouteStep.objects.bulk_create(steps)  # the documents' and steps' ids are read from the saved instances
    DocumentEvent.objects.bulk_create(history)
    return documents


def _paper(p: _Planned, plan_class: FilePlanClass) -> bool:
    """A paper decision of the day, decided by the route's decider and registered by the section's 課長 as they
    would; False when the roster does not allow it (a history without that record)."""
    registrant = org.unit_head(p.section, on=timezone.localdate())
    if registrant is None:
        return False
    titles = TITLES[p.kind.code]
    try:
        services.paper_decision_register(
            actor=registrant.user, title=titles[p.day.day % len(titles)], matter_kind=p.kind,
            paper_reason="相手方との押印による書面のため", decided_on=p.day, decided_by=p.plan.decider,
            file_plan_class=plan_class, location=f"{p.section.name} 書庫", amount=p.amount,
        )  # fmt: skip
    except ApplicationError:
        return False
    return True


class _Routes:
    """The drafter of a section on a day and their routes, each looked up once (a section drafts on a few days)."""

    def __init__(self, drafter_of: DrafterOf) -> None:
        self.drafter_of = drafter_of
        self.drafters: dict[tuple[int, dt.date], User | None] = {}
        self.plans: dict[tuple[int, int, int | None, dt.date], RoutePlan | None] = {}

    def drafter(self, section: OrgUnit, day: dt.date) -> User | None:
        if (section.pk, day) not in self.drafters:
            self.drafters[(section.pk, day)] = self.drafter_of(section, day)
        return self.drafters[(section.pk, day)]

    def plan(self, section: OrgUnit, kind: MatterKind, amount: int | None, day: dt.date) -> RoutePlan | None:
        key = (section.pk, kind.pk, amount, day)
        if key not in self.plans:
            drafter = self.drafter(section, day)
            try:
                found = plan_route(drafter=drafter, matter_kind=kind, amount=amount, on=day) if drafter else None
            except ApplicationError:  # nobody of that day's roster may decide it
                found = None
            self.plans[key] = found
        return self.plans[key]


def seed_history(today: dt.date, drafter_of: DrafterOf) -> dict[str, int]:
    """Decisions of every month of the 年度 up to yesterday for ``SECTIONS``; counts by medium.

    A section drafts on two days of a month (its drafter and routes of those days serve each document).
    """
    rng = random.Random(today.toordinal())
    kinds = {k.code: k for k in MatterKind.objects.all()}
    plans = {c.code: c for c in FilePlanClass.objects.all()}
    sections = {u.name: u for u in OrgUnit.objects.filter(kind=UnitKind.SECTION, name__in=[s[0] for s in SECTIONS])}
    planned: list[_Planned] = []
    routes = _Routes(drafter_of)
    now = timezone.now()
    month = fiscal_year_start(fiscal_year(today))
    while month <= today:
        days = _days(month, today)
        for name, codes, per_month in SECTIONS:
            section = sections.get(name)
            if section is None or not days:
                continue
            drafting = rng.sample(days, min(2, len(days)))
            for _n in range(per_month):
                day, kind = rng.choice(drafting), kinds.get(codes[min(int(rng.expovariate(1.2)), len(codes) - 1)])
                if kind is None:
                    continue
                amount = rng.choice(AMOUNTS) if kind.amount_based else None
                plan, drafter = routes.plan(section, kind, amount, day), routes.drafter(section, day)
                if plan is None or drafter is None:
                    continue
                if rng.random() < PAPER_SHARE:
                    noon = timezone.make_aware(dt.datetime.combine(day, dt.time(12)))
                    planned.append(_Planned(section, kind, amount, drafter, day, plan, [noon], paper=True))
                    continue
                times = _times(rng, day, plan)
                if times[-1] < now - dt.timedelta(hours=1):
                    planned.append(_Planned(section, kind, amount, drafter, day, plan, times))
        month = (month + dt.timedelta(days=32)).replace(day=1)
    # Numbers in the order the documents were drafted: a paper decision takes its own in the service.
    planned.sort(key=lambda p: p.times[0])
    paper = 0
    for p in planned:
        if p.paper:
            paper += _paper(p, plans[PLANS.get(p.kind.code, "02-02-01")])
        else:
            with transaction.atomic():
                p.number = numbering.take_number(p.section, fiscal_year(p.day))
    electronic = [p for p in planned if not p.paper]
    with transaction.atomic(durable=True):
        documents = _write(electronic, plans)
        audit_created(ACTOR, "document.demo_history", documents)
        _effects.index_new([d.pk for d in documents])
        for document in documents:
            _effects.decided(document.pk, document.doc_type)  # the signed PDF, made by the worker
    return {"electronic": len(documents), "paper": paper}
