from django.apps import AppConfig


class WebConfig(AppConfig):
    """Web: the application shell, home page and static front-end assets."""

    name = "cityhall.web"
    label = "web"
    verbose_name = "画面"

    def ready(self) -> None:
        """Register the start-up check of the apps' menus (read on first use, see ``menus``)."""
        from cityhall.web import checks  # noqa: F401  (registers the check)
