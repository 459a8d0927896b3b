"""Every public name of the plugin and of its kit has a docstring with an example, and the
kit's names are exactly the ones it exports."""

from __future__ import annotations

import inspect
import textwrap
from pathlib import Path

import pmo_reports
import pytest
from pmo_reports import kit

PUBLIC = [("pmo_reports", n, getattr(pmo_reports, n)) for n in pmo_reports.__all__] + [
    ("pmo_reports.kit", n, getattr(kit, n)) for n in kit.__all__
]


@pytest.mark.parametrize(
    "obj", [pytest.param(o, id=f"{m}.{n}") for m, n, o in PUBLIC if callable(o)]
)
def test_every_public_callable_has_a_docstring_with_an_example(obj: object) -> None:
    doc = inspect.getdoc(obj) or ""
    assert "Example::" in doc, f"{obj!r} has no example"


def test_the_modules_have_an_example() -> None:
    assert "Example::" in (pmo_reports.__doc__ or "")
    assert "Example::" in (kit.__doc__ or "")


def test_the_kit_exports_what_it_defines() -> None:
    defined = {n for n, o in vars(kit).items() if not n.startswith("_") and not inspect.ismodule(o)}
    # ``annotations`` is the __future__ import, not a name of the kit.
    assert defined - {"annotations", "Mapping"} == set(kit.__all__)


REFERENCE = Path(__file__).resolve().parents[3] / "sdk_docs" / "reference" / "report-kit.md"


def test_every_kit_name_is_on_the_reference_page_once() -> None:
    page = REFERENCE.read_text(encoding="utf-8")
    directives = [line[4:].strip() for line in page.splitlines() if line.startswith("::: ")]
    assert sorted(d for d in directives if d != "pmo_reports.kit") == sorted(
        f"pmo_reports.kit.{n}" for n in kit.__all__
    )


def _examples(doc: str) -> list[str]:
    """The indented blocks under each ``Example::`` of a docstring."""
    found = []
    for part in doc.split("Example::")[1:]:
        lines = part.splitlines()[1:]
        block = []
        for line in lines:
            if line.strip() and not line.startswith("    "):
                break
            block.append(line)
        found.append(textwrap.dedent("\n".join(block)))
    return found


@pytest.mark.parametrize(
    ("module", "name", "obj"),
    [pytest.param(*p, id=f"{p[0]}.{p[1]}") for p in PUBLIC if callable(p[2])],
)
def test_docstring_examples_compile(module: str, name: str, obj: object) -> None:
    doc = inspect.getdoc(obj) or ""
    assert _examples(doc)
    for n, example in enumerate(_examples(doc), start=1):
        compile(example, f"{module}.{name} example {n}", "exec")
