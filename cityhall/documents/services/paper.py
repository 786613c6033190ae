"""Paper decisions (紙決裁の登録): a decision taken on paper entered in the register afterwards.

The register must stay complete, but a registration is a claim about who decided what, when:
only the document manager (文書主管) or the section's 課長 and above registers, for their own
section today; the named decider held, on the day of the decision, a post whose authority
covers the matter and amount (``rules.deciders_on``); the day is neither in the future nor
before the section existed; the amount is whole yen of at most 12 digits.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from cityhall.accounts.models import User
from cityhall.core.errors import PermissionDenied, ValidationFailed, clean
from cityhall.core.japanese import fiscal_year, format_date
from cityhall.core.japanese.money import parse_yen
from cityhall.documents import numbering
from cityhall.documents.models import DelegationRule, Document, DocumentStatus, FilePlanClass, MatterKind, Medium
from cityhall.documents.rules import deciders_on, decision_rule, section_of
from cityhall.documents.services import _effects
from cityhall.documents.services._common import audit, is_document_manager, require_user
from cityhall.documents.services.file_plan import check_in_force
from cityhall.org import selectors as org
from cityhall.org.models import OrgUnit

NOT_ALLOWED = "紙決裁を登録できるのは、文書主管課の職員か、課長以上の職員だけです。"


def registrant_section(actor: User, today: dt.date) -> OrgUnit:
    """The registrant's section today; the registrant is the document manager or its 課長 and above."""
    section = section_of(actor, on=today)
    if section is None:
        raise PermissionDenied("所属が登録されていないため登録できません。")
    if is_document_manager(actor, on=today):
        return section
    own, head = org.primary_assignment(actor, on=today), org.unit_head(section, on=today)
    if own is None or head is None or own.post.rank < head.post.rank:
        raise PermissionDenied(NOT_ALLOWED)
    return section


def _check_day(decided_on: object, section: OrgUnit, today: dt.date) -> dt.date:
    if not isinstance(decided_on, dt.date) or isinstance(decided_on, dt.datetime):
        raise ValidationFailed("決裁日を入力してください。", field="decided_on")
    if decided_on > today:
        raise ValidationFailed(
            f"決裁日（{format_date(decided_on)}）は今日以前の日付にしてください。", field="decided_on"
        )
    if decided_on < section.valid_from:
        raise ValidationFailed(
            f"決裁日（{format_date(decided_on)}）は{section.name}の設置（{format_date(section.valid_from)}）より前です。",
            field="decided_on",
        )
    return decided_on


def _check_decider(decided_by: User, section: OrgUnit, rule: DelegationRule, decided_on: dt.date) -> None:
    """The named decider held, on the day, a post of the section's chain that reaches the rule's deciding post."""
    if not any(a.user_id == decided_by.pk for a in deciders_on(section, rule, on=decided_on)):
        raise ValidationFailed(
            f"{decided_by}さんは{format_date(decided_on)}に{section.name}の「{rule.label}」を決裁できる職"
            f"（{rule.decider_post.name}以上）にいませんでした。",
            field="decided_by",
        )


def paper_decision_register(
    *,
    actor: User,
    title: str,
    matter_kind: MatterKind,
    paper_reason: str,
    decided_on: dt.date,
    decided_by: User,
    file_plan_class: FilePlanClass,
    location: str,
    amount: int | None = None,
    body: str = "",
    has_personal_info: bool = False,
    is_confidential: bool = False,
) -> Document:
    """Register a decision made on paper (紙決裁の登録) so the register stays complete; reason required."""
    actor = require_user(actor)
    today = timezone.localdate()
    for value, field, label in (
        (paper_reason, "paper_reason", "紙で決裁した理由"),
        (title, "title", "件名"),
        (location, "location", "紙の原議の保管場所"),
    ):
        if not (value or "").strip():
            raise ValidationFailed(f"{label}を入力してください。", field=field)
    section = registrant_section(actor, today)
    decided_on = _check_day(decided_on, section, today)
    if file_plan_class is None:
        raise ValidationFailed("文書分類を選んでください。", field="file_plan_class")
    check_in_force(file_plan_class, decided_on)
    amount = None if amount is None else parse_yen(amount, minimum=0)
    rule = decision_rule(matter_kind, amount, section=section, on=decided_on)
    _check_decider(decided_by, section, rule, decided_on)
    with transaction.atomic(durable=True):
        section = OrgUnit.objects.select_related("municipality").get(pk=section.pk)
        year = fiscal_year(decided_on)
        document = Document(
            fiscal_year=year,
            section=section,
            number=numbering.take_number(section, year),
            title=title.strip(),
            body=body,
            matter_kind=matter_kind,
            amount=amount,
            is_confidential=is_confidential,
            has_personal_info=has_personal_info,
            file_plan_class=file_plan_class,
            retention_years=file_plan_class.retention_years,
            expiry_action=file_plan_class.expiry_action,
            drafter=actor,
            drafted_on=decided_on,
            status=DocumentStatus.DECIDED,
            decided_at=timezone.make_aware(dt.datetime.combine(decided_on, dt.time(12, 0))),
            decided_by=decided_by,
            decision_label=rule.label,
            delegation_rule=rule,
            medium=Medium.PAPER,
            paper_reason=paper_reason.strip(),
            location=location.strip(),
        )
        document.number_label = numbering.format_number(section, document.number)
        clean(document)
        document.save()
        audit(actor, "document.paper_register", document, None)
        _effects.reindex(document.pk)
    return document
