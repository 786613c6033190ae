from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    """In-app notifications (お知らせ): messages to a person about work that concerns them."""

    name = "cityhall.notifications"
    label = "notifications"
    verbose_name = "お知らせ"

    def ready(self) -> None:
        """Add お知らせ to the main menu, with the user's unread count."""
        from django.utils.translation import gettext_lazy as _

        from cityhall.notifications.selectors import unread_count
        from cityhall.web.navigation import register_nav_item

        register_nav_item(_("お知らせ"), "notifications:list", count=unread_count)
