"""The approval sheet of a document (起案用紙) and its signed PDF (電子署名付き原議).

``build_sheet`` turns a document and its route into the signing app's
``ApprovalSheet`` dataclass (stamps with 「代」 and 「後閲」 marks, each box named by
what happened there, the history of every round) with what a
typed document decides (its registered ``content`` for no viewer: the sheet is
the official record, 原議);
``sign_decided_document`` renders it (PDF/A-2b), signs it with the city's
certificate as PAdES B-LTA (a signature timestamp, the validation data and an
archive timestamp; B-B when the time-stamping authority does not answer, which
``documents.longterm`` completes later) and stores it with its SHA-256 and its
long-term state. Run it after the deciding transaction commits
(``cityhall.documents.tasks``): a decision never waits for the TSA.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from cityhall.core.audit import record
from cityhall.core.japanese import format_yen
from cityhall.documents.content import TypedContent, Value, value_kind
from cityhall.documents.models import DECIDED_STATUSES, Disposition, Document, RouteStep, StepKind, StepState
from cityhall.documents.registry import get_type
from cityhall.documents.selectors_history import STAMPED_STATES, box_labels, document_history
from cityhall.signing.dates import long_date
from cityhall.signing.seal import Stamp
from cityhall.signing.sheet import (
    ApprovalSheet,
    AttachmentEntry,
    HistoryEntry,
    RouteEntry,
    SheetSection,
    SheetTable,
    render_sheet,
)

SYSTEM_ACTOR = "documents.signing"
LONG_TERM_OWNER = "documents.document"
"""How a record's signed PDF is named in the signing app's long-term state (``signing.LongTermSignature``)."""


def record_long_term_state(document_id: int, signed: bytes, digest: str) -> str:
    """Record the signed PDF's level and proof date for the renewal (inside the caller's transaction); its level."""
    from cityhall.signing.longterm import describe
    from cityhall.signing.services import long_term_state_record

    status = describe(signed)
    long_term_state_record(owner_type=LONG_TERM_OWNER, owner_id=document_id, status=status, sha256=digest)
    return status.level


def _entry(step: RouteStep, reviewed: set[int], label: str) -> RouteEntry:
    post = f"{step.unit.name if step.unit else ''}{step.post.name if step.post else ''}"
    skipped = step.state == StepState.SKIPPED
    person = step.acted_by if step.acted_by is not None and not skipped else step.assignee
    stamp = None
    if step.acted_at is not None and step.state in STAMPED_STATES and (not skipped or step.pk in reviewed):
        stamp = Stamp(
            surname=person.last_name or person.get_username(),
            date=timezone.localtime(step.acted_at).date(),
            action=STAMPED_STATES[step.state],
            proxy=step.by_proxy,
            post_review=skipped or step.pk in reviewed,
        )
    return RouteEntry(post=post, name=person.full_name, action=label, stamp=stamp, comment=step.comment)


def history_entries(document: Document) -> list[HistoryEntry]:
    """Every action of every round (履歴), for 回議経過."""
    return [
        HistoryEntry(
            round_label=round.label,
            when=item.at,
            post=item.event.post,
            name=item.event.actor.full_name,
            action=item.action,
            comment=item.comment,
        )
        for round in document_history(document)
        for item in round.rows
    ]


def value_text(value: Value) -> str:
    """A content value as text on the sheet: 「1,234,567円」, 「令和8年4月1日」, 「—」 for nothing."""
    kind = value_kind(value)
    if kind == "empty":
        return "—"
    if kind == "yen" and isinstance(value, int):
        return format_yen(value)
    if kind == "date" and isinstance(value, dt.date):
        return long_date(value)
    return str(value)


def sheet_sections(content: TypedContent | None) -> list[SheetSection]:
    """A typed document's content as the sheet's sections (text only)."""
    if content is None:
        return []
    return [
        SheetSection(
            title=section.title,
            rows=[(row.label, value_text(row.value)) for row in section.rows],
            tables=[
                SheetTable(
                    caption=table.caption,
                    columns=table.columns,
                    rows=[[value_text(v) for v in row] for row in table.rows],
                    numeric=[
                        any(value_kind(row[i]) == "yen" for row in table.rows if i < len(row))
                        for i in range(len(table.columns))
                    ],
                )
                for table in section.tables
            ],
        )
        for section in content.sections
    ]


def build_sheet(document: Document) -> ApprovalSheet:
    """The approval sheet (起案用紙) of the document's last round."""
    steps = list(
        RouteStep.objects.filter(document=document, round=document.current_round)
        .select_related("unit", "post", "assignee", "acted_by")
        .order_by("order")
    )
    reviewed = set(document.post_reviews.filter(done_at__isnull=False).values_list("step_id", flat=True))
    labels = box_labels(document, steps)
    route = [_entry(s, reviewed, labels[s.pk]) for s in steps if s.kind != StepKind.CONSULT]
    consultations = [_entry(s, reviewed, labels[s.pk]) for s in steps if s.kind == StepKind.CONSULT]
    attachments = [AttachmentEntry(a.name, a.size, a.sha256) for a in document.attachments.order_by("pk")]
    details = [("事案の種類", document.matter_kind.name)]
    if document.amount is not None:
        details.append(("金額", f"{document.amount:,}円"))
    if document.file_plan_class is not None:
        details.append(("文書分類", str(document.file_plan_class)))
    details.append(("保存期間", document.get_retention_years_display()))
    typed = get_type(document.doc_type)
    content = typed.content_for(document, None) if typed is not None else None
    return ApprovalSheet(
        municipality=document.section.municipality.name,
        number=document.number_label,
        title=document.title,
        section=document.section.name,
        drafter=document.drafter.full_name,
        drafted_on=document.drafted_on,
        decided_on=timezone.localtime(document.decided_at).date() if document.decided_at else None,
        decision_kind=document.decision_label,
        body=document.body or ("内容は次のとおりです。" if content is not None else ""),
        route=route,
        consultations=consultations,
        attachments=attachments,
        details=details,
        sections=sheet_sections(content),
        history=history_entries(document),
    )


