"""The complete test module that ConnectorConformance's documentation gives (a read-only
connector of projects in a JSON file) passes every test of the suite, run as pytest runs it;
the same module with a connector that misreads its source fails the test that says so."""

from __future__ import annotations

import inspect
import textwrap

import pytest

from pmo_core.testing import ConnectorConformance

pytest_plugins = ["pytester"]


def _example() -> str:
    doc = inspect.getdoc(ConnectorConformance)
    assert doc is not None
    return textwrap.dedent(doc.split("Example::", 1)[1])


def _suite_size() -> int:
    """The suite's tests as pytest collects them (a parametrized one counts each case)."""
    size = 0
    for name in dir(ConnectorConformance):
        if name.startswith("test_"):
            marks = getattr(getattr(ConnectorConformance, name), "pytestmark", [])
            cases = [len(m.args[1]) for m in marks if m.name == "parametrize"]
            size += cases[0] if cases else 1
    return size


def test_the_documented_example_passes_every_test_of_the_suite(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_projects_json=_example())

    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-q")

    result.assert_outcomes(passed=_suite_size())
    assert _suite_size() >= 12


def test_a_connector_that_reads_a_field_the_domain_lacks_fails_the_well_formed_test(
    pytester: pytest.Pytester,
) -> None:
    """The suite names the field and the place it came from."""
    module = _example().replace(
        'yield SourceItem(kind="project", remote_id=key, data=data, where=request.location)',
        'yield SourceItem(kind="project", remote_id=key, data={**data, "start": "2025-01-06"},'
        " where=request.location)",
    )
    assert module != _example()
    pytester.makepyfile(test_projects_json=module)

    result = pytester.runpytest_subprocess(
        "-p", "no:cacheprovider", "-q", "-k", "test_the_items_read_are_well_formed"
    )

    result.assert_outcomes(failed=1)
    result.stdout.re_match_lines(
        [r"E +AssertionError: .*/projects\.json: not domain fields \['start'\]$"]
    )
