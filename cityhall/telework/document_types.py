"""The telework app's typed document (文書の型), the telework request: its key and where its hooks live.

``TeleworkConfig.ready`` registers it by ``services.requests``, whose ``register()`` gives the engine
its hooks, imported on first use (``documents.registry.register_lazily``) rather than at every
start-up. This module imports nothing, so that ``ready`` may read it.
"""

REQUEST_TYPE = "telework.request"

REGISTERED_BY: dict[str, tuple[str, ...]] = {"cityhall.telework.services.requests": (REQUEST_TYPE,)}
