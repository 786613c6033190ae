"""Demo documents (デモ文書): the demo city's register in every state, made through the real services.

Called by ``manage.py seed_demo`` (``DocumentsConfig.seed_demo``) after the
organisation is in. Every document is drafted, routed, decided, closed or sent
back by the services a person would use, so numbers, routes, stamps, audit
entries and the hash chain are genuine. What it makes, over the current and
previous fiscal years:

* for the demo accounts' line (企画政策課: demo-drafter → demo-kakaricho →
  demo-kacho → demo-bucho): drafts (起案中), items waiting for each approver
  (回議中), a sent-back draft (差戻し), decided records (決裁済) whose signed
  PDFs are made now, closed ones (完結), a proxy decision (代決) by the
  課長補佐 during a past absence of demo-kacho with its post-review (後閲)
  pending, a paper decision (紙決裁), and receipts (収受) circulated (供覧),
  answered by a draft and still open, and two online applications imported,
  one seen (閲) by the 係長 and 課長 (``demo_receipts``);
* for the document manager (demo-bunsho, 総務課): old paper records of FY
  2021–2022 (registered during migration) whose retention has ended, one
  disposal list decided and carried out (two records 廃棄済, one selected as
  歴史公文書 and 移管済 with its transfer package) and one still circulating
  (廃棄・移管リスト);
* for a dozen other sections: documents in each state drafted by their staff;
* for ten sections, the decisions of the 年度's past months, electronic and on paper, with the times
  a route takes (``demo_history``: the DX dashboard's months, kinds and sections).

Two additions to the org data, both through the org services: a past absence
of demo-kacho (with the 課長補佐 as proxy) and a past assignment of demo-bunsho
in 文書法制係 for FY 2019–2024, so old paper records have a section.

Deterministic (fixed lists, no clock-dependent randomness beyond the base
date) and idempotent: when the demo city already has documents nothing is
written. Signing costs ~0.8 s a PDF, so only the demo line's decided records
(``SIGN_NOW``) are signed here; the others are queued for the worker
(``manage.py db_worker``/``rqworker``, started by ``make run``).
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.utils import timezone

from cityhall.accounts.models import User
from cityhall.core.japanese import fiscal_year, fiscal_year_end, fiscal_year_start
from cityhall.documents import demo_receipts, services
from cityhall.documents.defaults import ensure_defaults
from cityhall.documents.demo_history import seed_history
from cityhall.documents.demo_rules import seed_rule_edits
from cityhall.documents.models import (
    Document,
    DocumentStatus,
    FilePlanClass,
    MatterKind,
    RouteStep,
    StepState,
)
from cityhall.documents.rules import deciders_on, decision_rule
from cityhall.documents.services.disposal import (
    disposal_items_choose,
    disposal_list_create,
    disposal_list_submit,
)
from cityhall.documents.services.disposal_carry_out import disposal_list_carry_out
from cityhall.documents.sheet import sign_decided_document
from cityhall.org import selectors as org_selectors
from cityhall.org import services as org_services
from cityhall.org.models import Assignment, Municipality, OrgUnit, Post, UnitKind

ACTOR = "seed_demo"
DEMO_CITY_CODE = "139999"
SIGN_NOW = 8
OTHER_SECTIONS = 12

TITLES = (
    "庁内会議の開催について",
    "広報紙の原稿について",
    "委託業務の仕様について",
    "消耗品の購入について",
    "研修への職員派遣について",
    "照会への回答について",
    "説明会の開催について",
    "公用車の修繕について",
    "事業計画の策定について",
    "補助金の交付申請について",
    "施設の使用許可について",
    "統計調査の実施について",
)


@dataclass
class _Seed:
    today: dt.date
    counts: dict[str, int] = field(default_factory=dict)
    to_sign: list[int] = field(default_factory=list)

    def count(self, key: str) -> None:
        self.counts[key] = self.counts.get(key, 0) + 1


def _pdf(text: str) -> bytes:
    from fpdf import FPDF

    from cityhall.signing.fonts import GOTHIC, font_path

    pdf = FPDF()
    pdf.add_page()
    pdf.add_font("gothic", fname=str(font_path(GOTHIC)))
    pdf.set_font("gothic", size=12)
    pdf.multi_cell(w=0, text=text)
    return bytes(pdf.output())


def _user(username: str) -> User:
    return User.objects.get(username=username)


def _kind(code: str) -> MatterKind:
    return MatterKind.objects.get(code=code)


def _plan(code: str) -> FilePlanClass:
    return FilePlanClass.objects.get(code=code)


def _pending(doc: Document) -> RouteStep | None:
    return (
        RouteStep.objects.filter(document=doc, round=doc.current_round, state=StepState.PENDING)
        .select_related("assignee")
        .order_by("order")
        .first()
    )


def _advance(doc: Document, steps: int | None, day: dt.date) -> Document:
    """Approve ``steps`` pending steps (all when None) by their holders."""
    while doc.status == DocumentStatus.CIRCULATING and (steps is None or steps > 0):
        step = _pending(doc)
        if step is None:
            break
        act = services.agree if step.kind == "consult" else services.approve
        doc = act(actor=step.assignee, document=doc, expected_version=doc.version, on=day)
        steps = None if steps is None else steps - 1
    return doc


def _make(
    seed: _Seed,
    drafter: User,
    state: str,
    title: str,
    day: dt.date,
    *,
    kind: str = "general",
    amount: int | None = None,
    plan: str = "01-02-02",
    approvals: int = 0,
    attach: bool = False,
) -> Document:
    """One document brought to ``state`` through the services."""
    doc = services.draft_create(
        actor=drafter,
        title=title,
        body=f"{title}、次のとおり実施してよろしいか伺います。\n\n1 目的\n2 内容\n3 経費",
        matter_kind=_kind(kind),
        amount=amount,
        file_plan_class=_plan(plan),
        on=day,
    )
    if attach:
        data = _pdf(f"{title}\n添付資料（デモ）: 実施要領と日程表")
        services.attachment_add(
            actor=drafter,
            document=doc,
            name="実施要領.pdf",
            stream=io.BytesIO(data),
            size=len(data),
            expected_version=doc.version,
            on=day,
        )
        doc.refresh_from_db()
    if state != "draft":
        doc = services.submit(actor=drafter, document=doc, expected_version=doc.version, on=day)
    if state == "circulating":
        doc = _advance(doc, approvals, day)
    elif state == "sent_back":
        doc = _advance(doc, approvals, day)
        step = _pending(doc)
        if step is not None:
            doc = services.send_back(
                actor=step.assignee,
                document=doc,
                expected_version=doc.version,
                comment="金額の根拠を添付してください。",
                on=day,
            )
    elif state in ("decided", "closed"):
        doc = _advance(doc, None, day)
        if state == "closed" and doc.status == DocumentStatus.DECIDED:
            doc = services.close(actor=drafter, document=doc, expected_version=doc.version)
    seed.count(doc.status)
    return doc


def _demo_line(seed: _Seed) -> None:
    """The demo accounts' documents (企画政策課): every state, for every inbox tab."""
    drafter = _user("demo-drafter")
    today, prev = seed.today, seed.today - dt.timedelta(days=365)
    start = fiscal_year_start(fiscal_year(today))

    def day(n: int) -> dt.date:
        return max(start, today - dt.timedelta(days=n))

    _make(seed, drafter, "draft", "市民アンケートの実施について", day(1), attach=True)
    _make(seed, drafter, "draft", "庁舎案内表示の更新について", today)
    for i, title in enumerate(("企画会議の開催について", "総合計画進行管理の照会について", "広聴事業の報告について")):
        _make(seed, drafter, "circulating", title, day(i + 1), attach=i == 0)
    for title in ("地域懇談会の開催について", "行政評価の実施について"):
        _make(seed, drafter, "circulating", title, day(3), approvals=1)
    for amount in (2_400_000, 3_800_000):
        title = f"調査委託料の支出について（{amount:,}円）"
        _make(seed, drafter, "circulating", title, day(4), kind="spending", amount=amount, approvals=2)
    _make(seed, drafter, "sent_back", "イベント備品の購入について", day(5), kind="spending", amount=180_000)
    for i, title in enumerate(("政策研究会の設置について", "統計書の刊行について", "人口推計の公表について")):
        doc = _make(seed, drafter, "decided", title, day(10 + i), attach=i == 0)
        seed.to_sign.append(doc.pk)
    for title in ("前年度事業報告について", "庁内報の発行について"):
        doc = _make(seed, drafter, "closed", title, day(20))
        seed.to_sign.append(doc.pk)
    for i, title in enumerate(("前年度予算要求資料について", "前年度の照会への回答について")):
        doc = _make(seed, drafter, "closed" if i else "decided", title, prev - dt.timedelta(days=i * 30))
        seed.to_sign.append(doc.pk)
    _proxy_decision(seed, drafter, day)
    _paper_and_receipts(seed, drafter, day)


