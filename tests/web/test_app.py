"""The web view through Starlette's TestClient: every route, the two dates, the errors, the
read-only guard and the security headers."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import pmo_web
import pytest
from pmo_web import create_app
from starlette.testclient import TestClient
from web_support import SCRIPT_NAME

from pmo_core import Workspace

ROUTES = [
    "/",
    "/entity/ALPHA",
    "/entity/PG",
    "/entity/PF",
    "/reports",
    "/reports/board",
    "/reports/board/ALPHA",
    "/reports/portfolio-summary",
    "/reports/portfolio-summary/PF",
    "/reports/project-status/ALPHA",
]
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'"


def client_for(path: Path, **kwargs: Any) -> TestClient:
    return TestClient(create_app(path, **kwargs), base_url="http://localhost")


@pytest.fixture
def client(web_workspace: Path) -> TestClient:
    return client_for(web_workspace)


def stored(path: Path) -> tuple[list[Any], list[Any]]:
    """The journal and every stored entity and status report, to compare before and after."""
    with Workspace.open(path) as ws:
        journal = [(e.seq, e.kind, e.id, e.op) for e in ws.journal()]
        view = ws.view()
        documents = [e.model_dump(mode="json") for e in view.entities(include_archived=True)]
        documents += [
            r.model_dump(mode="json")
            for e in view.entities()
            for r in view.status_reports(e.id, kind=None)
        ]
    return journal, documents


def assert_headers(response: Any) -> None:
    assert response.headers["content-security-policy"] == CSP
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"


# -------------------------------------------------------------------------- the pages


@pytest.mark.parametrize("route", ROUTES)
def test_every_route_answers_get_and_head(client: TestClient, route: str) -> None:
    got = client.get(route)
    assert got.status_code == 200, got.text
    assert got.headers["content-type"] == "text/html; charset=utf-8"
    assert_headers(got)
    head = client.head(route)
    assert head.status_code == 200
    assert head.content == b""


def test_tree_nests_portfolios_programs_projects_with_colours(client: TestClient) -> None:
    html = client.get("/").text
    # Nested in that order, each linking to its page.
    positions = [html.index(f'href="/entity/{key}"') for key in ("PF", "PG", "ALPHA", "BETA")]
    assert positions == sorted(positions)
    assert html.index("</ul>", positions[2]) < positions[3]  # BETA is PF's, not PG's
    alpha = html[html.index('href="/entity/ALPHA"') - 200 : html.index('href="/entity/ALPHA"')]
    assert '<span class="rag rag-red">red</span>' in alpha  # the word and the colour
    assert "reported 2025-03-31" in html
    assert html.count("no report") == 4  # PF, PG, BETA and LONE have none
    assert 'href="/entity/LONE"' in html
    assert "(proposed" in html
    assert '<form class="dates-form" method="get" action="/">' in html
    assert "<script" not in html


def test_hostile_names_are_text_on_every_page(client: TestClient) -> None:
    for route in ROUTES:
        html = client.get(route).text
        assert "<script>alert(1)</script>" not in html, route
        assert "<script" not in html.lower(), route
    tree = client.get("/").text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in tree
    assert "=HYPERLINK(&#34;x&#34;)" in tree  # escaped, and shown as the text it is
    assert SCRIPT_NAME not in client.get("/entity/PF").text


def test_project_page_shows_project_status(client: TestClient) -> None:
    html = client.get("/entity/ALPHA").text
    # pmo-reports' own HTML document, whole, with the navigation bar first in its body.
    assert html.startswith("<!doctype html>")
    assert html.count("<html") == 1
    assert "<h1>Project status: ALPHA — Alpha</h1>" in html
    body = html[html.index("<body>") :]
    assert body.index('class="pmo-nav"') < body.index("<h1>Project status")
    assert 'href="/reports/project-status/ALPHA?format=json"' in html
    assert 'href="/reports/project-status/ALPHA?format=md"' in html
    assert 'href="/reports/board/ALPHA"' in html  # another report over this project
    # Breadcrumbs: the portfolio, the program, the project.
    assert re.search(r'href="/entity/PF".*href="/entity/PG".*href="/entity/ALPHA"', html, re.S)


@pytest.mark.parametrize("key", ["PF", "PG"])
def test_portfolio_and_program_pages_show_portfolio_summary(client: TestClient, key: str) -> None:
    html = client.get(f"/entity/{key}").text
    kind = "Portfolio" if key == "PF" else "Program"
    assert f"<h1>{kind} summary: {key} — " in html  # pmo-reports' HTML document
    assert f'href="/reports/portfolio-summary/{key}?format=json"' in html


def test_dashboards_with_an_html_format_are_the_report_s_own_document(html_workspace: Path) -> None:
    client = client_for(html_workspace)
    html = client.get("/entity/ALPHA").text
    # The report's document, whole, with the bar as the first thing in its body.
    assert html.startswith("<!doctype html><html><head><meta charset='utf-8'><title>Board")
    assert "<style>h1 { color: #123456; }</style>" in html
    assert html.count("<html") == 1
    assert html.count("<body") == 1
    body = html[html.index("<body class='board'>") :]
    assert body.index('class="pmo-nav"') < body.index("<h1>Board on")
    assert 'href="/reports/project-status/ALPHA?format=md"' in body
    assert "<li>ALPHA Alpha: red</li>" in html
    portfolio = client.get("/entity/PF").text
    assert "<li>PF &lt;script&gt;alert(1)&lt;/script&gt;: none</li>" in portfolio


def test_entity_page_without_a_dashboard_plugin_shows_the_entity(tmp_path: Path) -> None:
    with Workspace.init(tmp_path / "bare") as ws:
        ws.create("project", id="ALPHA", name="Alpha")
        ws.report_status("ALPHA", overall="amber", summary="x")
    html = client_for(tmp_path / "bare").get("/entity/ALPHA").text
    assert "No dashboard: no enabled plugin provides the report &#39;project-status&#39;" in html
    assert '<span class="rag rag-amber">amber</span>' in html


def test_reports_list_names_each_report_its_plugin_and_formats(client: TestClient) -> None:
    html = client.get("/reports").text
    for name, plugin in [
        ("board", "webtest"),
        ("boom", "webtest"),
        ("portfolio-summary", "reports"),
        ("project-status", "reports"),
    ]:
        assert re.search(rf">{name}<.*?<td>{plugin}</td>", html, re.S), name
    # PMO-wide reports open from here; a project-only report from its project's page.
    assert 'href="/reports/board"' in html
    assert 'href="/reports/board?format=xlsx"' in html
    assert 'href="/reports/project-status"' not in html


FORMATS = {
    "html": ("text/html; charset=utf-8", None),
    "md": ("text/markdown; charset=utf-8", None),
    "json": ("application/json; charset=utf-8", None),
    "csv": ("text/csv; charset=utf-8", 'attachment; filename="board-ALPHA-2025-02-15.csv"'),
    "xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        'attachment; filename="board-ALPHA-2025-02-15.xlsx"',
    ),
}


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_report_in_each_format(client: TestClient, fmt: str) -> None:
    got = client.get(f"/reports/board/ALPHA?format={fmt}&status_date=2025-02-15")
    assert got.status_code == 200, got.text
    media, disposition = FORMATS[fmt]
    assert got.headers["content-type"] == media
    assert got.headers.get("content-disposition") == disposition
    assert_headers(got)
    if fmt == "json":
        assert got.json() == {"status_date": "2025-02-15", "rows": [["ALPHA", "Alpha", "green"]]}
    if fmt == "xlsx":
        assert got.content == b"PK\x03\x04 a workbook"


def test_pmo_wide_report_and_its_page(client: TestClient) -> None:
    rows = client.get("/reports/board?format=json").json()["rows"]
    assert [r[0] for r in rows] == ["ALPHA", "BETA", "LONE"]
    page = client.get("/reports/portfolio-summary").text
    assert "<h1>PMO summary</h1>" in page  # pmo-reports' HTML document


# ------------------------------------------------------------------------ the two dates


def test_status_date_is_the_data_date(client: TestClient) -> None:
    january = client.get("/?status_date=2025-02-15").text
    assert '<span class="rag rag-green">green</span>' in january
    assert "reported 2025-01-31" in january
    assert "reported 2025-03-31" not in january
    assert 'value="2025-02-15"' in january  # the form shows the date shown
    # Links keep the date: the project's page is about the same day.
    assert 'href="/entity/ALPHA?status_date=2025-02-15"' in january
    before = client.get("/entity/ALPHA?status_date=2025-02-15").text
    after = client.get("/entity/ALPHA?status_date=2025-04-30").text
    assert "Reported in the status report of 2025-01-31" in before
    assert "Reported in the status report of 2025-03-31" in after
    assert "status date 2025-02-15" in before
    earlier = client.get("/reports/board/ALPHA?format=md&status_date=2025-02-15").text
    assert "- ALPHA Alpha: green" in earlier
    assert "- ALPHA Alpha: red" in client.get("/reports/board/ALPHA?format=md").text


def test_as_of_is_the_knowledge_moment(web_workspace: Path) -> None:
    with Workspace.open(web_workspace) as ws:
        before_rename = list(ws.store.transactions())[-1].at
        ws.update("ALPHA", name="Alpha renamed")
    client = client_for(web_workspace)
    moment = before_rename.isoformat()
    then = client.get("/", params={"as_of": moment}).text
    now = client.get("/").text
    assert "Alpha renamed" in now
    assert "Alpha renamed" not in then
    assert "as known at" in then
    assert "as known now" in now
    # Before the workspace held anything, nothing was known; a page says so.
    assert (
        "No portfolio, program or project was known then." in client.get("/?as_of=2000-01-01").text
    )
    early = client.get("/entity/ALPHA?as_of=2000-01-01")
    assert early.status_code == 404
    assert "was not yet recorded as known at 2000-01-01" in early.text


def test_create_app_dates_are_defaults_a_request_overrides(web_workspace: Path) -> None:
    client = client_for(web_workspace, status_date=date(2025, 2, 15))
    assert "status date 2025-02-15" in client.get("/").text
    assert '<span class="rag rag-green">green</span>' in client.get("/").text
    assert "status date 2025-04-01" in client.get("/?status_date=2025-04-01").text
    # The empty fields of the form mean the defaults.
    assert "status date 2025-02-15" in client.get("/?status_date=&as_of=").text
    old = client_for(web_workspace, as_of=date(2000, 1, 1))
    assert "No portfolio, program or project was known then." in old.get("/").text


# ------------------------------------------------------------------------------ errors


@pytest.mark.parametrize(
    ("route", "parameter"),
    [
        ("/?status_date=2025-13-01", "status_date"),
        ("/entity/ALPHA?status_date=yesterday", "status_date"),
        ("/?as_of=soon", "as_of"),
        ("/reports/board?format=pdf", "format"),
        ("/reports/board/ALPHA?format=", "format"),
        ("/reports/project-status", "scope"),
        ("/reports/project-status/PF", "scope"),
        ("/reports/board?format=%3Cscript%3E", "format"),
    ],
)
def test_a_bad_parameter_is_400_naming_it(client: TestClient, route: str, parameter: str) -> None:
    got = client.get(route)
    assert got.status_code == 400
    assert f"Parameter <code>{parameter}</code>:" in got.text
    assert "<script" not in got.text
    assert_headers(got)


@pytest.mark.parametrize(
    ("route", "says"),
    [
        ("/entity/NOPE", "no portfolio, program or project &#39;NOPE&#39;"),
        ("/reports/nope", "no report &#39;nope&#39;"),
        ("/reports/board/NOPE", "no portfolio, program or project &#39;NOPE&#39;"),
        ("/nowhere", "No such page."),
        ("/entity/ALPHA/more", "No such page."),
        ("/entity/%3Cscript%3Ealert(1)", "&#39;&lt;script&gt;alert(1)&#39;"),
    ],
)
def test_unknown_is_404(client: TestClient, route: str, says: str) -> None:
    got = client.get(route)
    assert got.status_code == 404
    assert says in got.text
    assert "<script" not in got.text
    assert_headers(got)


def test_a_failing_report_is_500_naming_its_plugin_without_traceback(client: TestClient) -> None:
    for route in ("/reports/boom", "/reports/boom?format=md", "/reports/boom/ALPHA"):
        got = client.get(route)
        assert got.status_code == 500
        assert "The plugin <code>webtest</code> failed:" in got.text
        assert "RuntimeError: kaboom" in got.text
        assert "Traceback" not in got.text
        assert 'File "' not in got.text
        assert_headers(got)


# ------------------------------------------------------------------------- read-only


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE", "OPTIONS"])
def test_every_method_but_get_and_head_is_405_and_writes_nothing(
    web_workspace: Path, method: str
) -> None:
    client = client_for(web_workspace)
    before = stored(web_workspace)
    for route in [*ROUTES, "/nowhere"]:
        got = client.request(method, route, content=b"name=x", headers={"Origin": "http://evil"})
        assert got.status_code == 405, route
        assert got.headers["allow"] == "GET, HEAD"
        assert "access-control-allow-origin" not in got.headers
        assert_headers(got)
    assert stored(web_workspace) == before


def test_reading_every_page_writes_nothing(web_workspace: Path) -> None:
    client = client_for(web_workspace)
    before = stored(web_workspace)
    for route in ROUTES:
        client.get(route)
        client.get(route + "?status_date=2025-02-15&as_of=2030-01-01")
    assert stored(web_workspace) == before


def test_only_loopback_host_names_are_answered(web_workspace: Path) -> None:
    app = create_app(web_workspace)
    for host in ("localhost", "127.0.0.1", "localhost:8400", "127.0.0.1:8400"):
        assert TestClient(app, base_url=f"http://{host}").get("/").status_code == 200, host
    rebound = TestClient(app, base_url="http://attacker.example").get("/")
    assert rebound.status_code == 400
    assert_headers(rebound)
    anywhere = create_app(web_workspace, allowed_hosts=None)
    assert TestClient(anywhere, base_url="http://pmo.intra").get("/").status_code == 200


def test_no_cors(client: TestClient) -> None:
    got = client.get("/", headers={"Origin": "http://evil.example"})
    assert not [h for h in got.headers if h.startswith("access-control-")]


# ------------------------------------------------------------------ the package itself


def test_public_names_have_a_docstring_with_an_example() -> None:
    for name in pmo_web.__all__:
        doc = getattr(pmo_web, name).__doc__ or ""
        assert "Example::" in doc, name


def test_pages_mounted_under_a_path_link_under_it(web_workspace: Path) -> None:
    from starlette.applications import Starlette
    from starlette.routing import Mount

    outer = Starlette(routes=[Mount("/pmo", app=create_app(web_workspace))])
    client = TestClient(outer, base_url="http://localhost")
    tree = client.get("/pmo/").text
    assert 'href="/pmo/entity/ALPHA"' in tree
    assert 'action="/pmo/"' in tree
    assert client.get("/pmo/entity/ALPHA").status_code == 200
    assert client.post("/pmo/").status_code == 405


def test_a_report_is_byte_for_byte_what_the_workspace_renders(web_workspace: Path) -> None:
    got = client_for(web_workspace).get(
        "/reports/project-status/ALPHA?format=json&status_date=2025-02-15"
    )
    with Workspace.open(web_workspace) as ws:
        expected = ws.report(
            "project-status", "ALPHA", format="json", status_date=date(2025, 2, 15)
        ).content
    assert got.text == expected
