"""Every report format against every hostile string: Markdown keeps them inert (no HTML, no
link, no structure of their own, no terminal control), JSON keeps them as data.

The records are written through the store directly, as an older version or another tool
could have written them: the domain now refuses many of these strings on input, but a report
must stay safe whatever the store holds.
"""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date
from html.parser import HTMLParser

import openpyxl
import pmo_reports
import pytest
from report_samples import TODAY

from pmo_core import (
    Approval,
    GateDecision,
    Milestone,
    Portfolio,
    Project,
    RaidItem,
    StatusReport,
    WorkItem,
    Workspace,
)
from pmo_core.testing import HOSTILE_STRINGS

# What must never appear raw in Markdown: control characters (line feed is the report's own),
# bidi controls and Unicode's line separators.
RAW_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]")
UNESCAPED = re.compile(r"(?<!\\)[\[\]`*_~]")
PIPE = re.compile(r"(?<!\\)\|")
# Lines that give Markdown its structure; data must never make one.
STRUCTURE = re.compile(r"^(#{1,6} |[-+*] |[0-9]+[.)] |>| {4}|```|~~~|=+\s*$|-+\s*$|\|)")


def _store(ws: Workspace, text: str) -> None:
    """A portfolio and a project holding ``text`` in every field a report shows, and beside
    them a killed, an on-hold and a proposed project whose lifecycle says ``text`` too."""
    # Who moved an entity through its lifecycle, and why, are text from data as well.
    said = {"lifecycle_on": "2025-04-01", "lifecycle_by": text, "lifecycle_reason": text}
    docs = [
        (
            Portfolio(id="PF", name="Digital").to_document()
            | {"name": text, "lifecycle": "on_hold", **said},
            None,
        ),
        (
            Project(
                id="ALPHA",
                name="Alpha",
                parent="PF",
                budget="3000 EUR",
                phase="build",
                planned_start=date(2025, 1, 1),
                planned_finish=date(2025, 12, 31),
            ).to_document()
            | {"name": text, "phase": text, "manager": text, "sponsor": text},
            "PF",
        ),
        (
            WorkItem(
                project="ALPHA",
                subject="Build",
                budget="3000 EUR",
                percent_complete=50,
                start=date(2025, 1, 1),
                due=date(2025, 12, 31),
                actual_cost="1000 EUR",
            ).to_document()
            | {"subject": text},
            "ALPHA",
        ),
        (
            Milestone(project="ALPHA", name="Go live", due=date(2025, 6, 1)).to_document()
            | {"name": text},
            "ALPHA",
        ),
        (
            RaidItem(type="risk", entity="ALPHA", title="t", probability=5, impact=5).to_document()
            | {"title": text, "owned_by": text, "response": text},
            "ALPHA",
        ),
        (
            StatusReport(
                entity="ALPHA", as_of=date(2025, 4, 1), overall="green", author="pat"
            ).to_document()
            | {
                "summary": text,
                "achievements": [text, "Plain"],
                "next_steps": [text],
                "author": text,
            },
            "ALPHA",
        ),
        (
            GateDecision(
                entity="ALPHA",
                gate="g1",
                decision="go",
                decided_on=date(2025, 3, 1),
                decided_by="board",
                approvals=[Approval(approver="dana", approve=True)],
            ).to_document()
            | {
                "gate": text,
                "next_phase": text,
                "decided_by": text,
                "approvals": [{"approver": text, "role": text, "approve": True}],
            },
            "ALPHA",
        ),
    ]
    kinds = ("portfolio", "project", "work_item", "milestone", "raid", "status_report")
    others = [
        Project(id=key, name="Other", parent="PF", budget="10 EUR").to_document()
        | {"name": text, "lifecycle": state, **said}
        for key, state in (("BETA", "killed"), ("HELD", "on_hold"), ("IDEA", "proposed"))
    ]
    with ws.transaction("written by an older tool") as tx:
        for kind, (doc, owner) in zip((*kinds, "gate_decision"), docs, strict=True):
            tx.insert(kind, doc["id"], doc, owner=owner)
        for doc in others:
            tx.insert("project", doc["id"], doc, owner="PF")


