"""Switch-over imports (移行データの取込): what a city brings from its old systems, read like invoices.

The budget book (当初予算書), the creditor master with bank accounts (債権者マスタ) and the old
document register (文書管理簿) arrive as CSV or Excel exports of the old systems. Each is a *kind*
(``base.SwitchoverKind``, registered in ``KINDS``): its fields with the header names an export
usually has, how one cell of each is read, the checks against the database, and how the rows are
written through the owning app's services. The machinery is the invoices' own: the same file
readers (core's ``csv_table``/``xlsx_table``: encodings, broken rows, formulas, merged cells), a
column mapping per kind kept in the database (``SwitchoverMapping``), a dry run, a report naming
row, field and reason, a background job with progress. One file is one unit: if any row is
refused, nothing is written and the report lists every refusal (移行データは全件か、無しか).

Modules: ``base`` (the kind contract and registry), ``reading`` (file → rows of values, with the
reasons), ``cells`` (cell readers the kinds share); the kinds: ``budget_book``, ``creditors``,
``register``.
"""

# The decorator ``register`` is taken from ``base``: the name ``register`` here is the module of the
# old document register (``switchover.register``), which replaces any attribute of that name.
from cityhall.automation.switchover.base import KINDS, Field, Row, SwitchoverKind, kind_for

__all__ = ["KINDS", "Field", "Row", "SwitchoverKind", "kind_for"]
