"""The RAID register and the roadmap: what they list, in which order, as of the status date."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from typing import Any

import pmo_reports
import pytest
from report_samples import FORMULA, SCRIPT, TODAY, build_portfolio

from pmo_core import Forecast, InvalidInputError, Workspace


@pytest.fixture
def pf() -> Iterator[Workspace]:
    with Workspace.in_memory(plugins={"reports": pmo_reports}, today=lambda: TODAY) as ws:
        build_portfolio(ws)
        yield ws


def _json(ws: Workspace, report: str, scope: str | None, **kw: Any) -> dict[str, Any]:
    content = ws.report(report, scope, format="json", **kw).content
    assert isinstance(content, str)
    return json.loads(content)  # type: ignore[no-any-return]


# --------------------------------------------------------------------------- RAID register


def test_the_register_lists_open_items_by_type_highest_score_first(pf: Workspace) -> None:
    doc = _json(pf, "raid-register", "PF")

    assert [(i["type"], i["title"]) for i in doc["items"]] == [
        ("risk", SCRIPT),  # 4 x 5 = 20, high
        ("risk", "Data quality"),  # 9
        ("risk", "Vendor slips"),  # 6
        ("issue", FORMULA),
        ("decision", "Use vendor X"),
        ("action", "Call vendor"),
    ]
    assert doc["open_only"] is True
    assert doc["items"][0]["high"] == "high"
    assert doc["counts"]["risk"] == {"open": 3, "closed": 0}


def test_option_open_false_lists_closed_items_after_open_ones(pf: Workspace) -> None:
    for value in (False, "false", "no"):
        doc = _json(pf, "raid-register", "PF", options={"open": value})
        risks = [(i["title"], i["status"]) for i in doc["items"] if i["type"] == "risk"]
        assert risks[-1] == ("Closed risk", "closed")
        assert doc["counts"]["risk"] == {"open": 3, "closed": 1}


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"colour": "red"}, r"has no option 'colour' \(it takes: open\)"),
        ({"open": "maybe"}, "not true or false"),
    ],
)
def test_a_wrong_option_is_an_error_naming_it(
    pf: Workspace, options: dict[str, Any], message: str
) -> None:
    with pytest.raises(InvalidInputError, match=message) as raised:
        pf.report("raid-register", "PF", options=options)
    assert str(raised.value).startswith("--option")
    assert "report 'raid-register'" in str(raised.value)


def test_the_register_covers_its_scope_only(pf: Workspace) -> None:
    by_scope = {
        scope: {i["title"] for i in _json(pf, "raid-register", scope)["items"]}
        for scope in ("ALPHA", "ERP", "CRM", None)
    }
    assert by_scope["ALPHA"] == {SCRIPT, "Vendor slips", FORMULA}
    assert by_scope["ERP"] == by_scope["ALPHA"] | {"Use vendor X"}
    assert by_scope["CRM"] == {"Data quality", "Call vendor"}
    assert by_scope[None] == by_scope["ERP"] | by_scope["CRM"]


def test_the_register_is_as_of_its_status_date(pf: Workspace) -> None:
    # Raised on 2025-04-25 (the workspace's today): not raised yet the day before. The
    # decision, recorded that day too, was taken on 2025-02-01: it is in the register of any
    # day since.
    earlier = _json(pf, "raid-register", "PF", status_date=date(2025, 4, 24))
    assert [i["title"] for i in earlier["items"]] == ["Use vendor X"]
    assert _json(pf, "raid-register", "PF", status_date=date(2025, 1, 31))["items"] == []


def test_the_risk_grid_counts_risks_per_probability_and_impact(pf: Workspace) -> None:
    grid = {
        (c["probability"], c["impact"]): (c["count"], c["tone"])
        for c in _json(pf, "raid-register", "PF")["risk_grid"]
    }
    assert len(grid) == 25
    assert grid[(4, 5)] == (1, "red")
    assert grid[(3, 3)] == (1, "amber")
    assert grid[(2, 3)] == (1, "amber")
    assert grid[(1, 1)] == (0, "green")
    assert grid[(5, 5)] == (0, "red")  # the closed risk is not counted


def test_the_register_in_markdown(pf: Workspace) -> None:
    md = pf.report("raid-register", "ALPHA").content
    assert isinstance(md, str)
    lines = md.splitlines()

    assert lines[0] == "# RAID register: ALPHA — &lt;script&gt;alert(1)&lt;/script&gt;"
    assert "## Risks (2)" in lines
    assert "## Issues (1)" in lines
    assert "| P \\ I | 1 | 2 | 3 | 4 | 5 |" in lines
    assert "| 4 | 0 | 0 | 0 | 0 | 1 |" in lines


# -------------------------------------------------------------------------------- roadmap


def test_the_roadmap_groups_live_projects_by_program(pf: Workspace) -> None:
    doc = _json(pf, "roadmap", "PF")

    assert [(p["group"], p["key"]) for p in doc["projects"]] == [
        ("CRM", "GAMMA"),
        ("ERP", "ALPHA"),
        ("ERP", "BETA"),
    ]
    alpha = doc["projects"][1]
    assert (alpha["planned_finish"], alpha["forecast_finish"]) == ("2025-06-30", "2025-08-15")
    assert (alpha["late"], alpha["days_late"]) == (True, 46)
    assert [m["name"] for m in alpha["milestones"]] == [SCRIPT, "Go live"]
    # Killed OLD is left out; proposed IDEA waits in the pipeline.
    assert [p["key"] for p in doc["pipeline"]] == ["IDEA"]
    assert doc["pipeline"][0]["budget"] == "400"


def test_a_forecast_before_the_planned_finish_is_not_late(pf: Workspace) -> None:
    pf.add(Forecast(project="GAMMA", as_of=TODAY, eac="5000 EUR", finish=date(2025, 11, 30)))
    gamma = _json(pf, "roadmap", "CRM")["projects"][0]
    assert (gamma["forecast_finish"], gamma["late"], gamma["days_late"]) == (
        "2025-11-30",
        False,
        None,
    )


def test_a_project_without_dates_is_listed_not_charted(pf: Workspace) -> None:
    pf.create("project", id="NODATE", name="No dates", parent="PF")
    md = pf.report("roadmap", "PF").content
    html = pf.report("roadmap", "PF", format="html").content
    assert isinstance(md, str)
    assert isinstance(html, str)

    assert "Not on the time line (no planned start or finish): NODATE." in md
    assert "<li>NODATE</li>" in html


def test_an_on_hold_project_stays_on_the_roadmap_marked(pf: Workspace) -> None:
    pf.change_lifecycle("BETA", "on_hold", approvers=[], comment="Waiting")
    beta = next(p for p in _json(pf, "roadmap", "ERP")["projects"] if p["key"] == "BETA")
    assert beta["lifecycle"] == "on hold"


def test_the_roadmap_takes_no_option(pf: Workspace) -> None:
    with pytest.raises(InvalidInputError, match=r"has no option 'open' \(it takes none\)"):
        pf.report("roadmap", "PF", options={"open": "true"})
