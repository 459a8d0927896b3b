"""What every test tree shares: in CI (``PMO_FAIL_ON_SKIP=1``, set by tox) a skipped test fails
the run, so a first-party plugin or a tool missing from the test environment cannot pass as
green by skipping the tests that need it; and the one headless browser the browser tests of
every tree drive."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

#: The system's Chromium (scripts/chromium.sh installs it and sets CHROMIUM_PATH): Playwright
#: never downloads a browser of its own.
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
# No GPU, no shared memory in containers, and nothing that makes the browser call home: the
# browser tests allow no request outside the page. Playwright adds --no-sandbox itself, which
# running as root needs.
CHROMIUM_FLAGS = (
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
)

_skipped: list[str] = []


@pytest.fixture(autouse=True)
def terminal_tables(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tables print as on a terminal 160 columns wide: what the tests check is what a user
    sees (the captured output is not a terminal, where tables are tab-separated). A test of
    the piped layout sets ``PMO_TABLES=tsv`` or removes the variable."""
    monkeypatch.setenv("PMO_TABLES", "aligned")
    monkeypatch.setenv("COLUMNS", "160")


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.skipped:
        _skipped.append(report.nodeid)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if os.environ.get("PMO_FAIL_ON_SKIP") == "1" and _skipped and exitstatus == 0:
        shown = ", ".join(_skipped[:5]) + (", ..." if len(_skipped) > 5 else "")
        print(f"\nerror: {len(_skipped)} test(s) skipped with PMO_FAIL_ON_SKIP=1: {shown}")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.fixture(scope="session")
def screenshots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where full-page screenshots go: ``PMO_SCREENSHOT_DIR`` or a temporary directory."""
    chosen = os.environ.get("PMO_SCREENSHOT_DIR")
    path = Path(chosen) if chosen else tmp_path_factory.mktemp("screenshots")
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """A headless Chromium through Playwright, one for the whole session: Playwright's sync API
    runs one session per process, so the browser tests of every tree (tests/browser,
    tests/web) share it. Without the browser or Playwright the tests skip, saying why (in CI
    the skip fails the run)."""
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"no browser at {CHROMIUM}: run scripts/chromium.sh (sets CHROMIUM_PATH)")
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="playwright is not installed: pip install 'pmo-reports[test]'"
    )
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=list(CHROMIUM_FLAGS))
        yield chromium
        chromium.close()
