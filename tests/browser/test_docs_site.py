"""The SDK docs site in a real browser: built once with ``mkdocs build --strict``, served on
127.0.0.1, and opened in headless Chromium. A page asks nothing of another host (no web
fonts, no highlighting script from a CDN), logs no console error, shows its code highlighted
when the site was built (Pygments spans), switches to the dark palette with the toggle, and
the site's own search finds "earned value". A full-page screenshot of each page is kept."""

from __future__ import annotations

import functools
import html.parser
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
# The home page, a page made from the code, and a tutorial.
PAGES = {"home": "", "records": "reference/records/", "tutorial": "tutorial/first-plugin/"}


def _build(folder: Path) -> None:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(folder)]
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site, built strictly into a temporary directory, as ``tox -e docs`` builds it.

    Under pytest-xdist the workers share one build (it takes half a minute): the first to get
    here builds it into the run's shared temporary directory, the others wait for it."""
    pytest.importorskip("mkdocs", reason="the docs extra is not installed: pip install '.[docs]'")
    if "PYTEST_XDIST_WORKER" not in os.environ:
        folder = tmp_path_factory.mktemp("site")
        _build(folder)
        return folder
    shared = tmp_path_factory.getbasetemp().parent  # this run's, common to its workers
    folder, built = shared / "docs-site", shared / "docs-site.built"
    failed = shared / "docs-site.failed"
    try:
        os.close(os.open(shared / "docs-site.lock", os.O_CREAT | os.O_EXCL))
    except FileExistsError:
        for _ in range(600):  # another worker is building it
            if built.exists():
                return folder
            if failed.exists():
                pytest.fail("the docs build failed (its error is on another worker's test)")
            time.sleep(0.5)
        pytest.fail("another worker's docs build did not finish in 5 minutes")
    try:
        _build(folder)
    except BaseException:
        failed.touch()
        raise
    built.touch()
    return folder


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass  # a test's output is not a web server's access log


@pytest.fixture(scope="session")
def served(site: Path) -> Iterator[str]:
    """The built site over HTTP on 127.0.0.1 (search and its worker need http, not file)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=site))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


class _Seen:
    def __init__(self) -> None:
        self.requests: list[str] = []
        self.outside: list[str] = []
        self.console: list[str] = []
        self.errors: list[str] = []


@pytest.fixture
def open_page(browser: Any, served: str) -> Iterator[Any]:
    """``open_page(path)``: the page in a fresh light-scheme context, with every request it
    made (those to another host refused and recorded), its console errors and page errors."""
    contexts: list[Any] = []

    def open_(path: str) -> tuple[Any, _Seen]:
        context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme="light")
        contexts.append(context)
        page = context.new_page()
        seen = _Seen()

        def gate(route: Any) -> None:
            if urlsplit(route.request.url).hostname == "127.0.0.1":
                route.continue_()
            else:
                seen.outside.append(route.request.url)
                route.abort()

        context.route("**/*", gate)
        page.on("request", lambda request: seen.requests.append(request.url))
        page.on("console", lambda m: m.type == "error" and seen.console.append(m.text))
        page.on("pageerror", lambda e: seen.errors.append(str(e)))
        page.goto(served + path, wait_until="networkidle")
        return page, seen

    yield open_
    for context in contexts:
        context.close()


def _assert_alone(seen: _Seen) -> None:
    hosts = {urlsplit(url).hostname for url in seen.requests}
    assert hosts == {"127.0.0.1"}, sorted(seen.requests)
    assert seen.outside == []
    assert seen.console == []
    assert seen.errors == []


@pytest.mark.parametrize("name", list(PAGES))
def test_page_loads_alone_with_highlighted_code(
    open_page: Any, screenshots: Path, name: str
) -> None:
    page, seen = open_page(PAGES[name])
    _assert_alone(seen)
    assert page.locator("script[src^='http']").count() == 0
    assert page.locator("link[href^='http'][rel=stylesheet]").count() == 0
    if name != "home":
        # Highlighted when built: Pygments' token spans (keyword, name...) in the blocks.
        assert page.locator(".highlight").count() > 0
        assert page.locator(".highlight code span.k, .highlight code span.n").count() > 0
    # The version, from pmo_core.__version__, in the footer.
    from pmo_core import __version__

    assert f"pmo-core {__version__}" in page.locator("footer").inner_text()
    path = screenshots / f"docs-{name}.png"
    page.screenshot(path=str(path), full_page=True)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_dark_mode_toggle(open_page: Any, screenshots: Path) -> None:
    page, seen = open_page(PAGES["tutorial"])
    scheme = "document.body.getAttribute('data-md-color-scheme')"
    assert page.evaluate(scheme) == "default"
    page.get_by_title("Switch to dark mode").first.click()
    page.wait_for_function(f"{scheme} === 'slate'")
    # The code's colours change with it (the highlighting follows the palette).
    background = page.evaluate(
        "getComputedStyle(document.querySelector('.highlight code')).backgroundColor"
    )
    page.screenshot(path=str(screenshots / "docs-tutorial-dark.png"), full_page=False)
    page.get_by_title("Switch to light mode").first.click()
    page.wait_for_function(f"{scheme} === 'default'")
    light = page.evaluate(
        "getComputedStyle(document.querySelector('.highlight code')).backgroundColor"
    )
    assert background != light
    _assert_alone(seen)


def test_search_finds_earned_value(open_page: Any, screenshots: Path) -> None:
    page, seen = open_page(PAGES["home"])
    # On a wide window the search box is in the header; typing opens the results.
    page.locator("input.md-search__input").click()
    page.keyboard.type("earned value")
    results = page.locator(".md-search-result__item")
    results.first.wait_for(timeout=15_000)
    # Results come as the words are typed ("earned" first): wait for those of the whole query.
    page.wait_for_function(
        "() => (document.querySelector('.md-search-result__item')?.innerText ?? '')"
        ".toLowerCase().includes('earned value')",
        timeout=15_000,
    )
    assert "earned value" in results.first.inner_text().lower()
    page.screenshot(path=str(screenshots / "docs-search.png"), full_page=False)
    # A hook's signature reads as written, not as the HTML it is indexed as.
    page.keyboard.press("Control+A")
    page.keyboard.type("pmo_reports")
    # As above: the results of "pmo_" (another hook first) come before those of the whole name.
    page.wait_for_function(
        "() => [...document.querySelectorAll('.md-search-result__item')].some(i =>"
        " i.innerText.includes('Hook reference') && i.innerText.includes('pmo_reports('))",
        timeout=15_000,
    )
    hook = results.filter(has_text="Hook reference").filter(has_text="pmo_reports(").first
    assert "pmo_reports() -> Iterable[PmoReport]" in hook.inner_text()
    assert "&gt;" not in hook.inner_text()
    _assert_alone(seen)


class _Text(html.parser.HTMLParser):
    # The text a reader sees: what is outside tags, entities decoded.
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


@pytest.mark.parametrize(
    "page",
    ["reference/records/", "reference/api/", "reference/hooks/", "reference/plugins/pmo-csv/"],
)
def test_no_escaped_pipe_shows(site: Path, page: str) -> None:
    # A union type (`A | B`) reads as such: no `\|` left over from escaping a Markdown table.
    parser = _Text()
    parser.feed((site / page / "index.html").read_text("utf-8"))
    text = "".join(parser.parts)
    assert "\\|" not in text
    assert " | None" in text  # the unions are there, unescaped
