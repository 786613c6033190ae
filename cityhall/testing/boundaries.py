"""Which app may import which (アプリ間の依存関係): an import-linter contract over the apps' table.

The table is the ``allowed`` option of the ``apps`` contract in ``pyproject.toml``, one line per
app (``"finance: core, accounts, org, documents, notifications"``); docs/architecture.md shows
the same table and a test keeps the two equal. import-linter builds the graph of every import,
including those inside functions; this contract (written here because import-linter has no
"allowed list" contract) then checks each direct import between apps against the table:

* an app's code imports only the apps its line names, and never their underscore modules
  (``services/_common.py``), which are private to their app;
* an app's tests may also import ``cityhall.testing``; no test module imports another test module;
* no app imports the project's own modules (``cityhall.settings``, ``cityhall.urls``, ``cityhall.api``);
* the table itself has no cycle, so the apps never depend on each other in a circle.
"""

from __future__ import annotations

from dataclasses import dataclass

import grimp
from importlinter import Contract, ContractCheck, fields, output

TESTING = "testing"
PROJECT_TESTS = "tests"  # the project-wide tests (cityhall/tests), like the project's own modules


@dataclass(frozen=True, order=True)
class Breach:
    """One import the table does not allow."""

    importer: str
    imported: str
    line_numbers: tuple[int, ...]
    reason: str


def parse_table(lines: list[str]) -> dict[str, frozenset[str]]:
    """``["finance: core, org", "core:"]`` → ``{"finance": {"core", "org"}, "core": set()}``."""
    table: dict[str, frozenset[str]] = {}
    for line in lines:
        app, _, allowed = line.partition(":")
        table[app.strip()] = frozenset(name.strip() for name in allowed.split(",") if name.strip())
    return table


def table_cycle(table: dict[str, frozenset[str]]) -> list[str]:
    """A cycle in the table (``["a", "b", "a"]``), or ``[]`` when it has none."""
    visiting: list[str] = []
    done: set[str] = set()

    def visit(app: str) -> list[str]:
        if app in visiting:
            return [*visiting[visiting.index(app) :], app]
        if app in done:
            return []
        visiting.append(app)
        for dependency in sorted(table.get(app, ())):
            cycle = visit(dependency)
            if cycle:
                return cycle
        visiting.pop()
        done.add(app)
        return []

    for app in sorted(table):
        cycle = visit(app)
        if cycle:
            return cycle
    return []


def _is_test(module: str) -> bool:
    return ".tests." in f"{module}." or module.endswith(".tests")


class AppDependenciesContract(Contract):
    """Every direct import between the container's children is one the table allows."""

    type_name = "app_dependencies"

    container = fields.StringField()
    allowed = fields.ListField(subfield=fields.StringField())

    def check(self, graph: grimp.ImportGraph, verbose: bool) -> ContractCheck:
        """Check every import whose importer is inside an app of the container."""
        container = str(self.container)
        table = parse_table(list(self.allowed))  # type: ignore[call-overload]
        cycle = table_cycle(table)
        breaches: list[Breach] = []
        apps = {child.split(".")[1] for child in graph.find_children(container) if graph.find_children(child)}
        for importer in sorted(graph.modules):
            app = _app_of(container, importer)
            if app is None or app not in apps:  # the project's own modules (settings, urls, api) import any app
                continue
            for imported in sorted(graph.find_modules_directly_imported_by(importer)):
                reason = _refusal(container, table, app, importer, imported)
                if reason:
                    details = graph.get_import_details(importer=importer, imported=imported)
                    lines = tuple(sorted({d["line_number"] for d in details}))
                    breaches.append(Breach(importer, imported, lines, reason))
        return ContractCheck(kept=not breaches and not cycle, metadata={"breaches": breaches, "cycle": cycle})

    def render_broken_contract(self, check: ContractCheck) -> None:
        """List each refused import with its line numbers and the reason."""
        if check.metadata["cycle"]:
            output.print_error(f"The table has a cycle: {' -> '.join(check.metadata['cycle'])}", bold=False)
            output.new_line()
        for breach in check.metadata["breaches"]:
            lines = ", ".join(map(str, breach.line_numbers))
            output.print_error(f"- {breach.importer} -> {breach.imported} (l.{lines}): {breach.reason}", bold=False)
            output.new_line()


def _app_of(container: str, module: str) -> str | None:
    parts = module.split(".")
    if len(parts) < 2 or parts[0] != container or parts[1] in (TESTING, PROJECT_TESTS):
        return None
    return parts[1]


def _refusal(container: str, table: dict[str, frozenset[str]], app: str, importer: str, imported: str) -> str:
    """Why ``importer`` (in ``app``) may not import ``imported``, or ``""`` when it may."""
    parts = imported.split(".")
    if parts[0] != container or len(parts) < 2:
        return ""
    target = parts[1]
    if app not in table:
        return f"the app '{app}' has no line in the table"
    if _is_test(importer) and _is_test(imported) and imported.split(".")[:2] == importer.split(".")[:2]:
        if not imported.endswith(".tests"):
            return "a test module imports another test module (shared helpers belong in cityhall.testing)"
        return ""
    if target == app:
        return ""
    if target == TESTING:
        return "" if _is_test(importer) else "application code imports the test helpers"
    if target not in table:
        return f"'{target}' is not an app of the table (the project's own modules are not for apps)"
    if _is_test(imported):
        return "a test module imports another app's test module"
    if any(part.startswith("_") and not part.startswith("__") for part in parts[2:]):
        return f"'{'.'.join(parts)}' is private to '{target}' (underscore modules are not for other apps)"
    if target not in table[app]:
        return f"'{app}' may import {', '.join(sorted(table[app])) or 'no other app'}, not '{target}'"
    return ""
