"""Meta-tests in the spirit of datasette's: every hook is documented and tested, and the
generated reference pages match the code."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pytest
from markdown_blocks import DOCS

from pmo_core import hookspecs

ROOT = DOCS.parent
HOOKS = [name for names in hookspecs.FAMILIES.values() for name in names]
GENERATOR = ROOT / "scripts" / "gen_hook_reference.py"


def _generator():
    spec = importlib.util.spec_from_file_location("gen_hook_reference", GENERATOR)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_families_cover_every_hookspec() -> None:
    specs = sorted(n for n in dir(hookspecs) if n.startswith("pmo_"))
    assert sorted(HOOKS) == specs


@pytest.mark.parametrize("hook", HOOKS)
def test_hook_has_a_section_headed_by_its_signature(hook: str) -> None:
    signature = _generator().hook_signature(hook)
    headings = re.findall(r"^### (.+)$", (DOCS / "reference" / "hooks.md").read_text(), re.M)
    assert signature in headings
    if hook in hookspecs.REGISTRATION_HOOKS:
        assert signature.endswith(f"-> Iterable[{hookspecs.REGISTRATION_HOOKS[hook]}]")


def _test_files() -> list[Path]:
    roots = [ROOT / "tests", *ROOT.glob("plugins/*/tests"), *ROOT.glob("examples/*/tests")]
    return [
        path
        for root in roots
        for path in root.rglob("test*.py")
        if DOCS.parent / "tests" / "docs" not in path.parents  # the meta-tests name every hook
    ]


def test_every_hook_is_exercised_by_a_test() -> None:
    text = "\n".join(path.read_text(encoding="utf-8") for path in _test_files())
    untested = [hook for hook in HOOKS if not re.search(rf"\b{hook}\b", text)]
    assert untested == [], f"hooks no test mentions: {', '.join(untested)}"


@pytest.mark.parametrize("page", ["hooks.md", "records.md", "cli.md"])
def test_generated_page_is_up_to_date(page: str) -> None:
    result = subprocess.run(
        [sys.executable, str(GENERATOR), "--check", page],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr


def test_check_mode_detects_a_stale_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    generator = _generator()
    (tmp_path / "hooks.md").write_text("stale\n")
    monkeypatch.setattr(generator, "REFERENCE", tmp_path)
    assert generator.main(["--check", "hooks.md"]) == 1
    assert generator.main(["hooks.md"]) == 0
    assert generator.main(["--check", "hooks.md"]) == 0


def test_docstring_examples_become_python_blocks() -> None:
    generator = _generator()
    text = generator.docstring_markdown(
        'Register things, see :class:`~pmo_core.SourceItem`.\n\nExample::\n\n    x = "``y``"\n'
    )
    assert text == (
        'Register things, see `SourceItem`.\n\nExample:\n\n```python\nx = "``y``"\n```\n'
    )
