"""Governance records: models (how hard rules bite, cadences, approvals, tolerances), rules,
and the context a rule is checked in."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, TypeVar

from pydantic import BaseModel, Field, field_validator

from ._base import Level, PmoRecord, ScopeKind, normalise_name

if TYPE_CHECKING:
    from .._domain import Entity
    from .._view import WorkspaceView
    from .methodology import PmoGate, PmoMethodology

S = TypeVar("S", bound=BaseModel)


@dataclass(frozen=True)
class RuleContext:
    """What a governance rule or gate criterion sees when it is checked.

    ``entity`` is the portfolio, program or project being checked; ``view`` reads anything
    else in the workspace (status reports, RAID, artifacts) as of ``today``; ``model`` is the
    governance model in force for the entity; ``gate`` is set during a gate check to the gate
    being passed (``gate.leaving`` / ``gate.entering`` name the phases); ``settings`` holds the
    rule's own settings (its ``settings`` model, filled from ``[settings.rules.<rule>]`` in
    ``pmo.toml`` with the overrides of the entity's scope), or ``None`` for a rule without.

    Example::

        def check(ctx: RuleContext) -> str | None:
            if not ctx.entity.sponsor:
                return f"{ctx.entity.id} has no sponsor"
            return None
    """

    entity: Entity
    view: WorkspaceView
    model: PmoGovernanceModel
    today: date
    gate: PmoGate | None = None
    methodology: PmoMethodology | None = None
    settings: BaseModel | None = None

    @property
    def leaving(self) -> str | None:
        """The phase being left during a gate check, else ``None``.

        Example::

            None if ctx.leaving != "plan" else "the plan phase needs a baseline"
        """
        return self.gate.leaving if self.gate else None

    @property
    def entering(self) -> str | None:
        """The phase being entered during a gate check, else ``None``.

        Example::

            ctx.entering  # 'execution' while checking the gate into execution
        """
        return self.gate.entering if self.gate else None

    def settings_as(self, model: type[S]) -> S:
        """The rule's settings, typed as ``model`` (the rule's ``settings`` model).

        Raises :class:`TypeError` when the rule declared another model (or none), which the
        host reports as a blocking finding: governance fails closed.

        Example::

            class RiskSettings(BaseModel):
                high_score: int = 15

            def check(ctx: RuleContext) -> str | None:
                limit = ctx.settings_as(RiskSettings).high_score
                ...
        """
        if not isinstance(self.settings, model):
            got = type(self.settings).__name__ if self.settings is not None else "no settings"
            raise TypeError(f"rule settings are {got}, not {model.__name__}")
        return self.settings


RuleCheck = Callable[[RuleContext], str | Iterable[str] | None]
"""A rule check returns ``None`` when the rule holds, else one message (or several)."""


class PmoGovernanceRule(PmoRecord):
    """A governance rule, yielded by :func:`~pmo_core.hookspecs.pmo_governance_rules`.

    ``level`` is the rule's own level; a governance model may raise or lower it.
    ``scopes`` and ``tiers`` say which entities it applies to; ``gates_only`` rules are
    checked only during a gate check (``ctx.gate`` is set). ``check`` returns ``None`` when the
    rule holds, else a message. A check that raises is a *blocking* finding (fail closed).
    ``settings`` is an optional pydantic model of the rule's thresholds: operators set them in
    ``[settings.rules.<rule>]`` (and per scope in ``[settings.rules.<rule>.scopes.<KEY>]``),
    and the check reads them with :meth:`RuleContext.settings_as`.

    Example::

        PmoGovernanceRule(
            name="sponsor-named",
            summary="Every project names a sponsor.",
            level="warn",
            check=lambda ctx: None if ctx.entity.sponsor else "no sponsor named",
        )
    """

    level: Level = "warn"
    scopes: tuple[ScopeKind, ...] = ("project",)
    tiers: tuple[int, ...] = (1, 2, 3)
    gates_only: bool = False
    settings: type[BaseModel] | None = None
    check: RuleCheck


class PmoGovernanceModel(PmoRecord):
    """A governance model, yielded by :func:`~pmo_core.hookspecs.pmo_governance_models`.

    The effective level of a rule under a model is ``rule_levels[rule]`` if set, else
    ``default_level`` if set, else the rule's own level. ``cadence_days`` maps a tier (1 is the
    largest) to the longest allowed gap between status reports. ``approvers`` and ``quorum``
    say who decides gates; ``tolerances`` (fractions, e.g. ``{"cost": Decimal("0.10")}``) say
    how far a forecast may drift before it escalates to ``escalate_to``.

    Example::

        PmoGovernanceModel(
            name="controlling",
            summary="Compliance with the methodology is required.",
            rule_levels={"baseline-before-execution": "block"},
            cadence_days={1: 30, 2: 60, 3: 90},
            approvers=("sponsor", "pmo"),
            quorum=2,
        )
    """

    rule_levels: Mapping[str, Level] = Field(default_factory=dict)
    default_level: Level | None = None
    cadence_days: Mapping[int, int] = Field(default_factory=lambda: {1: 30, 2: 60, 3: 90})
    approvers: tuple[str, ...] = ("sponsor",)
    quorum: int = Field(default=1, ge=1)
    tolerances: Mapping[str, Decimal] = Field(default_factory=dict)
    escalate_to: str = "sponsor"
    pmo_approves_gates: bool = False

    @field_validator("rule_levels", mode="before")
    @classmethod
    def _normalise_rule_names(cls, value: object) -> object:
        if isinstance(value, Mapping):
            return {normalise_name(str(k)): v for k, v in value.items()}
        return value

    def level_for(self, rule: PmoGovernanceRule) -> Level:
        """Return the effective level of ``rule`` under this model.

        Example::

            model.level_for(rule)  # 'block'
        """
        if rule.name in self.rule_levels:
            return self.rule_levels[rule.name]
        return self.default_level or rule.level

    def cadence_for(self, tier: int) -> int:
        """Days allowed between status reports for an entity of ``tier``.

        Example::

            model.cadence_for(1)  # 30
        """
        return self.cadence_days.get(tier, max(self.cadence_days.values(), default=90))


__all__ = ["PmoGovernanceModel", "PmoGovernanceRule", "RuleContext"]
