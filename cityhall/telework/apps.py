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
        the dashboard's two figures."""
        from cityhall.core.remote_policy import register_provider
        from cityhall.telework.provider import configured_mode, register_day_check
        from cityhall.telework.selectors.figures import register_figures
        from cityhall.telework.selectors.requests import approved_day
        from cityhall.telework.services import requests

        register_provider(configured_mode)
        register_day_check(approved_day)
        requests.register()
        register_figures()

    def seed_demo(self, options: dict[str, Any]) -> str:
        """The demo city's telework: inventory, survey answers, requests in every state (テレワークのデモデータ)."""
        from cityhall.telework.demo import seed_requests, seed_telework

        return "\n".join((seed_telework(options), seed_requests(options)))