def _render(text: str, report: str, scope: str, fmt: str) -> str:
    content = _render_any(text, report, scope, fmt)
    assert isinstance(content, str)
    return content


def _render_any(text: str, report: str, scope: str, fmt: str) -> str | bytes:
    with Workspace.in_memory(plugins={"reports": pmo_reports}, today=lambda: TODAY) as ws:
        _store(ws, text)
        return ws.report(report, scope, format=fmt).content


def _shape(markdown: str) -> list[str]:
    """The report's structure: its headings, list items, table rows (by their cell count)
    and other block-opening lines, data left out."""
    shape = []
    for line in markdown.splitlines():
        if line.startswith("|"):
            shape.append(f"table row of {len(PIPE.findall(line))} pipes")
        elif line.startswith("#"):
            shape.append(line.split(" ", 1)[0])  # the level, not the title
        elif STRUCTURE.match(line):
            shape.append(line[:2])
    return shape


REPORTS = [("project-status", "ALPHA"), ("portfolio-summary", "PF")]


@pytest.mark.parametrize(("report", "scope"), REPORTS)
@pytest.mark.parametrize("label", list(HOSTILE_STRINGS))
def test_markdown_keeps_every_hostile_string_inert(label: str, report: str, scope: str) -> None:
    markdown = _render(HOSTILE_STRINGS[label], report, scope, "md")
    plain = _render("Plain", report, scope, "md")

    assert RAW_CONTROL.findall(markdown) == []
    assert "<" not in markdown  # no HTML, no autolink
    # No link, image, code span or emphasis beyond the report's own ("**2025-04-25**").
    assert UNESCAPED.findall(markdown) == UNESCAPED.findall(plain)
    # The same headings, list items and table rows as with a plain name: data adds none.
    assert _shape(markdown) == _shape(plain)


@pytest.mark.parametrize(("report", "scope"), REPORTS)
@pytest.mark.parametrize("label", list(HOSTILE_STRINGS))
def test_json_keeps_every_hostile_string_as_data(label: str, report: str, scope: str) -> None:
    # As the model reads it back: surrounding whitespace stripped, nothing else changed.
    text = HOSTILE_STRINGS[label].strip()
    document = json.loads(_render(HOSTILE_STRINGS[label], report, scope, "json"))

    assert document["projects"][0]["name"] == text
    if report == "project-status":
        assert document["risks"][0]["title"] == text
        assert document["status_report"]["summary"] == text
        assert document["gates"][0]["approvals"][0]["approver"] == text
    else:
        assert document["scope"]["name"] == text
        assert document["lifecycle"]["reason"] == text
        assert [(e["key"], e["name"], e["by"]) for e in document["ended"]] == [("BETA", text, text)]
        assert [(p["key"], p["reason"]) for p in document["pipeline"]] == [("IDEA", text)]


