"""This plugin is built on the public SDK only: ``pmo_core`` and ``pmo_core.testing``.

Anything private (``pmo_core._...``) couples the plugin to internals that change without notice,
so this distribution's own tests refuse it, whether it is imported or only named in a string.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SOURCES = sorted(
    p
    for base in ("pmo_csv", "tests")
    for p in (ROOT / base).rglob("*.py")
    # This file names private modules on purpose, in its sample.
    if p != Path(__file__).resolve()
)
# "pmo_core._x" or "from pmo_core import _x"; dunders such as pmo_core.__version__ are public.
PRIVATE = re.compile(r"pmo_core\._(?!_)|from\s+pmo_core\s+import\s+[^\n]*?\b_(?!_)\w")


def private_uses(text: str) -> list[int]:
    """The lines of ``text`` that reach into pmo-core's private modules."""
    return [n for n, line in enumerate(text.splitlines(), start=1) if PRIVATE.search(line)]


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_uses_only_the_public_sdk(path: Path) -> None:
    assert private_uses(path.read_text(encoding="utf-8")) == []


def test_the_scan_catches_private_uses() -> None:
    sample = (
        "from pmo_core._workspace import Workspace\n"
        "import pmo_core\n"
        "from pmo_core import Workspace, _builtins\n"
        "importlib.import_module('pmo_core._evm')\n"
        "from pmo_core import __version__\n"
    )
    assert private_uses(sample) == [1, 3, 4]
    assert len(SOURCES) > 3
