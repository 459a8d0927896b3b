"""Watermelons: every reported colour better than the computed one, per dimension."""

from __future__ import annotations

from decimal import Decimal

import pytest

from pmo_core import (
    InvalidInputError,
    ProjectMetrics,
    Rag,
    RagOverride,
    StatusReport,
    Watermelon,
    Workspace,
    measure_project,
    report_watermelons,
    watermelons,
)


@pytest.mark.parametrize(
    ("reported", "computed", "flagged"),
    [
        ("green", "red", True),
        ("amber", "red", True),
        ("green", "amber", True),
        ("red", "red", False),
        ("amber", "amber", False),
        ("green", "green", False),
        ("red", "green", False),  # worse than the figures: pessimism is not a watermelon
        ("amber", "green", False),
        ("red", "amber", False),
    ],
)
def test_a_dimension_is_flagged_only_when_reported_better(
    reported: str, computed: str, flagged: bool
) -> None:
    found = watermelons({"schedule": reported}, {"schedule": computed})
    assert bool(found) is flagged
    if flagged:
        (w,) = found
        assert (w.dimension, w.reported, w.computed, w.basis) == (
            "schedule",
            reported,
            computed,
            "computed",
        )


def test_dimensions_missing_on_one_side_are_not_compared() -> None:
    assert watermelons({"schedule": "green"}, {"cost": "red"}) == ()
    assert watermelons({"schedule": None}, {"schedule": "red"}) == ()
    assert watermelons({"schedule": "green"}, {"schedule": None}) == ()


def test_the_figures_and_the_reason_go_with_the_flag() -> None:
    (w,) = watermelons(
        {"cost": Rag.AMBER},
        {"cost": Rag.RED},
        figures={"cost": {"CPI": Decimal("0.8100")}},
        reasons={"cost": "refund agreed"},
    )
    assert w.figures == {"CPI": Decimal("0.8100")}
    assert w.message == "cost reported amber, computed red (CPI 0.8100); overridden: refund agreed"
    assert w.as_dict()["figures"] == {"CPI": "0.8100"}


def test_overall_against_the_computed_overall() -> None:
    (w,) = watermelons({"overall": "amber"}, {"overall": "red"})
    assert (w.dimension, w.basis, w.computed) == ("overall", "computed", "red")
    assert watermelons({"overall": "red"}, {"overall": "amber"}) == ()
    assert watermelons({"overall": "amber"}, {"overall": "amber"}) == ()


def test_overall_better_than_the_reports_own_dimensions() -> None:
    # pmo status report --overall green --schedule red: the report contradicts itself.
    (w,) = watermelons({"overall": "green", "schedule": "red", "cost": "amber"}, {})
    assert (w.dimension, w.reported, w.computed, w.basis) == (
        "overall",
        "green",
        "red",
        "dimensions",
    )
    assert w.message == "overall reported green, but a dimension is red"
    assert watermelons({"overall": "red", "schedule": "red"}, {}) == ()
    assert watermelons({"overall": "amber", "schedule": "amber", "cost": "green"}, {}) == ()


def test_a_worse_computed_overall_wins_over_the_dimensions() -> None:
    found = watermelons({"overall": "green", "schedule": "amber"}, {"overall": "red"})
    assert [(w.dimension, w.computed, w.basis) for w in found] == [("overall", "red", "computed")]


def test_a_computed_overall_no_worse_still_leaves_the_dimension_check() -> None:
    found = watermelons(
        {"overall": "green", "schedule": "red"}, {"overall": "green", "schedule": "red"}
    )
    assert [(w.dimension, w.basis, w.computed) for w in found] == [("overall", "dimensions", "red")]


@pytest.mark.parametrize("bad", ["Green", "blue", 1])
def test_a_colour_that_is_not_one_is_refused(bad: object) -> None:
    with pytest.raises(InvalidInputError, match="is not a RAG colour"):
        watermelons({"schedule": bad}, {})
    with pytest.raises(InvalidInputError, match="computed schedule"):
        watermelons({}, {"schedule": bad})


def test_watermelon_is_a_value() -> None:
    w = Watermelon("cost", "green", "red", "computed")
    assert w == Watermelon("cost", "green", "red", "computed")
    assert w.message == "cost reported green, computed red (CPI)"


