"""The documents app's own typed document (文書の型), the disposal list: its key and where its hooks live.

``DocumentsConfig.ready`` registers it by ``disposal``, whose ``register()`` gives the engine its hooks,
imported on first use (``registry.register_lazily``) rather than at every start-up. This module imports
nothing, so that ``ready`` may read it.
"""

DISPOSAL_LIST_TYPE = "documents.disposal_list"

REGISTERED_BY: dict[str, tuple[str, ...]] = {"cityhall.documents.disposal": (DISPOSAL_LIST_TYPE,)}
