from django.apps import AppConfig


class WebConfig(AppConfig):
    """Web: the application shell, home page and static front-end assets."""

    name = "cityhall.web"
    label = "web"
    verbose_name = "画面"
