"""A rule's own level per governance model (``levels``) and its floor (``min_level``): the
precedence against the model's ``rule_levels`` and ``default_level``, the floor at, just
above and just below, where each level came from, and a rule that contradicts its floor."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from pydantic import ValidationError

from pmo_core import PmoGovernanceModel, PmoGovernanceRule, RuleContext, Workspace, hookimpl

MakeWorkspace = Callable[..., Workspace]


def _no_sponsor(ctx: RuleContext) -> str | None:
    return None if ctx.entity.sponsor else "no sponsor"


def _rule(**kw: object) -> PmoGovernanceRule:
    return PmoGovernanceRule(name="sponsor-named", check=_no_sponsor, **kw)  # type: ignore[arg-type]


MODELS = [
    PmoGovernanceModel(name="plain"),  # names nothing: the rule's own level, or its levels
    PmoGovernanceModel(name="named", rule_levels={"sponsor-named": "off"}),
    PmoGovernanceModel(name="supportive", default_level="advise"),
    PmoGovernanceModel(name="directive", default_level="block"),
]


@pytest.mark.parametrize(
    ("rule", "model", "level"),
    [
        # No levels, no floor: as before.
        (_rule(), "plain", "warn"),
        (_rule(), "supportive", "advise"),
        (_rule(), "named", "off"),
        # The rule's level for a model beats the model's default_level ...
        (_rule(levels={"supportive": "warn"}), "supportive", "warn"),
        (_rule(levels={"Supportive": "block"}), "supportive", "block"),  # names normalised
        (_rule(levels={"plain": "advise"}), "plain", "advise"),
        # ... but not the model naming the rule itself, and only for the model it names.
        (_rule(levels={"named": "block"}), "named", "off"),
        (_rule(levels={"directive": "advise"}), "supportive", "advise"),
        # The floor: below it raised, at it and above it kept; whatever set the level.
        (_rule(min_level="warn"), "supportive", "warn"),
        (_rule(min_level="warn"), "named", "warn"),
        (_rule(min_level="warn"), "directive", "block"),
        (_rule(min_level="advise"), "supportive", "advise"),
        (_rule(min_level="advise"), "named", "advise"),
        (_rule(min_level="block", level="block"), "supportive", "block"),
        (_rule(min_level="advise", levels={"supportive": "advise"}), "supportive", "advise"),
    ],
)
def test_the_level_under_each_model(rule: PmoGovernanceRule, model: str, level: str) -> None:
    by_name = {m.name: m for m in MODELS}
    assert by_name[model].level_for(rule) == level


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"level": "advise", "min_level": "warn"}, "min_level is 'warn', but level 'advise'"),
        ({"levels": {"supportive": "off"}, "min_level": "advise"}, "supportive 'off' is below"),
    ],
)
def test_a_rule_below_its_own_floor_is_refused(kw: dict[str, object], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        _rule(**kw)


def test_a_rule_at_its_floor_is_accepted() -> None:
    assert _rule(level="warn", min_level="warn", levels={"x": "warn"}).floored("off") == "warn"
    assert _rule(min_level="off").floored("off") == "off"


class Plugin:
    @hookimpl
    def pmo_governance_rules(self) -> Iterator[PmoGovernanceRule]:
        yield _rule(levels={"supportive": "block"}, min_level="advise")

    @hookimpl
    def pmo_governance_models(self) -> Iterator[PmoGovernanceModel]:
        yield from MODELS


def test_findings_say_where_the_level_came_from(pmo_workspace_factory: MakeWorkspace) -> None:
    ws = pmo_workspace_factory(plugins={"p": Plugin()}, store="memory")
    for key, model in [("S", "supportive"), ("N", "named"), ("P", "plain"), ("D", "directive")]:
        ws.create("project", id=key, name=key, governance_model=model)

    assert ws.rule_level("sponsor-named", "S") == (
        "block",
        "the rule's level under model 'supportive'",
    )
    assert ws.rule_level("sponsor-named", "N") == (
        "advise",
        "the rule's min_level (above 'off' from model 'named')",
    )
    assert ws.rule_level("sponsor-named", "P") == ("warn", "rule default")
    assert ws.rule_level("sponsor-named", "D") == ("block", "model 'directive'")
    found = {f.entity: (f.level, f.passed) for f in ws.check() if f.rule == "sponsor-named"}
    assert found == {
        "S": ("block", False),
        "N": ("advise", False),
        "P": ("warn", False),
        "D": ("block", False),
    }


def test_the_operator_is_not_bound_by_the_floor(pmo_workspace_factory: MakeWorkspace) -> None:
    ws = pmo_workspace_factory(
        plugins={"p": Plugin()}, store="memory", rules={"sponsor-named": {"level": "off"}}
    )
    ws.create("project", id="S", name="S", governance_model="supportive")

    level, source = ws.rule_level("sponsor-named", "S")
    assert level == "off"
    assert source.startswith("pmo.toml ")
