"""reported-colours-honest and reported-colours-overridden: a status report against the figures
of its own day, at the boundaries."""

from __future__ import annotations

from datetime import date

import pytest
from governance_support import MakeWorkspace, finding

from pmo_core import Workspace, measure_project

HONEST, OVERRIDDEN = "reported-colours-honest", "reported-colours-overridden"
DAY = date(2025, 5, 31)


def _project(ws: Workspace, percent: float, key: str = "P1", parent: str | None = None) -> None:
    """A project whose one work item is due on DAY: SPI on DAY is percent / 100, CPI 1."""
    ws.create("project", id=key, name=key, budget="1000 EUR", parent=parent)
    item = ws.add_work_item(key, "Build", budget="1000 EUR", start=date(2025, 5, 1), due=DAY)
    ws.record_progress(item.id, percent, actual_cost=f"{percent * 10} EUR", on=DAY)


@pytest.mark.parametrize(
    ("percent", "schedule", "overall"),
    [
        (76, "red", "red"),  # equal colours
        (92, "amber", "amber"),
        (100, "green", "green"),
        (100, "amber", "amber"),  # worse than the figures: pessimism is no watermelon
    ],
)
def test_colours_as_good_as_the_figures_or_worse_pass(
    ws: Workspace, percent: float, schedule: str, overall: str
) -> None:
    _project(ws, percent)
    ws.report_status("P1", overall=overall, dimensions={"schedule": schedule}, as_of=DAY)
    honest = finding(ws, "P1", HONEST)
    assert honest is not None
    assert honest.passed, honest.message
    overridden = finding(ws, "P1", OVERRIDDEN)
    assert overridden is not None
    assert overridden.passed


def test_amber_over_red_fails_with_the_figures(ws: Workspace) -> None:
    _project(ws, 76)
    ws.report_status("P1", overall="red", dimensions={"schedule": "amber"}, as_of=DAY)
    honest = finding(ws, "P1", HONEST)
    assert honest is not None
    assert not honest.passed
    assert honest.level == "warn"
    assert honest.message == (
        "project P1 reported on 2025-05-31: schedule reported amber, computed red "
        "(SPI 0.7600); report the colour the figures give, or override it with a reason "
        "('pmo status report P1 --override schedule=amber --reason ...')"
    )


def test_an_overall_better_than_the_figures_fails(ws: Workspace) -> None:
    _project(ws, 92)
    ws.report_status("P1", overall="green", as_of=DAY)
    honest = finding(ws, "P1", HONEST)
    assert honest is not None
    assert "overall reported green, computed amber (SPI 0.9200, CPI 1.0000)" in honest.message


def test_overall_green_with_a_red_dimension_fails_without_figures(ws: Workspace) -> None:
    ws.create("project", id="P1", name="No plan yet")
    ws.report_status("P1", overall="green", dimensions={"risk": "red"}, as_of=DAY)
    honest = finding(ws, "P1", HONEST)
    assert honest is not None
    assert not honest.passed
    assert "overall reported green, but a dimension is red" in honest.message
    assert "report overall at least red" in honest.message


def test_an_override_with_a_reason_passes_and_is_noted_with_the_reason(ws: Workspace) -> None:
    _project(ws, 76)
    ws.report_status(
        "P1",
        overall="amber",
        dimensions={"schedule": "amber"},
        overrides=[
            {
                "dimension": "schedule",
                "computed": "red",
                "manual": "amber",
                "reason": "Acceptance moved by the client; the plan is re-baselined Monday",
            },
            {
                "dimension": "overall",
                "computed": "red",
                "manual": "amber",
                "reason": "Only the schedule is late, and it is explained",
            },
        ],
        as_of=DAY,
    )
    honest = finding(ws, "P1", HONEST)
    assert honest is not None
    assert honest.passed, honest.message
    noted = finding(ws, "P1", OVERRIDDEN)
    assert noted is not None
    assert not noted.passed
    assert noted.level == "advise"
    assert not noted.blocking
    assert (
        "schedule reported amber, computed red (SPI 0.7600); overridden: Acceptance moved by "
        "the client; the plan is re-baselined Monday" in noted.message
    )


def test_an_override_of_a_milder_colour_does_not_explain_a_worse_one(ws: Workspace) -> None:
    _project(ws, 76)
    # Written when the reporter thought the figures said amber: it does not cover green over red.
    ws.report_status(
        "P1",
        overall="red",
        dimensions={"schedule": "green"},
        overrides=[
            {"dimension": "schedule", "computed": "amber", "manual": "green", "reason": "Fine"}
        ],
        as_of=DAY,
    )
    honest = finding(ws, "P1", HONEST)
    assert honest is not None
    assert not honest.passed
    assert "schedule reported green, computed red" in honest.message


def test_the_report_is_compared_with_the_figures_of_its_own_day(ws: Workspace) -> None:
    ws.create("project", id="P1", name="One", budget="1000 EUR")
    item = ws.add_work_item("P1", "Build", budget="1000 EUR", start=date(2025, 5, 1), due=DAY)
    ws.record_progress(item.id, 50, actual_cost="500 EUR", on=date(2025, 5, 16))
    # On 16 May half was due and half was done: green then, red by the status date.
    ws.report_status(
        "P1", overall="green", dimensions={"schedule": "green"}, as_of=date(2025, 5, 16)
    )
    assert measure_project(ws.view(), "P1").overall == "red"
    honest = finding(ws, "P1", HONEST)
    assert honest is not None
    assert honest.passed, honest.message


def test_no_report_passes(ws: Workspace) -> None:
    _project(ws, 76)
    honest = finding(ws, "P1", HONEST)
    assert honest is not None
    assert honest.passed


def test_a_program_is_compared_with_its_projects_totals(ws: Workspace) -> None:
    ws.create("program", id="PG", name="Program")
    _project(ws, 76, key="P1", parent="PG")
    _project(ws, 100, key="P2", parent="PG")
    ws.report_status("PG", overall="green", as_of=DAY)
    honest = finding(ws, "PG", HONEST)
    assert honest is not None
    # Summed: EV 1760 / PV 2000 = 0.88, never an average of the two indices.
    assert (
        "program PG reported on 2025-05-31: overall reported green, computed red (SPI 0.8800"
        in (honest.message)
    )


@pytest.mark.parametrize(
    ("model", "honest_level"),
    [("supportive", "advise"), ("controlling", "warn"), ("directive", "warn")],
)
def test_levels_per_model_never_block(
    make_ws: MakeWorkspace, model: str, honest_level: str
) -> None:
    ws = make_ws(model, methodology=None)
    _project(ws, 76)
    ws.report_status("P1", overall="green", as_of=DAY)
    honest = finding(ws, "P1", HONEST)
    assert honest is not None
    assert (honest.level, honest.passed, honest.blocking) == (honest_level, False, False)
    noted = finding(ws, "P1", OVERRIDDEN)
    assert noted is not None
    assert noted.level == "advise"
