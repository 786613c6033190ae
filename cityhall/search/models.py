"""The search index entry (検索索引): one row per indexed item, whatever app owns the item."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy


class SearchEntry(models.Model):
    """Normalised text of one item (文書など) of one kind, the source of the n-gram index.

    ``kind`` names the owner's item type (e.g. ``"document"``) and ``key`` its
    primary key; the search app knows nothing else about the item. The
    database-specific index (an FTS5 table on SQLite, a GIN-indexed generated
    column on PostgreSQL) is created by migration 0001 and kept in step by
    :mod:`cityhall.search.services` only.
    """

    kind = models.CharField("種別", max_length=40)
    key = models.BigIntegerField("キー")
    text = models.TextField("正規化テキスト", blank=True)
    updated_at = models.DateTimeField("更新日時", auto_now=True)

    class Meta:
        db_table = "search_entry"
        verbose_name = gettext_lazy("検索索引")
        verbose_name_plural = gettext_lazy("検索索引")
        constraints = [models.UniqueConstraint(fields=["kind", "key"], name="search_entry_kind_key_uniq")]

    def __str__(self) -> str:
        return f"{self.kind}:{self.key}"
