"""``pmo scrum``: project fields, sprints, stories and metrics through the command line; bad
input is one ``error:`` line naming the option or argument, exit 2, and nothing is written."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from pmo_core import Workspace
from pmo_core.testing import CliResult

Run = Callable[..., CliResult]


@pytest.fixture
def app(pmo_workspace_factory: Callable[..., Workspace], pmo_cli: Run) -> Callable[..., Any]:
    ws = pmo_workspace_factory(enabled=["scrum"], methodology="scrum")
    ws.create(
        "project", id="APP", name="App", budget="60000 EUR", phase="inception",
        planned_start="2025-03-03", planned_finish="2025-04-25",
    )  # fmt: skip

    def run(*args: str) -> CliResult:
        return pmo_cli(*args, workspace=ws)

    return run


def ok(run: Callable[..., CliResult], *args: str) -> CliResult:
    return run(*args).assert_ok()


def error(result: CliResult, needle: str) -> None:
    result.assert_error(needle)


def _plan(run: Callable[..., CliResult]) -> dict[str, str]:
    ok(run, "scrum", "update", "APP", "--product-goal", "Sign-up", "--definition-of-done",
       "Tested", "--budget", "60000 EUR", "--planned-sprints", "3")  # fmt: skip
    ok(run, "scrum", "sprint", "add", "APP", "S1", "--start", "2025-03-03", "--finish",
       "2025-03-07", "--goal", "Sign-up")  # fmt: skip
    ids = {}
    for name, points in (("A", "3"), ("B", "5"), ("C", "2")):
        story = ok(run, "scrum", "story", "add", "APP", f"Story {name}", "--points", points,
                   "--sprint", "S1", "--on", "2025-03-03", "--json").json()  # fmt: skip
        ids[name] = story["id"]
    ok(run, "work", "move", ids["A"], "done", "--on", "2025-03-04")
    ok(run, "work", "move", ids["B"], "in_progress", "--on", "2025-03-04")
    ok(run, "work", "move", ids["B"], "done", "--on", "2025-03-06")
    return ids


def test_a_sprint_from_plan_to_burndown(app: Run) -> None:
    ids = _plan(app)
    shown = ok(app, "scrum", "show", "APP", "--json").json()
    assert (shown["product_goal"], shown["stories"], shown["points"]) == ("Sign-up", 3, "10")
    assert shown["release_budget"] == {"amount": "60000", "currency": "EUR"}  # as the core's
    listed = ok(app, "scrum", "sprint", "list", "APP", "--json").json()
    assert [(s["name"], s["days"], s["committed_points"]) for s in listed] == [("S1", 5, "10")]
    table = ok(app, "scrum", "sprint", "show", "APP", "S1").output
    assert "Story B" in table
    assert "goal:" in table
    burndown = ok(app, "scrum", "burndown", "APP", "S1", "--json").json()
    assert [(r["day"], r["remaining"], r["ideal"]) for r in burndown] == [
        ("2025-03-03", "10", "10.00"),
        ("2025-03-04", "7", "7.50"),
        ("2025-03-05", "7", "5.00"),
        ("2025-03-06", "2", "2.50"),
        ("2025-03-07", "2", "0.00"),
    ]
    chart = ok(app, "scrum", "burndown", "APP", "S1", "--chart").output
    assert "2025-03-03  " + "#" * 40 in chart
    velocity = ok(app, "scrum", "velocity", "APP", "--json").json()
    assert velocity["sprints"][0]["done"] == "8"
    assert velocity["average"] == "8.00"
    burnup = ok(app, "scrum", "burnup", "APP", "--json").json()
    assert burnup[-1] == {"day": "2025-03-07", "done": "8", "scope": "10"}
    evm = ok(app, "scrum", "evm", "APP", "--status-date", "2025-03-07", "--json").json()
    assert (evm["ppc"], evm["apc"], evm["ev"], evm["pv"]) == (
        "0.3333", "0.8000",
        {"amount": "48000.00", "currency": "EUR"}, {"amount": "20000.00", "currency": "EUR"},
    )  # fmt: skip
    core = ok(app, "metrics", "APP", "--status-date", "2025-03-07", "--json").json()
    ev = next(m for m in core["metrics"] if m["name"] == "ev")
    assert ev["value"] == "48000.00"  # the core's EV is AgileEVM's: 60000 x 8 / 10
    assert ids


def test_stories_list_and_update(app: Run) -> None:
    ids = _plan(app)
    ok(app, "scrum", "story", "add", "APP", "Later", "--points", "8")
    backlog = ok(app, "scrum", "story", "list", "APP", "--backlog", "--json").json()
    assert [s["subject"] for s in backlog] == ["Later"]
    moved = ok(app, "scrum", "story", "update", ids["C"], "--sprint", "", "--json").json()
    assert moved["sprint"] is None
    listed = ok(app, "scrum", "story", "list", "APP", "--sprint", "S1", "--json").json()
    assert [s["subject"] for s in listed] == ["Story A", "Story B"]


def test_artifacts_and_templates(app: Run) -> None:
    table = ok(app, "scrum", "artifacts").output
    assert "release-plan" in table
    assert "ready-to-sprint" in table
    assert ok(app, "scrum", "template", "increment").output.startswith("# Increment")


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (
            ["sprint", "add", "APP", "S2", "--start", "2025-03-05", "--finish", "2025-03-12"],
            "--start: sprint 'S2' (2025-03-05 to 2025-03-12) overlaps sprint 'S1'",
        ),
        (
            ["sprint", "add", "APP", "S2", "--start", "2025-03-10", "--finish", "2025-04-09"],
            "--finish: sprint 'S2' lasts 31 days: a sprint is at most 30 days",
        ),
        (
            ["sprint", "add", "APP", "S2", "--start", "2025-03-10", "--finish", "2025-03-09"],
            "--finish: sprint 'S2' finishes on 2025-03-09, before its start",
        ),
        (
            ["sprint", "add", "APP", "S1", "--start", "2025-04-10", "--finish", "2025-04-19"],
            "NAME: APP has a sprint 'S1' already",
        ),
        (["sprint", "add", "APP", "S2", "--start", "someday", "--finish", "2025-03-09"], "--start"),
        (["sprint", "show", "APP", "S9"], "SPRINT: no sprint 'S9' (sprints: S1)"),
        (["burndown", "APP", "S9"], "SPRINT: no sprint 'S9' (sprints: S1)"),
        (
            ["story", "add", "APP", "Bad", "--points", "-1"],
            "--points: -1 is not a number of story points",
        ),
        (
            ["story", "add", "APP", "Bad", "--points", "3", "--sprint", "S9"],
            "--sprint: no sprint 'S9'",
        ),
        (["story", "add", "APP", "Bad", "--on", "2999-01-01"], "--on: 2999-01-01 is after"),
        (["update", "APP"], "nothing to change"),
        (["update", "APP", "--budget", "5 USD"], "--budget: 5 USD is in USD"),
    ],
)
def test_bad_input_writes_nothing(
    app: Run, pmo_workspace_factory: Any, argv: list[str], needle: str
) -> None:
    _plan(app)
    before = app("scrum", "show", "APP", "--json").output
    stories = app("scrum", "story", "list", "APP", "--json").output
    error(app("scrum", *argv), needle)
    assert app("scrum", "show", "APP", "--json").output == before
    assert app("scrum", "story", "list", "APP", "--json").output == stories


def test_artifacts_json(app: Run) -> None:
    rows = ok(app, "scrum", "artifacts", "--json").json()
    assert {
        "name": "release-plan",
        "phase": "inception",
        "needed_at": "ready-to-sprint",
    }.items() <= (next(r for r in rows if r["name"] == "release-plan").items())


def test_story_list_limit(app: Run) -> None:
    _plan(app)
    result = ok(app, "scrum", "story", "list", "APP", "--limit", "2", "--json")
    assert [s["subject"] for s in result.json()] == ["Story A", "Story B"]
    assert "(showing 2 of 3; --limit 0 shows all)" in result.stderr
    assert len(ok(app, "scrum", "story", "list", "APP", "--limit", "0", "--json").json()) == 3
