"""Inquiry batches (預貯金等照会): drafted as a typed document of the approval engine, with its persons × institutions.

``batch_draft`` chooses persons of the drafter's section by filters (amount, age of the debt, area,
already asked) and, if given, by id; and institutions: chosen ones for every person, every deposit
institution of a region for every person, and per person (e.g. where their payments were seen).
In one transaction it drafts the document (``inquiries.batch``, 秘, 個人情報あり: its title and body
hold counts and the legal basis, never a person, so nothing personal reaches the search index), the
batch row with the terms the approver decides, a copy of each person as asked about, one letter
per institution and one item per person asked of an institution.

Hooks (``register``): ``validate_submit`` refuses a batch without persons or with a stopped
institution; ``content`` shows the approver the terms and counts (``selectors.content``);
``visibility`` is ``access.document_rule``; ``validate_decide`` checks the same again when it is
decided. What happens on decision (numbering the letters, the PDFs and request files) is the
letters' module's: ``apply_decision`` is ``letters.letters_decided``, ``on_decided``
``letters.letters_queue``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.urls import reverse

from cityhall.core.audit import record
from cityhall.core.errors import PermissionDenied, ValidationFailed, check_text, clean
from cityhall.core.japanese import format_wareki
from cityhall.documents import registry
from cityhall.documents.models import Document, FilePlanClass, MatterKind
from cityhall.documents.rules import section_of
from cityhall.documents.typed import draft_insert
from cityhall.inquiries.access import document_rule
from cityhall.inquiries.document_types import BATCH_TYPE
from cityhall.inquiries.models import (
    BatchPerson,
    DelinquentPerson,
    FoundAsset,
    InquiryBatch,
    InquiryItem,
    Institution,
    Letter,
)
from cityhall.inquiries.models.batches import LEGAL_BASIS
from cityhall.inquiries.models.institutions import DEPOSIT_KINDS
from cityhall.inquiries.selectors.content import batch_content
from cityhall.inquiries.selectors.persons import PersonFilters, filtered
from cityhall.inquiries.services import letters
from cityhall.inquiries.services._common import collector, today

BATCH_LABEL = "預貯金等照会"
MATTER_KIND = "general"  # 一般: 課長専決 in the demo city's 事務決裁規程
FILE_PLAN = "01-02-01"  # 照会・回答
MAX_PERSONS = 10_000
MAX_INSTITUTIONS = 300


@dataclass(frozen=True)
class BatchTerms:
    """What the approver decides (照会の内容): purpose, base date, period, days to answer, legal basis."""

    purpose: str
    base_date: dt.date | None
    period_from: dt.date | None = None
    period_to: dt.date | None = None
    reply_days: int = 14
    legal_basis: str = LEGAL_BASIS
    title: str = ""


@dataclass(frozen=True)
class InstitutionChoice:
    """Which institutions are asked (照会先の選択): for everyone (chosen, a region's) and per person."""

    institution_ids: Sequence[int] = ()
    region: str = ""
    per_person: Mapping[int, Sequence[int]] = field(default_factory=dict)
    where_seen: bool = False
    """Also each person's institutions where payments were seen (口座振替・納付の金融機関, from the tax
    system's list) or assets were found by an earlier answer."""


def _check_terms(terms: BatchTerms) -> dt.date:
    """The terms checked; their base date (残高の基準日)."""
    check_text(terms.purpose.strip(), field="purpose", label="照会の目的", max_length=1000)
    if not terms.purpose.strip():
        raise ValidationFailed("照会の目的を入力してください。", field="purpose")
    if terms.base_date is None:
        raise ValidationFailed("残高の基準日を入力してください。", field="base_date")
    if (terms.period_from is None) != (terms.period_to is None):
        raise ValidationFailed("取引履歴の照会期間は開始日と終了日を両方入力してください。", field="period_from")
    if not 1 <= terms.reply_days <= 120:
        raise ValidationFailed("回答期限は送付日から1日以上120日以内にしてください。", field="reply_days")
    return terms.base_date


def _persons(section_id: int, filters: PersonFilters, person_ids: Sequence[int] | None, day: dt.date) -> list[Any]:
    """The persons of the section chosen by ``filters`` (and ``person_ids``), with their former addresses."""
    rows = filtered(DelinquentPerson.objects.filter(section_id=section_id), filters, on=day)
    if person_ids is not None:
        wanted = set(person_ids)
        rows = rows.filter(pk__in=wanted)
        if rows.count() != len(wanted):
            raise ValidationFailed("選んだ滞納者の中に、見つからないか条件に合わない方がいます。", field="person_ids")
    people = list(rows.prefetch_related("former_addresses").order_by("kana", "birth_date", "pk")[: MAX_PERSONS + 1])
    if not people:
        raise ValidationFailed("条件に該当する滞納者がいません。", field="persons")
    if len(people) > MAX_PERSONS:
        raise ValidationFailed(
            f"一度に照会できる滞納者は{MAX_PERSONS:,}名までです。条件を絞ってください。", field="persons"
        )
    return people


def _targets(choice: InstitutionChoice, people: list[Any]) -> dict[int, set[int]]:
    """Each person's institutions (by id), all in use; every person asked of at least one."""
    common = set(choice.institution_ids)
    if choice.region:
        region = set(
            Institution.objects.filter(region=choice.region, kind__in=DEPOSIT_KINDS, is_active=True).values_list(
                "pk", flat=True
            )
        )
        if not region:
            raise ValidationFailed(f"地域「{choice.region}」に使用中の銀行等がありません。", field="region")
        common |= region
    person_ids = {p.pk for p in people}
    if set(choice.per_person) - person_ids:
        raise ValidationFailed("照会先を指定した滞納者が照会の対象に含まれていません。", field="per_person")
    seen = _where_seen(people) if choice.where_seen else {}
    targets = {p.pk: common | set(choice.per_person.get(p.pk, ())) | seen.get(p.pk, set()) for p in people}
    missing = next((p for p in people if not targets[p.pk]), None)
    if missing is not None:
        raise ValidationFailed(
            f"照会先が選ばれていない滞納者がいます（宛名番号 {missing.resident_number}）。", field="institutions"
        )
    return targets


def _where_seen(people: list[Any]) -> dict[int, set[int]]:
    """Each person's institutions in use where their payments were seen or an earlier answer found assets.

    Two queries: the master's banks by the 銀行コード of the persons' ``payment_banks``, and the
    institutions of earlier letters whose answers, matched to the person, reported assets.
    """
    codes = {p.pk: set(p.payment_banks.split()) for p in people}
    banks_by_code: dict[str, set[int]] = {}
    every_code = set().union(*codes.values())
    rows = Institution.objects.filter(bank_code__in=every_code, kind__in=DEPOSIT_KINDS, is_active=True)
    for pk, code in rows.values_list("pk", "bank_code"):
        banks_by_code.setdefault(code, set()).add(pk)
    seen = {p.pk: set().union(*(banks_by_code.get(c, set()) for c in codes[p.pk])) for p in people}
    found = FoundAsset.objects.filter(
        answer__item__batch_person__person_id__in=list(seen), answer__letter__institution__is_active=True
    ).values_list("answer__item__batch_person__person_id", "answer__letter__institution_id")
    for person_id, institution_id in found.distinct():
        seen[person_id].add(institution_id)
    return seen


def _lock_institutions(ids: set[int]) -> dict[int, Institution]:
    """The institutions, locked, all in use (a stop takes the same lock first)."""
    if len(ids) > MAX_INSTITUTIONS:
        raise ValidationFailed(f"一度に照会できる照会先は{MAX_INSTITUTIONS}件までです。", field="institutions")
    found = {i.pk: i for i in Institution.objects.select_for_update().filter(pk__in=ids, is_active=True)}
    if set(found) != ids:
        raise ValidationFailed("選んだ照会先の中に、停止中または存在しないものがあります。", field="institutions")
    return found


def _body(terms: BatchTerms, persons: int, institutions: int) -> str:
    """The document's text: legal basis, counts and dates; never a person (it is indexed for search)."""
    lines = [
        f"{terms.legal_basis}の規定に基づき、滞納者{persons:,}名について、金融機関等{institutions:,}件に"
        "預貯金等の照会を行う。",
        f"残高の基準日: {format_wareki(terms.base_date)}" if terms.base_date else "",
    ]
    if terms.period_from and terms.period_to:
        lines.append(f"取引履歴の照会期間: {format_wareki(terms.period_from)}から{format_wareki(terms.period_to)}まで")
    lines.append(f"回答期限: 照会書の送付日から{terms.reply_days}日")
    return "\n".join(line for line in lines if line)


def _former(person: Any) -> str:
    return "\n".join(a.address for a in sorted(person.former_addresses.all(), key=lambda a: a.position))


def batch_draft(
    *,
    actor: Any,
    terms: BatchTerms,
    institutions: InstitutionChoice,
    filters: PersonFilters | None = None,
    person_ids: Sequence[int] | None = None,
    on: dt.date | None = None,
) -> InquiryBatch:
    """Draft an inquiry batch (預貯金等照会の起案): the document, its persons, letters and items at once."""
    scope = collector(actor, on=on)
    day = today(on)
    section = section_of(scope.user, on=day)
    if section is None or section.pk not in scope.section_ids:
        raise PermissionDenied("徴税の権限のある課に所属していないため、照会を起案できません。")
    filters = filters or PersonFilters()
    base_date = _check_terms(terms)
    people = _persons(section.pk, filters, person_ids, day)
    targets = _targets(institutions, people)
    every = set().union(*targets.values())
    kind = MatterKind.objects.filter(code=MATTER_KIND).first()
    title = " ".join(terms.title.split()) or f"預貯金等の照会について（{len(people):,}名・{len(every):,}件）"
    with transaction.atomic(durable=True):
        found = _lock_institutions(every)
        document = draft_insert(
            actor=scope.user,
            title=title,
            matter_kind=kind,
            body=_body(terms, len(people), len(every)),
            is_confidential=True,
            has_personal_info=True,
            file_plan_class=FilePlanClass.objects.filter(code=FILE_PLAN).first(),
            doc_type=BATCH_TYPE,
            on=day,
        )
        batch = InquiryBatch(
            document=document,
            section=section,
            legal_basis=" ".join(terms.legal_basis.split()),
            purpose=terms.purpose.strip(),
            period_from=terms.period_from,
            period_to=terms.period_to,
            base_date=base_date,
            reply_days=terms.reply_days,
            criteria={**filters.as_data(), "region": institutions.region} if institutions.region else filters.as_data(),
        )
        clean(batch, exclude=["document"])
        batch.save()
        _insert_rows(batch, people, targets, found)
        record(
            actor=scope.user,
            action="inquiries.batch.create",
            obj=batch,
            after={
                "document": document.pk,
                "persons": len(people),
                "institutions": len(every),
                "criteria": batch.criteria,
            },
        )
    return batch


def _insert_rows(
    batch: InquiryBatch, people: list[Any], targets: dict[int, set[int]], found: dict[int, Institution]
) -> None:
    """The persons as asked about, one letter per institution, one item per person and institution."""
    BatchPerson.objects.bulk_create(
        BatchPerson(
            batch=batch,
            person=p,
            name=p.name,
            kana=p.kana,
            birth_date=p.birth_date,
            address=p.address,
            former_addresses=_former(p),
        )
        for p in people
    )
    order = sorted(found.values(), key=lambda i: (i.kind, i.bank_code, i.kana, i.pk))
    Letter.objects.bulk_create(Letter(batch=batch, institution=i) for i in order)
    person_rows = dict(BatchPerson.objects.filter(batch=batch).values_list("person_id", "pk"))
    letter_rows = dict(Letter.objects.filter(batch=batch).values_list("institution_id", "pk"))
    InquiryItem.objects.bulk_create(
        (
            InquiryItem(letter_id=letter_rows[institution], batch_person_id=person_rows[person])
            for person, chosen in targets.items()
            for institution in sorted(chosen)
        ),
        batch_size=5_000,
    )


def _validate_submit(document: Document) -> None:
    """Before the route starts: the batch has persons, and every institution is still in use."""
    batch = InquiryBatch.objects.filter(document=document).first()
    if batch is None or not batch.persons.exists():
        raise ValidationFailed("照会の対象者がいません。照会を作成し直してください。")
    stopped = Letter.objects.filter(batch=batch, institution__is_active=False).select_related("institution").first()
    if stopped is not None:
        raise ValidationFailed(f"照会先「{stopped.institution.name}」は停止されています。照会を作成し直してください。")


def _screen_url(document: Document) -> str | None:
    batch = InquiryBatch.objects.filter(document=document).only("pk").first()
    return reverse("inquiries:batch", args=[batch.pk]) if batch is not None else None


def register() -> None:
    """Register the inquiry batch as a typed document (文書の型); called from ``InquiriesConfig.ready``."""
    registry.register_type(
        BATCH_TYPE,
        BATCH_LABEL,
        validate_submit=_validate_submit,
        validate_decide=_validate_submit,
        apply_decision=letters.letters_decided,
        on_decided=letters.letters_queue,
        edit_url=_screen_url,
        content=batch_content,
        visibility=document_rule,
    )
