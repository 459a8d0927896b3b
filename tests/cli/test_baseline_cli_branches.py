"""``pmo baseline show / compare`` as text: a baseline without work items, one compared with
the plan now (work items added, removed, changed; the cost up), and one with itself."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest
from cli_helpers import Pmo

from pmo_core import Workspace

JAN1 = date(2025, 1, 1)


@pytest.fixture
def alpha(pmo: Pmo) -> dict[str, str]:
    """ALPHA: baseline 0 with no work items, baseline 1 with Design and Build; since then
    Design costs more, Build is gone, Test is new and the budget went up by 500 EUR."""
    with Workspace.open(pmo.root) as ws:
        ws.create("project", id="ALPHA", name="Alpha", budget="3000 EUR")
        ws.take_baseline("ALPHA", on=JAN1, name="Empty")
        design = ws.add_work_item(
            "ALPHA", "Design", budget="1000 EUR", start=JAN1, due=date(2025, 1, 31)
        )
        build = ws.add_work_item(
            "ALPHA", "Build", budget="1000 EUR", start=JAN1, due=date(2025, 2, 28)
        )
        ws.take_baseline("ALPHA", on=date(2025, 1, 2), name="Planned")
        ws.update_work_item(design.id, budget="1200 EUR")
        doc = ws.store.get("work_item", build.id)
        assert doc is not None
        with ws.transaction("drop the build") as tx:
            tx.delete("work_item", build.id, expected_version=doc.version)
        test = ws.add_work_item(
            "ALPHA", "Test", budget="300 EUR", start=JAN1, due=date(2025, 2, 28)
        )
        ws.update("ALPHA", budget="3500 EUR")
    return {"design": design.id, "build": build.id, "test": test.id}


def _section(output: str, title: str) -> list[list[str]]:
    """The rows of the table under ``title:`` (cells two spaces or more apart)."""
    lines = output.splitlines()
    start = lines.index(f"{title}:") + 2  # the title, then the header
    rows = []
    for line in lines[start:]:
        if not line.strip():
            break
        rows.append(re.split(r"\s{2,}", line.strip()))
    return rows


def test_a_baseline_without_work_items_lists_none(pmo: Pmo, alpha: dict[str, str]) -> None:
    output = pmo.ok("baseline", "show", "ALPHA", "0").stdout

    assert re.search(r"^name: +Empty$", output, re.M), output
    assert re.search(r"^items: +0$", output, re.M), output
    assert "Work items:" not in output
    data = json.loads(pmo.ok("baseline", "show", "ALPHA", "0", "--json").stdout)
    assert (data["number"], data["name"], data["items"]) == (0, "Empty", [])


def test_the_plan_now_against_a_baseline_lists_what_was_added_removed_and_changed(
    pmo: Pmo, alpha: dict[str, str]
) -> None:
    output = pmo.ok("baseline", "compare", "ALPHA", "1").stdout

    assert output.splitlines()[0] == "ALPHA: baseline 1 -> current plan"
    assert re.search(
        r"^cost: +3,000\.00 EUR -> 3,500\.00 EUR \(\+500\.00 EUR \(\+16\.7 %\)\)$", output, re.M
    ), output
    assert re.search(r"^scope: +1 added, 1 removed, 1 changed$", output, re.M), output
    assert [row[:2] for row in _section(output, "Added")] == [[alpha["test"], "Test"]]
    assert [row[:2] for row in _section(output, "Removed")] == [[alpha["build"], "Build"]]
    (changed,) = _section(output, "Changed")
    assert changed[:2] == [alpha["design"], "Design"]
    assert changed[-1] == "200.00 EUR"
    assert "No change." not in output


def test_a_baseline_against_itself_is_no_change(pmo: Pmo, alpha: dict[str, str]) -> None:
    output = pmo.ok("baseline", "compare", "ALPHA", "1", "1").stdout

    assert output.splitlines()[0] == "ALPHA: baseline 1 -> baseline 1"
    assert re.search(
        r"^cost: +3,000\.00 EUR -> 3,000\.00 EUR \(0\.00 EUR \(\+0\.0 %\)\)$", output, re.M
    )
    assert output.endswith("scope:  0 added, 0 removed, 0 changed\nNo change.\n")
    for title in ("Added:", "Removed:", "Changed:"):
        assert title not in output
