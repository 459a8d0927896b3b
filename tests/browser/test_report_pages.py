"""Every HTML report in a real browser: it loads alone (no request outside the file, no
console or page error), its charts are drawn, hostile names read as text and run nothing, and
it renders in the dark theme and for print. A full-page screenshot of each is kept."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pmo_reports
import pytest
from browser_visit import Visit
from report_samples import FORMULA, SCRIPT, TODAY, build_portfolio

from pmo_core import PmoReport, Workspace

# Each report over a scope where it has something to show, with the number of charts it draws
# and the hostile names it shows.
PAGES = [
    ("project-status", "ALPHA", 2, (SCRIPT, FORMULA)),  # the S-curve, the plan's milestones
    # Bubbles, bars, RAG by program, the milestone roadmap, the risk grid.
    ("portfolio-summary", "PF", 5, (SCRIPT, FORMULA)),
    ("portfolio-summary", "ERP", 5, (SCRIPT, FORMULA)),  # RAG by project
    ("portfolio-summary", None, 5, (SCRIPT, FORMULA)),
    ("raid-register", "PF", 1, (SCRIPT, FORMULA)),  # the risk grid
    ("raid-register", "CRM", 1, ()),
    ("roadmap", "PF", 1, (SCRIPT, FORMULA)),  # the Gantt chart
    ("roadmap", "ERP", 1, (SCRIPT, FORMULA)),
    ("evm", "ALPHA", 1, (SCRIPT,)),  # the S-curve
    ("evm", "PF", 0, (SCRIPT, FORMULA)),
    ("pmo-review", None, 0, ()),  # the PMO's KPIs: tables, no chart, no names of its own
]
IDS = [f"{r}-{s or 'pmo'}" for r, s, _, _ in PAGES]
DARK = [pytest.param(*p, id=i) for p, i in zip(PAGES, IDS, strict=True) if p[1] in ("ALPHA", "PF")]
PRINT = [pytest.param(*p, id=i) for p, i in zip(PAGES, IDS, strict=True) if p[1] in ("ALPHA", "PF")]


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Each report written to an HTML file, as ``pmo report ... --output`` would."""
    folder = tmp_path_factory.mktemp("reports")
    found = {}
    with Workspace.in_memory(plugins={"reports": pmo_reports}, today=lambda: TODAY) as ws:
        build_portfolio(ws)
        for report, scope, _, _ in PAGES:
            path = folder / f"{report}-{scope or 'pmo'}.html"
            content = ws.report(report, scope, format="html").content
            assert isinstance(content, str)
            path.write_text(content, encoding="utf-8")
            found[path.stem] = path
    return found


def _shot(seen: Visit, folder: Path, name: str) -> None:
    path = folder / f"{name}.png"
    seen.page.screenshot(path=str(path), full_page=True)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def _assert_alone(seen: Visit) -> None:
    assert seen.outside == []
    assert seen.console == []
    assert seen.errors == []


@pytest.mark.parametrize(("report", "scope", "charts", "names"), PAGES, ids=IDS)
def test_the_page_loads_alone_draws_its_charts_and_shows_names_as_text(
    visit: Callable[..., Visit],
    files: dict[str, Path],
    screenshots: Path,
    report: str,
    scope: str | None,
    charts: int,
    names: tuple[str, ...],
) -> None:
    name = f"{report}-{scope or 'pmo'}"
    seen = visit(files[name])
    page = seen.page

    _assert_alone(seen)
    assert page.locator("script").count() == 0
    svgs = page.locator("figure.chart svg[role=img]")
    assert svgs.count() == charts
    for n in range(charts):
        svg = svgs.nth(n)
        assert svg.get_attribute("aria-label")
        assert svg.locator("title").count() == 1
        # Marks drawn: Vega's mark groups hold the paths, rectangles, lines and text.
        assert svg.locator("g.role-mark > *").count() > 0
        box = svg.bounding_box()
        assert box is not None
        assert box["width"] > 0
        assert box["height"] > 0
    # The hostile names are text a reader sees (in a table cell, a heading, a chart label),
    # not markup that ran.
    for hostile in names:
        assert page.get_by_text(hostile, exact=True).count() > 0, hostile
    _shot(seen, screenshots, name)


