from django.apps import AppConfig


class OrgConfig(AppConfig):
    """Organisation: municipality, units (部・課・係), posts, assignments, absences, roles."""

    name = "cityhall.org"
    label = "org"
    verbose_name = "組織"