@pytest.mark.parametrize(
    ("label", "heading"),
    [
        ("script", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ("img-onerror", "&lt;img src=x onerror=alert(1)&gt;"),
        ("js-link", "\\[x\\](javascript:alert(1))"),
        ("js-image", "!\\[x\\](javascript:alert(1))"),
        ("autolink", "&lt;javascript:alert(1)&gt;"),
        ("entity", "&amp;lt;b&amp;gt; &amp;amp; &amp;\\#60;"),
        ("heading", "Alpha \\# Owned heading --- - list item"),
        ("esc-csi", "\\u001b\\[31mred\\u001b\\[0m and \\u001b\\[2J cleared"),
        ("osc-title", "\\u001b\\]0;owned\\u0007title"),
        ("carriage-return", "looks fine EVIL"),
        ("rlo", "\\u202egnp.exe"),
        ("c1-csi", "\\u009b31mred\\u009b0m"),
        ("nul", "nul\\u0000byte"),
        ("backticks", "\\`code\\` and \\`\\`\\`fence\\`\\`\\`"),
        ("emphasis", "\\*bold\\* \\_em\\_ \\~\\~gone\\~\\~"),
        ("formula-minus", "\\-2+3"),
        ("pipes", "a | b | c"),  # a heading holds pipes as they are
    ],
)
def test_a_heading_shows_the_escaped_name_on_its_own_line(label: str, heading: str) -> None:
    markdown = _render(HOSTILE_STRINGS[label], "project-status", "ALPHA", "md")

    assert markdown.splitlines()[0] == f"# Project status: ALPHA — {heading}"


def test_table_cells_list_items_and_the_summary_are_escaped() -> None:
    markdown = _render(HOSTILE_STRINGS["heading"], "project-status", "ALPHA", "md")
    lines = markdown.splitlines()
    name = "Alpha \\# Owned heading \\--- - list item".replace("\\---", "---")

    # A risk row: title, owner and response escaped, the row still six cells.
    assert f"| {name} | 5 | 5 | 25 | {name} | {name} |" in lines
    assert f"- {name}" in lines  # an achievement stays one list item
    # The summary keeps its lines, none of them a heading, a rule or a list item.
    at = lines.index("## Summary")
    assert lines[at + 2 : at + 6] == ["Alpha", "\\# Owned heading", "\\---", "\\- list item"]


def test_pipes_in_a_table_cell_cannot_add_cells() -> None:
    markdown = _render(HOSTILE_STRINGS["pipes"], "project-status", "ALPHA", "md")
    cell = "a \\| b \\| c"
    assert f"| {cell} | 5 | 5 | 25 | {cell} | {cell} |" in markdown.splitlines()


ALL_REPORTS = [*REPORTS, ("raid-register", "PF"), ("roadmap", "PF")]
# The only elements a page of the kit holds: no script, image, frame, link or object.
ELEMENTS = {
    "html",
    "head",
    "meta",
    "title",
    "style",
    "body",
    "header",
    "main",
    "footer",
    "section",
    "h1",
    "h2",
    "p",
    "strong",
    "ul",
    "li",
    "div",
    "table",
    "caption",
    "thead",
    "tbody",
    "tfoot",
    "tr",
    "th",
    "td",
    "figure",
    "figcaption",
    "svg",
    "g",
    "path",
    "rect",
    "line",
    "text",
}


class _Elements(HTMLParser):
    """Every element and attribute of a page, as a browser would parse them."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, list[str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, [name for name, _ in attrs]))


@pytest.mark.parametrize(("report", "scope"), ALL_REPORTS)
@pytest.mark.parametrize("label", list(HOSTILE_STRINGS))
def test_html_keeps_every_hostile_string_inert(label: str, report: str, scope: str) -> None:
    html = _render(HOSTILE_STRINGS[label], report, scope, "html")

    assert RAW_CONTROL.findall(html) == []
    parser = _Elements()
    parser.feed(html)
    assert {tag for tag, _ in parser.found} <= ELEMENTS
    attributes = {name for _, names in parser.found for name in names}
    assert [a for a in attributes if a.startswith("on") or a in ("href", "src", "xlink:href")] == []


@pytest.mark.parametrize(("report", "scope"), ALL_REPORTS)
@pytest.mark.parametrize(
    "label", [k for k in HOSTILE_STRINGS if k.startswith(("formula", "quoted"))]
)
def test_csv_and_xlsx_keep_every_formula_a_text(label: str, report: str, scope: str) -> None:
    rows = list(csv.reader(io.StringIO(_render(HOSTILE_STRINGS[label], report, scope, "csv"))))
    assert [c for row in rows for c in row if re.match(r"[=+\-@\t\r]", c) and not _number(c)] == []
    data = _render_any(HOSTILE_STRINGS[label], report, scope, "xlsx")
    assert isinstance(data, bytes)
    book = openpyxl.load_workbook(io.BytesIO(data))
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            assert [c.coordinate for c in row if c.data_type == "f"] == []


def _number(cell: str) -> bool:
    return re.fullmatch(r"-?[0-9]+(\.[0-9]+)?", cell) is not None