def _measured(percent: float) -> tuple[Workspace, ProjectMetrics]:
    from datetime import date

    day = date(2025, 5, 31)
    ws = Workspace.in_memory(today=lambda: date(2025, 6, 2))
    ws.create("project", id="P1", name="One", budget="1000 EUR")
    item = ws.add_work_item("P1", "Build", budget="1000 EUR", start=date(2025, 5, 1), due=day)
    ws.record_progress(item.id, percent, actual_cost=f"{percent * 10} EUR", on=day)
    return ws, measure_project(ws.view(), "P1", status_date=day)


def test_report_watermelons_reads_the_colours_and_figures_of_the_service() -> None:
    ws, figures = _measured(76)
    with ws:
        report = StatusReport(
            entity="P1", as_of=figures.status_date, overall="amber",
            dimensions={"schedule": "amber", "cost": "green"}, author="pat",
        )  # fmt: skip
        schedule, overall = report_watermelons(report, figures)
    assert schedule.message == "schedule reported amber, computed red (SPI 0.7600)"
    assert overall.figures == {"SPI": Decimal("0.7600"), "CPI": Decimal("1.0000")}


def test_an_override_explains_only_a_computed_colour_at_least_as_bad() -> None:
    ws, figures = _measured(76)

    def report(computed: str) -> StatusReport:
        return StatusReport(
            entity="P1", as_of=figures.status_date, overall="red",
            dimensions={"schedule": "green"}, author="pat",
            overrides=[RagOverride(dimension="schedule", computed=computed, manual="green",
                                   reason="Accepted")],
        )  # fmt: skip

    with ws:
        (covered,) = report_watermelons(report("red"), figures)
        (stale,) = report_watermelons(report("amber"), figures)
    assert covered.reason == "Accepted"
    assert stale.reason == ""


def test_colours_and_names_read_from_json_compare_by_value() -> None:
    """Names that come from a file are equal to the literals, not the same objects."""
    import json

    reported = json.loads('{"overall": "amber", "schedule": "amber"}')
    found = watermelons(reported, json.loads('{"overall": "red", "schedule": "amber"}'))
    assert [(w.dimension, w.computed, w.basis) for w in found] == [("overall", "red", "computed")]
    w = Watermelon(**json.loads('{"dimension": "overall", "reported": "green", '
                                '"computed": "red", "basis": "dimensions"}'))  # fmt: skip
    assert w.message == "overall reported green, but a dimension is red"


def test_a_worse_dimension_counts_whatever_its_name_sorts_as() -> None:
    # "cost" sorts before "overall" and "schedule" after: both are dimensions.
    for worse in ("cost", "schedule"):
        other = "schedule" if worse == "cost" else "cost"
        (w,) = watermelons({"overall": "green", worse: "red", other: "green"}, {})
        assert (w.dimension, w.computed, w.basis) == ("overall", "red", "dimensions")


def test_a_dimension_reported_without_a_colour_is_left_out_of_the_worst() -> None:
    (w,) = watermelons({"overall": "green", "schedule": None, "cost": "amber"}, {})
    assert (w.computed, w.basis) == ("amber", "dimensions")
    assert watermelons({"overall": "green", "schedule": None}, {}) == ()


def test_watermelon_cannot_be_changed() -> None:
    import dataclasses

    w = Watermelon("cost", "green", "red", "computed")
    with pytest.raises(dataclasses.FrozenInstanceError):
        w.reason = "edited"  # type: ignore[misc]
    assert w.reason == ""


def test_an_override_written_over_worse_figures_explains_a_milder_finding() -> None:
    ws, figures = _measured(90)
    assert figures.schedule == "amber"
    report = StatusReport(
        entity="P1", as_of=figures.status_date, overall="amber",
        dimensions={"schedule": "green"}, author="pat",
        overrides=[RagOverride(dimension="schedule", computed="red", manual="green",
                               reason="Recovery plan agreed")],
    )  # fmt: skip
    with ws:
        (schedule,) = report_watermelons(report, figures)
    assert (schedule.computed, schedule.reason) == ("amber", "Recovery plan agreed")
