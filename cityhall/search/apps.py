from django.apps import AppConfig


class SearchConfig(AppConfig):
    """Full-text search in Japanese (全文検索) on SQLite FTS5 and PostgreSQL behind one interface."""

    name = "cityhall.search"
    label = "search"
    verbose_name = "全文検索"
