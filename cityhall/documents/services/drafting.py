"""Drafting (起案): create and edit drafts, attach files, save personal routes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import IO, Any

from django.core.files.base import ContentFile
from django.db import transaction

from cityhall.accounts.models import User
from cityhall.core.audit import record, snapshot
from cityhall.core.errors import Conflict, PermissionDenied, ValidationFailed, check_line, clean
from cityhall.core.japanese import fiscal_year
from cityhall.documents import numbering, registry
from cityhall.documents.files import CheckedFile, check_upload
from cityhall.documents.models import (
    DECIDED_STATUSES,
    EDITABLE_STATUSES,
    Attachment,
    Document,
    FilePlanClass,
    MatterKind,
    Receipt,
    SavedRoute,
)
from cityhall.documents.rules import section_of
from cityhall.documents.services import _effects
from cityhall.documents.services._common import (
    NOT_FOUND_MESSAGE,
    audit,
    bump,
    check_version,
    is_document_manager,
    lock_document,
    require_user,
    today,
)
from cityhall.documents.services.file_plan import check_in_force
from cityhall.documents.services.receipts import lock_receipt
from cityhall.org.models import OrgUnit

# Fields a drafter may change while the draft is editable (起案中・差戻し).
EDITABLE_FIELDS = frozenset(
    {
        "title",
        "body",
        "matter_kind",
        "amount",
        "is_confidential",
        "has_personal_info",
        "is_important",
        "file_plan_class",
        "location",
    }
)

# Fields of a typed document (文書の型) that only its own service changes, in step with its data:
# the kind of matter and the amount decide the route (専決区分), e.g. 支出負担行為 keeps the amount.
TITLE_MAX_LENGTH = 200
"""件名: as the draft form and the register's column."""
SAVED_ROUTE_NAME_MAX_LENGTH = 50
"""マイルートの名称: as the form and the model."""
TYPED_FIELDS = {"matter_kind": "事案の種類", "amount": "金額"}


def _required_text(value: str, field: str, label: str, max_length: int) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationFailed(f"{label}を入力してください。", field=field)
    return check_line(value, field=field, label=label, max_length=max_length)


def _check_amount(matter_kind: MatterKind, amount: int | None) -> None:
    if matter_kind.amount_based and amount is None:
        raise ValidationFailed(f"「{matter_kind.name}」の文書には金額を入力してください。", field="amount")
    if amount is not None and amount < 0:
        raise ValidationFailed("金額は0円以上にしてください。", field="amount")


def _apply_file_plan(document: Document, file_plan_class: FilePlanClass | None) -> None:
    document.file_plan_class = file_plan_class
    if file_plan_class is not None:
        document.retention_years = file_plan_class.retention_years
        document.expiry_action = file_plan_class.expiry_action


def draft_create(
    *,
    actor: User,
    title: str,
    matter_kind: MatterKind | None,
    body: str = "",
    amount: int | None = None,
    is_confidential: bool = False,
    has_personal_info: bool = False,
    is_important: bool = False,
    file_plan_class: FilePlanClass | None = None,
    doc_type: str = "",
    sub_of: Document | None = None,
    receipt: Receipt | None = None,
    location: str = "",
    on: dt.date | None = None,
) -> Document:
    """Create a draft (起案) numbered in the drafter's section and fiscal year (文書番号の採番).

    ``sub_of`` gives the new draft a sub-number (枝番) under an existing number;
    ``receipt`` marks the received document (収受) this draft answers.
    """
    with transaction.atomic(durable=True):
        return draft_insert(
            actor=actor,
            title=title,
            matter_kind=matter_kind,
            body=body,
            amount=amount,
            is_confidential=is_confidential,
            has_personal_info=has_personal_info,
            is_important=is_important,
            file_plan_class=file_plan_class,
            doc_type=doc_type,
            sub_of=sub_of,
            receipt=receipt,
            location=location,
            on=on,
        )


