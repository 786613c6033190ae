from django.apps import AppConfig


class WebConfig(AppConfig):
    """Web: the application shell, home page and static front-end assets."""

    name = "cityhall.web"
    label = "web"
    verbose_name = "画面"

    def ready(self) -> None:
        """Read the installed apps' ``menu`` modules for the main menu and the header's count."""
        from cityhall.web import menus

        menus.discover()
