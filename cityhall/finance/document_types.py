"""finance's typed documents (文書の型): the key their documents carry, and where their hooks live.

``FinanceConfig.ready`` registers each type by the service module whose ``register()`` gives the
approval engine its hooks (``documents.registry.register_lazily``): the services import much of
finance, and no command or worker should pay for that at start-up, only the first use of a type.
This module imports nothing, so that ``ready`` may read it.
"""

ENCUMBRANCE_TYPE = "finance.encumbrance"
CHANGE_TYPE = "finance.encumbrance_change"
TRANSFER_TYPE = "finance.budget_transfer"
RESERVE_TYPE = "finance.reserve_use"
CARRY_TYPE = "finance.carry_over"
PAYMENT_ORDER_TYPE = "finance.payment_order"

REGISTERED_BY: dict[str, tuple[str, ...]] = {
    "cityhall.finance.services.encumbrances": (ENCUMBRANCE_TYPE,),
    "cityhall.finance.services.encumbrance_changes": (CHANGE_TYPE,),
    "cityhall.finance.services.movements": (TRANSFER_TYPE, RESERVE_TYPE),
    "cityhall.finance.services.carry_overs": (CARRY_TYPE,),
    "cityhall.finance.services.payment_orders": (PAYMENT_ORDER_TYPE,),
}
