"""The web view in a real browser: ``pmo serve``'s server on a free loopback port and a
headless Chromium. Pages open with no console error, no page error and no request outside
the server's origin; links lead from the tree to a project; a screenshot of each page is
written to ``PMO_SCREENSHOT_DIR`` (default: a directory in the test's tmp_path)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from web_support import LiveServer

PNG = b"\x89PNG\r\n\x1a\n"


class Watched:
    """A page whose console errors, uncaught errors and off-origin requests are recorded;
    the off-origin ones are also blocked."""

    def __init__(self, browser: Any, origin: str) -> None:
        self.page = browser.new_page(viewport={"width": 1100, "height": 800})
        self.errors: list[str] = []
        self.outside: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        wanted = urlsplit(origin)[:2]

        def gate(route: Any) -> None:
            if urlsplit(route.request.url)[:2] != wanted:
                self.outside.append(route.request.url)
                route.abort()
            else:
                route.continue_()

        self.page.route("**/*", gate)

    def shot(self, directory: Path, name: str) -> Path:
        path = directory / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        assert path.read_bytes()[:8] == PNG
        return path

    def clean(self) -> None:
        assert self.errors == []
        assert self.outside == []


@pytest.fixture
def watched(browser: Any, live_server: LiveServer) -> Iterator[Watched]:
    page = Watched(browser, live_server.origin)
    yield page
    page.page.close()


def test_tree_page(watched: Watched, live_server: LiveServer, screenshots: Path) -> None:
    response = watched.page.goto(live_server.url, wait_until="load")
    assert response is not None
    assert response.status == 200
    assert watched.page.title() == "HTML PMO · pmo"
    assert watched.page.locator("ul.tree a.key").all_inner_texts() == [
        "PF",
        "PG",
        "ALPHA",
        "BETA",
        "LONE",
    ]
    # The hostile name is shown as the text it is, and ran nothing.
    assert "<script>alert(1)</script>" in watched.page.locator("ul.tree").inner_text()
    watched.shot(screenshots, "tree")
    watched.clean()


def test_click_from_the_tree_to_a_project(
    watched: Watched, live_server: LiveServer, screenshots: Path
) -> None:
    watched.page.goto(live_server.url, wait_until="load")
    watched.page.click("a.key >> text=ALPHA")
    watched.page.wait_for_load_state("load")
    assert watched.page.url == f"{live_server.origin}/entity/ALPHA"
    assert watched.page.locator("h1").inner_text() == "Board on " + _today()
    assert watched.page.locator("li").all_inner_texts() == ["ALPHA Alpha: red"]
    # The bar over the report leads back, and to the report's other formats.
    assert watched.page.locator(".pmo-nav a", has_text="md").count() == 1
    watched.shot(screenshots, "entity-ALPHA")
    watched.page.click(".pmo-nav a >> text=Portfolio tree")
    watched.page.wait_for_load_state("load")
    assert watched.page.url == f"{live_server.origin}/"
    watched.clean()


def test_status_date_form_changes_the_date(watched: Watched, live_server: LiveServer) -> None:
    watched.page.goto(live_server.url, wait_until="load")
    watched.page.fill("input[name=status_date]", "2025-02-15")
    watched.page.click("button[type=submit]")
    watched.page.wait_for_load_state("load")
    assert "status_date=2025-02-15" in watched.page.url
    assert "green" in watched.page.locator("ul.tree li").first.inner_text()
    watched.clean()


def test_reports_and_a_report_page(
    watched: Watched, live_server: LiveServer, screenshots: Path
) -> None:
    watched.page.goto(f"{live_server.url}reports", wait_until="load")
    assert watched.page.locator("table td a", has_text="board").count() >= 1
    watched.shot(screenshots, "reports")
    watched.page.click("table td a >> text=board")
    watched.page.wait_for_load_state("load")
    assert watched.page.url == f"{live_server.origin}/reports/board"
    assert watched.page.locator("li").count() == 3
    watched.shot(screenshots, "report-board")
    watched.clean()


def test_an_error_page_is_a_page_too(
    watched: Watched, live_server: LiveServer, screenshots: Path
) -> None:
    response = watched.page.goto(f"{live_server.url}?status_date=2025-13-01", wait_until="load")
    assert response is not None
    assert response.status == 400
    assert "Parameter status_date:" in watched.page.locator(".error").inner_text()
    watched.shot(screenshots, "error-400")
    # The browser logs the 400 itself as a failed resource; nothing else may be logged.
    assert [e for e in watched.errors if "status of 400" not in e] == []
    assert watched.outside == []


def _today() -> str:
    from datetime import date

    return date.today().isoformat()
