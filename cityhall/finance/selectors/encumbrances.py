"""Read-side of encumbrances (支出負担行為の参照): those a user may see, and who may amend a decided one."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import F, Q, QuerySet
from django.utils import timezone

from cityhall.accounts.models import User
from cityhall.core.errors import ValidationFailed
from cityhall.documents.models import (
    DECIDED_STATUSES,
    DelegationRule,
)
from cityhall.documents.rules import decision_rule, section_of
from cityhall.finance.models import (
    Encumbrance,
)
from cityhall.finance.selectors.visibility import rows_rule
from cityhall.org.models import Assignment, OrgUnit, UnitKind


def encumbrances_for(user: User, *, on: dt.date | None = None) -> QuerySet[Encumbrance]:
    """Encumbrances the user may see (支出負担行為の一覧): their section's, plus those of the sections
    under a 部 they head (部長); all for 会計, 会計管理者 and the executive (市長・副市長: managerial posts
    of the 特別職 unit).

    The accounting manager reviews linked orders against any section's encumbrance; the heads see
    what they may have to reduce or cancel (``can_amend_encumbrance``).
    """
    rows = Encumbrance.objects.select_related("document", "line", "creditor", "section")
    return rows.filter(rows_rule(user, on or timezone.localdate()))


def own_section_encumbrances(user: User, *, on: dt.date | None = None) -> QuerySet[Encumbrance]:
    """The encumbrances of the user's own section (自課の支出負担行為): the ones they may order against.

    会計, 部長 and the executive see more (``encumbrances_for``), but a payment order is drafted by the
    section that made the encumbrance.
    """
    day = on or timezone.localdate()
    section = section_of(user, on=day)
    rows = Encumbrance.objects.select_related("document", "line", "creditor", "section")
    return rows.filter(section=section) if section is not None else rows.none()


@dataclass(frozen=True)
class AmendAuthority:
    """Who may amend or cancel a decided encumbrance (決裁済支出負担行為の減額・取消の権限).

    The holder of the deciding post (専決者) that the delegation rules give the
    original amount, or a higher post in the section's chain of command
    (課長 → 部長 → 副市長 → 市長), or the person who decided it in their own right (決裁者).
    A 代決者 decided only for the absent 専決者 and keeps no authority afterwards: the 専決者
    on return, or a higher post meanwhile, undoes it.
    """

    rule: DelegationRule | None
    chain: tuple[OrgUnit, ...]  # the section and the units above it (課 → 部)
    decided_by: User | None  # None when nobody decided it in their own right (代決)

    @property
    def description(self) -> str:
        """Who may act, in words: e.g. 「総務課の課長以上の職員（課長専決）、または決裁した課山 太郎さん」."""
        parts = []
        if self.rule is not None:
            post = self.rule.decider_post
            unit = next((u for u in self.chain if u.kind == post.heads), None)
            where = f"{unit.name}の" if unit is not None else ""
            parts.append(f"{where}{post.name}以上の職員（{self.rule.label}）")
        if self.decided_by is not None:
            parts.append(f"決裁した{self.decided_by}さん")
        return "、または".join(parts) or "決裁権者"


def _setsu(encumbrance: Encumbrance) -> str:
    """The 節 code of the encumbrance's line, which rows of the 事務決裁規程 may be limited to."""
    return encumbrance.line.setsu.code if encumbrance.line.setsu is not None else ""


def amend_authority(encumbrance: Encumbrance) -> AmendAuthority:
    """The authority behind a decided encumbrance (原議の決裁権者): its rule by the original amount (or the
    increased one, after a 変更契約), chain, decider."""
    document = encumbrance.document
    # After a decided 変更契約 (増額) the higher of the original and the current amount decides.
    amount = max(encumbrance.original_amount, encumbrance.amount)
    try:
        rule: DelegationRule | None = decision_rule(
            document.matter_kind, amount, section=encumbrance.section, setsu=_setsu(encumbrance)
        )
    except ValidationFailed:  # no rule for the kind any more: only the person who decided
        rule = None
    chain = [encumbrance.section]
    while chain[-1].parent_id is not None:
        parent = chain[-1].parent
        assert parent is not None
        chain.append(parent)
    decided_by = None if document.decided_by_proxy else document.decided_by
    return AmendAuthority(rule=rule, chain=tuple(chain), decided_by=decided_by)


def holds_amend_authority(user: User, authority: AmendAuthority, *, on: dt.date) -> bool:
    """Whether the user may amend or cancel under ``authority`` on the day (one query per branch)."""
    if not user.is_active or user.pk is None:
        return False
    chain_ids = [u.pk for u in authority.chain]
    municipality_id = authority.chain[0].municipality_id
    held = Assignment.objects.on(on).filter(user=user)
    above = Q(unit_id__in=chain_ids, post__heads=F("unit__kind")) | Q(
        unit__kind=UnitKind.EXECUTIVE, unit__municipality_id=municipality_id
    )
    if authority.rule is not None and held.filter(above, post__rank__gte=authority.rule.decider_post.rank).exists():
        return True
    if authority.decided_by is None or authority.decided_by.pk != user.pk:
        return False
    # The person who decided, while still in the section (or a 係 of it) or above it.
    return held.filter(above | Q(unit_id=chain_ids[0]) | Q(unit__parent_id=chain_ids[0])).exists()


def can_amend_encumbrance(user: User, encumbrance: Encumbrance, *, on: dt.date | None = None) -> bool:
    """Whether the user may amend (減額) or cancel (取消) the encumbrance now: decided, live, and their authority.

    The screens show the 減額・取消 forms on this condition; the services refuse on the same one.
    """
    if not getattr(user, "is_authenticated", False):
        return False
    if encumbrance.cancelled_at is not None or encumbrance.document.status not in DECIDED_STATUSES:
        return False
    return holds_amend_authority(user, amend_authority(encumbrance), on=on or timezone.localdate())
