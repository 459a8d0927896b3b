"""Fixtures of the web view's tests: workspaces on disk with hostile names and status reports
on two dates, a test report plugin installed for real (an HTML report, every other format,
and one that raises), and for the browser tests a real server and a headless Chromium."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from web_support import FORMULA_NAME, SCRIPT_NAME, LiveServer

from pmo_core import Workspace

# A report plugin the tests install: ``board`` has every format, ``html`` first; ``boom``
# always raises.
BOARD_PLUGIN = """
import html
import json

from pmo_core import PmoReport, ReportOutput, hookimpl


def rows(request):
    view = request.view
    keys = [request.scope.id] if request.scope else [p.id for p in view.projects()]
    for key in keys:
        latest = view.latest_status(key)
        yield key, view.entity(key).name, latest.overall.value if latest else "none"


def board(request):
    found = list(rows(request))
    day = request.status_date.isoformat()
    if request.format == "html":
        items = "".join(
            f"<li>{html.escape(k)} {html.escape(n)}: {c}</li>" for k, n, c in found
        )
        return ReportOutput(
            content=(
                "<!doctype html><html><head><meta charset='utf-8'><title>Board</title>"
                "<style>h1 { color: #123456; }</style></head>"
                f"<body class='board'><h1>Board on {day}</h1><ul>{items}</ul></body></html>"
            ),
            media_type="text/html",
        )
    if request.format == "json":
        data = {"status_date": day, "rows": [list(r) for r in found]}
        return ReportOutput(content=json.dumps(data), media_type="application/json")
    if request.format == "csv":
        lines = ["key,overall"] + [f"{k},{c}" for k, _, c in found]
        return ReportOutput(content="\\n".join(lines) + "\\n", media_type="text/csv")
    if request.format == "xlsx":
        return ReportOutput(
            content=b"PK\\x03\\x04 a workbook",
            media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    text = "\\n".join(f"- {k} {n}: {c}" for k, n, c in found)
    return ReportOutput(content=f"# Board on {day}\\n\\n{text}\\n", media_type="text/markdown")


def boom(request):
    raise RuntimeError("kaboom")


@hookimpl
def pmo_reports():
    yield PmoReport(
        name="board",
        summary="Every project's latest colour.",
        scopes=("project", "program", "portfolio", "pmo"),
        formats=("html", "md", "json", "csv", "xlsx"),
        render=board,
    )
    yield PmoReport(
        name="boom", summary="Always fails.", scopes=("project", "pmo"), formats=("md",),
        render=boom,
    )
"""

# Dashboards with an HTML format under the names the entity pages look for (in a workspace
# without pmo-reports, whose reports have these names).
DASHBOARD_PLUGIN = """
from pmo_core import PmoReport, hookimpl
from pmo_webtest import board


@hookimpl
def pmo_reports():
    for name, scopes in (
        ("project-status", ("project",)),
        ("portfolio-summary", ("portfolio", "program", "pmo")),
    ):
        yield PmoReport(
            name=name, summary="A board.", scopes=scopes, formats=("html", "md"), render=board
        )
"""


def populate(ws: Workspace) -> None:
    """PF (a hostile name) > PG (a formula name) > ALPHA (green in January, red in March);
    BETA under PF with no report; LONE with no parent."""
    ws.create("portfolio", id="PF", name=SCRIPT_NAME)
    ws.create("program", id="PG", name=FORMULA_NAME, parent="PF")
    ws.create("project", id="ALPHA", name="Alpha", parent="PG", budget="1000 EUR")
    ws.create("project", id="BETA", name="Beta", parent="PF")
    ws.create("project", id="LONE", name="Lone", lifecycle="proposed")
    ws.report_status("ALPHA", as_of=date(2025, 1, 31), overall="green", summary="On plan.")
    ws.report_status("ALPHA", as_of=date(2025, 3, 31), overall="red", summary="Vendor slipped.")


@pytest.fixture
def board_plugin(fake_distribution: Callable[..., Any]) -> None:
    fake_distribution("pmo-webtest", BOARD_PLUGIN)


@pytest.fixture
def web_workspace(tmp_path: Path, board_plugin: None) -> Path:
    """The starter profile (pmo-reports' Markdown dashboards) and the test report plugin."""
    path = tmp_path / "acme"
    with Workspace.init(path, profile="starter", name="Acme PMO") as ws:
        ws.enable("webtest")
        populate(ws)
    return path


@pytest.fixture
def html_workspace(
    tmp_path: Path, board_plugin: None, fake_distribution: Callable[..., Any]
) -> Path:
    """Dashboards with an HTML format (the test plugin's), no pmo-reports."""
    fake_distribution("pmo-webdash", DASHBOARD_PLUGIN)
    path = tmp_path / "html"
    with Workspace.init(path, name="HTML PMO") as ws:
        ws.enable("webtest", "webdash")
        populate(ws)
    return path


# ------------------------------------------------------------------------ a real server


@pytest.fixture
def live_server(html_workspace: Path) -> Iterator[LiveServer]:
    """``pmo serve``'s server (its config and socket) on a free loopback port, in a thread."""
    import uvicorn
    from pmo_web import create_app
    from pmo_web._cli import bind, server_config

    sock = bind("127.0.0.1", 0)
    port = sock.getsockname()[1]
    server = uvicorn.Server(server_config(create_app(html_workspace), port=port))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        # The socket listens already: a request made before the loop runs waits in its queue.
        yield LiveServer(url=f"http://127.0.0.1:{port}/", origin=f"http://127.0.0.1:{port}")
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


# The headless Chromium (``browser``) is the session's one, from tests/conftest.py.
