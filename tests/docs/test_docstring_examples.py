"""The runner of the API reference's docstring examples (tests/docs/docstring_examples.py)
reports what is wrong: an example that fails, a result shown wrongly, a marker without a
reason."""

from __future__ import annotations

from decimal import Decimal

import pytest
from docstring_examples import (
    ExampleFailed,
    literal,
    not_run_problems,
    not_run_reason,
    run_example,
    shown_results,
)


def test_a_failing_example_is_reported_with_its_name_and_line() -> None:
    with pytest.raises(ExampleFailed, match=r"pmo_core.Thing example 1, line 2: 1 / 0"):
        run_example("x = 1\n1 / 0\n", {}, "pmo_core.Thing example 1")


def test_a_wrong_shown_result_is_reported() -> None:
    with pytest.raises(ExampleFailed, match=r"(?s)shows 3.*gives 2"):
        run_example("1 + 1  # 3\n", {}, "pmo_core.add example 1")
    with pytest.raises(ExampleFailed, match="shows 'EUR'"):
        run_example("'USD'\n# 'EUR'\n", {}, "pmo_core.currency example 1")


def test_a_right_shown_result_passes_and_the_namespace_is_kept() -> None:
    namespace = {"Decimal": Decimal}
    run_example(
        "x = Decimal('0.8000')\nx  # Decimal('0.8000')\nx, 2\n# (Decimal('0.8000'), 2)\n",
        namespace,
        "pmo_core.x example 1",
    )
    assert namespace["x"] == Decimal("0.8")


def test_a_decimal_shows_its_places() -> None:
    with pytest.raises(ExampleFailed, match=r"gives Decimal\('0.8'\)"):
        run_example("Decimal('0.8')  # Decimal('0.8000')\n", {"Decimal": Decimal}, "ex")


def test_prose_and_abridged_results_are_not_checked() -> None:
    run_example("1  # the first one\n[1, 2, 3]  # [1, ...]\n", {}, "ex")
    assert shown_results("1  # True while it runs\n") == {}
    assert literal("{'governance': 2, ...}") == (False, None)
    assert literal("Rag.RED") == (True, __import__("pmo_core").Rag.RED)
    assert literal("__import__('os')") == (False, None)


def test_a_shown_exception_must_be_raised() -> None:
    run_example("int('x')  # ValueError: invalid literal\n", {}, "ex")
    with pytest.raises(ExampleFailed, match="shows ValueError, gave 1"):
        run_example("int('1')  # ValueError\n", {}, "ex")
    with pytest.raises(ExampleFailed, match="shows KeyError, raised ValueError"):
        run_example("int('x')  # KeyError\n", {}, "ex")


def test_a_raise_statement_builds_the_exception_and_goes_on() -> None:
    namespace: dict[str, object] = {}
    run_example("raise ValueError('bad')\nafter = True\n", namespace, "ex")
    assert namespace["after"] is True
    with pytest.raises(ExampleFailed, match="not an exception"):
        run_example("raise 1\n", {}, "ex")


def test_a_marker_without_a_reason_is_reported() -> None:
    assert not_run_reason("# not run: needs a Redmine server\nconnect()\n") == (
        "needs a Redmine server"
    )
    assert not_run_reason("# not run\nconnect()\n") == ""
    assert not_run_reason("connect()\n") is None
    problems = not_run_problems(
        {"pmo_core.A": ["# not run\nx\n"], "pmo_core.B": ["# not run: needs a server\nx\n"]}
    )
    assert problems == [
        "pmo_core.A example 1: '# not run' needs a reason ('# not run: needs a server')"
    ]


def test_a_result_followed_by_prose_is_checked() -> None:
    run_example("1 > 2  # False: one is less\n", {}, "ex")
    with pytest.raises(ExampleFailed, match="shows True"):
        run_example("1 > 2  # True: it expired on 30 June\n", {}, "ex")
    run_example("{'a': 1}  # {'a': 1}: a dict\n", {}, "ex")
