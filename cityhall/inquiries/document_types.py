"""The inquiries app's typed document (文書の型), the inquiry batch: its key and where its hooks live.

``InquiriesConfig.ready`` registers it by ``services.batches``, whose ``register()`` gives the engine
its hooks, imported on first use (``documents.registry.register_lazily``) rather than at every
start-up. This module imports nothing, so that ``ready`` may read it.
"""

BATCH_TYPE = "inquiries.batch"

REGISTERED_BY: dict[str, tuple[str, ...]] = {"cityhall.inquiries.services.batches": (BATCH_TYPE,)}
