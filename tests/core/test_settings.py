"""Settings: a rule's own settings, per workspace and per scope ([governance.rules]), from
the file and the environment; bad values name where they came from and make the rule fail
closed; settings tables nobody declares are reported."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from pydantic import BaseModel, Field

from pmo_core import (
    InvalidInputError,
    PmoGovernanceRule,
    PmoReport,
    PmoSettings,
    ReportOutput,
    ReportRequest,
    RuleContext,
    Workspace,
    hookimpl,
)

MakeWorkspace = Callable[..., Workspace]


class Budget(BaseModel):
    limit: int = Field(default=100, ge=0)


def _over_limit(ctx: RuleContext) -> str | None:
    limit = ctx.settings_as(Budget).limit
    amount = int(ctx.entity.budget.amount) if ctx.entity.budget else 0
    return f"{ctx.entity.id}: {amount} over {limit}" if amount > limit else None


class LimitRule:
    @hookimpl
    def pmo_governance_rules(self) -> Iterator[PmoGovernanceRule]:
        yield PmoGovernanceRule(
            name="budget-limit",
            level="warn",
            scopes=("project",),
            settings=Budget,
            check=_over_limit,
        )


class Board(BaseModel):
    email: str = "pmo@acme.example"


class BoardSettings:
    @hookimpl
    def pmo_settings(self) -> Iterator[PmoSettings]:
        yield PmoSettings(name="board", model=Board)


def _tree(ws: Workspace) -> None:
    ws.create("portfolio", id="PF", name="Portfolio")
    ws.create("program", id="PG", name="Program", parent="PF")
    ws.create("project", id="A", name="A", parent="PG", budget="150 EUR")
    ws.create("project", id="B", name="B", parent="PF", budget="150 EUR")


def _failing(ws: Workspace) -> dict[str, str]:
    return {f.entity: f.message for f in ws.check() if f.rule == "budget-limit" and not f.passed}


def test_a_rule_reads_its_defaults(pmo_workspace_factory: MakeWorkspace) -> None:
    ws = pmo_workspace_factory(plugins={"limits": LimitRule()}, store="memory")
    _tree(ws)

    assert _failing(ws) == {"A": "A: 150 over 100", "B": "B: 150 over 100"}
    assert ws.rule_settings("budget-limit", "A") == Budget()


def test_the_workspace_table_then_each_scope_nearest_last(
    pmo_workspace_factory: MakeWorkspace,
) -> None:
    rules = {"budget-limit": {"limit": 140, "scopes": {"PF": {"limit": 200}}}}
    rules["budget-limit"]["scopes"]["PG"] = {"limit": 120}
    ws = pmo_workspace_factory(plugins={"limits": LimitRule()}, rules=rules)
    _tree(ws)

    # B sits under PF (200); A under PG (120) under PF: the nearest scope wins.
    assert _failing(ws) == {"A": "A: 150 over 120"}
    assert ws.rule_settings("budget-limit", "B") == Budget(limit=200)
    assert ws.rule_settings("budget-limit", "PG") == Budget(limit=120)


def test_the_environment_overrides_the_file_but_not_a_scope(
    pmo_workspace_factory: MakeWorkspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    rules = {"budget-limit": {"limit": 10, "scopes": {"PG": {"limit": 120}}}}
    monkeypatch.setenv("PMO_RULES_BUDGET_LIMIT_LIMIT", "500")
    ws = pmo_workspace_factory(plugins={"limits": LimitRule()}, rules=rules)
    _tree(ws)

    assert ws.rule_settings("budget-limit", "B") == Budget(limit=500)
    assert _failing(ws) == {"A": "A: 150 over 120"}


def test_a_bad_value_fails_closed_naming_where_it_is(
    pmo_workspace_factory: MakeWorkspace,
) -> None:
    rules = {"budget-limit": {"scopes": {"PG": {"limit": -1}}}}
    ws = pmo_workspace_factory(plugins={"limits": LimitRule()}, rules=rules)
    _tree(ws)

    findings = {f.entity: f for f in ws.check() if f.rule == "budget-limit"}

    assert findings["A"].blocking
    assert findings["A"].error
    assert (
        f"{ws.config.path}: governance.rules.budget-limit.scopes.PG.limit: Input should be "
        "greater than or equal to 0" in findings["A"].message
    )
    assert findings["B"].message == "B: 150 over 100"  # outside PG the rule runs as usual
    assert not findings["B"].blocking


def test_a_bad_value_from_the_environment_names_the_variable(
    pmo_workspace_factory: MakeWorkspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PMO_BOARD_EMAIL", "")
    monkeypatch.setenv("PMO_RULES_BUDGET_LIMIT_LIMIT", "lots")
    ws = pmo_workspace_factory(plugins={"limits": LimitRule(), "board": BoardSettings()})
    _tree(ws)

    with pytest.raises(InvalidInputError) as caught:
        ws.rule_settings("budget-limit", "A")

    assert caught.value.where == "environment variable PMO_RULES_BUDGET_LIMIT_LIMIT"
    problems = ws.check_settings()
    assert problems == [
        "environment variable PMO_RULES_BUDGET_LIMIT_LIMIT: limit: Input should be a valid "
        "integer, unable to parse string as an integer"
    ]


def test_a_rule_without_settings_sees_none(pmo_workspace_factory: MakeWorkspace) -> None:
    seen: list[Any] = []

    class Plain:
        @hookimpl
        def pmo_governance_rules(self) -> Iterator[PmoGovernanceRule]:
            yield PmoGovernanceRule(
                name="plain", check=lambda ctx: seen.append(ctx.settings) or None
            )

    ws = pmo_workspace_factory(plugins={"plain": Plain()}, store="memory")
    ws.create("project", id="P", name="P")
    ws.check("P")

    assert seen == [None]
    assert ws.rule_settings("plain", "P") is None


def test_settings_as_another_model_fails_closed(pmo_workspace_factory: MakeWorkspace) -> None:
    class Wrong:
        @hookimpl
        def pmo_governance_rules(self) -> Iterator[PmoGovernanceRule]:
            yield PmoGovernanceRule(
                name="wrong", settings=Budget, check=lambda ctx: str(ctx.settings_as(Board))
            )

    ws = pmo_workspace_factory(plugins={"wrong": Wrong()}, store="memory")
    ws.create("project", id="P", name="P")
    (finding,) = ws.check("P")

    assert finding.blocking
    assert "rule settings are Budget, not Board" in finding.message


def test_tables_nobody_declares_are_reported(pmo_workspace_factory: MakeWorkspace) -> None:
    settings = {"board": {"email": "board@acme.example"}, "jria": {"url": "https://jira.example"}}
    ws = pmo_workspace_factory(
        plugins={"limits": LimitRule(), "board": BoardSettings()},
        settings=settings,
        rules={"budget-limit": {"limit": 5}, "budget-limt": {"level": "block"}},
    )
    _tree(ws)

    assert ws.check_settings() == [
        "[settings.jria] is declared by no enabled plugin",
        f"{ws.config.path}: governance.rules.budget-limt: no enabled plugin registers a rule "
        "'budget-limt'; did you mean budget-limit? (rules: budget-limit)",
    ]
    # Reported, not fatal: every command still runs, and the misspelt table changes nothing.
    assert {f.entity: f.level for f in ws.check()} == {"A": "warn", "B": "warn"}
    assert [o.rule for o in ws.rule_overrides()] == ["budget-limit"]


def test_a_misspelt_key_is_refused_not_dropped(pmo_workspace_factory: MakeWorkspace) -> None:
    ws = pmo_workspace_factory(
        plugins={"limits": LimitRule(), "board": BoardSettings()},
        settings={"board": {"emial": "x@acme.example"}},
        rules={"budget-limit": {"limt": 5}},
    )
    _tree(ws)

    (finding,) = [f for f in ws.check("A") if f.rule == "budget-limit"]

    assert finding.blocking
    assert "governance.rules.budget-limit.limt: unknown key (expected: limit)" in finding.message
    assert [p.split(": ", 1)[1] for p in ws.check_settings()] == [
        "unknown key emial (expected: email)",
        "governance.rules.budget-limit.limt: unknown key (expected: limit)",
    ]
    with pytest.raises(InvalidInputError, match=r"\[settings.board\]"):
        ws.settings("board")


def test_a_rule_table_that_is_no_table_is_refused_with_its_key(
    pmo_workspace_factory: MakeWorkspace,
) -> None:
    with pytest.raises(InvalidInputError, match=r"governance.rules.budget-limit must be a table"):
        pmo_workspace_factory(plugins={"limits": LimitRule()}, rules={"budget-limit": 5})


def test_a_misspelt_settings_table_is_refused_with_a_suggestion(
    pmo_workspace_factory: MakeWorkspace,
) -> None:
    ws = pmo_workspace_factory(
        plugins={"board": BoardSettings()}, settings={"bord": {"email": "x@acme.example"}}
    )

    with pytest.raises(InvalidInputError) as caught:
        ws.settings("board")

    assert caught.value.where == str(ws.config.path)
    assert caught.value.message == (
        "[settings.bord] is declared by no enabled plugin; did you mean [settings.board]? "
        "(without it board runs on its defaults)"
    )
    # pmo doctor says it once, with the suggestion.
    assert ws.check_settings() == [
        "[settings.bord] is declared by no enabled plugin; did you mean [settings.board]?"
    ]


def test_a_far_or_extra_table_does_not_stop_the_settings_that_are_there(
    pmo_workspace_factory: MakeWorkspace,
) -> None:
    # Not close to "board" (below the cutoff): reported by doctor, not a refusal.
    far = pmo_workspace_factory(plugins={"board": BoardSettings()}, settings={"brd": {}})
    assert far.settings("board") == Board()
    assert far.check_settings() == ["[settings.brd] is declared by no enabled plugin"]
    # Both the table and a near miss: the table is read; the near miss is reported.
    both = pmo_workspace_factory(
        plugins={"board": BoardSettings()},
        settings={"board": {"email": "b@acme.example"}, "boadr": {}},
    )
    assert both.settings("board") == Board(email="b@acme.example")
    assert both.check_settings() == [
        "[settings.boadr] is declared by no enabled plugin; did you mean [settings.board]?"
    ]


class IndentSettings(BaseModel):
    indent: int = Field(default=2, ge=0, le=8)


class AcmeJson:
    @hookimpl
    def pmo_settings(self) -> Iterator[PmoSettings]:
        yield PmoSettings(name="acme-json", model=IndentSettings)


def test_a_bad_value_from_the_environment_is_not_blamed_on_the_file(
    pmo_workspace_factory: MakeWorkspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """PMO_ACME_JSON_INDENT=99 with a sound [settings.acme-json] table: the variable is named,
    not the table it overrides."""
    monkeypatch.setenv("PMO_ACME_JSON_INDENT", "99")
    ws = pmo_workspace_factory(
        plugins={"acme-json": AcmeJson()}, settings={"acme-json": {"indent": 4}}
    )

    with pytest.raises(InvalidInputError) as caught:
        ws.settings("acme-json")

    assert caught.value.where == "environment variable PMO_ACME_JSON_INDENT"
    assert "pmo.toml" not in str(caught.value)
    assert caught.value.message == "indent: Input should be less than or equal to 8"
    monkeypatch.setenv("PMO_ACME_JSON_INDENT", "8")  # at the limit: accepted
    assert ws.settings("acme-json") == IndentSettings(indent=8)


class BoardReport:
    """A report that reads its plugin's settings through the request."""

    @hookimpl
    def pmo_settings(self) -> Iterator[PmoSettings]:
        yield PmoSettings(name="board", model=Board)

    @hookimpl
    def pmo_reports(self) -> Iterator[PmoReport]:
        def render(request: ReportRequest) -> ReportOutput:
            assert request.settings is not None
            board = request.settings("board")
            assert isinstance(board, Board)
            return ReportOutput(content=board.email, media_type="text/plain")

        yield PmoReport(name="board-address", scopes=("pmo",), formats=("txt",), render=render)


