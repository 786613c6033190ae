"""A document's history (履歴) by round, and what each box of the approval column says (決裁欄の表示).

The history is read from ``DocumentEvent``: every action, kept for good, grouped by the round it
belongs to (回議 1, 再回議 2 …). A box of the approval column is named by what happened at its
step: 承認, 決裁, 代決, 後閲, 合議, 異議, 差戻し, 却下; a step the route never reached says why:
省略 (the route ended at an earlier step: 差戻し or 却下), 引戻し (the drafter pulled the draft
back), 取下げ (the drafter withdrew it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from cityhall.documents.models import Document, DocumentEvent, DocumentStatus, EventKind, RouteStep, StepState


def round_label(number: int) -> str:
    """The name of a round: 「回議 1」 for the first submission, 「再回議 2」 … after it, 「起案」 before."""
    if number <= 0:
        return _("起案")
    if number == 1:
        return _("回議 %(n)s") % {"n": number}
    return _("再回議 %(n)s") % {"n": number}


@dataclass(frozen=True)
class HistoryItem:
    """One history entry as a page shows it: the time in Japan, the action, and its comment."""

    event: DocumentEvent

    @property
    def at(self) -> dt.datetime:
        """When it happened, in Japan time (the filters of dates take it as it is)."""
        return timezone.localtime(self.event.at)

    @property
    def action(self) -> str:
        """What was done (「承認」「差戻し」「代決」…)."""
        return str(self.event.get_kind_display())

    @property
    def comment(self) -> str:
        """The comment; for a skip, whose step was sent to post-review (「不在のため後閲（係長 係川）」)."""
        event = self.event
        if event.kind == EventKind.SKIP and event.step is not None:
            return f"{event.comment}（{_who(event.step)}）"
        if event.kind == EventKind.SEND_BACK and event.target_step is not None:
            return _("%(comment)s（差戻し先: %(who)s）") % {"comment": event.comment, "who": _who(event.target_step)}
        return event.comment


def _who(step: RouteStep) -> str:
    """The step's unit, post and holder: 「文書法制係 係長 係川 太郎」."""
    parts = (step.unit.name if step.unit else "", step.post.name if step.post else "", step.assignee.full_name)
    return " ".join(p for p in parts if p)


@dataclass(frozen=True)
class HistoryRound:
    """The entries of one round (回), in the order they happened."""

    number: int
    label: str
    events: list[DocumentEvent]

    @property
    def rows(self) -> list[HistoryItem]:
        """The entries as a page shows them."""
        return [HistoryItem(event) for event in self.events]


def document_history(document: Document) -> list[HistoryRound]:
    """The document's history (履歴) by round, oldest first: every action with person, post, time and comment."""
    events = (
        DocumentEvent.objects.filter(document=document)
        .select_related(
            "actor",
            "step__assignee",
            "step__unit",
            "step__post",
            "target_step__assignee",
            "target_step__unit",
            "target_step__post",
        )
        .order_by("at", "pk")
    )
    rounds: dict[int, list[DocumentEvent]] = {}
    for event in events:
        rounds.setdefault(event.round, []).append(event)
    return [HistoryRound(n, round_label(n), rounds[n]) for n in sorted(rounds)]


STAMPED_STATES: dict[str, str] = {
    StepState.APPROVED: "承認",
    StepState.AGREED: "合意",
    StepState.OBJECTED: "異議",
    StepState.DECIDED: "決裁",
    StepState.SKIPPED: "後閲",
}
"""The states whose box carries a date stamp (日付印), and the word in the stamp's bottom band."""


def _done_label(step: RouteStep) -> str | None:
    """The label of a step acted on, or None while it is open or was cancelled."""
    if step.state == StepState.DECIDED and step.by_proxy:
        return pgettext("approval column", "代決")
    labels = {
        StepState.APPROVED: pgettext("approval column", "承認"),
        StepState.DECIDED: pgettext("approval column", "決裁"),
        StepState.SKIPPED: pgettext("approval column", "後閲"),
        StepState.AGREED: pgettext("approval column", "合議"),
        StepState.OBJECTED: pgettext("approval column", "異議"),
        StepState.SENT_BACK: pgettext("approval column", "差戻し"),
        StepState.REJECTED: pgettext("approval column", "却下"),
    }
    return labels.get(StepState(step.state))


def box_labels(document: Document, steps: Sequence[RouteStep]) -> dict[int, str]:
    """What each box of the approval column says, by step id (see the module docstring)."""
    rounds = {step.round for step in steps if step.state == StepState.CANCELLED}
    ended = {step.round for step in steps if step.state in (StepState.SENT_BACK, StepState.REJECTED)}
    happened = (
        set(
            DocumentEvent.objects.filter(
                document=document, round__in=rounds, kind__in=(EventKind.PULL_BACK, EventKind.WITHDRAW)
            ).values_list("round", "kind")
        )
        if rounds
        else set()
    )
    labels: dict[int, str] = {}
    for step in steps:
        done = _done_label(step)
        if done is not None:
            labels[step.pk] = done
        elif step.state != StepState.CANCELLED:
            labels[step.pk] = str(step.get_state_display())  # 処理待ち・待機
        elif step.round in ended:
            labels[step.pk] = pgettext("approval column", "省略")
        elif (step.round, EventKind.PULL_BACK) not in happened and (
            (step.round, EventKind.WITHDRAW) in happened
            or (document.status == DocumentStatus.WITHDRAWN and step.round == document.current_round)
        ):
            labels[step.pk] = pgettext("approval column", "取下げ")
        else:
            labels[step.pk] = pgettext("approval column", "引戻し")
    return labels
