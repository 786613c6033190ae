from typing import Any

from django.apps import AppConfig


class TeleworkConfig(AppConfig):
    """Telework (テレワーク): the remote-access policy IT configures, enforced through ``core.remote_policy``."""

    name = "cityhall.telework"
    label = "telework"
    verbose_name = "テレワーク"

    def ready(self) -> None:
        """Register the configured policy as the provider of ``core.remote_policy.remote_mode``."""
        from cityhall.core.remote_policy import register_provider
        from cityhall.telework.provider import configured_mode

        register_provider(configured_mode)

    def seed_demo(self, options: dict[str, Any]) -> str:
        """The demo city's task inventory and survey answers (テレワークのデモデータ); called by ``seed_demo``."""
        from cityhall.telework.demo import seed_telework

        return seed_telework(options)