def draft_insert(
    *,
    actor: User,
    title: str,
    matter_kind: MatterKind | None,
    body: str = "",
    amount: int | None = None,
    is_confidential: bool = False,
    has_personal_info: bool = False,
    is_important: bool = False,
    file_plan_class: FilePlanClass | None = None,
    doc_type: str = "",
    sub_of: Document | None = None,
    receipt: Receipt | None = None,
    location: str = "",
    on: dt.date | None = None,
    index: bool = True,
) -> Document:
    """``draft_create`` inside the caller's transaction, for services that draft as part of a larger act.

    E.g. the disposal list (廃棄・移管リスト) drafts its document and stores its items atomically.
    ``index=False``: the caller adds the document to the search index itself, with the others it
    drafts, in one go after commit (``typed.index_new``), as the bulk drafting of payment orders does.
    """
    actor = require_user(actor)
    day = today(on)
    title = _required_text(title, "title", "件名", TITLE_MAX_LENGTH)
    if matter_kind is None:
        raise ValidationFailed("事案の種類を選んでください。", field="matter_kind")
    _check_amount(matter_kind, amount)
    if file_plan_class is not None:
        check_in_force(file_plan_class, day)
    registry.require_type(doc_type)
    section = section_of(actor, on=day)
    if section is None:
        raise PermissionDenied("所属が登録されていないため起案できません。")
    section = OrgUnit.objects.select_related("municipality").get(pk=section.pk)
    year = fiscal_year(day)
    document = Document(
        fiscal_year=year,
        section=section,
        title=title,
        body=body or "",
        matter_kind=matter_kind,
        amount=amount,
        is_confidential=is_confidential,
        has_personal_info=has_personal_info,
        is_important=is_important,
        drafter=actor,
        doc_type=doc_type,
        drafted_on=day,
        location=location,
        number=1,
    )
    _apply_file_plan(document, file_plan_class)
    clean(document, exclude=["number", "number_label", "section", "fiscal_year"])
    if sub_of is not None:
        parent = Document.objects.select_related("section__municipality").get(pk=sub_of.pk)
        document.section, document.fiscal_year, document.number = parent.section, parent.fiscal_year, parent.number
        document.sub_number = numbering.take_sub_number(parent)
    else:
        document.number = numbering.take_number(section, year)
    document.number_label = numbering.format_number(document.section, document.number, document.sub_number)
    document.save()
    if receipt is not None:
        _link_receipt(actor, receipt, document)
    audit(actor, "document.create", document, None)
    if index:
        _effects.reindex(document.pk)
    return document


def _link_receipt(actor: User, receipt: Receipt, document: Document) -> None:
    locked = lock_receipt(receipt)  # an ended (廃棄・移管済) or cancelled (取消) receipt is answered by nobody
    if locked.answered_by_id is not None:
        raise Conflict("この収受文書には既に回答の起案があります。")
    if locked.section_id != document.section_id:
        raise PermissionDenied("他の課の収受文書には回答できません。")
    before = snapshot(locked)
    locked.answered_by = document
    locked.save(update_fields=["answered_by"])
    record(actor=actor, action="documents.receipt.answer", obj=locked, before=before, after=snapshot(locked))


def _editable_by_drafter(actor: User, document: Document) -> None:
    if document.drafter_id != actor.pk:
        raise PermissionDenied(NOT_FOUND_MESSAGE)
    if document.status not in EDITABLE_STATUSES:
        raise Conflict(f"{document.get_status_display()}の文書は編集できません。")


def _check_typed_fields(document: Document, changes: dict[str, Any]) -> None:
    """A typed document keeps its kind of matter and amount; the same value sent again is fine."""
    if not document.doc_type:
        return
    entry = registry.get_type(document.doc_type)
    what = entry.label if entry is not None else "この種類の文書"
    for name, label in TYPED_FIELDS.items():
        if name not in changes:
            continue
        current = document.matter_kind_id if name == "matter_kind" else document.amount
        value = changes[name].pk if name == "matter_kind" and changes[name] is not None else changes[name]
        if value != current:
            raise ValidationFailed(
                f"{what}の{label}は起案の修正では変更できません（{what}の修正で変更してください）。",
                field=name,
            )


def draft_update(*, actor: User, document: Document, expected_version: int, **changes: Any) -> Document:
    """Edit a draft while it is 起案中 or 差戻し (起案の修正); only the drafter may.

    A typed document's kind of matter and amount stay as its own service set them.
    """
    actor = require_user(actor)
    unknown = set(changes) - EDITABLE_FIELDS
    if unknown:
        raise ValidationFailed(f"変更できない項目です: {', '.join(sorted(unknown))}", field=sorted(unknown)[0])
    with transaction.atomic(durable=True):
        document = lock_document(document)
        _editable_by_drafter(actor, document)
        check_version(document, expected_version)
        _check_typed_fields(document, changes)
        before = snapshot(document)
        if "title" in changes:
            changes["title"] = _required_text(changes["title"], "title", "件名", TITLE_MAX_LENGTH)
        if "matter_kind" in changes and changes["matter_kind"] is None:
            raise ValidationFailed("事案の種類を選んでください。", field="matter_kind")
        file_plan = changes.pop("file_plan_class", document.file_plan_class)
        if file_plan is not None and file_plan.pk != document.file_plan_class_id:
            check_in_force(file_plan, today())
        for name, value in changes.items():
            setattr(document, name, value)
        _apply_file_plan(document, file_plan)
        _check_amount(document.matter_kind, document.amount)
        clean(document)
        fields = [*(f"{n}" for n in changes), "file_plan_class", "retention_years", "expiry_action"]
        bump(document, fields)
        audit(actor, "document.update", document, before)
        _effects.reindex(document.pk)
    return document


def _may_add_attachment(actor: User, document: Document, day: dt.date) -> None:
    if document.status in EDITABLE_STATUSES and document.drafter_id == actor.pk:
        return
    if document.status in DECIDED_STATUSES and (document.drafter_id == actor.pk or is_document_manager(actor, on=day)):
        return
    if document.drafter_id != actor.pk and not is_document_manager(actor, on=day):
        raise PermissionDenied(NOT_FOUND_MESSAGE)
    raise Conflict(f"{document.get_status_display()}の文書には添付ファイルを追加できません。")


