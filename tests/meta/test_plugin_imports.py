"""First-party plugins and examples are built on the public SDK only.

They may import ``pmo_core`` (the facade), ``pmo_core.testing`` and ``pmo_core.hookspecs``;
anything private (``pmo_core._...``) would couple them to internals third parties cannot use.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PUBLIC = {
    "pmo_core",
    "pmo_core.testing",
    "pmo_core.testing.store_conformance",
    "pmo_core.hookspecs",
}
SOURCES = sorted(
    p
    for base in ("plugins", "examples")
    for p in (ROOT / base).rglob("*.py")
    if ".venv" not in p.parts and "build" not in p.parts
)


def _imported_modules(path: Path) -> list[tuple[int, str]]:
    """Every module (and ``from`` name) a file imports, with its line."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found += [(node.lineno, f"{node.module}.{alias.name}") for alias in node.names]
    return found


def _private(module: str) -> bool:
    parts = module.split(".")
    return parts[0] == "pmo_core" and any(
        p.startswith("_") and not (p.startswith("__") and p.endswith("__")) for p in parts[1:]
    )


def test_there_are_plugin_sources_to_check() -> None:
    names = {p.relative_to(ROOT).parts[1] for p in SOURCES}
    assert {"pmo-governance", "pmo-stage-gate", "pmo-csv", "pmo-reports"} <= names


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_imports_only_the_public_sdk(path: Path) -> None:
    private = [
        f"line {line}: {module}" for line, module in _imported_modules(path) if _private(module)
    ]
    assert private == []


def test_the_check_catches_private_imports(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text(
        "from pmo_core._workspace import Workspace\n"
        "import pmo_core._store\n"
        "from pmo_core import _builtins, __version__, Workspace\n"
    )
    assert [m for _, m in _imported_modules(bad) if _private(m)] == [
        "pmo_core._workspace.Workspace",
        "pmo_core._store",
        "pmo_core._builtins",
    ]
