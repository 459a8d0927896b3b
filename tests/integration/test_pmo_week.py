"""A PMO week through the CLI alone, each command in a fresh interpreter as a user runs it.

Under the controlling model: a proposed project passes gates 1 to 3 with the approvers the
matrix asks for, takes baseline 0, books work and cost, has a change request approved (which
re-baselines it), breaches a tolerance and sees the exception escalated; every write is in
the journal with its actor. Then what must be refused is, each as one line with nothing
written; a killed project leaves the live totals; and one project under each model shows that
supportive advises, controlling needs a waiver and directive blocks until approval.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.plugins("pmo-stage-gate", "pmo-governance", "pmo-reports")

TODAY = date.today()
START = TODAY - timedelta(days=60)
FINISH = TODAY + timedelta(days=140)  # a 200-day plan: 10 % of it is 20 days


@dataclass
class Week:
    """Runs `pmo` commands against one workspace, as PMO_USER=lee unless ``as_`` says."""

    root: Path
    cache: Path

    def run(self, *args: str, as_: str | None = None) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "PMO_CACHE_DIR": str(self.cache), "PMO_USER": "lee"}
        for name in (
            "PMO_WORKSPACE",
            "PMO_PLUGINS_ALLOW",
            "PMO_PLUGINS_DENY",
            "PMO_STRICT",
            "PMO_STORE_URL",
        ):
            env.pop(name, None)
        argv = ["-w", str(self.root), *(["--as", as_] if as_ else []), *args]
        return subprocess.run(
            [sys.executable, "-c", "from pmo_core._cli import main; main()", *argv],
            capture_output=True,
            text=True,
            env=env,
            cwd=self.root.parent,
            timeout=120,
        )

    def ok(self, *args: str, as_: str | None = None) -> str:
        done = self.run(*args, as_=as_)
        assert done.returncode == 0, (args, done.returncode, done.stdout, done.stderr)
        return done.stdout

    def json(self, *args: str) -> Any:
        return json.loads(self.ok(*args, "--json"))

    def json_as(self, actor: str, *args: str) -> Any:
        return json.loads(self.ok(*args, "--json", as_=actor))

    def journal(self) -> list[dict[str, Any]]:
        entries: list[dict[str, Any]] = self.json("journal", "--limit", "0")
        return entries

    def refused(self, code: int, *args: str, needle: str, as_: str | None = None) -> str:
        """The command fails with ``code``, one line on stderr naming ``needle``, and writes
        nothing: the journal is as it was."""
        before = len(self.journal())
        done = self.run(*args, as_=as_)
        assert done.returncode == code, (args, done.returncode, done.stdout, done.stderr)
        lines = done.stderr.strip().splitlines()
        assert len(lines) == 1, done.stderr
        assert lines[0].startswith("error: "), done.stderr
        assert needle in lines[0], (needle, lines[0])
        assert "Traceback" not in done.stderr
        assert len(self.journal()) == before, args
        return lines[0]


def _init(tmp: Path, name: str, profile: str = "controlling") -> Week:
    week = Week(tmp / name, tmp / "cache")
    env = {**os.environ, "PMO_CACHE_DIR": str(week.cache), "PMO_USER": "lee"}
    subprocess.run(
        [sys.executable, "-c", "from pmo_core._cli import main; main()", "init", str(week.root),
         "--profile", profile],
        check=True, capture_output=True, env=env, timeout=120,
    )  # fmt: skip
    return week


def _monday(tmp: Path) -> Week:
    """A controlling workspace with a program and a proposed project, ALPHA."""
    w = _init(tmp, "acme")
    w.ok("portfolio", "create", "PF", "--name", "Acme", "--sponsor", "Helena Brandt")
    w.ok("program", "create", "ERP", "--name", "ERP renewal", "--parent", "PF",
         "--sponsor", "Marcus Webb")  # fmt: skip
    w.ok("role", "assign", "PF", "pmo", "Lee Chen")
    w.ok(
        "project", "create", "ALPHA", "--name", "Alpha", "--parent", "ERP", "--proposed",
        "--sponsor", "Dana Ruiz", "--manager", "Sam Roe", "--methodology", "stage-gate",
        "--phase", "discovery", "--budget", "200000 EUR",
        "--start", START.isoformat(), "--finish", FINISH.isoformat(), as_="Sam Roe",
    )  # fmt: skip
    return w


def test_a_pmo_week_through_the_cli_alone(tmp_path: Path) -> None:
    # One story, in order: each part starts where the one before left the workspace.
    week = _monday(tmp_path)
    _idea_to_execution(week)
    _work_costs_and_a_change_request_that_rebaselines(week)
    _a_forecast_breach_raises_an_exception_escalated_upward(week)
    _every_write_is_journaled_with_its_actor(week)
    _a_killed_project_stays_dead_and_leaves_the_totals(week)


def _idea_to_execution(week: Week) -> None:
    w = week
    # Gate 1 waits for the idea submission.
    assert w.run("gate", "check", "ALPHA").returncode == 5
    w.ok("artifact", "submit", "ALPHA", "idea-submission", "--title", "Alpha idea",
         "--location", "https://wiki.example.com/alpha/idea", as_="Sam Roe")  # fmt: skip
    # The author cannot approve his own artifact, and a manager is not among its approvers.
    w.refused(5, "artifact", "approve", "ALPHA", "idea-submission", "--approver", "Sam Roe",
              needle="cannot approve", as_="Sam Roe")  # fmt: skip
    w.ok("artifact", "approve", "ALPHA", "idea-submission", "--approver", "Dana Ruiz (sponsor)")
    assert w.run("gate", "check", "ALPHA").returncode == 0
    w.refused(5, "gate", "decide", "ALPHA", "go", "--approver", "x (janitor)",
              "--approver", "y (intern)", needle="x does not hold the role 'janitor'")  # fmt: skip
    w.refused(5, "gate", "decide", "ALPHA", "go", "--approver", "Dana Ruiz (sponsor)",
              needle="the sponsor and the pmo")  # fmt: skip
    go = ["--approver", "Dana Ruiz (sponsor)", "--approver", "Lee Chen (pmo)"]
    decided = w.ok("gate", "decide", "ALPHA", "go", *go)
    assert "of ALPHA; now in phase scoping; active (was proposed)" in decided
    shown = w.json("project", "show", "ALPHA")
    assert (shown["lifecycle"], shown["phase"]) == ("active", "scoping")

    # Gate 2: the project brief.
    w.ok("artifact", "submit", "ALPHA", "project-brief", as_="Sam Roe")
    w.ok("artifact", "approve", "ALPHA", "project-brief", "--approver", "Lee Chen (pmo)")
    w.ok("gate", "decide", "ALPHA", "go", *go)

    # Gate 3: business case, plan, milestones, work and baseline 0 before execution.
    for name in ("business-case", "project-plan"):
        w.ok("artifact", "submit", "ALPHA", name, as_="Sam Roe")
        w.ok("artifact", "approve", "ALPHA", name, "--approver", "Dana Ruiz")
    w.ok("milestone", "add", "ALPHA", "Design complete", "--due",
         (START + timedelta(days=90)).isoformat(), as_="Sam Roe")  # fmt: skip
    w.ok("work", "add", "ALPHA", "Build", "--start", START.isoformat(), "--due",
         (START + timedelta(days=120)).isoformat(), "--work", "800", "--budget", "120000 EUR",
         as_="Sam Roe")  # fmt: skip
    w.ok("work", "add", "ALPHA", "Test", "--start", (START + timedelta(days=121)).isoformat(),
         "--due", FINISH.isoformat(), "--work", "400", "--budget", "80000 EUR",
         as_="Sam Roe")  # fmt: skip
    blocked = w.run("gate", "check", "ALPHA")
    assert blocked.returncode == 5
    assert "no baseline" in blocked.stdout
    w.ok("baseline", "take", "ALPHA", "--name", "Approved at gate 3", as_="Sam Roe")
    assert w.run("gate", "check", "ALPHA").returncode == 0
    w.ok("gate", "decide", "ALPHA", "go", *go)
    shown = w.json("project", "show", "ALPHA")
    assert shown["phase"] == "development"
    decisions = [
        e for e in w.journal() if e["command"] == "gate decide" and e["kind"] == "gate_decision"
    ]
    assert len(decisions) == 3
    for entry in decisions:
        approvals = {(a["approver"], a["role"]) for a in entry["after"]["approvals"]}
        assert approvals == {("Dana Ruiz", "sponsor"), ("Lee Chen", "pmo")}


def _work_costs_and_a_change_request_that_rebaselines(week: Week) -> None:
    w = week
    [build, _test] = w.json("work", "list", "ALPHA")
    w.ok("work", "progress", build["id"][:6], "--percent", "30", "--actual-cost", "36000 EUR",
         as_="Sam Roe")  # fmt: skip
    w.ok("cost", "add", "ALPHA", "5000 EUR", "--on", TODAY.isoformat(), "--opex",
         "--description", "Licences", as_="Sam Roe")  # fmt: skip
    # A baselined budget changes only through a change request under controlling.
    w.refused(5, "project", "update", "ALPHA", "--budget", "230000 EUR",
              needle="approved change request")  # fmt: skip
    raised = w.json_as("Sam Roe", "change", "raise", "ALPHA", "Add a DR site",
                       "--budget", "230000 EUR",
                       "--finish", (FINISH + timedelta(days=14)).isoformat(),
                    "--scope", "A second data centre")  # fmt: skip
    # The manager asked: under controlling he cannot approve his own change.
    ref = raised["id"][:6]
    w.refused(5, "change", "approve", ref, "--approver", "Sam Roe", "--approver",
              "Dana Ruiz (sponsor)", needle="Sam Roe cannot approve", as_="Sam Roe")  # fmt: skip
    w.ok("change", "assess", ref, "--comment", "Quote received", as_="Sam Roe")
    w.refused(5, "change", "approve", ref, "--approver", "Dana Ruiz (sponsor)",
              needle="no pmo among them")  # fmt: skip
    w.ok("change", "approve", ref, "--approver", "Dana Ruiz (sponsor)",
         "--approver", "Lee Chen (pmo)", as_="Dana Ruiz")  # fmt: skip
    baselines = w.json("baseline", "list", "ALPHA")
    assert [
        (b["number"], Decimal(b["cost"]["amount"]), b["cost"]["currency"]) for b in baselines
    ] == [
        (0, Decimal(200000), "EUR"),
        (1, Decimal(230000), "EUR"),
    ]
    # A small change is the manager's to approve, but not the change he asked for himself.
    small = w.json_as("Sam Roe", "change", "raise", "ALPHA", "Extra licences",
                      "--budget", "232000 EUR")  # fmt: skip
    w.refused(5, "change", "approve", small["id"][:6], "--approver", "Sam Roe (manager)",
              needle="Sam Roe asked for", as_="Sam Roe")  # fmt: skip
    w.ok("change", "reject", small["id"][:6], "--comment", "Covered by the reserve",
         as_="Dana Ruiz")  # fmt: skip
    compared = w.json("baseline", "compare", "ALPHA", "0", "1")
    assert compared["schedule"]["finish_days"] == 14
    assert compared["cost"]["delta"] == {"amount": "30000", "currency": "EUR"}
    assert Decimal(w.json("project", "show", "ALPHA")["budget"]["amount"]) == 230000


def _a_forecast_breach_raises_an_exception_escalated_upward(week: Week) -> None:
    w = week
    w.ok("forecast", "set", "ALPHA", "--eac", "300000 EUR", "--reason", "Vendor re-quote",
         as_="Sam Roe")  # fmt: skip
    assert w.run("tolerance", "check", "ALPHA").returncode == 5
    exceptions = w.json("exception", "list")
    alpha = [x for x in exceptions if x["entity"] == "ALPHA"]
    assert alpha, exceptions
    assert {x["metrics"]["escalated_to"] for x in alpha} == {"ERP"}
    issue = w.json("raid", "show", alpha[0]["metrics"]["issue"][:8])
    assert issue["title"].startswith("Exception: project")
    assert issue["owned_by"] == "Marcus Webb"  # the program's sponsor: the model escalates there


def _every_write_is_journaled_with_its_actor(week: Week) -> None:
    entries = week.journal()
    actors = {(e["command"], e["actor"]) for e in entries}
    for expected in (
        ("project create", "Sam Roe"),
        ("artifact submit", "Sam Roe"),
        ("artifact approve", "lee"),
        ("gate decide", "lee"),
        ("baseline take", "Sam Roe"),
        ("work add", "Sam Roe"),
        ("cost add", "Sam Roe"),
        ("change raise", "Sam Roe"),
        ("change approve", "Dana Ruiz"),
        ("forecast set", "Sam Roe"),
        ("tolerance exception", "Sam Roe"),
    ):
        assert expected in actors, (expected, sorted(actors))
    assert all(e["actor"] for e in entries)


_BAD_INPUT = [
    (["gate", "decide", "ALPHA", "hold", "--approver", "Dana Ruiz", "--approver",
      "dana ruiz"], 2, "named more than once"),
    (["project", "update", "ALPHA", "--budget", "-5 EUR"], 2, "budget"),
    (["cost", "add", "ALPHA", "-5 EUR", "--on", TODAY.isoformat()], 2, "negative"),
    (["project", "update", "ALPHA", "--phase", "nonsense"], 2, "no phase 'nonsense'"),
    (["work", "add", "ALPHA", "Extra", "--budget", "10 USD"], 2, "USD"),
]  # fmt: skip


def test_bad_input_is_one_line_and_writes_nothing(tmp_path: Path) -> None:
    week = _monday(tmp_path)
    for argv, code, needle in _BAD_INPUT:
        week.refused(code, *argv, needle=needle)


def _a_killed_project_stays_dead_and_leaves_the_totals(week: Week) -> None:
    w = week
    w.ok("project", "create", "BETA", "--name", "Beta", "--parent", "ERP", "--sponsor",
         "Dana Ruiz", "--budget", "50000 EUR", "--start", START.isoformat(),
         "--finish", FINISH.isoformat())  # fmt: skip
    w.ok("work", "add", "BETA", "Pilot", "--start", START.isoformat(), "--due",
         FINISH.isoformat(), "--budget", "50000 EUR")  # fmt: skip
    before = w.json("report", "portfolio-summary", "ERP")
    bac = {m["name"]: m["value"] for m in before["metrics"]}["bac"]
    assert bac == "250000.00"  # the work items' budgets: ALPHA's 200,000 and BETA's 50,000
    w.ok("project", "update", "BETA", "--lifecycle", "killed", "--comment", "No market",
         "--approver", "Dana Ruiz (sponsor)")  # fmt: skip
    w.refused(4, "gate", "decide", "BETA", "hold", "--approver", "Dana Ruiz", needle="killed")
    w.refused(4, "project", "update", "BETA", "--lifecycle", "on_hold", "--comment", "x",
              "--approver", "Dana Ruiz", needle="killed is final")  # fmt: skip
    after = w.json("report", "portfolio-summary", "ERP")
    metrics = {m["name"]: m["value"] for m in after["metrics"]}
    assert metrics["bac"] == "200000.00"
    assert [p["key"] for p in after["projects"]] == ["ALPHA"]
    assert [(e["key"], e["state"]) for e in after["ended"]] == [("BETA", "killed")]
    assert after["counts"] == {"live": 1, "on_hold": 0, "ended": 1, "pipeline": 0}


def test_the_models_mean_what_they_say_mixed_per_scope(tmp_path: Path) -> None:
    w = _init(tmp_path, "mixed")
    for model in ("supportive", "controlling", "directive"):
        key = model[:3].upper()
        w.ok("portfolio", "create", key, "--name", model, "--governance-model", model)
        w.ok("role", "assign", key, "pmo", "Lee Chen")
        w.ok(
            "project", "create", f"{key}1", "--name", model, "--parent", key,
            "--sponsor", "Dana Ruiz", "--manager", "Sam Roe", "--methodology", "stage-gate",
            "--phase", "discovery",
        )  # fmt: skip
    # Each needs its idea submission approved before gate 1.
    assert w.run("gate", "check", "SUP1").returncode == 0  # supportive advises
    advice = w.json("gate", "check", "SUP1")
    assert advice["blocked"] is False
    assert any("idea-submission" in a for a in advice["advice"])
    w.ok("gate", "decide", "SUP1", "go", "--approver", "Dana Ruiz (sponsor)")

    assert w.run("gate", "check", "CON1").returncode == 5  # controlling: a waiver lets it pass
    w.refused(5, "waiver", "grant", "CON1", "--criterion", "idea-submitted", "--reason", "Draft",
              "--expires", (TODAY + timedelta(days=30)).isoformat(), "--approver", "Lee Chen",
              needle="not the requester", as_="Lee Chen")  # fmt: skip
    w.ok("waiver", "grant", "CON1", "--criterion", "idea-submitted", "--reason", "Draft",
         "--expires", (TODAY + timedelta(days=30)).isoformat(), "--approver", "Lee Chen",
         as_="Sam Roe")  # fmt: skip
    assert w.run("gate", "check", "CON1").returncode == 0
    w.ok("gate", "decide", "CON1", "go", "--approver", "Dana Ruiz (sponsor)",
         "--approver", "Lee Chen (pmo)")  # fmt: skip

    assert w.run("gate", "check", "DIR1").returncode == 5  # directive: blocked until approval
    w.ok("artifact", "submit", "DIR1", "idea-submission", as_="Sam Roe")
    assert w.run("gate", "check", "DIR1").returncode == 5  # submitted is not approved
    w.ok("artifact", "approve", "DIR1", "idea-submission", "--approver", "Lee Chen (pmo)")
    assert w.run("gate", "check", "DIR1").returncode == 0