def _proxy_decision(seed: _Seed, drafter: User, day: Callable[[int], dt.date]) -> None:
    """代決 by the 課長補佐 while demo-kacho was away; demo-kacho's post-review (後閲) stays pending."""
    kacho = _user("demo-kacho")
    own = Assignment.objects.filter(user=kacho, is_primary=True).select_related("unit").first()
    if own is None:
        return
    away = day(7)
    hosa = (
        User.objects.filter(
            assignments__unit=own.unit,
            assignments__post__code="kacho_hosa",
            assignments__valid_from__lte=away,
        )
        .filter(Q(assignments__valid_to__isnull=True) | Q(assignments__valid_to__gte=away))
        .order_by("pk")
        .first()
    )
    bucho = _user("demo-bucho")
    proxy = hosa or bucho
    org_services.absence_register(
        actor=ACTOR, user=kacho, starts_on=away, ends_on=away, proxy=proxy, reason="出張（デモ）"
    )
    doc = _make(seed, drafter, "circulating", "講演会講師の依頼について", away, approvals=1)
    doc = services.approve(actor=proxy, document=doc, expected_version=doc.version, on=away)
    seed.count("proxy")
    seed.to_sign.append(doc.pk)


def _paper_and_receipts(seed: _Seed, drafter: User, day: Callable[[int], dt.date]) -> None:
    kacho = _user("demo-kacho")
    paper_day = day(40)
    services.paper_decision_register(
        actor=kacho,  # a paper decision is registered by the 課長 or the document manager
        title="紙で決裁した協定の締結について",
        matter_kind=_kind("general"),
        paper_reason="相手方との押印による協定のため",
        decided_on=paper_day,
        decided_by=kacho,
        file_plan_class=_plan("01-02-02"),
        location="企画政策課 書庫 棚2",
    )
    seed.count("paper")
    circulated = services.receipt_register(
        actor=drafter, received_on=day(2), sender="県企画振興課", title="地域振興施策の調査について（通知）"
    )
    readers = [_user("demo-kakaricho"), kacho]
    services.receipt_circulate(actor=drafter, receipt=circulated, readers=readers, on=day(2))
    answered = services.receipt_register(
        actor=drafter,
        received_on=day(6),
        sender="県統計課",
        sender_number="統第45号",
        title="統計調査の協力について（依頼）",
        reply_needed=True,
        reply_deadline=day(6) + dt.timedelta(days=30),
    )
    services.draft_create(
        actor=drafter,
        title="統計調査の協力について（回答）",
        body="標記について、次のとおり回答してよろしいか伺います。",
        matter_kind=_kind("routine"),
        file_plan_class=_plan("01-02-01"),
        receipt=answered,
        on=day(5),
    )
    services.receipt_register(
        actor=drafter, received_on=day(0), sender="近隣市企画課", title="広域連携会議の開催について"
    )
    seed.counts["receipts"] = 3 + demo_receipts.online_applications(drafter, readers, day, _pdf)


