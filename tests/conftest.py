"""What every test tree shares: in CI (``PMO_FAIL_ON_SKIP=1``, set by tox) a skipped test fails
the run, so a first-party plugin or a tool missing from the test environment cannot pass as
green by skipping the tests that need it."""

from __future__ import annotations

import os

import pytest

_skipped: list[str] = []


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.skipped:
        _skipped.append(report.nodeid)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if os.environ.get("PMO_FAIL_ON_SKIP") == "1" and _skipped and exitstatus == 0:
        shown = ", ".join(_skipped[:5]) + (", ..." if len(_skipped) > 5 else "")
        print(f"\nerror: {len(_skipped)} test(s) skipped with PMO_FAIL_ON_SKIP=1: {shown}")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
