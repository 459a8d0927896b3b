"""A real headless Chromium over the HTML reports: the session's ``browser`` (tests/conftest.py:
the system's Chromium, driven by Playwright, which never downloads one of its own).

Without the browser (or Playwright) the tests skip with the reason; in CI that skip fails the
run (tox sets ``PMO_FAIL_ON_SKIP``). Screenshots go to ``PMO_SCREENSHOT_DIR`` (CI keeps them),
else to a temporary directory.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_visit import Visit

ROOT = Path(__file__).resolve().parents[2]
# The sample portfolio the report plugin's own tests use: hostile names, programs, a
# watermelon, a late forecast, milestones, RAID items, a killed and a proposed project.
sys.path.insert(0, str(ROOT / "plugins" / "pmo-reports" / "tests"))


@pytest.fixture
def visit(browser: Any) -> Iterator[Callable[..., Visit]]:
    """Open a local file in a fresh page: ``visit(path, color_scheme="dark", media="print")``."""
    opened: list[Any] = []

    def open_file(path: Path, **media: str) -> Visit:
        context = browser.new_context(viewport={"width": 1200, "height": 900})
        opened.append(context)
        page = context.new_page()
        seen = Visit(page=page, url=path.resolve().as_uri())

        def gate(route: Any) -> None:
            # The page itself may load; anything else (another file, any URL) is recorded
            # and refused, so a test sees what the page would have fetched.
            if route.request.url == seen.url:
                route.continue_()
            else:
                seen.outside.append(route.request.url)
                route.abort()

        page.route("**/*", gate)
        page.on("console", lambda m: m.type == "error" and seen.console.append(m.text))
        page.on("pageerror", lambda e: seen.errors.append(str(e)))
        if media:
            page.emulate_media(**media)
        page.goto(seen.url, wait_until="load")
        return seen

    yield open_file
    for context in opened:
        context.close()