def _held_since(user: User, unit: OrgUnit, post: Post, since: dt.date) -> None:
    """Give ``user`` this post in ``unit`` from ``since`` until their first assignment (the demo's older years)."""
    first = Assignment.objects.filter(user=user, is_primary=True).order_by("valid_from").first()
    if first is not None and first.valid_from > since:
        org_services.assignment_create(
            actor=ACTOR,
            user=user,
            unit=unit,
            post=post,
            valid_from=since,
            valid_to=first.valid_from - dt.timedelta(days=1),
        )


def _old_notice(clerk: User) -> None:
    """A notice received on paper in 2021 that needed no answer, closed (完結) then: on the older list too."""
    notice = services.receipt_register(
        actor=clerk,
        received_on=dt.date(2021, 5, 10),
        sender="みどり県 総務部",
        title="公文書管理の手引の改訂について（通知）",
    )
    services.receipt_close(actor=clerk, receipt=notice, file_plan_class=_plan("01-02-01"), on=dt.date(2021, 5, 20))


def _records_office(seed: _Seed) -> None:
    """Old paper records past their retention, one disposal list decided and one circulating (demo-bunsho)."""
    bunsho = _user("demo-bunsho")
    own = Assignment.objects.filter(user=bunsho, is_primary=True).select_related("unit", "post").order_by("valid_from")
    first = own.first()
    if first is None:
        return
    since = dt.date(2019, 4, 1)
    _held_since(bunsho, first.unit, first.post, since)
    section = first.unit.parent if first.unit.kind == UnitKind.SUBSECTION and first.unit.parent else first.unit
    head = org_selectors.unit_head(section, on=seed.today)
    if head is not None:  # the 課長 who decided the old paper matters held the post then too
        _held_since(head.user, section, head.post, since)
    for year, titles in (
        (2021, ("文書事務研修の開催", "例規集追録の購入", "市制施行記念式典の開催")),
        (2022, ("文書取扱状況の照会", "公印の改刻")),
    ):
        for i, title in enumerate(titles):
            decided_on = dt.date(year, 6, 1 + i)
            held = deciders_on(section, decision_rule(_kind("routine"), None), on=decided_on)
            if not held:  # nobody of the roster then could have decided it: not registered
                continue
            doc = services.paper_decision_register(
                actor=bunsho,
                title=f"{title}について",
                matter_kind=_kind("routine"),
                paper_reason="電子決裁導入前の紙決裁（移行登録）",
                decided_on=decided_on,
                decided_by=held[0].user,
                file_plan_class=_plan("01-02-01"),
                location="総務課 文書庫 第3書架",
            )
            services.close(
                actor=bunsho, document=doc, expected_version=doc.version, closed_on=decided_on + dt.timedelta(days=30)
            )
            seed.count("past_retention")
    _old_notice(bunsho)
    older = disposal_list_create(actor=bunsho, section=section, due_by=fiscal_year_end(2022), on=seed.today)
    # The 記念式典 is selected as 歴史公文書 (移管); the others are disposed of.
    items = older.disposal_items.select_related("record").order_by("pk")
    choices = {i.pk: "transfer" for i in items if i.record and i.record.title.startswith("市制施行記念式典")}
    older = disposal_items_choose(
        actor=bunsho, document=older, choices=choices, expected_version=older.version, on=seed.today
    )
    older = disposal_list_submit(actor=bunsho, document=older, expected_version=older.version, on=seed.today)
    older = _advance(older, None, seed.today)
    disposal_list_carry_out(older.pk)  # also queued on the decision's commit; a second run finds nothing to do
    newer = disposal_list_create(actor=bunsho, section=section, due_by=fiscal_year_end(fiscal_year(seed.today) - 1))
    disposal_list_submit(actor=bunsho, document=newer, expected_version=newer.version, on=seed.today)
    seed.counts["disposal_lists"] = 2


