"""The boundaries between the apps are contracts that fail (import-linter, pyproject.toml)."""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
import tomllib
from pathlib import Path

import grimp
import pytest

from cityhall.testing.boundaries import AppDependenciesContract, parse_table, table_cycle

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _contracts() -> dict[str, dict]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    return {c["id"]: c for c in config["tool"]["importlinter"]["contracts"]}


def test_every_contract_is_kept():
    result = subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_architecture_table_says_what_the_contract_allows():
    allowed = parse_table(_contracts()["apps"]["allowed"])
    documented = {}
    for app, cell in re.findall(
        r"^\| `cityhall\.(\w+)` \|.*\| ([^|]*) \|$", (ROOT / "docs/architecture.md").read_text(), re.M
    ):
        names = cell.split(";")[0].strip()
        documented[app] = frozenset() if names == "—" else frozenset(n.strip() for n in names.split(","))
    assert documented == allowed


def test_the_table_has_no_cycle_and_core_depends_on_nothing():
    allowed = parse_table(_contracts()["apps"]["allowed"])
    assert table_cycle(allowed) == []
    assert allowed["core"] == frozenset()
    assert table_cycle({"a": frozenset({"b"}), "b": frozenset({"a"})}) == ["a", "b", "a"]


def _package(tmp_path: Path, files: dict[str, str]) -> grimp.ImportGraph:
    for name, source in files.items():
        path = tmp_path / "town" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(source))
        for parent in path.relative_to(tmp_path).parents:
            if parent != Path("."):
                (tmp_path / parent / "__init__.py").touch()
    sys.path.insert(0, str(tmp_path))
    try:
        return grimp.build_graph("town", cache_dir=None)
    finally:
        sys.path.remove(str(tmp_path))


def _breaches(graph: grimp.ImportGraph, allowed: list[str]) -> list[tuple[str, str]]:
    contract = AppDependenciesContract(
        name="apps", session_options={}, contract_options={"container": "town", "allowed": allowed}
    )
    check = contract.check(graph, verbose=False)
    return [(b.importer, b.imported) for b in check.metadata["breaches"]]


@pytest.mark.parametrize(
    ("source", "refused"),
    [
        ("def hook():\n    from town.finance import rules\n", "town.finance.rules"),  # inside a function
        ("from town.core import _private\n", "town.core._private"),  # another app's underscore module
        ("import town.settings\n", "town.settings"),  # the project's own modules
    ],
)
def test_the_contract_refuses_imports_the_table_does_not_allow(tmp_path, source, refused):
    graph = _package(
        tmp_path,
        {
            "settings.py": "",
            "core/_private.py": "",
            "core/errors.py": "",
            "finance/rules.py": "from town.documents import engine\n",
            "documents/engine.py": source,
        },
    )
    allowed = ["core:", "documents: core", "finance: core, documents"]
    assert _breaches(graph, allowed) == [("town.documents.engine", refused)]


def test_test_modules_use_the_shared_helpers_not_each_other(tmp_path):
    graph = _package(
        tmp_path,
        {
            "testing/builders.py": "",
            "core/errors.py": "",
            "core/tests/test_a.py": "from town.testing import builders\nfrom town.core.tests import test_b\n",
            "core/tests/test_b.py": "",
        },
    )
    assert _breaches(graph, ["core:"]) == [("town.core.tests.test_a", "town.core.tests.test_b")]
