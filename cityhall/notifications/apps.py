from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    """In-app notifications (お知らせ): messages to a person about work that concerns them."""

    name = "cityhall.notifications"
    label = "notifications"
    verbose_name = "お知らせ"