def sign_decided_document(document_id: int) -> bool:
    """Render, sign and store the decided document's sheet once (署名済みPDFの作成); False if nothing to do."""
    from cityhall.signing.sign import sign_pdf

    document = Document.objects.select_related("section__municipality", "drafter", "matter_kind").get(pk=document_id)
    if document.status not in DECIDED_STATUSES or document.signed_pdf or document.disposition == Disposition.DISPOSED:
        return False  # a disposed record (廃棄済) is never signed again: its content is gone
    signed = sign_pdf(
        render_sheet(build_sheet(document)),
        reason=f"{document.number_label} {document.decision_label}",
        location=document.section.municipality.name,
        long_term=True,
    )
    digest = hashlib.sha256(signed).hexdigest()
    name = f"{document.fiscal_year}-{document.section.code}-{document.number}-{document.sub_number}.pdf"
    stored = ""
    try:
        with transaction.atomic(durable=True):
            locked = Document.objects.select_for_update().get(pk=document_id)
            if locked.signed_pdf or locked.disposition == Disposition.DISPOSED:
                return False
            locked.signed_pdf.save(name, ContentFile(signed), save=False)
            stored = locked.signed_pdf.name or ""
            locked.signed_pdf_sha256 = digest
            locked.save(update_fields=["signed_pdf", "signed_pdf_sha256"])
            level = record_long_term_state(locked.pk, signed, digest)
            record(
                actor=SYSTEM_ACTOR,
                action="documents.document.sign",
                obj=locked,
                after={"signed_pdf": stored, "sha256": digest, "level": level},
            )
    except BaseException:
        if stored:
            document.signed_pdf.storage.delete(stored)
        raise
    return True
