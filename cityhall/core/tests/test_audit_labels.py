"""Every audit action written in the code has a Japanese name (監査ログの表示名) declared by its app.

The source of every app is read (not imported) and each action passed to
``record(action=…)`` or ``record_many(action=…)``, to documents' ``audit(actor, "…")`` or
``audit_created(actor, "…", …)`` (which prefix ``documents.``) or to ``_end_route(action=…)``
is collected: literal strings, both branches of a conditional, the values of a module-level dict or constant,
the literal start of an f-string (some declared action must begin with it), and
the admin's ``audit_action(verb)`` family. The demo city's actions are checked
in ``documents/tests/test_demo.py``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from cityhall.core.audit.labels import _registry as registry
from cityhall.core.audit.labels import action_label, known_action, object_links, object_type_label

ROOT = Path(__file__).resolve().parents[3]
PREFIXED = {"audit": "documents.", "audit_created": "documents.", "_end_route": "documents."}


def _module_constants(tree: ast.Module) -> dict[str, ast.expr]:
    found: dict[str, ast.expr] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            found[node.targets[0].id] = node.value
    return found


def _strings(node: ast.expr, constants: dict[str, ast.expr]) -> list[tuple[str, bool]]:
    """(text, is_prefix) for each action the expression can produce; unknown names give nothing."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [(node.value, False)]
    if isinstance(node, ast.IfExp):
        return _strings(node.body, constants) + _strings(node.orelse, constants)
    if isinstance(node, ast.Name) and node.id in constants:
        return _strings(constants[node.id], constants)
    if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) and node.value.id in constants:
        table = constants[node.value.id]
        return [s for v in getattr(table, "values", []) for s in _strings(v, constants)]
    if isinstance(node, ast.JoinedStr) and node.values and isinstance(node.values[0], ast.Constant):
        return [(str(node.values[0].value), True)]
    return []


def _call_name(call: ast.Call) -> str:
    return call.func.id if isinstance(call.func, ast.Name) else getattr(call.func, "attr", "")


def actions_in_code() -> dict[tuple[str, bool], str]:
    """Each action (or f-string start) passed to the audit trail in non-test code, with where it is."""
    found: dict[tuple[str, bool], str] = {}
    for path in sorted((ROOT / "cityhall").rglob("*.py")):
        if {"tests", "testing", "migrations"} & set(path.parts):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        constants = _module_constants(tree)
        for call in (n for n in ast.walk(tree) if isinstance(n, ast.Call)):
            name = _call_name(call)
            argument = next((k.value for k in call.keywords if k.arg == "action"), None)
            if name in ("audit", "audit_created") and len(call.args) >= 2:
                argument = call.args[1]
            if name not in ("record", "record_many", "audit", "audit_created", "_end_route") or argument is None:
                continue
            for text, is_prefix in _strings(argument, constants):
                found[(PREFIXED.get(name, "") + text, is_prefix)] = f"{path.relative_to(ROOT)}:{call.lineno}"
    return found


def test_the_scan_finds_the_actions_it_should():
    found = {text for text, _ in actions_in_code()}
    assert {"finance.payment_batch.download", "documents.document.decide", "documents.document.send_back"} <= found
    assert {"finance.transfer.create", "documents.document.resubmit", "auth.login"} <= found
    assert "documents.document.paper_import" in found  # documents' bulk ``audit_created``
    assert len(found) > 80


def test_every_action_in_the_code_has_a_japanese_name():
    declared = set(registry().actions)
    missing = []
    for (text, is_prefix), where in actions_in_code().items():
        ok = any(a.startswith(text) for a in declared) if is_prefix else known_action(text) is not None
        if not ok:
            missing.append(f"{text}{'…' if is_prefix else ''} ({where})")
    assert missing == [], "declare these in the app's audit_labels module"


def test_the_admin_family_and_object_types_read_in_japanese():
    assert action_label("admin.org.assignment.update") == "管理画面: 配置 の変更"
    assert action_label("admin.accounts.user.password") == "管理画面: 職員 のパスワード変更"
    assert action_label("finance.payment_batch.download") == "支払データ（全銀）のダウンロード"
    assert object_type_label("finance.paymentbatch") != "finance.paymentbatch"  # the model's verbose name
    assert action_label("no.such.action") == "no.such.action"


@pytest.mark.django_db
def test_links_only_to_objects_the_viewer_may_open(make_user):
    stranger = make_user("stranger")
    assert object_links(stranger, [("documents.document", "999999"), ("finance.creditor", "1")]) == {}
