"""Django admin for the organisation and staff accounts (組織・職員の管理画面).

Every save and delete is audited through ``AuditedAdminMixin``. The user admin
lives here (not in ``accounts``) so that staff are managed next to their
assignments; password changes through the admin are audited too.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.http import HttpRequest, HttpResponse

from cityhall.accounts.models import User
from cityhall.core.admin_audit import AuditedAdminMixin
from cityhall.core.audit import record
from cityhall.org.models import Absence, Assignment, Municipality, OrgUnit, Post, RoleGrant

admin.site.site_header = "内部事務システム 管理画面"
admin.site.site_title = "内部事務システム 管理"
admin.site.index_title = "管理メニュー"


@admin.register(Municipality)
class MunicipalityAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("code", "name", "kana", "symbol")
    search_fields = ("code", "name", "kana")


@admin.register(OrgUnit)
class OrgUnitAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("code", "name", "kind", "parent", "symbol", "valid_from", "valid_to")
    list_filter = ("kind", "municipality", "valid_to")
    search_fields = ("code", "name", "kana")
    autocomplete_fields = ("parent",)
    list_select_related = ("parent",)
    ordering = ("sort_order", "code")


@admin.register(Post)
class PostAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("code", "name", "rank", "is_managerial", "heads")
    list_filter = ("is_managerial", "heads")
    search_fields = ("code", "name")


@admin.register(Assignment)
class AssignmentAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("user", "unit", "post", "is_primary", "valid_from", "valid_to")
    list_filter = ("is_primary", "post", "valid_from", "unit__kind")
    search_fields = ("user__username", "user__last_name", "user__first_name", "unit__name", "post__name")
    autocomplete_fields = ("user", "unit")
    list_select_related = ("user", "unit", "post")
    date_hierarchy = "valid_from"


@admin.register(Absence)
class AbsenceAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("user", "starts_on", "ends_on", "proxy", "reason")
    search_fields = ("user__username", "user__last_name", "proxy__last_name", "reason")
    autocomplete_fields = ("user", "proxy")
    list_select_related = ("user", "proxy")
    date_hierarchy = "starts_on"


@admin.register(RoleGrant)
class RoleGrantAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("user", "role", "unit", "valid_from", "valid_to")
    list_filter = ("role",)
    search_fields = ("user__username", "user__last_name", "unit__name")
    autocomplete_fields = ("user", "unit")
    list_select_related = ("user", "unit")


@admin.register(User)
class StaffUserAdmin(AuditedAdminMixin, UserAdmin):
    """Staff accounts (職員) with employee number and kana names."""

    list_display = ("username", "employee_number", "last_name", "first_name", "is_active", "is_staff")
    search_fields = ("username", "employee_number", "last_name", "first_name", "family_name_kana", "given_name_kana")
    ordering = ("employee_number", "username")
    fieldsets = (
        *UserAdmin.fieldsets,  # type: ignore[misc]
        ("職員情報", {"fields": ("employee_number", "family_name_kana", "given_name_kana")}),
    )
    add_fieldsets = (
        *UserAdmin.add_fieldsets,
        ("職員情報", {"fields": ("employee_number", "last_name", "first_name", "family_name_kana", "given_name_kana")}),
    )

    def user_change_password(self, request: HttpRequest, id: str, form_url: str = "") -> HttpResponse:
        """The admin's password form saves outside ``save_model``: audit it here."""
        with self._atomic():
            response = super().user_change_password(request, id, form_url)
            if request.method == "POST" and response.status_code == 302:
                user = self.get_object(request, id)
                record(
                    actor=request.user,
                    action=self.audit_action("password"),
                    obj=user,
                    after={"password": "変更あり"},
                )
            return response
