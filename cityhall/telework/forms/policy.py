"""The policy screen's form: one choice per data class and column (全職員, then each role)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cityhall.org.models import Role
from cityhall.telework.selectors import ROLES, ClassRow
from cityhall.telework.services import RuleInput, field_name


class PolicyForm(forms.Form):
    """Each cell a choice: 「—」 (follow the column 全職員, or the built-in default there) or a mode."""

    def __init__(self, rows: list[ClassRow], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rows = rows
        for row in rows:
            for role in ("", *[r.value for r in ROLES]):
                follow = _("— 標準（%(mode)s）") % {"mode": row.default.label} if not role else _("— 全職員と同じ")
                choices = [("", follow), *[(m.value, m.label) for m in row.allowed]]
                self.fields[field_name(row.data_class, role)] = forms.ChoiceField(
                    label=f"{row.data_class.label} / {Role(role).label if role else _('全職員')}",
                    choices=choices,
                    required=False,
                    initial=row.rules.get(role, ""),
                )

    def rules(self) -> list[RuleInput]:
        """The rules chosen (cells left at 「—」 are no rule)."""
        chosen = []
        for row in self.rows:
            for role in ("", *[r.value for r in ROLES]):
                mode = self.cleaned_data.get(field_name(row.data_class, role), "")
                if mode:
                    chosen.append(RuleInput(data_class=row.data_class.value, role=role, mode=mode))
        return chosen

    def grid(self) -> list[tuple[ClassRow, list[forms.BoundField]]]:
        """The bound fields, one list per data class, in column order (for the table)."""
        return [
            (row, [self[field_name(row.data_class, role)] for role in ("", *[r.value for r in ROLES])])
            for row in self.rows
        ]
