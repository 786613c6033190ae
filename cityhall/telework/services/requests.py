"""Writes of telework requests (テレワークの申請): drafted by the official as a typed document.

``request_draft`` drafts the document (``telework.request``, kind 服務, decided by the delegation rules:
係長専決 in the demo city) and its days in one transaction, after the limits (``selectors.requests.
check_limits``): no past day, no day twice, at most the week's days per person and the 課's share per
day. The limits are checked again when it is submitted (``validate_submit``) and when it is decided
(``validate_decide``), each under the lock of the limits row, counting requests on route and decided
(at the decision, the decided ones: two requests on route never block each other).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cityhall.accounts.models import User
from cityhall.core.audit import record
from cityhall.core.errors import PermissionDenied, ValidationFailed, check_text, clean
from cityhall.core.japanese.business_days import closure_reason
from cityhall.core.japanese.display import shown_date
from cityhall.core.matters import SERVICE_KIND
from cityhall.documents import registry
from cityhall.documents.content import ContentRow, ContentSection, TypedContent
from cityhall.documents.models import Document, FilePlanClass, MatterKind
from cityhall.documents.rules import section_of
from cityhall.documents.typed import draft_insert, lock_editable_document, update_document_in_transaction
from cityhall.telework.document_types import REQUEST_TYPE
from cityhall.telework.models import TeleworkDay, TeleworkLimits, TeleworkRequest
from cityhall.telework.selectors.requests import APPROVED, COUNTING, check_limits, day_label, document_rule

REQUEST_LABEL = "テレワーク申請"
FILE_PLAN = "01-02"  # 庶務
MAX_DAYS = 10
FAR_DAYS = 366  # a request is for the coming year (or, refused by the limits, the past one)
CREATE = "telework.request.create"
UPDATE = "telework.request.update"


@dataclass(frozen=True)
class RequestInput:
    """A request as the official fills it in: days, tasks to be done, reachable hours (連絡可能な時間)."""

    days: list[dt.date]
    tasks: str
    reachable_from: dt.time
    reachable_to: dt.time


def _checked(data: RequestInput, today: dt.date) -> list[dt.date]:
    days = sorted(set(data.days))
    if not days:
        raise ValidationFailed("テレワークをする日を1日以上入力してください。", field="days")
    if len(days) != len(data.days):
        raise ValidationFailed("同じ日が2回入力されています。", field="days")
    if len(days) > MAX_DAYS:
        raise ValidationFailed(f"1回の申請は{MAX_DAYS}日までです。", field="days")
    far = next((d for d in days if abs((d - today).days) > FAR_DAYS), None)
    if far is not None:  # also keeps dates no calendar of ours can write (年号 before 明治) out of messages
        message = f"{far.isoformat()} は申請できません（今日から1年以内の日を入力してください）。"
        raise ValidationFailed(message, field="days")
    closed = next((d for d in days if closure_reason(d)), None)
    if closed is not None:  # telework is a way of working a working day, not a day's extra work
        message = f"{day_label(closed)}は閉庁日（{closure_reason(closed)}）です。勤務日を入力してください。"
        raise ValidationFailed(message, field="days")
    tasks = data.tasks.strip()
    if not tasks:
        raise ValidationFailed("実施する業務を入力してください。", field="tasks")
    check_text(tasks, field="tasks", label="実施する業務", max_length=2000)
    if data.reachable_to <= data.reachable_from:
        raise ValidationFailed("連絡可能な時間は開始より後に終わるようにしてください。", field="reachable_to")
    return days


def _locked_limits() -> TeleworkLimits:
    """The limits row, locked: submits and decisions of requests count one after another."""
    TeleworkLimits.objects.get_or_create(pk=1)
    return TeleworkLimits.objects.select_for_update().get(pk=1)


def _body(person: User, days: list[dt.date], data: RequestInput) -> str:
    return "\n".join(
        [
            f"次の日にテレワーク（在宅勤務）を行いたいので申請します（申請者: {person.get_full_name() or person}）。",
            "日: " + "、".join(day_label(d) for d in days),
            f"連絡可能な時間: {data.reachable_from:%H:%M}〜{data.reachable_to:%H:%M}",
            "実施する業務:",
            data.tasks.strip(),
        ]
    )


def _title(days: list[dt.date]) -> str:
    return f"テレワークの申請（{day_label(days[0])}" + (f"ほか{len(days) - 1}日）" if len(days) > 1 else "）")


def _snapshot(request: TeleworkRequest) -> dict[str, object]:
    return {
        "days": [d.isoformat() for d in request.days.values_list("day", flat=True)],
        "tasks": request.tasks,
        "reachable": f"{request.reachable_from:%H:%M}-{request.reachable_to:%H:%M}",
    }


def request_draft(*, actor: User, data: RequestInput, on: dt.date | None = None) -> TeleworkRequest:
    """Draft a telework request (テレワーク申請の起案): its document and days, within the limits."""
    day = on or timezone.localdate()
    days = _checked(data, day)
    section = section_of(actor, on=day)
    if section is None:
        raise PermissionDenied("所属が登録されていないため、テレワークを申請できません。")
    kind = MatterKind.objects.filter(code=SERVICE_KIND).first() or MatterKind.objects.filter(code="routine").first()
    with transaction.atomic(durable=True):
        limits = _locked_limits()
        check_limits(person=actor, section_id=section.pk, days=days, limits=limits, today=day)
        document = draft_insert(
            actor=actor,
            title=_title(days),
            matter_kind=kind,
            body=_body(actor, days, data),
            file_plan_class=FilePlanClass.objects.filter(code=FILE_PLAN).first(),
            doc_type=REQUEST_TYPE,
            on=day,
        )
        request = TeleworkRequest(
            document=document,
            person=actor,
            section=section,
            tasks=data.tasks.strip(),
            reachable_from=data.reachable_from,
            reachable_to=data.reachable_to,
        )
        clean(request, exclude=["document", "person", "section"])
        request.save()
        TeleworkDay.objects.bulk_create(
            TeleworkDay(request=request, day=d, person=actor, section=section) for d in days
        )
        record(
            actor=actor,
            action=CREATE,
            obj=request,
            after={"document": document.pk, "days": [d.isoformat() for d in days], "section": section.pk},
        )
    return request


def request_update(*, actor: User, request_id: int, data: RequestInput, on: dt.date | None = None) -> TeleworkRequest:
    """Change a request while it is 起案中 or 差戻し (申請の修正), by its drafter, within the limits again.

    A request sent back by the 係長 is corrected here and submitted again on its document; the
    document's title and body follow the new days and tasks.
    """
    day = on or timezone.localdate()
    days = _checked(data, day)
    with transaction.atomic(durable=True):
        request = TeleworkRequest.objects.filter(pk=request_id, person=actor).first()
        if request is None:
            raise PermissionDenied("ページが見つかりません。")
        document = lock_editable_document(actor, request.document_id)
        check_limits(
            person=actor,
            section_id=request.section_id,
            days=days,
            limits=_locked_limits(),
            today=day,
            exclude_request=request.pk,
        )
        before = _snapshot(request)
        request.tasks = data.tasks.strip()
        request.reachable_from, request.reachable_to = data.reachable_from, data.reachable_to
        clean(request, exclude=["document", "person", "section"])
        request.save(update_fields=["tasks", "reachable_from", "reachable_to"])
        request.days.all().delete()
        TeleworkDay.objects.bulk_create(
            TeleworkDay(request=request, day=d, person=actor, section_id=request.section_id) for d in days
        )
        update_document_in_transaction(actor, document, title=_title(days), body=_body(actor, days, data))
        record(actor=actor, action=UPDATE, obj=request, before=before, after=_snapshot(request))
    return request


def _check_submit(document: Document) -> None:
    """Before the route starts: the limits, counting the others on route and decided."""
    _check_again(document, COUNTING)


def _check_decide(document: Document) -> None:
    """Before the decision: the limits, counting the decided others (two on route never block each other)."""
    _check_again(document, APPROVED)


def _check_again(document: Document, statuses: tuple[str, ...]) -> None:
    request = TeleworkRequest.objects.filter(document=document).first()
    if request is None:
        raise ValidationFailed("テレワーク申請の内容がありません。申請を作成し直してください。")
    days = list(request.days.values_list("day", flat=True))
    check_limits(
        person=request.person,
        section_id=request.section_id,
        days=days,
        limits=_locked_limits(),
        today=timezone.localdate(),
        exclude_request=request.pk,
        statuses=statuses,
    )


def _screen_url(document: Document) -> str | None:
    request = TeleworkRequest.objects.filter(document=document).only("pk").first()
    return reverse("telework:request", args=[request.pk]) if request is not None else None


def _content(document: Document, viewer: User | None) -> TypedContent | None:
    request = TeleworkRequest.objects.filter(document=document).select_related("person", "section").first()
    if request is None:
        return None
    days = ", ".join(shown_date(d) for d in request.days.values_list("day", flat=True))
    rows = (
        ContentRow(_("申請者"), request.person.get_full_name() or request.person.username),
        ContentRow(_("課"), request.section.name),
        ContentRow(_("テレワークをする日"), days),
        ContentRow(_("連絡可能な時間"), f"{request.reachable_from:%H:%M}–{request.reachable_to:%H:%M}"),
        ContentRow(_("実施する業務"), request.tasks),
    )
    return TypedContent(
        sections=(ContentSection(title=_("テレワーク申請の内容"), rows=rows),),
        record_url=reverse("telework:request", args=[request.pk]) if viewer is not None else None,
        record_label=_("テレワーク申請の画面"),
    )


def register() -> None:
    """Register the telework request as a typed document (文書の型); called from ``TeleworkConfig.ready``."""
    registry.register_type(
        REQUEST_TYPE,
        REQUEST_LABEL,
        validate_submit=_check_submit,
        validate_decide=_check_decide,
        edit_url=_screen_url,
        content=_content,
        visibility=document_rule,
    )