def test_a_report_reads_its_settings_from_the_workspace(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = {"board": {"email": "board@acme.example"}}
    with Workspace.in_memory(plugins={"b": BoardReport()}, settings=settings) as ws:
        assert ws.report("board-address").content == "board@acme.example"
    with Workspace.in_memory(plugins={"b": BoardReport()}) as ws:
        assert ws.report("board-address").content == "pmo@acme.example"  # the model's default
        monkeypatch.setenv("PMO_BOARD_EMAIL", "chair@acme.example")
        assert ws.report("board-address").content == "chair@acme.example"


def test_a_bad_setting_a_report_reads_is_refused_naming_it() -> None:
    class Strict(BaseModel):
        email: str = Field(default="pmo@acme.example", pattern="@")

    class StrictReport(BoardReport):
        @hookimpl
        def pmo_settings(self) -> Iterator[PmoSettings]:
            yield PmoSettings(name="board", model=Strict)

        @hookimpl
        def pmo_reports(self) -> Iterator[PmoReport]:
            def render(request: ReportRequest) -> ReportOutput:
                assert request.settings is not None
                return ReportOutput(str(request.settings("board")), "text/plain")

            yield PmoReport(name="board-address", scopes=("pmo",), formats=("txt",), render=render)

    settings = {"board": {"email": "nobody"}}
    with (
        Workspace.in_memory(plugins={"b": StrictReport()}, settings=settings) as ws,
        pytest.raises(InvalidInputError, match=r"\[settings\.board\]: report 'board-address'"),
    ):
        ws.report("board-address")
