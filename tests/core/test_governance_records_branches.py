"""The governance records refuse what they cannot mean, naming the field, and say in words
what an approval rule asks for."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from pmo_core import (
    ApprovalRule,
    PmoGovernanceModel,
    PmoGovernanceRule,
    RuleContext,
    Workspace,
    hookimpl,
)


def _error(exc: pytest.ExceptionInfo[ValidationError]) -> tuple[tuple[Any, ...], str]:
    """The one error of a validation failure: where (pydantic's loc) and what."""
    (error,) = exc.value.errors()
    return error["loc"], error["msg"]


def _pass(ctx: RuleContext) -> None:
    return None


# -- PmoGovernanceRule ----------------------------------------------------------------------


def test_rule_levels_that_are_not_a_table_are_refused() -> None:
    with pytest.raises(ValidationError) as info:
        PmoGovernanceRule(name="acme-rule", check=_pass, levels=["supportive"])
    loc, msg = _error(info)
    assert loc == ("levels",)
    assert "dictionary" in msg


def test_rule_levels_name_models_in_normal_form() -> None:
    rule = PmoGovernanceRule(name="acme-rule", check=_pass, levels={"Supportive": "advise"})
    assert dict(rule.levels) == {"supportive": "advise"}


def test_a_rule_below_its_own_floor_is_refused_naming_the_levels() -> None:
    with pytest.raises(ValidationError) as info:
        PmoGovernanceRule(
            name="acme-rule",
            check=_pass,
            level="advise",
            levels={"supportive": "off", "directive": "block"},
            min_level="warn",
        )
    assert _error(info)[1] == (
        "Value error, min_level is 'warn', but level 'advise', supportive 'off' is below it"
    )


class _Budget(BaseModel):
    limit: int = 10


class _SettingsOf:
    """A plugin with one rule that reads its settings as ``_Budget``."""

    def __init__(self, settings: type[BaseModel] | None) -> None:
        self.settings = settings

    @hookimpl
    def pmo_governance_rules(self) -> Iterator[PmoGovernanceRule]:
        yield PmoGovernanceRule(
            name="acme-budget",
            settings=self.settings,
            check=lambda ctx: f"limit {ctx.settings_as(_Budget).limit}",
        )


def test_settings_as_without_settings_fails_closed_saying_there_are_none() -> None:
    with Workspace.in_memory(plugins={"acme": _SettingsOf(None)}) as ws:
        ws.create("project", id="P", name="P")
        (finding,) = [f for f in ws.check("P") if f.rule == "acme-budget"]
    assert finding.error
    assert finding.blocking
    assert "rule settings are no settings, not _Budget" in finding.message


def test_settings_as_gives_the_rule_its_settings() -> None:
    with Workspace.in_memory(plugins={"acme": _SettingsOf(_Budget)}) as ws:
        ws.create("project", id="P", name="P")
        (finding,) = [f for f in ws.check("P") if f.rule == "acme-budget"]
    assert not finding.error
    assert finding.message == "limit 10"


def test_outside_a_gate_check_no_phase_is_being_left_or_entered() -> None:
    class Phases:
        @hookimpl
        def pmo_governance_rules(self) -> Iterator[PmoGovernanceRule]:
            yield PmoGovernanceRule(
                name="acme-phases", check=lambda ctx: f"{ctx.leaving} -> {ctx.entering}"
            )

    with Workspace.in_memory(plugins={"acme": Phases()}) as ws:
        ws.create("project", id="P", name="P")
        (finding,) = [f for f in ws.check("P") if f.rule == "acme-phases"]
    assert finding.message == "None -> None"


# -- tolerances -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tolerances", "message"),
    [
        (
            {"portfolio": {"cost": "0.1"}},
            "tolerances: unknown level 'portfolio' (levels: project, program)",
        ),
        (
            {"project": {"cost": "0.1"}, "program": "0.2"},
            "tolerances.program: a table of dimension = limit",
        ),
        (
            {"project": {"quality": "0.1"}},
            "tolerances.project: unknown dimension 'quality' (dimensions: time, cost, scope, risk)",
        ),
        ({"cost": "ten percent"}, "tolerances.project.cost: not a number"),
        ({"cost": "-0.1"}, "tolerances.project.cost: must be a number >= 0"),
        ({"time": "Infinity"}, "tolerances.project.time: must be a number >= 0"),
    ],
)
def test_a_bad_tolerance_table_is_refused_naming_the_place(
    tolerances: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValidationError) as info:
        PmoGovernanceModel(name="acme-model", tolerances=tolerances)
    loc, msg = _error(info)
    assert loc == ("tolerances",)
    assert msg == f"Value error, {message}"


def test_a_tolerance_table_that_is_not_a_table_is_refused() -> None:
    with pytest.raises(ValidationError) as info:
        PmoGovernanceModel(name="acme-model", tolerances="10%")
    assert _error(info)[0] == ("tolerances",)


def test_a_flat_tolerance_table_is_the_project_level_with_schedule_as_time() -> None:
    model = PmoGovernanceModel(name="acme-model", tolerances={"schedule": "0.1", "cost": 0})
    assert model.tolerances_for("project") == {"time": Decimal("0.1"), "cost": Decimal(0)}
    assert model.tolerances_for("program") == {}


