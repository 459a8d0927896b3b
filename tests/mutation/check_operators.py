"""The two mutation operators scripts/mutation.py adds to cosmic-ray's, on code like the
modules': a returned value becomes ``None`` (never a ``return`` that already gives ``None``),
and a ``raise`` becomes ``pass`` (never a bare re-raise). Named ``check_*`` so the default
test run, which has no cosmic-ray, does not collect it; ``tox -e mutation`` runs it by path
before any mutant."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

cosmic_ray = pytest.importorskip("cosmic_ray")
from cosmic_ray.mutating import mutate_code  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def operators() -> dict[str, type]:
    spec = importlib.util.spec_from_file_location("pmo_mutation", ROOT / "scripts" / "mutation.py")
    assert spec is not None
    assert spec.loader is not None
    module: ModuleType = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module._pmo_operators()


SOURCE = """def f(x):
    if x < 0:
        raise ValueError(f"negative: {x}")
    try:
        y = g(x)
    except KeyError:
        raise
    if x == 0:
        return None
    return y * 2
"""


def test_a_returned_value_becomes_none(operators: dict[str, type]) -> None:
    op = operators["pmo/ReplaceReturnValueWithNone"]()
    mutated = mutate_code(SOURCE, op, 0)
    assert mutated == SOURCE.replace("return y * 2", "return None")
    # `return None` already returns None: there is no second occurrence to mutate.
    assert mutate_code(SOURCE, op, 1) is None


def test_a_raise_becomes_pass_but_a_bare_reraise_is_left(operators: dict[str, type]) -> None:
    op = operators["pmo/ReplaceRaiseWithPass"]()
    mutated = mutate_code(SOURCE, op, 0)
    assert mutated == SOURCE.replace('raise ValueError(f"negative: {x}")', "pass")
    assert mutate_code(SOURCE, op, 1) is None


def test_the_mutants_compile(operators: dict[str, type]) -> None:
    for name, op in operators.items():
        mutated = mutate_code(SOURCE, op(), 0)
        assert mutated is not None, name
        compile(mutated, name, "exec")