def _drafter_of(section: OrgUnit, on: dt.date) -> User | None:
    units = [section.pk, *section.children.values_list("pk", flat=True)]
    assignment = (
        Assignment.objects.filter(unit_id__in=units, is_primary=True, post__rank__lt=40)
        .filter(valid_from__lte=on)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
        .exclude(user__username__startswith="demo-")
        .select_related("user")
        .order_by("post__rank", "user__username")
        .first()
    )
    return assignment.user if assignment else None


def _other_sections(seed: _Seed, town: Municipality) -> None:
    """Documents of a dozen other sections, in every state, this year and last."""
    sections = OrgUnit.objects.filter(municipality=town, kind=UnitKind.SECTION).exclude(name="企画政策課")
    states = ("draft", "circulating", "sent_back", "decided", "closed", "closed", "decided", "circulating")
    start = fiscal_year_start(fiscal_year(seed.today))
    done = 0
    for s, section in enumerate(sections.order_by("code")):
        if done >= OTHER_SECTIONS:
            break
        last_year, this_year = start - dt.timedelta(days=60), max(start, seed.today - dt.timedelta(days=10))
        if _drafter_of(section, last_year) is None or _drafter_of(section, this_year) is None:
            continue
        done += 1
        for i, state in enumerate(states):
            previous = i % 3 == 2 and state in ("decided", "closed")
            day = last_year - dt.timedelta(days=i) if previous else max(start, seed.today - dt.timedelta(days=i))
            drafter = _drafter_of(section, day)
            if drafter is not None:
                _make(seed, drafter, state, TITLES[(s + i) % len(TITLES)], day, approvals=i % 2)


def seed_documents(options: dict[str, Any]) -> str:
    """Fill the demo city with documents in every state (デモ文書の投入); nothing when already done."""
    today = options.get("today") or timezone.localdate()
    town = Municipality.objects.filter(code=DEMO_CITY_CODE).first()
    if town is None:
        return "デモ市がないため、デモ文書は投入しません。"
    if Document.objects.filter(section__municipality=town).exists():
        return "デモ文書は投入済みです。変更はありません。"
    ensure_defaults(actor=ACTOR)
    seed_rule_edits(today)  # the 事務決裁規程 as the 文書主管 edited it: changes from the next 1 April
    seed = _Seed(today=today)
    history = seed_history(today, _drafter_of)  # first: the older decisions take the lower numbers
    _demo_line(seed)
    _records_office(seed)
    _other_sections(seed, town)
    signed = 0
    from cityhall.signing.certs import city_certificate

    if city_certificate() is not None:
        for pk in seed.to_sign[:SIGN_NOW]:
            signed += int(sign_decided_document(pk))
    total = Document.objects.filter(section__municipality=town).count()
    summary = "、".join(f"{k} {v}" for k, v in sorted(seed.counts.items()))
    return (
        f"デモ文書 {total} 件を投入しました（{summary}。署名済みPDF {signed} 件、残りはワーカーが署名。"
        f"うち年度初めからの過去の決裁 電子 {history['electronic']} 件・紙 {history['paper']} 件）。"
    )
