"""The import graph of the package: layers point one way, and the shell is in no cycle.

Every import counts, also those inside functions (they run sooner or later).
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "intake_app"


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path, modules: set[str]) -> set[str]:
    """The project modules ``path`` imports, at module level or inside functions."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            # ``from pkg import mod`` imports the module ``pkg.mod``; ``from mod import name``
            # imports ``mod``.
            targets = [
                f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base
                for alias in node.names
            ]
        for target in targets:
            while target and target not in modules:
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


def graph() -> dict[str, set[str]]:
    files = [p for p in PACKAGE.rglob("*.py") if "forms" not in p.relative_to(PACKAGE).parts]
    modules = {module_name(p) for p in files}
    return {module_name(p): imports_of(p, modules) for p in files}


def reaches(edges: dict[str, set[str]], start: str, goal: str) -> list[str] | None:
    """One import path from ``start`` to ``goal``, or None."""
    todo: list[list[str]] = [[start]]
    seen = {start}
    while todo:
        path = todo.pop()
        for nxt in sorted(edges.get(path[-1], ())):
            if nxt == goal:
                return [*path, nxt]
            if nxt not in seen:
                seen.add(nxt)
                todo.append([*path, nxt])
    return None


def test_the_graph_sees_function_local_imports():
    edges = graph()
    # main_window imports the supervisor area inside a method: it must still count.
    assert "intake_app.gui.supervisor" in edges["intake_app.gui.main_window"]
    assert reaches(edges, "intake_app.gui.main_window", "intake_app.gui.supervisor.settings_tab")


def test_domain_imports_nothing_of_the_project_but_itself():
    edges = graph()
    outside = {
        module: sorted(t for t in targets if not t.startswith("intake_app.domain"))
        for module, targets in edges.items()
        if module.startswith("intake_app.domain")
    }
    assert {m: t for m, t in outside.items() if t} == {}


def test_store_and_documents_never_import_the_gui():
    edges = graph()
    upward = {
        module: sorted(t for t in targets if t.startswith("intake_app.gui"))
        for module, targets in edges.items()
        if module.startswith(("intake_app.store", "intake_app.documents"))
    }
    assert {m: t for m, t in upward.items() if t} == {}


def test_the_shell_is_in_no_import_cycle():
    edges = graph()
    shell = "intake_app.gui.shell"
    cycles = {
        first: path
        for first in sorted(edges[shell])
        if (path := reaches(edges, first, shell)) is not None
    }
    assert cycles == {}
