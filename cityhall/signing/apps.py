from django.apps import AppConfig


class SigningConfig(AppConfig):
    """Electronic seal stamps (電子印影) and signed PDFs (PAdES) with the city's certificate."""

    name = "cityhall.signing"
    label = "signing"
    verbose_name = "電子署名・電子印影"

    def ready(self) -> None:
        from cityhall.signing import checks  # noqa: F401 - registers the checks
