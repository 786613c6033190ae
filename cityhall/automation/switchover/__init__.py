"""Switch-over imports (移行データの取込): what a city brings from its old systems, read like invoices.

The budget book (当初予算書), the creditor master with bank accounts (債権者マスタ) and the old
document register (文書管理簿) arrive as CSV or Excel exports of the old systems. Each is a *kind*
(``base.SwitchoverKind``, listed by ``all_kinds``): its fields with the header names an export
usually has, how one cell of each is read, the checks against the database, and how the rows are
written through the owning app's services. The machinery is shared with the invoices: core's
file readers, cell readers and row reading (``cityhall.core.tables``: encodings, broken rows,
formulas, merged cells; ``read_rows(kind.fields, data, layout)``), and automation's column layout
per kind kept in the database (``SwitchoverMapping``, a ``Layout``), dry run, report naming row,
field and reason, and background job with progress. One file is one unit: if any row is refused,
nothing is written and the report lists every refusal (移行データは全件か、無しか).

Modules: ``base`` (the kind contract and registry), ``cells`` (the cell readers the kinds use:
core's, and those needing automation's or documents' rules); the kinds: ``budget_book``,
``creditors``, ``register``.
"""

# The decorator ``register`` is taken from ``base``: the name ``register`` here is the module of the
# old document register (``switchover.register``), which replaces any attribute of that name.
from cityhall.automation.switchover.base import SwitchoverKind, all_kinds, kind_for

__all__ = ["SwitchoverKind", "all_kinds", "kind_for"]
