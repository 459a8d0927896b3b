"""The ``lessons-learned`` report in every format the report kit offers, with hostile text."""

from __future__ import annotations

import csv
import io
import json
from html.parser import HTMLParser

import openpyxl
import pmo_knowledge as pk
import pytest

from pmo_core import InvalidInputError, Workspace
from pmo_core.testing import HOSTILE_STRINGS

FORMULA = HOSTILE_STRINGS.get("formula", '=HYPERLINK("http://evil.example","x")')
SCRIPT = HOSTILE_STRINGS["script"]


@pytest.fixture
def lessons(ws: Workspace) -> dict[str, str]:
    ws.create("portfolio", id="PF", name="Portfolio")
    ws.create("project", id="ALPHA", name="CRM", parent="PF", tags=("vendor",))
    ws.create("project", id="BETA", name="ERP", parent="PF", tags=("vendor",))
    ws.create("project", id="OUT", name="Elsewhere")
    a = ws.add_lesson("ALPHA", "Vendor late " + SCRIPT, recommendation=FORMULA, tags=("vendor",))
    b = ws.add_lesson("ALPHA", "Budget late", recommendation="Ask early")
    c = ws.add_lesson("OUT", "Not in the portfolio")
    pk.apply_lesson(ws, a.id, "BETA")
    return {"a": a.id, "b": b.id, "c": c.id}


def test_json_lists_the_scope_and_counts_applications(ws: Workspace, lessons: dict) -> None:
    data = json.loads(ws.report("lessons-learned", "PF", format="json").content)
    assert data["report"] == "lessons-learned"
    assert data["scope"] == "PF"
    assert {r["id"]: r["applied_by"] for r in data["lessons"]} == {lessons["a"]: 1, lessons["b"]: 0}
    assert "suggested" not in data
    everything = json.loads(ws.report("lessons-learned", None, format="json").content)
    assert len(everything["lessons"]) == 3


def test_a_project_report_suggests_what_it_has_not_applied(ws: Workspace, lessons: dict) -> None:
    data = json.loads(ws.report("lessons-learned", "BETA", format="json").content)
    assert data["lessons"] == []
    assert [r["id"] for r in data["suggested"]] == [lessons["b"]]  # a is applied


def test_markdown_escapes_data(ws: Workspace, lessons: dict) -> None:
    md = ws.report("lessons-learned", "BETA", format="md").content
    assert md.startswith("# Lessons learned: BETA — ERP\n")
    assert "## Relevant lessons from similar projects" in md
    ws.create("project", id="HOST", name=SCRIPT)
    assert "<script" not in ws.report("lessons-learned", "PF", format="md").content
    assert "<script" not in ws.report("lessons-learned", "HOST", format="md").content


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        assert not any(name.startswith("on") for name, _ in attrs), (tag, attrs)


def test_html_runs_and_loads_nothing(ws: Workspace, lessons: dict) -> None:
    html = ws.report("lessons-learned", "PF", format="html").content
    parser = _Tags()
    parser.feed(html)
    assert "script" not in parser.tags
    assert "img" not in parser.tags
    assert "&lt;script&gt;" in html


def test_csv_neutralises_formulas_and_picks_a_table(ws: Workspace, lessons: dict) -> None:
    rows = list(csv.reader(io.StringIO(ws.report("lessons-learned", "PF", format="csv").content)))
    assert rows[0][0] == "Lesson"
    assert all(not cell.startswith(("=", "+", "@")) for row in rows for cell in row)
    out = ws.report("lessons-learned", "BETA", format="csv", options={"table": "suggested"})
    assert next(iter(csv.reader(io.StringIO(out.content))))[:3] == ["Lesson", "From", "Score"]
    with pytest.raises(InvalidInputError, match="table"):
        ws.report("lessons-learned", "PF", format="csv", options={"table": "suggested"})


def test_xlsx_has_string_cells_and_is_reproducible(ws: Workspace, lessons: dict) -> None:
    data = ws.report("lessons-learned", "BETA", format="xlsx").content
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["Lessons", "Suggested"]
    cells = [c for row in book["Lessons"].iter_rows() for c in row] + [
        c for row in book["Suggested"].iter_rows() for c in row
    ]
    assert all(c.data_type != "f" for c in cells)
    assert data == ws.report("lessons-learned", "BETA", format="xlsx").content
