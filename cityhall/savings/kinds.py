"""The names of the ledger's kinds (削減時間の種類), given by the apps that record them at start-up."""

from __future__ import annotations

from django.utils.functional import Promise

_LABELS: dict[str, str | Promise] = {}


def register_kinds(labels: dict[str, str | Promise]) -> None:
    """Name kinds (``{"automation.jp_pint": _("電子請求書（JP PINT）")}``); called from an app's ``ready``."""
    _LABELS.update(labels)


def kind_label(kind: str) -> str:
    """A kind's name in the current language; the code itself for a kind no app names."""
    return str(_LABELS.get(kind, kind))
