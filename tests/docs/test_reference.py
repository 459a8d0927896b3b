"""Meta-tests in the spirit of datasette's and httpx's: every hook and every public name is
documented, every hook is tested, and the generated reference pages match the code."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest
from markdown_blocks import DOCS, GENERATOR, reference_generator

import pmo_core
from pmo_core import hookspecs, testing

ROOT = DOCS.parent
HOOKS = [name for names in hookspecs.FAMILIES.values() for name in names]
PAGES = list(reference_generator().PAGES)


def test_families_cover_every_hookspec() -> None:
    specs = sorted(n for n in dir(hookspecs) if n.startswith("pmo_"))
    assert sorted(HOOKS) == specs


@pytest.mark.parametrize("hook", HOOKS)
def test_hook_has_a_section_headed_by_its_signature(hook: str) -> None:
    signature = reference_generator().hook_signature(hook)
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


@pytest.mark.parametrize("page", PAGES)
def test_generated_page_is_up_to_date(page: str) -> None:
    result = subprocess.run(
        [sys.executable, str(GENERATOR), "--check", page],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr


def test_check_mode_detects_a_stale_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    generator = reference_generator()
    (tmp_path / "hooks.md").write_text("stale\n")
    monkeypatch.setattr(generator, "REFERENCE", tmp_path)
    assert generator.main(["--check", "hooks.md"]) == 1
    assert generator.main(["hooks.md"]) == 0
    assert generator.main(["--check", "hooks.md"]) == 0


def test_docstring_examples_become_python_blocks() -> None:
    generator = reference_generator()
    text = generator.docstring_markdown(
        'Register things, see :class:`~pmo_core.SourceItem`.\n\nExample::\n\n    x = "``y``"\n'
    )
    assert text == (
        'Register things, see `SourceItem`.\n\nExample:\n\n```python\nx = "``y``"\n```\n'
    )


def _anchors(page: str) -> set[str]:
    """The explicit anchors of a generated page's headings (``{ #Workspace.create }``)."""
    text = (DOCS / "reference" / page).read_text(encoding="utf-8")
    return set(re.findall(r"^#+ .*\{ #(\S+)", text, re.M))


def test_every_public_name_is_documented() -> None:
    records = set(re.findall(r"^### (\w+)$", (DOCS / "reference" / "records.md").read_text(), re.M))
    api = _anchors("api.md")
    assert [n for n in pmo_core.__all__ if n not in api | records] == []
    assert [n for n in testing.__all__ if n not in _anchors("testing.md")] == []
    # A record is documented once, on the record page, and linked from the API page.
    assert api & records == set()


def test_every_public_method_is_documented() -> None:
    api = _anchors("api.md")
    for cls in (pmo_core.Workspace, pmo_core.WorkspaceView, pmo_core.PluginHost, pmo_core.Store):
        public = [n for n in vars(cls) if not n.startswith("_")]
        assert [n for n in public if f"{cls.__name__}.{n}" not in api] == []


class _Stray:
    """A public name in a module no section of the API page covers."""


def test_a_public_name_no_section_covers_stops_the_generator(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(pmo_core, "__all__", [*pmo_core.__all__, "Stray"])
    monkeypatch.setattr(pmo_core, "Stray", _Stray, raising=False)
    with pytest.raises(SystemExit, match=r"Stray \(defined in test_reference\)"):
        reference_generator().api_page()


def test_a_public_name_without_docstring_stops_the_generator(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def bare(x: int) -> int:
        return x

    bare.__module__ = "pmo_core._evm"
    monkeypatch.setattr(pmo_core, "__all__", [*pmo_core.__all__, "bare"])
    monkeypatch.setattr(pmo_core, "bare", bare, raising=False)
    with pytest.raises(SystemExit, match="bare has no docstring"):
        reference_generator().api_page()


def test_signatures_are_written_as_in_the_source() -> None:
    generator = reference_generator()
    assert generator.signature(pmo_core.Workspace.create, method=True) == (
        "(kind: str, **fields: Any) -> Entity"
    )
    assert generator.signature(pmo_core.Transaction.update, method=True) == (
        "(kind: str, id: str, data: dict[str, Any], *, expected_version: int, "
        "owner: OwnerUpdate = KEEP) -> Document"
    )
    # An annotation split over lines is joined as it would be written on one.
    source = "x: dict[\n    str,\n    int,\n] = f(\n    1, 2\n)\n"
    node = ast.parse(source).body[0]
    assert isinstance(node, ast.AnnAssign)
    assert generator._source_segment(source, node.annotation) == "dict[str, int]"
    assert generator._source_segment(source, node.value) == "f(1, 2)"
    assert generator.signature(pmo_core.accumulate) == (
        '(items: Iterable[EvItem], status_date: date, *, currency: str = "") -> EvInputs'
    )


def test_defaults_read_the_same_on_every_python() -> None:
    generator = reference_generator()
    # Enum reprs changed in 3.12 and set order follows the hash seed.
    assert generator._value_text(pmo_core.Status.ON_TRACK) == "Status.ON_TRACK"
    assert generator._value_text(frozenset({"write", "read"})) == "frozenset({'read', 'write'})"
    # A default factory that makes a fresh value each time is named, not called.
    assert (
        generator._default_text(None, pmo_core.DomainModel.model_fields["id"].default_factory)
        == "`new_id()`"
    )
    table = generator.fields_table(pmo_core.Project)
    assert "| `status` | `Status` | `Status.NOT_STARTED` |" in table
    assert "Budget at completion (BAC)." in table


def test_doctest_examples_become_python_blocks() -> None:
    text = reference_generator().docstring_markdown(
        "Sum.\n\nExample:\n\n    >>> total = sum(\n    ...     [1, 2])\n    >>> total\n    3\n"
    )
    assert text == "Sum.\n\nExample:\n\n```python\ntotal = sum(\n    [1, 2])\ntotal\n# 3\n```\n"