@pytest.mark.parametrize(("report", "scope", "charts", "names"), DARK)
def test_the_dark_theme_recolours_the_page_and_the_chart_text(
    visit: Callable[..., Visit],
    files: dict[str, Path],
    screenshots: Path,
    report: str,
    scope: str | None,
    charts: int,
    names: tuple[str, ...],
) -> None:
    name = f"{report}-{scope or 'pmo'}"
    seen = visit(files[name], color_scheme="dark")
    page = seen.page

    _assert_alone(seen)
    background = page.evaluate("getComputedStyle(document.documentElement).backgroundColor")
    assert background == "rgb(21, 24, 28)"
    if charts:
        # SVG presentation attributes lose to CSS: axis labels take the page's ink.
        fill = page.evaluate(
            "getComputedStyle(document.querySelector('.chart .role-axis-label text')).fill"
        )
        assert fill == "rgb(230, 233, 237)"
    _shot(seen, screenshots, f"{name}-dark")


@pytest.mark.parametrize(("report", "scope", "charts", "names"), PRINT)
def test_print_is_black_on_white_with_bordered_tables_and_the_charts_kept(
    visit: Callable[..., Visit],
    files: dict[str, Path],
    screenshots: Path,
    report: str,
    scope: str | None,
    charts: int,
    names: tuple[str, ...],
) -> None:
    name = f"{report}-{scope or 'pmo'}"
    # Printed from a dark system: print wins, no dark background reaches the paper.
    seen = visit(files[name], media="print", color_scheme="dark")
    page = seen.page

    _assert_alone(seen)
    style = page.evaluate(
        """() => {
            const cell = getComputedStyle(document.querySelector('td'));
            return [getComputedStyle(document.documentElement).backgroundColor,
                    getComputedStyle(document.body).color, cell.borderTopStyle,
                    cell.borderTopColor];
        }"""
    )
    assert style == ["rgb(255, 255, 255)", "rgb(0, 0, 0)", "solid", "rgb(0, 0, 0)"]
    svgs = page.locator("figure.chart svg")
    assert svgs.count() == charts
    for n in range(charts):
        assert svgs.nth(n).is_visible()
    _shot(seen, screenshots, f"{name}-print")


def test_markup_slipped_into_a_page_can_load_and_run_nothing(
    visit: Callable[..., Visit], files: dict[str, Path]
) -> None:
    """The page's Content-Security-Policy: an image or a script slipped in can neither fetch
    nor run, so not even an escaping bug could make a report call out."""
    seen = visit(files["portfolio-summary-PF"])
    page = seen.page
    page.evaluate(
        """() => {
            window.refused = [];
            document.addEventListener('securitypolicyviolation',
                (e) => window.refused.push(e.violatedDirective));
            document.body.insertAdjacentHTML('beforeend',
                '<img src="https://evil.example/pixel.png">');
            const fetched = document.createElement('script');
            fetched.src = 'https://evil.example/x.js';
            document.body.appendChild(fetched);
            const inline = document.createElement('script');
            inline.textContent = 'window.ran = true';
            document.body.appendChild(inline);
        }"""
    )
    # The browser reports each refusal as an event: wait for all three.
    page.wait_for_function("window.refused.length >= 3")

    assert seen.outside == []  # refused by the policy before any request was made
    assert page.evaluate("window.ran === undefined")
    assert sorted(page.evaluate("window.refused")) == [
        "img-src",
        "script-src-elem",
        "script-src-elem",
    ]


def test_every_html_report_is_visited() -> None:
    with Workspace.in_memory(plugins={"reports": pmo_reports}) as ws:
        html = {r.name for r in ws.host.records(PmoReport) if "html" in r.formats}
    assert html == {report for report, _, _, _ in PAGES}
