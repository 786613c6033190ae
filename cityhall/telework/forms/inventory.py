"""The inventory's forms: one task (業務), and the file of an import."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cityhall.documents.models import MatterKind
from cityhall.telework.models import InventoryTask, Obstacle
from cityhall.telework.services.inventory import TaskInput


class TaskForm(forms.Form):
    """A task: name, hours per year, systems, obstacles, kind of matter."""

    name = forms.CharField(label=_("業務名"), max_length=100)
    hours_per_year = forms.IntegerField(label=_("年間業務時間"), min_value=0, max_value=1_000_000)
    systems = forms.CharField(label=_("使用するシステム"), max_length=200, required=False)
    obstacles = forms.MultipleChoiceField(
        label=_("支障"), choices=Obstacle.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    matter_kind = forms.ChoiceField(
        label=_("決裁する事案の種類"),
        required=False,
        help_text=_("この業務の決裁が電子決裁に移ると「押印・紙の決裁」が解消されたと判定します。"),
    )

    def __init__(self, *args: Any, task: InventoryTask | None = None, **kwargs: Any) -> None:
        if task is not None and not args:
            kwargs.setdefault(
                "initial",
                {
                    "name": task.name,
                    "hours_per_year": task.hours_per_year,
                    "systems": task.systems,
                    "obstacles": list(task.obstacles),
                    "matter_kind": task.matter_kind.code if task.matter_kind else "",
                },
            )
        super().__init__(*args, **kwargs)
        kinds = MatterKind.objects.order_by("sort_order", "code").values_list("code", "name")
        field = self.fields["matter_kind"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("（なし）")), *kinds]

    def data_input(self) -> TaskInput:
        """The task as the services take it."""
        data = self.cleaned_data
        return TaskInput(
            name=data["name"],
            hours_per_year=data["hours_per_year"],
            systems=data["systems"],
            obstacles=tuple(data["obstacles"]),
            matter_kind=data["matter_kind"],
        )


class ImportForm(forms.Form):
    """The Excel (or CSV) file of an import."""

    file = forms.FileField(label=_("Excelファイル（.xlsx）またはCSV"))
