"""The ``capacity`` report: the hand-built case in every format of the report kit, its
options checked, text from data kept inert."""

from __future__ import annotations

import csv
import io
import json

import pytest

from pmo_core import InvalidInputError, Resource, Workspace
from pmo_core.testing import HOSTILE_STRINGS


def test_json_holds_every_cell(ws: Workspace, case: dict[str, str]) -> None:
    data = json.loads(ws.report("capacity", None, format="json").content)
    assert (data["from"], data["to"]) == ("2025-01", "2025-06")  # the allocations' span
    march = next(c for c in data["cells"] if (c["role"], c["month"]) == ("Developer", "2025-03"))
    assert march == {
        "role": "Developer",
        "month": "2025-03",
        "capacity": "336.00",
        "demand": "420.00",
        "utilisation": "125.0000",
        "state": "over",
    }
    assert len(data["cells"]) == 18  # 3 roles x 6 months


def test_markdown_csv_html_and_xlsx(ws: Workspace, case: dict[str, str]) -> None:
    options = {"from": "2025-03", "to": "2025-03"}
    md = ws.report("capacity", None, format="md", options=options)
    assert md.media_type == "text/markdown"
    assert "| Developer | 2025-03 | 336.00 h | 420.00 h | 125.00 % | over |" in md.content
    rows = list(
        csv.reader(io.StringIO(ws.report("capacity", None, format="csv", options=options).content))
    )
    assert rows[0] == ["Role", "Month", "Capacity", "Demand", "Utilisation", "State"]
    assert ["Developer", "2025-03", "336.00", "420.00", "125.0000", "over"] in rows
    html = ws.report("capacity", None, format="html", options=options).content
    assert isinstance(html, str)
    assert "<svg" in html
    assert "125 %" in html
    xlsx = ws.report("capacity", None, format="xlsx", options=options)
    assert isinstance(xlsx.content, bytes)
    assert xlsx.content[:2] == b"PK"
    metric = next(m for m in md.metrics if m.name == "utilisation:Developer:2025-03")
    assert (metric.formula, str(metric.value)) == ("demand / capacity", "1.2500")


def test_thresholds_from_the_options(ws: Workspace, case: dict[str, str]) -> None:
    options = {"from": "2025-03", "to": "2025-03", "over_allocated_above": "1.25"}
    data = json.loads(ws.report("capacity", None, format="json", options=options).content)
    assert {c["role"]: c["state"] for c in data["cells"]}["Developer"] == "ok"


@pytest.mark.parametrize(
    ("options", "where"),
    [
        ({"from": "2025-13"}, "--option from"),
        ({"from": "2025-03", "to": "2025-02"}, "--option to"),
        ({"colour": "red"}, "--option colour"),
        ({"over_allocated_above": "lots"}, "--option over_allocated_above"),
    ],
)
def test_bad_options_name_the_option(
    ws: Workspace, case: dict[str, str], options: dict[str, str], where: str
) -> None:
    with pytest.raises(InvalidInputError) as raised:
        ws.report("capacity", None, format="md", options=options)
    assert raised.value.where == where


def test_text_from_data_stays_inert(ws: Workspace) -> None:
    script = HOSTILE_STRINGS["script"]
    ws.add(Resource(name="X", role=script))
    md = ws.report("capacity", None, format="md").content
    assert "<script>" not in md
    html = ws.report("capacity", None, format="html").content
    assert "<script>" not in html
