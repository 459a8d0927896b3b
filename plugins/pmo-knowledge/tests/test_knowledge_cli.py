"""``pmo knowledge``: search, suggest, apply and list through the command line; bad input is
one ``error:`` line, a non-zero exit, and nothing written."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from pmo_core import Workspace
from pmo_core.testing import CliResult

Run = Callable[..., CliResult]


@pytest.fixture
def run(ws: Workspace, pmo_cli: Run) -> Run:
    ws.create("project", id="ALPHA", name="CRM rollout", tags=("vendor",))
    ws.create("project", id="BETA", name="ERP upgrade", tags=("vendor",))

    def go(*args: str) -> CliResult:
        return pmo_cli("--as", "tester", *args, workspace=ws)

    return go


def ok(run: Run, *args: str) -> CliResult:
    return run(*args).assert_ok()


def error(result: CliResult, code: int, needle: str) -> None:
    result.assert_error(needle, code=code)


def test_add_search_suggest_apply_list(run: Run) -> None:
    added = ok(run, "lesson", "add", "ALPHA", "Vendor missed two drops", "--recommendation",
               "Milestones in the contract", "--tag", "vendor", "--json").json()  # fmt: skip
    lesson = added["id"]
    hits = ok(run, "knowledge", "search", "vendor drops", "--json").json()
    assert [h["id"] for h in hits] == [lesson]
    assert "[Vendor]" in hits[0]["snippet"]
    assert "Milestones in the contract" in ok(run, "knowledge", "search", "vendor").output
    suggested = ok(run, "knowledge", "suggest", "BETA", "--json").json()
    assert [(s["id"], s["score"]) for s in suggested] == [(lesson, 3 + 1)]
    assert "tag vendor" in ok(run, "knowledge", "suggest", "BETA").output
    gate = ok(run, "gate", "check", "BETA")
    assert "knowledge-relevant-lessons" in gate.output
    assert lesson in gate.output
    applied = ok(run, "knowledge", "apply", lesson, "BETA", "--comment", "In the contract",
                 "--on", "2025-03-01", "--json").json()  # fmt: skip
    assert applied == {
        "project": "BETA", "lesson": lesson, "on": "2025-03-01", "by": "tester",
        "comment": "In the contract",
    }  # fmt: skip
    assert ok(run, "knowledge", "suggest", "BETA", "--json").json() == []
    assert ok(run, "knowledge", "suggest", "BETA").output == "No relevant lessons.\n"
    assert [a["lesson"] for a in ok(run, "knowledge", "list", "BETA", "--json").json()] == [lesson]
    assert "In the contract" in ok(run, "knowledge", "list", "BETA").output


def test_search_with_fts_syntax_never_errors(run: Run) -> None:
    ok(run, "lesson", "add", "ALPHA", "Vendor late")
    for text in ('"vendor', "vendor*", "NEAR(vendor", "^vendor", "-vendor", "a:b", "*", "()"):
        ok(run, "knowledge", "search", "--", text)  # "--": a text may start with "-"
    assert ok(run, "knowledge", "search", "nothing-like-it", "--json").json() == []


def test_bad_input(run: Run, ws: Workspace) -> None:
    lesson = ok(run, "lesson", "add", "ALPHA", "Vendor late", "--json").json()["id"]
    before = len(ws.journal())
    error(run("knowledge", "apply", "nope", "BETA"), 2, "LESSON")
    error(run("knowledge", "apply", lesson, "NOPE"), 3, "NOPE")
    error(run("knowledge", "suggest", "BETA", "--limit", "0"), 2, "--limit")
    error(run("knowledge", "search", "x", "--limit", "0"), 2, "--limit")
    error(run("knowledge", "apply", lesson, "BETA", "--on", "tomorrow"), 2, "--on")
    ok(run, "knowledge", "apply", lesson, "BETA")
    error(run("knowledge", "apply", lesson, "BETA"), 2, "already applied")
    assert len(ws.journal()) == before + 1


def test_report_from_the_command_line(run: Run) -> None:
    ok(run, "lesson", "add", "ALPHA", "Vendor late", "--tag", "vendor")
    data = ok(run, "report", "lessons-learned", "BETA", "--format", "json").json()
    assert len(data["suggested"]) == 1


def test_project_create_shows_the_most_relevant_lessons(run: Run) -> None:
    lesson = ok(run, "lesson", "add", "ALPHA", "Vendor missed two drops", "--recommendation",
                "Milestones in the contract", "--tag", "vendor", "--json").json()["id"]  # fmt: skip

    created = ok(run, "project", "create", "GAMMA", "--name", "Vendor portal", "--tag", "vendor")

    assert created.output.splitlines() == [
        "Created project GAMMA (Vendor portal), version 1",
        "note: knowledge-relevant-lessons [advise]: 1 relevant lesson from similar projects "
        f"not applied yet: {lesson} (ALPHA): Milestones in the contract (see 'pmo knowledge "
        "suggest GAMMA'; then 'pmo knowledge apply|dismiss LESSON GAMMA')",
    ]
    # A project no lesson is relevant to is created without a note.
    quiet = ok(run, "project", "create", "DELTA", "--name", "Office move")
    assert quiet.output.splitlines() == ["Created project DELTA (Office move), version 1"]


def test_dismiss_a_lesson_that_does_not_apply(run: Run) -> None:
    first = ok(run, "lesson", "add", "ALPHA", "Vendor missed two drops", "--recommendation",
               "Milestones in the contract", "--tag", "vendor", "--json").json()["id"]  # fmt: skip
    second = ok(run, "lesson", "add", "ALPHA", "Vendor invoices were late", "--tag", "vendor",
                "--json").json()["id"]  # fmt: skip
    before = ok(run, "project", "show", "BETA", "--json").json()["version"]
    # A dismissal is a decision: without its reason it is refused and nothing is written.
    assert run("knowledge", "dismiss", first, "BETA").exit_code == 2
    error(run("knowledge", "dismiss", first, "BETA", "--comment", "  "), 2, "--comment")
    assert ok(run, "project", "show", "BETA", "--json").json()["version"] == before

    dismissed = ok(run, "knowledge", "dismiss", first, "BETA", "--comment", "No vendor here",
                   "--on", "2025-02-01", "--json").json()  # fmt: skip
    assert dismissed == {
        "project": "BETA", "lesson": first, "on": "2025-02-01", "by": "tester",
        "comment": "No vendor here",
    }  # fmt: skip
    # Dismissed, it is no longer suggested nor listed by the rule; the other one still is.
    assert [s["id"] for s in ok(run, "knowledge", "suggest", "BETA", "--json").json()] == [second]
    gate = ok(run, "gate", "check", "BETA").output
    assert "knowledge-relevant-lessons" in gate
    assert second in gate
    assert first not in gate
    error(run("knowledge", "dismiss", first, "BETA", "--comment", "again"), 2, "already dismissed")
    error(run("knowledge", "apply", first, "BETA"), 2, "already dismissed")

    ok(run, "knowledge", "apply", second, "BETA", "--on", "2025-03-01")
    error(run("knowledge", "dismiss", second, "BETA", "--comment", "x"), 2, "already applied")
    assert "knowledge-relevant-lessons" not in ok(run, "gate", "check", "BETA").output
    listed = ok(run, "knowledge", "list", "BETA", "--json").json()
    assert [(x["lesson"], x["outcome"]) for x in listed] == [
        (first, "dismissed"),
        (second, "applied"),
    ]
    assert "No vendor here" in ok(run, "knowledge", "list", "BETA").output
