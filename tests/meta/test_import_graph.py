"""The core's import graph has no cycle.

Every ``import`` counts, at module level and inside functions alike (an import hidden in a
function to dodge a cycle is still a cycle), except those under ``if TYPE_CHECKING:``, which
never run. Importing ``a.b.c`` runs ``a`` and ``a.b`` first, so a module depends on the
packages above what it imports too (except its own, which are importing already). Imports
by name at run time (the facade's lazy names, the built-in commands' modules) are not edges:
they load on first use, after every module they could reach has finished importing.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pmo_core

ROOT = Path(pmo_core.__file__).parent


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(tree: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and _is_type_checking(node):
            yield from (n for child in node.orelse for n in _imports_in(child))
            continue
        yield from _imports_in(node)


def _imports_in(node: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        yield node
    elif not (isinstance(node, ast.If) and _is_type_checking(node)):
        yield from _imports(node)


def _with_parents(name: str) -> list[str]:
    parts = name.split(".")
    return [".".join(parts[: i + 1]) for i in range(len(parts))]


def import_graph() -> dict[str, set[str]]:
    """Module -> the pmo_core modules it imports (packages above them included)."""
    modules = {_module_name(p): p for p in ROOT.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        edges: set[str] = set()
        for node in _imports(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            else:
                base = package.split(".")
                if node.level:
                    base = base[: len(base) - node.level + 1]
                    prefix = ".".join([*base, node.module] if node.module else base)
                else:
                    prefix = node.module or ""
                # `from pkg import mod` imports the module pkg.mod when there is one.
                targets = [prefix] + [
                    f"{prefix}.{alias.name}"
                    for alias in node.names
                    if f"{prefix}.{alias.name}" in modules
                ]
            # The packages above this module are already importing when it runs.
            own = set(_with_parents(name))
            for target in targets:
                edges.update(t for t in _with_parents(target) if t in modules and t not in own)
        graph[name] = edges
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of ``graph`` as a path that ends where it starts, or ``None``."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt) :], nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_the_core_has_no_import_cycle() -> None:
    graph = import_graph()
    assert len(graph) > 50  # the walk found the core
    assert "pmo_core._plugins.host" in graph["pmo_core._workspace"]
    cycle = find_cycle(graph)
    assert cycle is None, " -> ".join(cycle or [])


def test_the_cycle_finder_finds_one() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_imports_inside_functions_count_and_type_checking_ones_do_not() -> None:
    tree = ast.parse(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    import hidden\n"
        "def f():\n    import inside\n"
    )
    names = [a.name for node in _imports(tree) if isinstance(node, ast.Import) for a in node.names]
    assert names == ["inside"]
