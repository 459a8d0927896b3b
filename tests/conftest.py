"""What every test tree shares: in CI (``PMO_FAIL_ON_SKIP=1``, set by tox) a skipped test fails
the run, so a first-party plugin or a tool missing from the test environment cannot pass as
green by skipping the tests that need it; the ``plugins`` marker, which deselects a test that
needs a first-party distribution in the core-only run (``tox -e core-only``); and the one
headless browser the browser tests of every tree drive."""

from __future__ import annotations

import importlib.metadata
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

# Property tests check behaviour, not speed (that is the benchmarks'): no per-example deadline,
# and no "too slow" health check, which a loaded CI machine trips on data generation alone.
# tests/fuzz loads its own profiles on top of this one.
settings.register_profile(
    "pmo", deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=False
)
settings.load_profile("pmo")

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

ROOT = Path(__file__).resolve().parents[1]
#: Every distribution of this repository a test may need: the first-party plugins and the
#: examples. A name the ``plugins`` marker gives must be one of them (a typo must not deselect).
DISTRIBUTIONS = frozenset(
    p.parent.name
    for p in (*ROOT.glob("plugins/*/pyproject.toml"), *ROOT.glob("examples/*/pyproject.toml"))
)
#: Test modules (and trees) that import a first-party plugin as they load, so that without it
#: they cannot even be collected: left out of a run that lacks it, as the marker would.
NEEDS_AT_IMPORT = {
    ROOT / "tests" / path: distributions
    for path, distributions in {
        "web": ("pmo-web",),
        "browser/test_report_pages.py": ("pmo-reports",),
        "integration/test_methodologies_rollup.py": (
            "pmo-hybrid",
            "pmo-kanban",
            "pmo-prince2",
            "pmo-reports",
            "pmo-scrum",
        ),
        "integration/test_metrics_batched_demo.py": ("pmo-demo",),
        "integration/test_metrics_one_service.py": ("pmo-reports",),
    }.items()
}


#: The first-party plugins the SDK docs show (their pages, commands and reference): the docs
#: tests need them all, as the docs build does (tox -e docs).
DOCS_PLUGINS = (
    "pmo-governance", "pmo-stage-gate", "pmo-scrum", "pmo-kanban", "pmo-benefits",
    "pmo-prince2", "pmo-hybrid", "pmo-csv", "pmo-json", "pmo-reports", "pmo-knowledge",
    "pmo-resources", "pmo-strategy", "pmo-demo",
)  # fmt: skip
#: Whole trees and modules whose every test needs plugins: each of their tests is marked
#: ``plugins(...)`` as it is collected, as if written on it.
NEEDS_IN_TREE = {
    ROOT / "tests" / "docs": DOCS_PLUGINS,
    ROOT / "tests" / "browser" / "test_docs_site.py": DOCS_PLUGINS,
    # The walk over every command, the core's and the first-party plugins'.
    ROOT / "tests" / "meta" / "test_cli_vocabulary.py": DOCS_PLUGINS,
}


def _core_only() -> bool:
    """The core-only run (``PMO_CORE_ONLY=1``, set by ``tox -e core-only``)."""
    return os.environ.get("PMO_CORE_ONLY") == "1"


def _missing(distributions: tuple[str, ...]) -> list[str]:
    missing = []
    for name in distributions:
        try:
            importlib.metadata.distribution(name)
        except importlib.metadata.PackageNotFoundError:
            missing.append(name)
    return missing


def _left_out() -> bool:
    """Whether a test needing a missing distribution is deselected: always in the core-only run
    and in a developer's partial install; never in the full CI run (``PMO_FAIL_ON_SKIP=1``
    without ``PMO_CORE_ONLY``), where it skips instead and the skip fails the run, so the marker
    can never hide a test there."""
    return _core_only() or os.environ.get("PMO_FAIL_ON_SKIP") != "1"


def pytest_configure(config: pytest.Config) -> None:
    if not _core_only():
        return
    # The core-only run must really have no first-party plugin, or it proves nothing.
    installed = sorted(d for d in DISTRIBUTIONS if not _missing((d,)))
    if installed:
        raise pytest.UsageError(
            f"PMO_CORE_ONLY=1 but first-party distributions are installed: {', '.join(installed)}"
        )


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    needed = NEEDS_AT_IMPORT.get(collection_path)
    if needed and _missing(needed) and _left_out():
        return True
    return None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """``@pytest.mark.plugins("pmo-csv", ...)``: the test needs these distributions. Without
    them it is deselected (the core-only run), or in the full CI run it skips, which fails."""
    kept: list[pytest.Item] = []
    deselected: list[pytest.Item] = []
    for item in items:
        for tree, distributions in NEEDS_IN_TREE.items():
            if item.path == tree or tree in item.path.parents:
                item.add_marker(pytest.mark.plugins(*distributions))
        needed = tuple(name for mark in item.iter_markers("plugins") for name in mark.args)
        unknown = sorted(set(needed) - DISTRIBUTIONS)
        if unknown:
            raise pytest.UsageError(
                f"{item.nodeid}: @pytest.mark.plugins names no distribution of this repository:"
                f" {', '.join(unknown)}"
            )
        missing = _missing(needed)
        if not missing:
            kept.append(item)
        elif _left_out():
            deselected.append(item)
        else:
            kept.append(item)
            item.add_marker(pytest.mark.skip(reason=f"needs {', '.join(missing)}: not installed"))
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = kept


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
