"""Rules of contracts (契約の規律): methods, 随意契約 grounds, the 少額 limits and the kind of contract.

* 契約方法 (地方自治法第234条①): 一般競争入札, 指名競争入札, 随意契約 or せり売り; 指名競争入札,
  随意契約 and せり売り only where the order allows (法234条②). An encumbrance that is no
  contract (補助金の交付決定, 負担金 …) says so (``ContractMethod.NONE``) and is routed by the
  支出 rules; a contract by the 契約 rules of the 事務決裁規程 (``matter_kind_code``).
* A 随意契約 names its ground (令167条の2①1号〜9号). Under 1号 (少額) the amount may not exceed
  the limit that the city's 規則 sets within 施行令別表第5 for the contract's kind (``limit_for``),
  on the contract's day (契約日, else the day of the act).
* The limits for 市町村 are a table with effective dates (``NEGOTIATED_LIMITS``; a city replaces
  it with ``settings.CITYHALL_NEGOTIATED_LIMITS``): from 2025-04-01 (令和7年政令 改正)
  工事又は製造の請負 200万円, 財産の買入れ 150万円, 物件の借入れ 80万円, 財産の売払い 50万円,
  物件の貸付け 30万円, その他 100万円; before, 130/80/40/30/30/50万円.
* The kind of contract is chosen by the drafter, or derived from the budget's 節
  (``kind_for_setsu``: 14 工事請負費 → 工事又は製造の請負; 10 需用費, 15 原材料費, 16 公有財産購入費,
  17 備品購入費 → 財産の買入れ; 13 使用料及び賃借料 → 物件の借入れ; anything else, 12 委託料 and
  11 役務費 included → その他). A repair paid from 需用費 that is work (修繕工事) is chosen as 工事.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from django.conf import settings

from cityhall.core.errors import ValidationFailed
from cityhall.core.japanese import format_yen
from cityhall.core.matters import CONTRACT_KIND, SPENDING_KIND
from cityhall.finance.models import CONTRACT_METHODS, BudgetLine, ContractKind, ContractMethod, NegotiatedGround

# kind → ((effective from, or None for "since always"), limit in yen), oldest first.
LimitTable = Mapping[str, Sequence[tuple[dt.date | None, int]]]

REVISED = dt.date(2025, 4, 1)
NEGOTIATED_LIMITS: LimitTable = {
    ContractKind.WORKS: ((None, 1_300_000), (REVISED, 2_000_000)),
    ContractKind.PURCHASE: ((None, 800_000), (REVISED, 1_500_000)),
    ContractKind.LEASE_IN: ((None, 400_000), (REVISED, 800_000)),
    ContractKind.SALE: ((None, 300_000), (REVISED, 500_000)),
    ContractKind.LEASE_OUT: ((None, 300_000), (REVISED, 300_000)),
    ContractKind.OTHER: ((None, 500_000), (REVISED, 1_000_000)),
}
"""施行令別表第5 for 市町村 (the 規則 of the demo city takes the maximum)."""

SETSU_KINDS: Mapping[str, str] = {
    "14": ContractKind.WORKS,
    "10": ContractKind.PURCHASE,
    "15": ContractKind.PURCHASE,
    "16": ContractKind.PURCHASE,
    "17": ContractKind.PURCHASE,
    "13": ContractKind.LEASE_IN,
}

# The kinds an encumbrance (spending) may be; 売払い and 貸付け bring money in.
SPENDING_CONTRACT_KINDS = (ContractKind.WORKS, ContractKind.PURCHASE, ContractKind.LEASE_IN, ContractKind.OTHER)

METHOD_CHOICES_TEXT = "一般競争入札・指名競争入札・随意契約・せり売り・契約によらない"


def limits() -> LimitTable:
    """The city's table of 少額随意契約 limits: ``CITYHALL_NEGOTIATED_LIMITS``, else 別表第5 for 市町村."""
    return getattr(settings, "CITYHALL_NEGOTIATED_LIMITS", None) or NEGOTIATED_LIMITS


def limit_for(kind: str, day: dt.date) -> int:
    """The 少額随意契約 limit (令167条の2①1号, 別表第5) for the kind of contract on ``day``."""
    rows = limits().get(kind) or limits()[ContractKind.OTHER]
    amount = rows[0][1]
    for start, value in rows:
        if start is None or start <= day:
            amount = value
    return amount


def kind_for_setsu(line: BudgetLine) -> str:
    """The kind of contract a budget line's 節 suggests (節から導く契約の種類); その他 when none does."""
    code = line.setsu.code if line.setsu is not None else ""
    return SETSU_KINDS.get(code, ContractKind.OTHER)


def matter_kind_code(contract_method: str) -> str:
    """The kind of matter that routes an encumbrance: 契約 for a contract, 支出 for any other commitment."""
    return CONTRACT_KIND if contract_method in CONTRACT_METHODS else SPENDING_KIND


def clean_contract(
    *,
    contract_method: str,
    negotiated_ground: str,
    contract_kind: str,
    line: BudgetLine,
    amount: int,
    contract_number: str,
    contract_date: dt.date | None,
    unit_price: bool,
    day: dt.date,
) -> tuple[str, str, str]:
    """Check a contract's particulars; returns (method, ground, kind) as stored.

    Refuses an unknown method, a 随意契約 without its ground (令167条の2①), a ground or contract
    particulars on a commitment that is not a contract, and a 少額随意契約 (1号) above the limit
    for its kind on the contract's day (別表第5).
    """
    if contract_method not in ContractMethod.values:
        raise ValidationFailed(f"契約方法は{METHOD_CHOICES_TEXT}から選んでください。", field="contract_method")
    ground = (negotiated_ground or "").strip()
    if contract_method not in CONTRACT_METHODS:
        if ground or contract_kind or (contract_number or "").strip() or contract_date is not None or unit_price:
            raise ValidationFailed(
                "契約によらない支出負担行為には、契約の種類・契約番号・契約日・随意契約の理由・単価契約を入力できません。",
                field="contract_method",
            )
        return contract_method, "", ""
    kind = contract_kind or kind_for_setsu(line)
    if kind not in SPENDING_CONTRACT_KINDS:
        raise ValidationFailed(
            "契約の種類は工事又は製造の請負・財産の買入れ・物件の借入れ・その他から選んでください。",
            field="contract_kind",
        )
    if contract_method != ContractMethod.NEGOTIATED:
        if ground:
            raise ValidationFailed(
                "随意契約の理由は、契約方法が随意契約のときだけ入力します。", field="negotiated_ground"
            )
        return contract_method, "", kind
    if not ground:
        raise ValidationFailed(
            "随意契約によるときは、その理由（地方自治法施行令第167条の2第1項の号）を選んでください"
            "（地方自治法第234条第2項: 随意契約は政令で定める場合に限られます）。",
            field="negotiated_ground",
        )
    if ground not in NegotiatedGround.values:
        raise ValidationFailed(
            "随意契約の理由は令167条の2第1項第1号から第9号のいずれかを選んでください。", field="negotiated_ground"
        )
    if ground == NegotiatedGround.SMALL_AMOUNT:
        on = contract_date or day
        limit = limit_for(kind, on)
        if amount > limit:
            raise ValidationFailed(
                f"少額随意契約（地方自治法施行令第167条の2第1項第1号・別表第5）の限度額を超えています"
                f"（{ContractKind(kind).label}: {format_yen(limit)}、金額: {format_yen(amount)}）。"
                "競争入札に付するか、同項の他の号に当たるときはその理由を選んでください。",
                field="negotiated_ground",
                extra={"limit": limit, "requested": amount},
            )
    return contract_method, ground, kind