# -- ApprovalRule ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"roles": ()}, "an approval rule needs at least one role"),
        (
            {"roles": ("sponsor",), "required": ("pmo", "board")},
            "required role(s) pmo, board are not among the roles",
        ),
        (
            {"roles": ("sponsor", "pmo"), "required": ("sponsor", "pmo")},
            "a quorum of 1 cannot hold 2 roles",
        ),
    ],
)
def test_an_inconsistent_approval_rule_is_refused(fields: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError) as info:
        ApprovalRule(**fields)
    assert _error(info)[1] == f"Value error, {message}"


def test_approval_roles_that_are_not_a_list_are_refused() -> None:
    with pytest.raises(ValidationError) as info:
        ApprovalRule(roles="sponsor")
    assert _error(info)[0] == ("roles",)


@pytest.mark.parametrize(
    ("fields", "words"),
    [
        ({"roles": ("sponsor",), "required": ("sponsor",)}, "the sponsor"),
        (
            {"roles": ("Sponsor", "PMO"), "quorum": 2, "required": ("sponsor", "pmo")},
            "the sponsor and the pmo (2 distinct people)",
        ),
        ({"roles": ("sponsor", "pmo")}, "the sponsor or the pmo"),
        (
            {"roles": ("sponsor", "pmo"), "quorum": 2, "required": ("pmo",)},
            "2 distinct approvers holding sponsor or pmo, pmo among them",
        ),
        ({"roles": ("sponsor", "pmo"), "quorum": 2}, "2 distinct approvers holding sponsor or pmo"),
        (
            {"roles": ("sponsor", "pmo"), "required": ("pmo",)},
            "1 approver holding sponsor or pmo, pmo among them",
        ),
        (
            {"roles": ("portfolio-board",), "not_requester": True},
            "the portfolio-board, not the requester",
        ),
    ],
)
def test_an_approval_rule_says_in_words_who_approves(fields: dict[str, Any], words: str) -> None:
    assert ApprovalRule(**fields).describe() == words


# -- PmoGovernanceModel ---------------------------------------------------------------------


def test_model_tables_that_are_not_tables_are_refused() -> None:
    for field in ("rule_levels", "rule_settings", "approvals"):
        with pytest.raises(ValidationError) as info:
            PmoGovernanceModel(name="acme-model", **{field: ["x"]})
        assert _error(info)[0][0] == field


def test_an_approval_for_an_unknown_decision_is_refused_listing_the_decisions() -> None:
    with pytest.raises(ValidationError) as info:
        PmoGovernanceModel(
            name="acme-model",
            approvals={"merge": {"roles": ["pmo"]}, "veto": {"roles": ["pmo"]}},
        )
    assert _error(info)[1] == (
        "Value error, unknown decision(s) merge, veto; decisions: go, kill, hold, recycle, "
        "resume, close, reopen, waiver, change, artifact"
    )


def test_two_bands_of_one_decision_starting_at_one_size_are_refused() -> None:
    with pytest.raises(ValidationError) as info:
        PmoGovernanceModel(
            name="acme-model",
            approvals={"change": [{"roles": ["manager"]}, {"roles": ["sponsor"]}]},
        )
    assert _error(info)[1] == "Value error, two change rules start at the same size"


def test_the_approval_band_is_the_largest_start_not_above_the_size() -> None:
    model = PmoGovernanceModel(
        name="acme-model",
        approvals={
            "change": [
                ApprovalRule(roles=("manager",)),
                ApprovalRule(roles=("sponsor",), at_least=Decimal("0.05")),
                {"roles": ["board"], "at_least": "0.10"},
            ]
        },
    )
    assert model.approval_rule("change").roles == ("manager",)
    assert model.approval_rule("change", Decimal("0.07")).roles == ("sponsor",)
    assert model.approval_rule("change", Decimal("0.10")).roles == ("board",)
    assert model.approval_rule("kill") is None


def test_reopen_without_a_rule_of_its_own_needs_what_go_needs() -> None:
    go = ApprovalRule(roles=("sponsor", "pmo"), quorum=2)
    model = PmoGovernanceModel(name="acme-model", approvals={"go": go})
    assert model.approval_rule("reopen") == go
    own = ApprovalRule(roles=("board",))
    model = PmoGovernanceModel(name="acme-model", approvals={"go": go, "reopen": own})
    assert model.approval_rule("reopen") == own


def test_the_level_of_a_rule_under_a_model() -> None:
    rule = PmoGovernanceRule(
        name="acme-rule", check=_pass, level="warn", levels={"acme-named": "advise"}
    )
    assert PmoGovernanceModel(name="acme-other").level_for(rule) == "warn"
    assert PmoGovernanceModel(name="acme-other", default_level="block").level_for(rule) == "block"
    assert PmoGovernanceModel(name="acme-named", default_level="block").level_for(rule) == "advise"
    assert (
        PmoGovernanceModel(name="acme-named", rule_levels={"acme-rule": "off"}).level_for(rule)
        == "off"
    )
    floored = rule.model_copy(update={"min_level": "warn", "levels": {}})
    assert PmoGovernanceModel(name="acme-named", default_level="off").level_for(floored) == "warn"


def test_the_cadence_of_a_tier_the_model_does_not_name_is_its_longest() -> None:
    model = PmoGovernanceModel(name="acme-model", cadence_days={1: 14, 2: 45})
    assert model.cadence_for(1) == 14
    assert model.cadence_for(3) == 45
    assert PmoGovernanceModel(name="acme-model", cadence_days={}).cadence_for(1) == 90
