from typing import Any

from django.apps import AppConfig


class TeleworkConfig(AppConfig):
    """Telework (テレワーク): the remote-access policy IT configures, enforced through ``core.remote_policy``,
    and the telework requests with their limits and calendar."""

    name = "cityhall.telework"
    label = "telework"
    verbose_name = "テレワーク"

    def ready(self) -> None:
        """Register the configured policy, the day check (承認されたテレワーク日のみ), the request type and
        the dashboard's two figures; the selectors and services that hold them are imported when first
        used (``core.deferred``, ``register_lazily``), not by every command at start-up."""
        from cityhall.core import figures
        from cityhall.core.deferred import deferred
        from cityhall.core.remote_policy import register_provider
        from cityhall.documents.registry import register_lazily
        from cityhall.telework.document_types import REGISTERED_BY
        from cityhall.telework.provider import configured_mode, register_day_check

        register_provider(configured_mode)
        register_day_check(deferred("cityhall.telework.selectors.requests.approved_day"))
        for module, keys in REGISTERED_BY.items():
            register_lazily(module, *keys)
        figures.register(figures.TELEWORK_READY, deferred("cityhall.telework.selectors.figures.ready_tasks"))
        figures.register(figures.TELEWORK_DAYS, deferred("cityhall.telework.selectors.figures.days_taken"))

    def seed_demo(self, options: dict[str, Any]) -> str:
        """The demo city's telework: inventory, survey answers, requests in every state (テレワークのデモデータ)."""
        from cityhall.telework.demo import seed_requests, seed_telework

        return "\n".join((seed_telework(options), seed_requests(options)))
