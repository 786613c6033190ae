"""Accessibility check for browser tests: run axe-core in the page (JIS X 8341-3 / WCAG 2.x AA).

Usage from any app's browser test::

    from cityhall.web.tests.axe import assert_no_serious_violations
    page.goto("/some/page/")
    assert_no_serious_violations(page)
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

AXE_JS = Path(__file__).resolve().parents[1] / "static" / "vendor" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
BLOCKING_IMPACTS = {"serious", "critical"}


def run_axe(page: Any, *, tags: list[str] | None = None) -> dict[str, Any]:
    """Inject axe-core (once per document) and return its full result for the current page."""
    if not AXE_JS.exists():
        raise AssertionError(f"{AXE_JS} is missing: run 'make assets'")
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_JS))
    return page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        tags or WCAG_TAGS,
    )


def serious_violations(result: dict[str, Any]) -> list[dict[str, Any]]:
    """The violations whose impact is serious or critical."""
    return [v for v in result["violations"] if v.get("impact") in BLOCKING_IMPACTS]


def _describe(violations: list[dict[str, Any]]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"[{violation['impact']}] {violation['id']}: {violation['help']} ({violation['helpUrl']})")
        for node in violation["nodes"][:5]:
            lines.append(f"    {' '.join(node['target'])}: {node.get('failureSummary', '').strip()}")
    return "\n".join(lines)


def assert_no_serious_violations(page: Any, *, tags: list[str] | None = None) -> dict[str, Any]:
    """Fail with a readable list if axe finds serious or critical WCAG A/AA violations."""
    result = run_axe(page, tags=tags)
    blocking = serious_violations(result)
    assert not blocking, f"accessibility violations on {page.url}:\n{_describe(blocking)}"
    return result
