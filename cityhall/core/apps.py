from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Core: audit trail, errors, Japanese conventions, office/remote access."""

    name = "cityhall.core"
    label = "core"
    verbose_name = "共通基盤"

    def ready(self) -> None:
        from django.urls import register_converter

        from cityhall.core import checks  # noqa: F401 - registers the checks
        from cityhall.core.numbers import IdConverter

        register_converter(IdConverter, "id")
