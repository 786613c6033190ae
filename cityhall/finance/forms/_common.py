"""Form parts the finance screens share: date inputs, budget lines and creditors to choose from."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from cityhall.core.forms import ModelChoice
from cityhall.core.japanese.display import shown_fiscal_year
from cityhall.finance.models import (
    Creditor,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def active_creditors() -> QuerySet[Creditor]:
    """Creditors that may be paid (有効な債権者), by code."""
    return Creditor.objects.filter(is_active=True).order_by("code")


class LineChoiceField(ModelChoice):
    """A budget line shown with its fiscal year (「令和8年度 一般会計 2款…10節需用費」)."""

    def label_from_instance(self, obj: Any) -> str:
        return f"{shown_fiscal_year(obj.fiscal_year)} {obj.label}"
