"""Gate checks and governance findings, side by side with the code that reads them: which
criteria and findings block, advise or are waived; the gate a check picks (by name, by phase,
none); the owner advice is for; fail-closed findings for a missing model or a broken plugin;
and the methodology and messages the rules are given.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from pmo_core import (
    CriterionResult,
    Finding,
    GateCheck,
    InvalidInputError,
    NotFoundError,
    PmoGate,
    PmoGateCriterion,
    PmoGovernanceModel,
    PmoGovernanceRule,
    PmoMethodology,
    PmoPhase,
    RuleContext,
    Workspace,
    hookimpl,
)
from pmo_core.testing import FakeDistribution

TODAY = date(2026, 3, 2)
Install = Callable[..., FakeDistribution]


def _text(value: str) -> str:
    # A string read at run time (from JSON, a command line, a file) is equal to a literal in
    # the code but not the same object: comparisons must be by value.
    return json.loads(json.dumps(value))


# ---------------------------------------------------------------- GateCheck, on its own


def _finding(rule: str, level: str, *, passed: bool = False, **more: Any) -> Finding:
    return Finding(rule=rule, entity="P1", level=level, passed=passed, message="m", **more)  # type: ignore[arg-type]


def _criterion(name: str, level: str, *, passed: bool = False, waiver: str | None = None) -> Any:
    return CriterionResult(name=name, level=level, passed=passed, note="n", waiver=waiver)  # type: ignore[arg-type]


def _check(
    criteria: tuple[Any, ...] = (),
    findings: tuple[Finding, ...] = (),
    deviations: str = "waiver",
    owner: str = "",
) -> GateCheck:
    return GateCheck(
        entity="P1",
        model="m",
        methodology=None,
        gate=None,
        leaving=None,
        entering=None,
        criteria=criteria,
        findings=findings,
        deviations=deviations,
        owner=owner,
    )


def test_a_failed_warning_does_not_block_only_a_failed_block_does() -> None:
    assert not _finding("r", "warn").blocking
    assert not _finding("r", "advise").blocking
    assert _finding("r", "block").blocking
    assert _finding("r", _text("block")).blocking  # a level read from JSON blocks too


def test_passed_criteria_never_block_whatever_their_level() -> None:
    check = _check(
        criteria=(_criterion("a", "must", passed=True), _criterion("b", "should", passed=True))
    )
    assert not check.blocked
    assert check.reasons() == []


def test_a_failed_should_criterion_does_not_block_and_is_advice() -> None:
    check = _check(criteria=(_criterion("nice", "should"),))
    assert not check.blocked
    assert check.reasons() == []
    assert check.advice() == ["criterion nice (should): n"]


def test_a_failed_must_criterion_blocks_and_is_not_advice_under_a_waiver_model() -> None:
    check = _check(criteria=(_criterion("knock-out", "must"),))
    assert check.blocked
    assert check.reasons() == ["criterion knock-out (must): n"]
    assert check.advice() == []


def test_a_waived_must_criterion_does_not_block_and_is_listed_as_waived() -> None:
    check = _check(criteria=(_criterion("knock-out", "must", waiver="w1"),))
    assert not check.blocked
    assert check.waived() == ["criterion knock-out (must): n (waiver w1)"]


def test_a_passed_criterion_or_rule_with_a_waiver_is_not_listed_as_waived() -> None:
    check = _check(
        criteria=(_criterion("ok", "must", passed=True, waiver="w1"),),
        findings=(_finding("fine", "block", passed=True, waiver="w2"),),
    )
    assert check.waived() == []


def test_a_failed_rule_without_a_waiver_is_not_listed_as_waived() -> None:
    check = _check(findings=(_finding("r", "block"), _finding("s", "warn")))
    assert check.waived() == []


def test_a_failed_blocking_rule_is_a_reason_not_advice() -> None:
    check = _check(findings=(_finding("r", "block"),))
    assert check.blocked
    assert check.reasons() == ["rule r (block): m"]
    assert check.advice() == []


def test_failed_rules_at_advise_or_warn_are_advice_and_passed_ones_are_not() -> None:
    check = _check(
        findings=(
            _finding("a", "advise"),
            _finding("w", "warn"),
            _finding("ok", "warn", passed=True),
        )
    )
    assert check.advice() == ["rule a (advise): m", "rule w (warn): m"]


def test_advice_names_the_owner_only_when_there_is_one() -> None:
    criteria = (_criterion("nice", "should"),)
    assert _check(criteria=criteria, owner="Kim (manager)").advice() == [
        "for Kim (manager): criterion nice (should): n"
    ]
    assert _check(criteria=criteria).advice() == ["criterion nice (should): n"]


@pytest.mark.parametrize("advise", ["advise", _text("advise")])
def test_under_an_advise_model_deviations_are_advice_for_the_owner(advise: str) -> None:
    check = _check(
        criteria=(_criterion("knock-out", "must"),),
        findings=(_finding("r", "block"),),
        deviations=advise,
        owner="Kim (manager)",
    )
    assert not check.blocked
    assert check.reasons() == []
    assert check.advice() == [
        "for Kim (manager): criterion knock-out (must): n",
        "for Kim (manager): rule r: m",
    ]


def test_under_an_advise_model_a_binding_finding_blocks_and_is_not_advice() -> None:
    broken = _finding("broken", "block", error=True, level_from="fails closed")
    check = _check(findings=(broken,), deviations=_text("advise"))
    assert check.blocked
    assert check.reasons() == ["rule broken (block): m"]
    assert check.advice() == []


def test_findings_and_gate_checks_are_frozen() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        _finding("r", "warn").passed = True  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        _check().deviations = "advise"  # type: ignore[misc]


# ------------------------------------------------------------------- in a workspace


def _no_problem(ctx: RuleContext) -> None:
    return None


def _two_problems(ctx: RuleContext) -> list[str]:
    return ["first", "", "second"]


def _phases_seen(ctx: RuleContext) -> str:
    if ctx.methodology is None:
        return "no methodology"
    return ",".join(p.name for p in ctx.methodology.phases)


# The gates are not in name order: a gate picked by name must be the one of that name, not
# the first one before or after it.
ZAM = PmoMethodology(
    name="zam",
    phases=(
        PmoPhase(name="p1"),
        PmoPhase(name="p2"),
        PmoPhase(name="p3"),
        PmoPhase(name="p4"),
    ),
    gates=(
        PmoGate(name="z", leaving="p1", entering="p2"),
        PmoGate(name="a", leaving="p2", entering="p3"),
        PmoGate(
            name="m",
            leaving="p3",
            entering="p4",
            criteria=(
                PmoGateCriterion(name="listed", level="must", check=_two_problems),
                PmoGateCriterion(name="fine", level="must", check=_no_problem),
            ),
        ),
    ),
)

OTHER = PmoMethodology(name="other", phases=(PmoPhase(name="only"),))


class Plugin:
    @hookimpl
    def pmo_methodologies(self) -> Iterator[PmoMethodology]:
        yield ZAM
        yield OTHER

    @hookimpl
    def pmo_governance_models(self) -> Iterator[PmoGovernanceModel]:
        yield PmoGovernanceModel(name="advising", deviations="advise", default_level="warn")
        # Sorts after the stand-in for a missing model ("unavailable-model").
        yield PmoGovernanceModel(name="zealous", default_level="advise")

    @hookimpl
    def pmo_governance_rules(self) -> Iterator[PmoGovernanceRule]:
        yield PmoGovernanceRule(name="listed", level="warn", check=_two_problems)
        yield PmoGovernanceRule(name="phases", level="warn", check=_phases_seen)
        yield PmoGovernanceRule(name="floored", level="block", min_level="block", check=_no_problem)


@pytest.fixture
def ws() -> Iterator[Workspace]:
    with Workspace.in_memory(
        plugins={"zam": Plugin()}, methodology="zam", today=lambda: TODAY
    ) as ws:
        ws.create("project", id="P1", name="One", phase="p1")
        yield ws


def test_a_gate_named_is_that_gate_and_not_the_first_before_or_after_it(ws: Workspace) -> None:
    check = ws.gate_check("P1", _text("m"))

    assert (check.methodology, check.gate, check.leaving, check.entering) == (
        "zam",
        "m",
        "p3",
        "p4",
    )
    assert check.as_dict()["gate"] == "m"
    assert [c.name for c in check.criteria] == ["listed", "fine"]
    assert check.notes == ()


def test_a_gate_the_methodology_does_not_have_is_not_found_with_the_gates_named(
    ws: Workspace,
) -> None:
    with pytest.raises(
        NotFoundError, match=r"methodology 'zam' has no gate 'q' \(gates: z, a, m\)"
    ):
        ws.gate_check("P1", "q")


def test_the_next_gate_is_the_one_leaving_the_phase_the_entity_is_in(ws: Workspace) -> None:
    ws.update("P1", phase="p2")
    check = ws.gate_check("P1")
    assert (check.gate, check.leaving, check.entering) == ("a", "p2", "p3")


def test_in_the_last_phase_there_is_no_gate_and_a_note_says_so(ws: Workspace) -> None:
    ws.update("P1", phase="p4")

    check = ws.gate_check("P1")

    assert (check.gate, check.leaving, check.entering) == (None, None, None)
    assert check.methodology == "zam"
    assert check.criteria == ()
    assert check.notes == ("phase 'p4' is the last; there is no gate after it",)


def test_an_entity_following_no_methodology_gets_rules_only_and_a_note() -> None:
    with Workspace.in_memory(plugins={"zam": Plugin()}, today=lambda: TODAY) as ws:
        ws.create("project", id="P1", name="One")

        check = ws.gate_check("P1")

    assert (check.methodology, check.gate) == (None, None)
    assert check.notes == ("P1 follows no methodology: only governance rules are checked",)
    assert "listed" in [f.rule for f in check.findings]


def test_a_phase_the_methodology_does_not_have_is_refused_with_its_phases(ws: Workspace) -> None:
    ws.update("P1", phase="p3")
    ws.update("P1", methodology="other")
    with pytest.raises(InvalidInputError, match=r"P1 is in phase 'p3', which methodology 'other'"):
        ws.gate_check("P1")


def test_messages_of_a_check_are_joined_and_empty_ones_dropped(ws: Workspace) -> None:
    findings = {f.rule: f for f in ws.check("P1")}
    assert not findings["listed"].passed
    assert findings["listed"].message == "first; second"

    check = ws.gate_check("P1", "m")
    assert [(c.name, c.passed, c.note) for c in check.criteria] == [
        ("listed", False, "first; second"),
        ("fine", True, ""),
    ]


def test_a_waiver_on_a_failed_criterion_lets_the_gate_pass(ws: Workspace) -> None:
    waiver = ws.grant_waiver(
        "P1", "criterion", "listed", reason="Known", expires_on=date(2026, 6, 30)
    )
    check = ws.gate_check("P1", "m")

    assert [(c.name, c.waiver) for c in check.criteria] == [("listed", waiver.id), ("fine", None)]
    assert not check.blocked


def test_a_waiver_on_a_passed_criterion_is_not_attached(ws: Workspace) -> None:
    ws.grant_waiver("P1", "criterion", "fine", reason="Just in case", expires_on=date(2026, 6, 30))
    check = ws.gate_check("P1", "m")
    assert [(c.name, c.waiver) for c in check.criteria] == [("listed", None), ("fine", None)]


@pytest.mark.parametrize(
    ("people", "owner"),
    [
        ({"manager": "Kim", "sponsor": "Lee"}, "Kim (manager)"),
        ({"sponsor": "Lee"}, "Lee (sponsor)"),
        ({}, ""),
    ],
)
def test_advice_is_for_the_manager_else_the_sponsor(
    ws: Workspace, people: dict[str, str], owner: str
) -> None:
    ws.create("project", id="P2", name="Two", phase="p1", **people)
    assert ws.gate_check("P2").owner == owner
    assert ws.gate_check("P2").as_dict()["owner"] == owner


def test_the_entity_own_methodology_comes_before_the_workspace_default() -> None:
    with Workspace.in_memory(plugins={"zam": Plugin()}, today=lambda: TODAY) as ws:
        ws.create("project", id="P1", name="One", methodology="zam", phase="p1")

        check = ws.gate_check("P1")
        findings = {f.rule: f for f in ws.check("P1")}

    assert (check.methodology, check.gate) == ("zam", "z")
    assert findings["phases"].message == "p1,p2,p3,p4"


def test_rules_see_the_tailored_methodology(ws: Workspace) -> None:
    ws.tailor("P1", "merge-phase", "p2", comment="small job")

    findings = {f.rule: f for f in ws.check("P1")}

    assert findings["phases"].message == "p1,p3,p4"


def test_rules_run_without_a_methodology_when_the_one_named_is_missing() -> None:
    with Workspace.in_memory(
        plugins={"zam": Plugin()}, methodology="gone", today=lambda: TODAY
    ) as ws:
        ws.create("project", id="P1", name="One")

        findings = {f.rule: f for f in ws.check("P1")}

    assert findings["phases"].message == "no methodology"


def test_check_refuses_an_unknown_min_level(ws: Workspace) -> None:
    with pytest.raises(
        InvalidInputError, match=r"min_level must be one of off, advise, warn, block, not 'loud'"
    ):
        ws.check("P1", min_level="loud")


def test_a_rule_raised_to_its_min_level_says_so(ws: Workspace) -> None:
    ws.update("P1", governance_model="zealous")

    findings = {f.rule: f for f in ws.check("P1")}

    assert findings["floored"].level == "block"
    assert findings["floored"].level_from == (
        "the rule's min_level (above 'advise' from model 'zealous')"
    )
    # A model that sorts after the stand-in's name is a model like any other.
    assert findings["listed"].level_from == "model 'zealous'"
    assert not findings["listed"].error


def test_a_missing_model_is_a_blocking_error_that_fails_closed() -> None:
    with Workspace.in_memory(
        plugins={"zam": Plugin()}, governance_model="gone", today=lambda: TODAY
    ) as ws:
        ws.create("project", id="P1", name="One")

        check = ws.gate_check("P1")

    [missing] = [f for f in check.findings if f.rule == "governance-model-available"]
    assert (missing.passed, missing.error, missing.level, missing.blocking) == (
        False,
        True,
        "block",
        True,
    )
    assert "'gone'" in missing.message
    assert check.blocked


# ------------------------------------------------------------ plugins that failed


class EventsOnly:
    """Fails in an event hook; provides no governance."""

    @hookimpl
    def pmo_entities_changed(self, workspace: Workspace, changes: Any) -> None:
        raise RuntimeError("webhook down")


class RulesAndEvents:
    """Fails in an event hook; provides a rule, which then cannot be checked."""

    @hookimpl
    def pmo_entities_changed(self, workspace: Workspace, changes: Any) -> None:
        raise RuntimeError("webhook down")

    @hookimpl
    def pmo_governance_rules(self) -> Iterator[PmoGovernanceRule]:
        yield PmoGovernanceRule(name="lost-rule", level="warn", check=_no_problem)


def test_only_a_failed_plugin_that_provides_governance_blocks_every_entity() -> None:
    # "a-events" comes first: skipping it must not stop the search for the others.
    plugins = {"a-events": EventsOnly(), "b-rules": RulesAndEvents(), "zam": Plugin()}
    with Workspace.in_memory(plugins=plugins, today=lambda: TODAY) as ws:
        ws.create("project", id="P1", name="One")
        ws.create("project", id="P2", name="Two")

        failed = [f for f in ws.check() if f.rule == "governance-plugin-available"]

    assert [(f.entity, f.plugin) for f in failed] == [("P1", "b-rules"), ("P2", "b-rules")]
    for f in failed:
        assert (f.passed, f.error, f.blocking, f.level_from) == (False, True, True, "fails closed")
        assert f.message.startswith("plugin 'b-rules' is enabled but failed: ")
        assert "; it provides governance, so its rules cannot be checked" in f.message


def test_a_plugin_that_never_loaded_may_provide_governance(
    fake_distribution: Install, tmp_path: Path
) -> None:
    fake_distribution("pmo-kit-broken", "raise RuntimeError('broken at import')\n")
    root = tmp_path / "ws"
    with Workspace.init(root) as ws:
        ws.config.path.write_text(
            ws.config.path.read_text("utf-8").replace("enabled = []", 'enabled = ["kit-broken"]'),
            encoding="utf-8",
        )
    with Workspace.open(root) as ws:
        ws.create("project", id="P1", name="One")

        [failed] = [f for f in ws.check("P1") if f.rule == "governance-plugin-available"]

    assert failed.plugin == "kit-broken"
    assert "; it may provide governance, so its rules cannot be checked" in failed.message


# ------------------------------------------------------- figures measured together


def _expected_for(ws: Workspace, monkeypatch: pytest.MonkeyPatch, entity: str | None) -> list[str]:
    """The ids of the projects a check asks to be measured together."""
    from pmo_core import _metrics_scope

    asked: list[list[str]] = []
    shared = _metrics_scope.shared_figures

    def spy(view: Any, projects: Any = ()) -> Any:
        asked.append([p.id for p in projects])
        return shared(view, projects)

    monkeypatch.setattr(_metrics_scope, "shared_figures", spy)
    ws.check(entity)
    [ids] = asked
    return ids


def test_a_check_of_several_entities_measures_their_projects_together(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with Workspace.in_memory(plugins={"zam": Plugin()}, today=lambda: TODAY) as ws:
        ws.create("portfolio", id="PF", name="Portfolio")
        ws.create("program", id="PG", name="Program")
        ws.create("project", id="P1", name="One")
        ws.create("project", id="P2", name="Two")

        assert _expected_for(ws, monkeypatch, None) == ["P1", "P2"]


def test_a_check_of_two_projects_measures_them_together(monkeypatch: pytest.MonkeyPatch) -> None:
    with Workspace.in_memory(plugins={"zam": Plugin()}, today=lambda: TODAY) as ws:
        ws.create("project", id="P1", name="One")
        ws.create("project", id="P2", name="Two")

        assert _expected_for(ws, monkeypatch, None) == ["P1", "P2"]


def test_a_check_of_one_project_measures_nothing_ahead(monkeypatch: pytest.MonkeyPatch) -> None:
    with Workspace.in_memory(plugins={"zam": Plugin()}, today=lambda: TODAY) as ws:
        ws.create("project", id="P1", name="One")
        ws.create("project", id="P2", name="Two")

        assert _expected_for(ws, monkeypatch, "P1") == []


def test_a_tailoring_left_behind_when_the_methodology_is_dropped_is_not_applied() -> None:
    with Workspace.in_memory(plugins={"zam": Plugin()}, today=lambda: TODAY) as ws:
        ws.create("project", id="P1", name="One", methodology="zam", phase="p1")
        ws.tailor("P1", "merge-phase", "p2", comment="small job")
        ws.update("P1", methodology=None)

        check = ws.gate_check("P1")
        assert ws.get("P1").tailoring  # still recorded, but there is nothing to tailor

    assert (check.methodology, check.gate) == (None, None)
    assert check.notes == ("P1 follows no methodology: only governance rules are checked",)
