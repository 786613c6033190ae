"""Django admin for the audit trail (監査ログ): read-only, for auditors and IT admins."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from cityhall.core.audit.labels import without_erased_content
from cityhall.core.audit.models import AuditEntry


class LocationFilter(admin.SimpleListFilter):
    """Filter by where the action came from: office network (庁内) or outside (庁外)."""

    title = "接続場所"
    parameter_name = "location"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("office", "庁内"), ("remote", "庁外")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[AuditEntry]) -> QuerySet[AuditEntry]:
        if self.value() == "office":
            return queryset.filter(is_office=True)
        if self.value() == "remote":
            return queryset.filter(is_office=False)
        return queryset


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Browse and search audit entries; nobody can add, change or delete them here."""

    list_display = ("seq", "created_at", "actor_label", "action", "object_repr", "source_ip", "is_office")
    list_display_links = ("seq",)
    list_filter = ("action", LocationFilter)
    search_fields = ("actor_label", "action", "object_type", "object_id", "object_repr", "source_ip")
    date_hierarchy = "created_at"
    ordering = ("-seq",)
    list_per_page = 50
    show_full_result_count = False
    readonly_fields = (
        "seq",
        "created_at",
        "actor",
        "actor_label",
        "action",
        "object_type",
        "object_id",
        "object_repr",
        "before_shown",
        "after_shown",
        "source_ip",
        "is_office",
        "prev_hash",
        "entry_hash",
    )
    fieldsets = (
        ("操作", {"fields": ("seq", "created_at", "actor", "actor_label", "action", "source_ip", "is_office")}),
        ("対象", {"fields": ("object_type", "object_id", "object_repr", "before_shown", "after_shown")}),
        ("ハッシュ連鎖", {"fields": ("prev_hash", "entry_hash")}),
    )

    # A record disposed of (廃棄) shows its content nowhere, here neither; the stored entry is unchanged.
    @admin.display(description="変更前")
    def before_shown(self, entry: AuditEntry) -> str:
        return without_erased_content(entry.object_type, entry.object_id, entry.before)

    @admin.display(description="変更後")
    def after_shown(self, entry: AuditEntry) -> str:
        return without_erased_content(entry.object_type, entry.object_id, entry.after)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