def new_draft_attachment_check(*, actor: User, name: str, stream: IO[bytes], size: int | None = None) -> CheckedFile:
    """Check the file sent with a new draft (起案時の添付), once the actor is known to be able to draft.

    Lets the new-draft page refuse a bad file before anything is saved; ``attachment_add``
    checks the file again when it is attached to the created draft.
    """
    actor = require_user(actor)
    if section_of(actor, on=today()) is None:
        raise PermissionDenied("所属が登録されていないため起案できません。")
    return check_upload(name, stream, size=size)


def attachment_add(
    *,
    actor: User,
    document: Document,
    name: str,
    stream: IO[bytes],
    size: int | None = None,
    expected_version: int | None = None,
    on: dt.date | None = None,
) -> Attachment:
    """Attach a file (添付): permission first, then the file checked, stored with its SHA-256, PDF text indexed.

    Allowed to the drafter while editable, and after decision (決裁後の追加)
    to the drafter and the document manager; never while circulating.
    ``expected_version`` is checked when given (required before decision).
    """
    actor = require_user(actor)
    day = today(on)
    # Permission first, from the unlocked row: nobody may make the server read or parse a file
    # for a document they may not change (checked again under the lock below).
    _may_add_attachment(actor, document, day)
    checked: CheckedFile = check_upload(name, stream, size=size)
    stored_name: str | None = None
    attachment = Attachment()
    try:
        with transaction.atomic(durable=True):
            document = lock_document(document)
            _may_add_attachment(actor, document, day)
            after_decision = document.status in DECIDED_STATUSES
            if not after_decision:
                if expected_version is None:
                    raise ValidationFailed("文書の版を指定してください。", field="expected_version")
                check_version(document, expected_version)
            elif expected_version is not None:
                check_version(document, expected_version)
            attachment = Attachment(
                document=document,
                name=checked.name,
                content_type=checked.content_type,
                size=checked.size,
                sha256=checked.sha256,
                extracted_text=checked.text,
                added_after_decision=after_decision,
                uploaded_by=actor,
            )
            attachment.file.save(checked.name, ContentFile(checked.data), save=False)
            stored_name = attachment.file.name
            attachment.save()
            if not after_decision:
                bump(document, [])
            record(actor=actor, action="documents.attachment.add", obj=attachment, after=snapshot(attachment))
            _effects.reindex(document.pk)
    except BaseException:
        if stored_name:
            attachment.file.storage.delete(stored_name)
        raise
    return attachment


def attachment_remove(*, actor: User, attachment: Attachment, expected_version: int) -> None:
    """Remove an attachment from a draft (添付の削除); never after decision."""
    actor = require_user(actor)
    with transaction.atomic(durable=True):
        document = lock_document(attachment.document_id)
        _editable_by_drafter(actor, document)
        check_version(document, expected_version)
        attachment = Attachment.objects.select_for_update().get(pk=attachment.pk, document=document)
        before = snapshot(attachment)
        name = attachment.file.name
        attachment.delete()
        bump(document, [])
        record(actor=actor, action="documents.attachment.remove", obj=document, before=before)
        _effects.reindex(document.pk)
        if name:
            storage = attachment.file.storage
            transaction.on_commit(lambda: storage.delete(name), robust=True)


def saved_route_create(
    *, actor: User, name: str, reviewers: Sequence[User] = (), consult_units: Sequence[OrgUnit] = ()
) -> SavedRoute:
    """Save a personal route (マイルート) of extra approvers and consulted sections."""
    actor = require_user(actor)
    name = _required_text(name, "name", "名称", SAVED_ROUTE_NAME_MAX_LENGTH)
    with transaction.atomic(durable=True):
        if SavedRoute.objects.filter(owner=actor, name=name).exists():
            raise ValidationFailed("同じ名称のマイルートが既にあります。", field="name")
        route = SavedRoute.objects.create(owner=actor, name=name)
        route.reviewers.set(reviewers)
        route.consult_units.set(consult_units)
        record(
            actor=actor,
            action="documents.saved_route.create",
            obj=route,
            after={
                "name": name,
                "reviewers": [u.pk for u in reviewers],
                "consult_units": [u.pk for u in consult_units],
            },
        )
    return route


def saved_route_delete(*, actor: User, route: SavedRoute) -> None:
    """Delete one's own saved route (マイルートの削除)."""
    actor = require_user(actor)
    with transaction.atomic(durable=True):
        locked = SavedRoute.objects.select_for_update().filter(pk=route.pk, owner=actor).first()
        if locked is None:
            raise PermissionDenied("マイルートが見つかりません。")
        record(actor=actor, action="documents.saved_route.delete", obj=locked, before={"name": locked.name})
        locked.delete()
