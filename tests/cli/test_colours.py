"""Reported and computed colours side by side (entity list and show), and the watermelon
warnings and overrides of ``pmo status report``."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from cli_helpers import Pmo, assert_user_error

from pmo_core import Workspace

DAY = date(2025, 5, 31)
ON = ("--status-date", DAY.isoformat())


def _project(ws: Workspace, key: str, percent: float, parent: str, currency: str = "EUR") -> None:
    """A project whose one work item is due on DAY: SPI on DAY is percent / 100, CPI 1."""
    ws.create("project", id=key, name=key, parent=parent, budget=f"1000 {currency}")
    item = ws.add_work_item(
        key, "Build", budget=f"1000 {currency}", start=date(2025, 5, 1), due=DAY
    )
    ws.record_progress(item.id, percent, actual_cost=f"{percent * 10} {currency}", on=DAY)


@pytest.fixture
def colours(pmo: Pmo) -> Pmo:
    """PF > ERP > P1 (SPI 0.76, red) and P2 (SPI 1, green); OTHER (EUR) > USD1 (USD, red)."""
    with Workspace.open(pmo.root) as ws:
        ws.create("portfolio", id="PF", name="Digital")
        ws.create("program", id="ERP", name="ERP", parent="PF")
        _project(ws, "P1", 76, "ERP")
        _project(ws, "P2", 100, "ERP")
        ws.create("portfolio", id="OTHER", name="Other", currency="EUR")
        _project(ws, "USD1", 76, "OTHER", currency="USD")
    return pmo


def _json(pmo: Pmo, *args: str) -> Any:
    return json.loads(pmo.ok(*args, "--json").stdout)


def _rows(pmo: Pmo, kind: str) -> dict[str, dict[str, Any]]:
    return {row["id"]: row for row in _json(pmo, kind, "list", *ON)}


def test_a_project_list_shows_both_colours_and_marks_the_watermelon(
    colours: Pmo, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "200")  # a terminal wide enough for every column whole
    colours.ok("status", "report", "P1", "--overall", "amber", "--schedule", "amber", *ON)
    colours.ok("status", "report", "P2", "--overall", "green", *ON)
    table = colours.ok("project", "list", *ON).stdout.splitlines()
    header = table[0].split()
    assert header[6:9] == ["REPORTED", "COMPUTED", "WATERMELON"]
    p1 = next(line for line in table if line.startswith("P1 "))
    assert "amber     red       schedule, overall" in p1
    p2 = next(line for line in table if line.startswith("P2 "))
    assert "green     green     -" in p2
    usd = next(line for line in table if line.startswith("USD1 "))
    assert "-         red       -" in usd  # not reported, computed all the same

    rows = _rows(colours, "project")
    assert rows["P2"]["watermelons"] == []
    p1_row = rows["P1"]
    assert (p1_row["reported"], p1_row["reported_on"], p1_row["computed"]) == (
        "amber",
        "2025-05-31",
        "red",
    )
    schedule, overall = p1_row["watermelons"]
    assert schedule == {
        "dimension": "schedule",
        "reported": "amber",
        "computed": "red",
        "basis": "computed",
        "figures": {"SPI": "0.7600"},
        "reason": "",
        "message": "schedule reported amber, computed red (SPI 0.7600)",
    }
    assert overall["figures"] == {"SPI": "0.7600", "CPI": "1.0000"}


def test_equal_colours_and_worse_ones_are_no_watermelon(colours: Pmo) -> None:
    colours.ok("status", "report", "P1", "--overall", "red", "--schedule", "red", *ON)
    colours.ok("status", "report", "P2", "--overall", "amber", *ON)
    rows = _rows(colours, "project")
    assert rows["P1"]["watermelons"] == rows["P2"]["watermelons"] == []


def test_the_reported_colour_is_the_latest_report_up_to_the_status_date(colours: Pmo) -> None:
    colours.ok("status", "report", "P1", "--overall", "amber", *ON)
    earlier = {r["id"]: r for r in _json(colours, "project", "list", "--status-date", "2025-05-30")}
    assert earlier["P1"]["reported"] is None
    assert earlier["P1"]["watermelons"] == []


def test_programs_and_portfolios_compute_their_live_projects_totals(colours: Pmo) -> None:
    colours.ok("status", "report", "ERP", "--overall", "green", *ON)
    erp = _rows(colours, "program")["ERP"]
    # EV 1760 / PV 2000 = 0.88: red, summed, never an average of the projects' indices.
    assert (erp["reported"], erp["computed"]) == ("green", "red")
    assert erp["watermelons"][0]["figures"] == {"SPI": "0.8800", "CPI": "1.0000"}
    portfolios = _rows(colours, "portfolio")
    assert portfolios["PF"]["computed"] == "red"
    # OTHER's only project is in USD and cannot be summed into EUR totals: its colour shows.
    assert portfolios["OTHER"]["computed"] == "red"
    table = colours.ok("program", "list", *ON).stdout
    assert "green     red       overall" in table


def test_a_list_measures_only_the_rows_it_prints(
    colours: Pmo, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pmo_core._metrics as metrics
    import pmo_core._metrics_scope as scope_metrics

    # Every project's figures are made by measure_basis, one project at a time (through
    # measure_project) or a list's projects together (the scope's measurer): count both.
    measured: list[str] = []
    real = metrics.measure_basis

    def counting(basis: Any, rule: Any) -> Any:
        measured.append(basis.project.id)
        return real(basis, rule)

    monkeypatch.setattr(metrics, "measure_basis", counting)
    monkeypatch.setattr(scope_metrics, "measure_basis", counting)
    out = colours.ok("project", "list", "--limit", "1", *ON).stdout
    assert len(out.splitlines()) == 2
    assert measured == ["P1"]
    measured.clear()
    colours.ok("program", "list", *ON)
    assert sorted(measured) == ["P1", "P2"]


def test_show_gives_the_reported_colour_with_its_date_and_each_watermelon(colours: Pmo) -> None:
    colours.ok("status", "report", "P1", "--overall", "amber", "--schedule", "amber", *ON)
    shown = colours.ok("project", "show", "P1", *ON).stdout
    assert "reported:         amber as of 2025-05-31" in shown
    assert "computed:         red" in shown
    assert "watermelon:       schedule reported amber, computed red (SPI 0.7600)" in shown
    details = _json(colours, "project", "show", "P1", *ON)
    assert (details["reported"], details["computed"]) == ("amber", "red")
    assert [w["dimension"] for w in details["watermelons"]] == ["schedule", "overall"]
    portfolio = colours.ok("portfolio", "show", "PF", *ON).stdout
    assert "computed:         red" in portfolio
    assert "reported:         -" in portfolio


def test_a_watermelon_is_recorded_with_a_warning_per_dimension(colours: Pmo) -> None:
    result = colours.ok("status", "report", "P1", "--overall", "amber", "--schedule", "amber", *ON)
    assert result.stdout.startswith("Recorded status of P1 as of 2025-05-31: amber")
    assert result.stderr.splitlines() == [
        "warning: schedule reported amber, computed red (SPI 0.7600): record an override with "
        "a reason (--override schedule=amber --reason ...)",
        "warning: overall reported amber, computed red (SPI 0.7600, CPI 1.0000): record an "
        "override with a reason (--override overall=amber --reason ...)",
    ]
    listed = _json(colours, "status", "list", "P1")
    assert [r["overall"] for r in listed] == ["amber"]  # recorded all the same


def test_an_overall_better_than_a_dimension_is_warned(colours: Pmo) -> None:
    result = colours.ok("status", "report", "P2", "--overall", "green", "--risk", "red", *ON)
    assert result.stderr.strip() == (
        "warning: overall reported green, but a dimension is red: report overall at least "
        "red, or record an override with a reason (--override overall=green --reason ...)"
    )


def test_status_report_json_carries_the_watermelons(colours: Pmo) -> None:
    doc = _json(colours, "status", "report", "P1", "--overall", "red", "--schedule", "amber", *ON)
    assert doc["computed"] == "red"
    assert [w["dimension"] for w in doc["watermelons"]] == ["schedule"]
    assert doc["overrides"] == []


def test_an_override_with_a_reason_is_stored_and_noted(
    colours: Pmo, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "200")  # a terminal wide enough for every column whole
    reason = '<script>alert(1)</script> =HYPERLINK("x") client moved acceptance'
    result = colours(
        "status", "report", "P1", "--overall", "red", "--schedule", "amber",
        "--override", "schedule=amber", "--reason", reason, *ON, "--json",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["overrides"] == [
        {"dimension": "schedule", "computed": "red", "manual": "amber", "reason": reason}
    ]
    assert doc["watermelons"][0]["reason"] == reason
    assert result.stderr.splitlines() == [
        f"note: schedule reported amber, computed red (SPI 0.7600); overridden: {reason}"
    ]
    row = _rows(colours, "project")["P1"]
    assert row["watermelons"][0]["reason"] == reason
    assert "schedule (overridden)" in colours.ok("project", "list", *ON).stdout


def test_an_override_sets_a_colour_not_given(colours: Pmo) -> None:
    doc = _json(
        colours, "status", "report", "P1", "--overall", "red",
        "--override", "schedule=green", "--reason", "Accepted today", *ON,
    )  # fmt: skip
    assert doc["dimensions"] == {"schedule": "green"}
    assert doc["overrides"][0]["computed"] == "red"


@pytest.mark.parametrize(
    ("args", "where", "needle"),
    [
        (["--override", "schedule=amber"], "--override", "needs a reason"),
        (["--reason", "Because"], "--reason", "goes with --override"),
        (["--override", "scope=green", "--reason", "x"], "--override", "no scope colour"),
        (["--override", "schedule", "--reason", "x"], "--override", "DIMENSION=COLOUR"),
        (["--override", "schedule=blue", "--reason", "x"], "--override", "DIMENSION=COLOUR"),
        (
            ["--override", "schedule=amber", "--override", "schedule=green", "--reason", "x"],
            "--override",
            "twice",
        ),
        (
            ["--schedule", "green", "--override", "schedule=amber", "--reason", "x"],
            "--override",
            "--schedule is green",
        ),
        (["--override", "overall=red", "--reason", "x"], "--override", "equals the computed"),
    ],
)
def test_a_bad_override_is_refused_and_nothing_is_written(
    colours: Pmo, args: list[str], where: str, needle: str
) -> None:
    before = colours.snapshot()
    result = colours("status", "report", "P1", "--overall", "red", *args, *ON)
    assert_user_error(result, 2, where, needle)
    assert colours.snapshot() == before


def test_an_override_where_the_figures_give_no_colour_is_refused(colours: Pmo) -> None:
    with Workspace.open(colours.root) as ws:
        ws.create("project", id="EMPTY", name="No plan", parent="ERP")
    result = colours(
        "status", "report", "EMPTY", "--overall", "green",
        "--override", "schedule=green", "--reason", "x", *ON,
    )  # fmt: skip
    assert_user_error(result, 2, "--override", "no schedule colour (no work items)")


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"CLICOLOR_FORCE": "1"}, True),
        ({"CLICOLOR_FORCE": "0"}, False),
        ({"CLICOLOR_FORCE": ""}, False),
        ({"CLICOLOR_FORCE": "1", "NO_COLOR": "1"}, False),
        ({}, False),
    ],
)
def test_clicolor_force_colours_a_pipe_unless_no_color(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str], expected: bool
) -> None:
    from pmo_core._cli._output import use_colour

    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("CLICOLOR_FORCE", raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)

    assert use_colour() is expected  # pytest's stdout is no terminal
