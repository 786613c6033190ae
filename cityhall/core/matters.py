"""Kinds of matter (事案の種類) that other apps' rules depend on, by code.

The documents app keeps the kinds (``MatterKind``) and their delegation rules; a
typed document of money (支出負担行為, 支出命令, 流用 …) must be of the kind
支出, whose rules (専決区分) go by amount. Every app names that kind by this code.
"""

SPENDING_KIND = "spending"
"""支出: matters of spending public money, decided by amount (課長専決 under ¥1,000,000 in the demo city)."""

CONTRACT_KIND = "contract"
"""契約: contracts (契約方法 of 地方自治法234条①), decided by amount (課長専決 under ¥1,300,000 in the demo city)."""
# Budget movements (予算の移動): each decided by its own rows of the 事務決裁規程, not by the 支出 tiers.
TRANSFER_KIND = "budget_transfer"
"""予算流用 (法220条2項): 財政課 合議 and, in the demo city, 部長専決."""
RESERVE_KIND = "reserve_use"
"""予備費充用 (法217条): 財政課 合議 and 副市長決裁 whatever the amount."""
CARRY_KIND = "carry_over"
"""繰越 (繰越明許 法213条, 事故繰越 法220条3項ただし書): 財政課 合議 and 市長決裁."""
SERVICE_KIND = "service"
"""服務: matters of staff attendance and service (テレワークの申請など), 係長専決 in the demo city."""
