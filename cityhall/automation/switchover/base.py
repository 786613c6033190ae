"""The contract of a switch-over kind (移行データの種類) and the registry of kinds.

A kind says which fields a row has (core's ``Field``: name, Japanese label, whether required, the
header names old systems export it under, and how one cell is read; core's ``read_rows`` reads the
file into ``Row``s), who may import it (``authorize``), what the database says about the rows
(``check``: codes already in use, rows that contradict each other; reasons go on the rows), and
how the rows are written (``write``) through the owning app's services inside the import's one
durable transaction. ``write`` may refuse a row (a rule of the owning app) by putting a reason on
it; the import then rolls everything back. The import service calls, in order: ``authorize`` →
read the file → ``check`` → (no reasons) ``write``.

Kinds register when ``cityhall.automation.switchover.kinds`` is imported, which ``all_kinds`` and
``kind_for`` do on first use: the kinds load the file readers (openpyxl), which a command that
never reads a file should not pay for at start-up.
"""

from __future__ import annotations

from importlib import import_module
from typing import ClassVar

from cityhall.accounts.models import User
from cityhall.core.errors import PermissionDenied
from cityhall.core.tables import Field, Row


class SwitchoverKind:
    """What one kind of old data is and how it is taken in; subclasses fill the class attributes.

    ``label``, ``description`` and each ``Field.label`` are Japanese, marked with ``gettext_noop``: they
    stay Japanese in the reasons, and the screens translate them when they show them.
    """

    code: ClassVar[str]
    label: ClassVar[str]
    fields: ClassVar[tuple[Field, ...]]
    description: ClassVar[str] = ""

    def authorize(self, actor: User) -> None:
        """Raise ``PermissionDenied`` unless ``actor`` may import this kind."""
        raise NotImplementedError

    def check(self, actor: User, rows: list[Row]) -> None:
        """Put reasons on the rows the database or the other rows refuse (nothing is written here)."""

    def write(self, actor: User, rows: list[Row]) -> None:
        """Write every row through the owning app's services (inside the caller's transaction)."""
        raise NotImplementedError


KINDS: dict[str, SwitchoverKind] = {}


def register(kind: type[SwitchoverKind]) -> type[SwitchoverKind]:
    """Class decorator: make a kind available to the screens, the API and the command."""
    KINDS[kind.code] = kind()
    return kind


def all_kinds() -> dict[str, SwitchoverKind]:
    """Every kind, by code (their modules imported on first use)."""
    import_module("cityhall.automation.switchover.kinds")
    return KINDS


def kind_for(code: str) -> SwitchoverKind:
    """The registered kind ``code``; ``PermissionDenied`` (as not found) for any other."""
    found = all_kinds().get(code)
    if found is None:
        raise PermissionDenied("その種類の移行データは取り込めません。")
    return found
