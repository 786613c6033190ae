"""Audited Django admin (管理画面の監査): every admin save or delete leaves an audit entry.

``AuditedAdminMixin`` goes before ``admin.ModelAdmin`` in the bases. Saves and
deletes run in a transaction together with their audit entry, which carries
the before and after snapshots; fields named in ``audit_redacted_fields``
(password hashes, secrets) are recorded only as "changed" or "unchanged".
"""

from __future__ import annotations

from typing import Any

from django.db import models, router, transaction
from django.db.models import QuerySet
from django.http import HttpRequest

from cityhall.core.audit import record, snapshot

REDACTED = "（秘匿）"


class AuditedAdminMixin:
    """Mixin for ``ModelAdmin``: audit entries for add, change and delete (管理画面からの更新)."""

    audit_redacted_fields: tuple[str, ...] = ("password",)
    model: type[models.Model]

    def audit_action(self, verb: str) -> str:
        """Action name such as ``admin.org.assignment.update``."""
        return f"admin.{self.model._meta.label_lower}.{verb}"

    def audit_snapshot(self, obj: models.Model) -> dict[str, Any]:
        """The audited state of ``obj`` with secrets replaced by a marker."""
        state = snapshot(obj)
        for name in self.audit_redacted_fields:
            if name in state:
                state[name] = REDACTED
        return state

    def _redacted_changes(self, before: models.Model | None, after: models.Model) -> dict[str, str]:
        changed = {}
        for name in self.audit_redacted_fields:
            if hasattr(after, name):
                old = getattr(before, name, None) if before is not None else None
                changed[name] = "変更あり" if old != getattr(after, name) else "変更なし"
        return changed

    def _atomic(self) -> transaction.Atomic:
        return transaction.atomic(using=router.db_for_write(self.model))

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        with self._atomic():
            previous = type(obj)._base_manager.filter(pk=obj.pk).first() if change and obj.pk is not None else None
            before = self.audit_snapshot(previous) if previous is not None else None
            super().save_model(request, obj, form, change)  # type: ignore[misc]
            after = self.audit_snapshot(obj) | self._redacted_changes(previous, obj)
            record(
                actor=request.user,
                action=self.audit_action("update" if change else "create"),
                obj=obj,
                before=before,
                after=after,
            )

    def _m2m_state(self, obj: models.Model) -> dict[str, list[Any]]:
        if obj.pk is None:
            return {}
        return {
            field.name: sorted(getattr(obj, field.name).values_list("pk", flat=True))
            for field in obj._meta.many_to_many
        }

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        """Many-to-many changes (e.g. a user's groups) get their own entry when they change.

        Inline formsets are not audited: audited admins should not use inlines.
        """
        with self._atomic():
            obj = form.instance
            before = self._m2m_state(obj) if change else {}
            super().save_related(request, form, formsets, change)  # type: ignore[misc]
            after = self._m2m_state(obj)
            if any(after.get(name) != before.get(name, []) for name in after):
                record(
                    actor=request.user,
                    action=self.audit_action("relations"),
                    obj=obj,
                    before=before or None,
                    after=after,
                )

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        with self._atomic():
            before = self.audit_snapshot(obj)
            label, pk, text = obj._meta.label_lower, str(obj.pk), str(obj)
            super().delete_model(request, obj)  # type: ignore[misc]
            record(
                actor=request.user,
                action=self.audit_action("delete"),
                object_type=label,
                object_id=pk,
                object_repr=text,
                before=before,
            )

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        """The changelist's bulk delete action: one entry per deleted object."""
        with self._atomic():
            for obj in queryset:
                self.delete_model(request, obj)
