"""The installed ``pmo`` console script, run as a user runs it: a subprocess in a workspace
directory, checked by exit code, stdout and stderr. One case (at least) per top-level command
of the core; the last test checks that no command is left without one.

The other CLI tests call the click group in-process (fast, and with the internals at hand);
these prove that the entry point pip wrote works: the script, its imports, its exit codes and
its streams. One workspace serves the module, and each case is one short process."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from pmo_core._cli import _catalogue

pytestmark = pytest.mark.integration


def _script() -> str:
    beside = Path(sys.executable).parent / "pmo"
    if beside.exists():
        return str(beside)
    found = shutil.which("pmo")
    if found is None:
        pytest.fail(
            f"no 'pmo' console script next to {sys.executable} nor on PATH: install pmo-core"
            " (pip install -e .) in the environment that runs the tests"
        )
    return found


@dataclass(frozen=True)
class Run:
    code: int
    stdout: str
    stderr: str


@dataclass
class Console:
    """Runs the console script in one workspace directory, as a user would."""

    script: str
    root: Path
    env: dict[str, str]

    def __call__(self, *args: str, cwd: Path | None = None) -> Run:
        done = subprocess.run(
            [self.script, *args],
            cwd=cwd or self.root,
            env=self.env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        return Run(done.returncode, done.stdout, done.stderr)

    def ok(self, *args: str) -> Run:
        run = self(*args)
        assert run.code == 0, (args, run.code, run.stdout, run.stderr)
        return run


@pytest.fixture(scope="module")
def console(tmp_path_factory: pytest.TempPathFactory) -> Console:
    """A bare workspace (no profile, so no plugin is needed) with a portfolio, a program and
    a project ALPHA holding a risk, a work item, a cost, a forecast, a lesson and a baseline."""
    home = tmp_path_factory.mktemp("console")
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("PMO_") or k in ("PMO_FAIL_ON_SKIP", "PMO_COVERAGE_DATA")
    }
    env.update(PMO_CACHE_DIR=str(home / "cache"), PMO_USER="tester", NO_COLOR="1")
    env.pop("CLICOLOR_FORCE", None)
    first = Console(_script(), home, env)
    first.ok("init", "ws")
    pmo = Console(first.script, home / "ws", env)
    pmo.ok("portfolio", "create", "PF", "--name", "Digital")
    pmo.ok("program", "create", "ERP", "--name", "ERP renewal", "--parent", "PF")
    pmo.ok(
        "project", "create", "ALPHA", "--name", "Alpha", "--parent", "ERP",
        "--budget", "1000 EUR", "--start", "2026-01-05", "--finish", "2026-12-18",
    )  # fmt: skip
    pmo.ok("raid", "add", "ALPHA", "risk", "Vendor late")
    pmo.ok("work", "add", "ALPHA", "Design")
    pmo.ok("cost", "add", "ALPHA", "100 EUR", "--on", "2026-02-01")
    pmo.ok("forecast", "set", "ALPHA", "--eac", "1200 EUR", "--reason", "scope grew")
    pmo.ok("lesson", "add", "ALPHA", "Start the vendor contract early")
    pmo.ok("baseline", "take", "ALPHA")
    return pmo


def _json(check: Callable[[Any], bool]) -> Callable[[str], bool]:
    def parse(stdout: str) -> bool:
        return check(json.loads(stdout))

    return parse


@dataclass(frozen=True)
class Case:
    """``pmo ARGS`` exits ``code``; stdout contains ``out`` (or satisfies ``check``); stderr
    is empty, or contains ``err``."""

    args: tuple[str, ...]
    code: int = 0
    out: str = ""
    err: str = ""
    check: Callable[[str], bool] | None = field(default=None, compare=False)

    @property
    def id(self) -> str:
        return " ".join(self.args)


CASES = [
    Case(("--version",), out="0.1.0"),
    Case(("artifact", "list", "ALPHA", "--json"), check=_json(lambda d: d == [])),
    Case(("assess", "--help"), out="Usage: pmo assess"),
    Case(("baseline", "list", "ALPHA", "--json"), check=_json(lambda d: d[0]["number"] == 0)),
    Case(("change", "list", "--json"), check=_json(lambda d: d == [])),
    Case(("completion", "bash"), out="_pmo_completion()"),
    Case(("cost", "list", "ALPHA", "--json"),
         check=_json(lambda d: d[0]["amount"] == {"amount": "100", "currency": "EUR"})),
    Case(("cost", "add", "ALPHA", "5 USD", "--on", "2026-02-02"), code=2, err="USD"),
    Case(("doctor",), out="ok   store:"),
    Case(("exception", "list"), out="AS OF", err="No exceptions."),
    Case(("export", "no-such-connector", "out"), code=3, err="no-such-connector"),
    Case(("forecast", "list", "ALPHA", "--json"),
         check=_json(lambda d: d[0]["eac"] == {"amount": "1200", "currency": "EUR"})),
    Case(("gate", "check", "ALPHA", "--json"),
         check=_json(lambda d: d["entity"] == "ALPHA" and d["blocked"] is False)),
    Case(("help", "exit-codes"), out="5  blocked by governance"),
    Case(("import", "no-such-connector", "in"), code=3, err="no-such-connector"),
    Case(("init", "--help"), out="Usage: pmo init"),
    Case(("journal", "--kind", "project", "--json"),
         check=_json(lambda d: [(e["op"], e["id"]) for e in d] == [("insert", "ALPHA")])),
    Case(("lesson", "list", "--json"),
         check=_json(lambda d: d[0]["what_happened"] == "Start the vendor contract early")),
    Case(("metrics", "ALPHA", "--json"), check=_json(lambda d: d["key"] == "ALPHA")),
    Case(("milestone", "add", "ALPHA", "Go live", "--due", "2026-06-01"), out="due 2026-06-01"),
    Case(("office-cost", "list", "--json"), check=_json(lambda d: d == [])),
    Case(("plugins", "list", "--all", "--json"),
         check=_json(lambda d: any(p["id"] == "pmo-core" and p["builtin"] for p in d))),
    Case(("portfolio", "list", "--json"), check=_json(lambda d: [p["id"] for p in d] == ["PF"])),
    Case(("program", "show", "ERP", "--json"), check=_json(lambda d: d["parent"] == "PF")),
    Case(("project", "list", "--json"), check=_json(lambda d: [p["id"] for p in d] == ["ALPHA"])),
    Case(("project", "show", "NOPE"), code=3, err="error: no project 'NOPE'"),
    Case(("raid", "list", "ALPHA", "--json"),
         check=_json(lambda d: [r["title"] for r in d] == ["Vendor late"])),
    Case(("report", "list", "--json"), check=_json(lambda d: isinstance(d, list))),
    Case(("role", "list", "--json"), check=_json(lambda d: d == [])),
    Case(("schema", "--kind", "project"), check=_json(lambda d: d["title"] == "Project")),
    Case(("search", "Vendor", "--json"), check=_json(lambda d: d[0]["kind"] == "raid")),
    Case(("status", "report", "ALPHA", "--overall", "green", "--status-date", "2026-03-02"),
         out="Recorded status of ALPHA as of 2026-03-02: green"),
    Case(("store", "copy", "sqlite:///.pmo/pmo.db", "sqlite:///copy/pmo.db"), out="copy"),
    Case(("survey", "list", "--json"), check=_json(lambda d: d == [])),
    Case(("sync", "list", "--json"), check=_json(lambda d: d == [])),
    Case(("tailoring", "list", "--json"), check=_json(lambda d: d == [])),
    Case(("tolerance", "check", "--json"), check=_json(lambda d: isinstance(d, list))),
    Case(("waiver", "list", "--json"), check=_json(lambda d: d == [])),
    Case(("work", "list", "ALPHA", "--json"),
         check=_json(lambda d: [w["subject"] for w in d] == ["Design"])),
]  # fmt: skip


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_the_console_script_runs_the_command(console: Console, case: Case) -> None:
    run = console(*case.args)

    assert run.code == case.code, (run.code, run.stdout, run.stderr)
    assert "Traceback" not in run.stdout + run.stderr
    assert case.out in run.stdout, run.stdout
    if case.check is not None:
        assert case.check(run.stdout), run.stdout
    if case.err:
        assert case.err in run.stderr, run.stderr
        if case.code:  # a user error is one line on stderr, and nothing on stdout
            assert run.stderr.startswith("error: "), run.stderr
            assert len(run.stderr.strip().splitlines()) == 1, run.stderr
            assert run.stdout == ""
    else:
        assert run.stderr == "", run.stderr


def test_the_console_script_finds_the_workspace_upward_and_lists_every_core_command(
    console: Console,
) -> None:
    below = console.root / "notes" / "2026"
    below.mkdir(parents=True)

    run = console("--help", cwd=below)

    assert (run.code, run.stderr) == (0, "")
    listed = run.stdout.split("Commands:", 1)[1]
    names = {line.split()[0] for line in listed.splitlines() if line.startswith("  ")}
    assert set(_catalogue.builtin_listing()) <= names
    assert console("project", "list", cwd=below).stdout.count("ALPHA") == 1


def test_every_core_command_group_has_a_console_script_case() -> None:
    covered = {case.args[0] for case in CASES}

    assert set(_catalogue.builtin_listing()) - covered == set()
