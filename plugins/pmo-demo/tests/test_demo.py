"""pmo demo and build_demo."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import Any

import pmo_demo._cli
import pmo_stage_gate
import pytest
from demo_support import Pmo, assert_user_error
from pmo_demo import BLOCKED_PROJECT, SKIPPED_GATE_PROJECT, build_demo

from pmo_core import Workspace
from pmo_core.cli import ProgressBar, paint
from pmo_core.testing import CliResult

TODAY = date(2025, 6, 30)
# pmo-demo requires both (and pip installs them with it).
PLUGINS = ["governance", "stage-gate"]
RunPmo = Callable[..., CliResult]
# The history holds 25 stage-gate projects, and `pmo demo` (which enables Scrum, Kanban and
# the registers) a Scrum and a Kanban team beside them and a closed project whose benefit is
# still tracked; the week adds one idea (and kills another, which stays); the strategy adds
# a pipeline of 10 proposals after the week.
ALL_PROJECTS = 39
# The records the week makes get new ids on every build.
_WEEK_IDS = ("waiver", "change", "exception")


def _without_week_ids(built: dict[str, Any]) -> dict[str, Any]:
    week = {k: v for k, v in built["week"].items() if k not in _WEEK_IDS}
    return {**built, "week": week}


def _build() -> tuple[dict[str, Any], dict[str, Any]]:
    with Workspace.in_memory(enabled=PLUGINS, today=lambda: TODAY) as ws:
        steps: list[tuple[int, int]] = []
        built = build_demo(ws, progress=lambda done, total: steps.append((done, total)))
        view = ws.view()
        entities = {e.id: e.to_document(every_field=True) for e in view.entities()}
        items = {
            p.id: sorted(
                (w.subject, w.percent_complete, str(w.budget), str(w.actual_cost))
                for w in view.work_items(p.id)
            )
            for p in view.projects()
        }
        gate_check = ws.gate_check(BLOCKED_PROJECT)
        gates = {
            p.id: [
                (d.gate, d.decision, d.next_phase, d.decided_on, d.decided_by,
                 [(a.approver, a.role) for a in d.approvals if a.approve],
                 all(c.passed for c in d.criteria))
                for d in view.gate_decisions(p.id)
            ]
            for p in view.projects()
        }  # fmt: skip
        skipped = [f for f in ws.check() if f.rule == "phase-reached-by-gate" and not f.passed]
        return built, {
            "entities": entities,
            "items": items,
            "steps": steps,
            "blocked": gate_check.blocked,
            "reasons": gate_check.reasons(),
            "gates": gates,
            "skipped": [(f.entity, f.level, f.model) for f in skipped],
        }


def test_build_demo_is_deterministic_and_realistic() -> None:
    first, data = _build()
    again, data_again = _build()

    assert _without_week_ids(first) == _without_week_ids(again)
    assert data["entities"] == data_again["entities"]
    assert data["items"] == data_again["items"]
    assert first["counts"]["portfolio"] == 2
    assert first["counts"]["program"] == 4
    assert first["counts"]["project"] == 25
    entities = data["entities"]
    models = {k: e["governance_model"] for k, e in entities.items() if e["kind"] != "project"}
    assert models["DIGITAL"] == "directive"
    assert models["OPS"] == "controlling"
    assert models["CX"] == "supportive"
    projects = [e for e in entities.values() if e["kind"] == "project"]
    assert sum(1 for p in projects if not p["sponsor"]) == 2
    assert all(p["budget"]["currency"] == "EUR" for p in projects)
    assert entities[BLOCKED_PROJECT]["sponsor"] is None
    assert set(first["health"].values()) == {"green", "amber", "red"}
    # Earned value follows the health: CPI (earned / actual) is lower on red projects.
    cpi: dict[str, Decimal] = {}
    for key, rows in data["items"].items():
        earned = sum(Decimal(b.split()[0]) * Decimal(str(pct)) / 100 for _, pct, b, _ in rows)
        actual = sum(Decimal(a.split()[0]) for *_, a in rows if a != "None")
        if actual:
            cpi[key] = earned / actual
    red = [cpi[k] for k, h in first["health"].items() if h == "red" and k in cpi]
    green = [cpi[k] for k, h in first["health"].items() if h == "green" and k in cpi]
    assert red
    assert green
    assert max(red) < Decimal("0.85") < min(green)
    done, total = data["steps"][-1]
    assert done == total
    assert len(data["steps"]) == total
    assert data["blocked"] is True
    assert data["gates"] == data_again["gates"]


def test_build_demo_records_how_each_project_reached_its_phase() -> None:
    built, data = _build()

    (methodology,) = pmo_stage_gate.pmo_methodologies()
    phases = [p.name for p in methodology.phases]
    gates = [g.name for g in methodology.gates]
    entities = data["entities"]
    # The counts are the history's; the week decides 3 gates of the idea and one kill.
    week_decisions = len(built["week"]["gates"]) + 1
    assert built["counts"]["gate_decision"] + week_decisions == sum(
        len(h) for h in data["gates"].values()
    )
    week = built["week"]
    for key, history in data["gates"].items():
        if key in (week["idea"], week["killed"]):
            continue  # decided live this week (tests/test_demo_week.py)
        passed = phases.index(entities[key]["phase"])
        expected = gates[:passed]
        if key == SKIPPED_GATE_PROJECT:
            assert entities[key]["phase"] == "development"
            expected.remove("gate-3")
        assert [h[0] for h in history] == expected, key
        assert all(decision == "go" and ok for _, decision, *_, ok in history)
        if history:  # each go moved the project into the phase its gate enters
            assert history[-1][2] == entities[key]["phase"] or key == SKIPPED_GATE_PROJECT
        dates = [h[3] for h in history]
        assert dates == sorted(set(dates))
        assert all(d < TODAY for d in dates)
        start = date.fromisoformat(entities[key]["planned_start"])
        if start < TODAY - timedelta(days=7 * (len(dates) + 1)):
            assert dates[0] > start
        roles = {tuple(role for _, role in h[5]) for h in history}
        parent = entities[key]["parent"]
        model = (
            entities[parent]["governance_model"]
            or entities[entities[parent]["parent"]]["governance_model"]
        )
        assert roles <= {("sponsor",) if model == "supportive" else ("sponsor", "pmo")}
        assert {h[4] for h in history} <= {"PMO Office"}
    # AI-ASSIST has its history up to its phase; the gate still blocks for its own reasons.
    assert [h[2] for h in data["gates"][BLOCKED_PROJECT]] == ["scoping", "business-case"]
    sponsors = {a for h in data["gates"][BLOCKED_PROJECT] for a, role in h[5] if role == "sponsor"}
    assert sponsors == {entities["DIGITAL"]["sponsor"]}  # no sponsor of its own
    assert data["blocked"] is True
    assert not any("phase-reached-by-gate" in r for r in data["reasons"])
    # Exactly one project skipped a gate, flagged as a warning under controlling.
    assert data["skipped"] == [(SKIPPED_GATE_PROJECT, "warn", "controlling")]


def test_demo_command_builds_a_workspace_and_a_tour(pmo_cli: RunPmo, tmp_path: Path) -> None:
    result = pmo_cli("demo", "sample")

    assert result.exit_code == 0, (result.output, result.stderr)
    assert "Built 2 portfolios, 4 programs, 28 projects" in result.output
    assert (
        "enabled the stage-gate, scrum and kanban methodologies and the resources, benefits, "
        "knowledge and strategy plugins"
    ) in result.output
    assert f"gate check {BLOCKED_PROJECT}" in result.output
    assert "What to try next:" in result.output
    assert "pmo -w sample project list" in result.output
    pmo = Pmo(tmp_path / "sample", pmo_cli)
    assert len(json.loads(pmo.ok("project", "list", "--json").output)) == ALL_PROJECTS
    assert "stage-gate" in (tmp_path / "sample" / "pmo.toml").read_text()
    assert pmo("gate", "check", BLOCKED_PROJECT).exit_code == 5
    assert "pmo -w sample governance check --min-level warn" in result.output
    # The tour's suggestion shows the project that skipped its gate, as a warning.
    check = pmo("governance", "check", "--min-level", "warn")
    flagged = [line for line in check.output.splitlines() if "phase-reached-by-gate" in line]
    assert len(flagged) == 1
    assert flagged[0].startswith(f"  {SKIPPED_GATE_PROJECT}  phase-reached-by-gate:")
    reports = tmp_path / "sample" / "reports"
    # pmo-reports is a requirement of pmo-demo, so the reports are always written.
    assert "skipped reports" not in result.output
    assert (reports / "DIGITAL-portfolio-summary.md").exists()
    assert json.loads((reports / "OPS-portfolio-summary.json").read_text())
    dashboard = (reports / "DIGITAL-portfolio-summary.html").read_text(encoding="utf-8")
    assert dashboard.startswith("<!doctype html>")
    assert '<svg role="img"' in dashboard  # its charts, drawn when the demo was built
    assert not (reports / "DIGITAL-project-status.html").exists()


def test_demo_refuses_a_non_empty_directory_unless_forced(pmo_cli: RunPmo, tmp_path: Path) -> None:
    target = tmp_path / "busy"
    target.mkdir()
    (target / "notes.txt").write_text("keep me")

    result = pmo_cli("demo", str(target))

    assert_user_error(result, 4, "not empty", "--force")
    assert sorted(p.name for p in target.iterdir()) == ["notes.txt"]
    forced = pmo_cli("demo", str(target), "--force")
    assert forced.exit_code == 0, (forced.output, forced.stderr)
    again = pmo_cli("demo", str(target), "--force")
    assert again.exit_code == 0, (again.output, again.stderr)
    assert (target / "notes.txt").read_text() == "keep me"
    with Workspace.open(target) as ws:
        assert len(ws.view().projects()) == ALL_PROJECTS


@pytest.mark.parametrize("name", ["a-file"])
def test_demo_refuses_a_file(pmo_cli: RunPmo, tmp_path: Path, name: str) -> None:
    (tmp_path / name).write_text("x")

    assert_user_error(pmo_cli("demo", name), 2, "not a directory")


def test_demo_shows_its_progress_as_the_core_commands_do(
    pmo_cli: RunPmo, monkeypatch: pytest.MonkeyPatch
) -> None:
    # On a terminal the bar is drawn; CliRunner's stderr is not one, so it is forced on.
    monkeypatch.setattr(pmo_demo._cli, "ProgressBar", partial(ProgressBar, enabled=True))

    result = pmo_cli("demo", "sample")

    assert result.exit_code == 0, (result.output, result.stderr)
    drawn = result.stderr.replace("\x1b[K", "").split("\r")
    assert any(line.startswith("Building the sample: building ") for line in drawn)
    assert re.search(r"Building the sample: done in \d+\.\d s\n", result.stderr)
    assert "Building the sample" not in result.output  # progress never reaches stdout


def test_demo_builds_in_the_workspace_option(pmo_cli: RunPmo, tmp_path: Path) -> None:
    result = pmo_cli("-w", "viaw", "demo")

    assert result.exit_code == 0, (result.output, result.stderr)
    assert (tmp_path / "viaw" / "pmo.toml").exists()
    assert not (tmp_path / "pmo-demo").exists()


def test_the_tour_colours_verdicts_as_the_core_does_when_colour_is_forced(
    pmo_cli: RunPmo, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("CLICOLOR_FORCE", "1")

    result = pmo_cli("demo", "sample")

    assert result.exit_code == 0, (result.output, result.stderr)
    assert paint("BLOCKED", colour=True) in result.output
    assert paint("BLOCKED", colour=True) == "\x1b[31m\x1b[1mBLOCKED\x1b[0m"
    assert paint("block", colour=True) in result.output  # a rule's level


def test_the_tour_shows_the_gate_check_of_the_blocked_project(
    pmo_cli: RunPmo, tmp_path: Path
) -> None:
    result = pmo_cli("demo", "sample")

    assert result.exit_code == 0, (result.output, result.stderr)
    lines = result.output.splitlines()
    assert f"$ pmo -w sample gate check {BLOCKED_PROJECT}" in lines
    assert (
        f"{BLOCKED_PROJECT}: gate gate-3 (business-case -> development) under model "
        "'directive', methodology 'stage-gate': BLOCKED"
    ) in lines
    assert "  [ ] business-case (must): fail - artifact 'business-case' is not approved" in lines
    assert "  [x] budget-set (must): pass - The budget (BAC) is set." in lines
    with Workspace.open(tmp_path / "sample") as ws:
        check = ws.gate_check(BLOCKED_PROJECT)
    assert check.reasons()
    shown = lines[lines.index("  blocked because:") + 1 :]
    assert shown[: len(check.reasons())] == [f"    - {r}" for r in check.reasons()]
    failing = [f for f in check.findings if not f.passed]
    assert failing
    for finding in failing:
        assert f"  rule {finding.rule} [{finding.level}]: {finding.message}" in lines
    # Neither colour nor a progress bar when the output is not a terminal.
    assert "\x1b[" not in result.output + result.stderr
    assert result.stderr == ""


def test_demo_is_offered_inside_a_workspace_that_does_not_enable_it(
    pmo_cli: RunPmo, tmp_path: Path
) -> None:
    Workspace.init(tmp_path / "acme", profile="starter").close()

    result = pmo_cli("demo", str(tmp_path / "sample"), workspace=tmp_path / "acme")

    assert result.exit_code == 0, (result.output, result.stderr)
    with Workspace.open(tmp_path / "sample") as ws:
        assert len(ws.view().projects()) == ALL_PROJECTS
    with Workspace.open(tmp_path / "acme") as ws:
        assert ws.view().projects() == []


def test_the_demo_shows_watermelons_on_purpose_and_explains_two() -> None:
    from pmo_demo._build import OVERRIDE_REASONS

    with Workspace.in_memory(enabled=PLUGINS, today=lambda: TODAY) as ws:
        build_demo(ws)
        failed = [f for f in ws.check() if f.rule.startswith("reported-colours") and not f.passed]
    honest = {f.entity: f.message for f in failed if f.rule == "reported-colours-honest"}
    noted = {f.entity: f.message for f in failed if f.rule == "reported-colours-overridden"}
    assert honest, "the demo shows watermelons"
    assert noted
    assert set(noted) <= set(OVERRIDE_REASONS)
    assert not set(honest) & set(OVERRIDE_REASONS)
    for key, message in noted.items():
        assert OVERRIDE_REASONS[key]["cost"] in message
    # Reporters read their figures with looser thresholds: amber over red, never green.
    for message in honest.values():
        for part in message.split("; report ")[:-1]:
            assert "reported amber, computed red" in part, message
    assert not any(f.blocking for f in failed)
