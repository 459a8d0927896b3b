"""Governance records: models (how hard rules bite, cadences, approvals, tolerances), rules,
and the context a rule is checked in."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from pydantic import BaseModel, Field, field_validator, model_validator

from ._base import LEVELS, Frozen, Level, PmoRecord, ScopeKind, normalise_name

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
    rule's own settings (its ``settings`` model, filled from the model's ``rule_settings``,
    ``[governance.rules.<rule>]`` in ``pmo.toml`` and the overrides of the entity's scopes),
    or ``None`` for a rule without.

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

            def check(ctx: RuleContext) -> str | None:
                return None if ctx.leaving != "plan" else "the plan phase needs a baseline"
        """
        return self.gate.leaving if self.gate else None

    @property
    def entering(self) -> str | None:
        """The phase being entered during a gate check, else ``None``.

        Example::

            def check(ctx: RuleContext) -> str | None:
                # ctx.entering is 'execution' while the gate into execution is checked
                if ctx.entering == "execution" and not ctx.view.baselines(ctx.entity.id):
                    return "a project enters execution with a baseline"
                return None
        """
        return self.gate.entering if self.gate else None

    def settings_as(self, model: type[S]) -> S:
        """The rule's settings, typed as ``model`` (the rule's ``settings`` model).

        Raises :class:`TypeError` when the rule declared another model (or none), which the
        host reports as a blocking finding: governance fails closed.

        Example::

            from pydantic import BaseModel

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
    ``settings`` is an optional pydantic model of the rule's thresholds: a governance model may
    set them (``rule_settings``), operators set them in ``[governance.rules.<rule>]`` (and per
    scope in ``[governance.rules.<rule>.scopes.<KEY>]``, where they may set the ``level``
    too), and the check reads them with :meth:`RuleContext.settings_as`. ``level`` and
    ``scopes`` are those tables' own keys, so a settings model has no field of either name.
    ``on_create`` rules are also checked when an entity they apply to is created
    (``pmo project create``, ``pmo program create``...), and a finding is shown there as a
    note: advice given at the moment it is most useful, such as the lessons of similar
    projects; it is a finding like any other in ``pmo governance check`` and gate checks.

    ``levels`` is the rule's level under named governance models (also those of other
    plugins): ``levels={"supportive": "advise"}``. It is used when the model does not name
    the rule in its own ``rule_levels`` (the model's owner has the last word), before the
    model's ``default_level``. ``min_level`` is a floor for whatever a model sets (a legal
    rule may say ``min_level="warn"``: no model turns it off or down to advice); the
    operator's ``[governance.rules]`` in ``pmo.toml`` is not bound by it.

    Example::

        rule = PmoGovernanceRule(
            name="sponsor-named",
            summary="Every project names a sponsor.",
            level="warn",
            levels={"supportive": "advise", "directive": "block"},
            min_level="advise",
            check=lambda ctx: None if ctx.entity.sponsor else "no sponsor named",
        )
    """

    #: The rule's own level; a governance model may raise or lower it.
    level: Level = "warn"
    #: Its level under named governance models, used when the model does not name it.
    levels: Mapping[str, Level] = Field(default_factory=dict)
    #: A floor for whatever level a governance model sets.
    min_level: Level = "off"
    #: The kinds of entity it applies to.
    scopes: tuple[ScopeKind, ...] = ("project",)
    #: The tiers of the entities it applies to.
    tiers: tuple[int, ...] = (1, 2, 3)
    #: Checked only during a gate check.
    gates_only: bool = False
    #: Also checked, as a note, when an entity it applies to is created.
    on_create: bool = False
    #: A pydantic model of the rule's thresholds; ``None``: it has none.
    settings: type[BaseModel] | None = None
    #: Returns ``None`` when the rule holds, else a message.
    check: RuleCheck

    @field_validator("levels", mode="before")
    @classmethod
    def _normalise_model_names(cls, value: object) -> object:
        if isinstance(value, Mapping):
            return {normalise_name(str(k)): v for k, v in value.items()}
        return value

    @model_validator(mode="after")
    def _floor_holds(self) -> PmoGovernanceRule:
        # A rule below its own floor contradicts itself: refused when the plugin loads.
        floor = LEVELS.index(self.min_level)
        low = [
            f"{where} {level!r}"
            for where, level in [("level", self.level), *self.levels.items()]
            if LEVELS.index(level) < floor
        ]
        if low:
            raise ValueError(f"min_level is {self.min_level!r}, but {', '.join(low)} is below it")
        return self

    def floored(self, level: Level) -> Level:
        """``level``, raised to the rule's ``min_level`` when it is below.

        Example::

            rule.floored("off")  # 'advise': never below the rule's min_level
        """
        return self.min_level if LEVELS.index(level) < LEVELS.index(self.min_level) else level


#: The decisions a governance model's approval matrix can name. A gate decision is its
#: outcome (``go``, ``kill``, ``hold``, ``recycle``); ``resume`` ends a hold, ``close``
#: closes an entity, ``reopen`` brings a killed one back as proposed, ``waiver`` grants a
#: waiver, ``change`` approves a change request and ``artifact`` approves a management product.
DECISIONS: tuple[str, ...] = (
    "go",
    "kill",
    "hold",
    "recycle",
    "resume",
    "close",
    "reopen",
    "waiver",
    "change",
    "artifact",
)


#: The levels a tolerance is set at, and the dimensions it limits (see ``pmo_core._tolerances``).
TOLERANCE_LEVELS: tuple[str, ...] = ("project", "program")
TOLERANCE_DIMENSIONS: tuple[str, ...] = ("time", "cost", "scope", "risk")


def tolerance_table(value: object, where: str = "tolerances") -> object:
    """``{dimension: limit}`` or ``{level: {dimension: limit}}`` as the second form (a flat
    table is the project level); ``schedule`` is accepted for ``time``. Checked: known levels
    and dimensions, limits not negative.

    Example::

        tolerance_table({"cost": "0.1"})  # {'project': {'cost': Decimal('0.1')}}
    """
    if not isinstance(value, Mapping):
        return value
    if value and all(not isinstance(v, Mapping) for v in value.values()):
        value = {"project": value}
    out: dict[str, dict[str, Decimal]] = {}
    for level, limits in value.items():
        if level not in TOLERANCE_LEVELS:
            raise ValueError(
                f"{where}: unknown level {level!r} (levels: {', '.join(TOLERANCE_LEVELS)})"
            )
        if not isinstance(limits, Mapping):
            raise ValueError(f"{where}.{level}: a table of dimension = limit")
        table: dict[str, Decimal] = {}
        for dimension, limit in limits.items():
            name = "time" if dimension == "schedule" else dimension
            if name not in TOLERANCE_DIMENSIONS:
                raise ValueError(
                    f"{where}.{level}: unknown dimension {dimension!r} "
                    f"(dimensions: {', '.join(TOLERANCE_DIMENSIONS)})"
                )
            try:
                number = Decimal(str(limit))
            except ArithmeticError:
                raise ValueError(f"{where}.{level}.{dimension}: not a number") from None
            if not number.is_finite() or number < 0:
                raise ValueError(f"{where}.{level}.{dimension}: must be a number >= 0")
            table[name] = number
        out[level] = table
    return out


class ApprovalRule(Frozen):
    """Who must approve one kind of decision under a governance model.

    ``quorum`` distinct approvers, each holding one of ``roles`` for the entity (or for a
    scope above it); every role in ``required`` must be among them; with ``not_requester``
    the person who asked for the decision cannot approve it (segregation of duties).
    ``at_least`` makes the rule a band of a sized decision (a change request's cost or
    schedule impact, as a fraction of the baseline): the band with the largest ``at_least``
    not above the size applies, so a matrix can say "under 5 % the manager, 5-10 % the
    sponsor, above 10 % the board".

    Example::

        ApprovalRule(roles=("sponsor", "pmo"), quorum=2, required=("pmo",))
        ApprovalRule(roles=("portfolio-board",), at_least=Decimal("0.10"), not_requester=True)
    """

    roles: tuple[str, ...]
    quorum: int = Field(default=1, ge=1)
    required: tuple[str, ...] = ()
    not_requester: bool = False
    at_least: Decimal = Field(default=Decimal(0), ge=0)

    @field_validator("roles", "required", mode="before")
    @classmethod
    def _normalise_roles(cls, value: object) -> object:
        if isinstance(value, (list, tuple)):
            return tuple(normalise_name(str(role)) for role in value)
        return value

    @model_validator(mode="after")
    def _consistent(self) -> ApprovalRule:
        if not self.roles:
            raise ValueError("an approval rule needs at least one role")
        stray = [role for role in self.required if role not in self.roles]
        if stray:
            raise ValueError(f"required role(s) {', '.join(stray)} are not among the roles")
        if self.quorum < len(self.required):
            raise ValueError(f"a quorum of {self.quorum} cannot hold {len(self.required)} roles")
        return self

    def describe(self) -> str:
        """The rule in words, for refusals and help.

        Example::

            ApprovalRule(roles=("sponsor", "pmo"), quorum=2, required=("pmo",)).describe()
            # '2 distinct approvers holding sponsor or pmo, pmo among them'
            ApprovalRule(roles=("sponsor", "pmo"), quorum=2, required=("sponsor", "pmo"))
            # .describe(): 'the sponsor and the pmo (2 distinct people)'
        """
        if set(self.required) == set(self.roles) and self.quorum == len(self.roles):
            people = " and ".join(f"the {role}" for role in self.roles)
            text = people if self.quorum == 1 else f"{people} ({self.quorum} distinct people)"
        elif self.quorum == 1 and not self.required:
            text = " or ".join(f"the {role}" for role in self.roles)
        else:
            roles = " or ".join(self.roles)
            who = "approver" if self.quorum == 1 else "distinct approvers"
            text = f"{self.quorum} {who} holding {roles}"
            if self.required:
                text += f", {' and '.join(self.required)} among them"
        if self.not_requester:
            text += ", not the requester"
        return text


class PmoGovernanceModel(PmoRecord):
    """A governance model, yielded by :func:`~pmo_core.hookspecs.pmo_governance_models`.

    The effective level of a rule under a model is ``rule_levels[rule]`` if set, else the rule's
    ``levels[model]`` if it declares one, else ``default_level`` if set, else the rule's own
    level, raised to the rule's ``min_level`` if below it. ``rule_settings[rule]`` sets the
    rule's settings (its ``settings`` model's fields) over the rule's defaults. A workspace's
    ``[governance.rules.<rule>]`` in ``pmo.toml`` overrides both. ``cadence_days`` maps a tier
    (1 is the largest) to the longest allowed gap between status reports. ``approvals`` is the
    approval matrix: for each decision (:data:`DECISIONS`) the :class:`ApprovalRule` (or the
    bands of rules, by size) of the roles that approve it; a decision it does not name needs no
    approval. ``deviations`` is what a failing must criterion or blocking rule does: ``advise``
    (a supportive PMO: it never blocks, it advises the owner) or ``waiver`` (it blocks unless a
    recorded, approved waiver lets it pass). ``change_control`` says whether a change to a
    baselined budget or date is only ``record``-ed (and flagged) or needs an approved change
    ``request``. ``tolerances`` (fractions, e.g. ``{"cost": Decimal("0.10")}``) say how far a
    forecast may drift before it escalates to ``escalate_to``.

    Example::

        model = PmoGovernanceModel(
            name="controlling",
            summary="Compliance with the methodology is required.",
            rule_levels={"baseline-before-execution": "block"},
            rule_settings={"high-risks-owned": {"score": 12}},
            cadence_days={1: 30, 2: 60, 3: 90},
            approvals={
                "go": ApprovalRule(roles=("sponsor", "pmo"), quorum=2, required=("sponsor", "pmo")),
                "kill": ApprovalRule(roles=("sponsor",)),
            },
            tolerances={"project": {"cost": Decimal("0.10"), "time": Decimal("0.10")}},
            deviations="waiver",
            change_control="request",
        )
    """

    #: The level of each rule it names, over the rule's own.
    rule_levels: Mapping[str, Level] = Field(default_factory=dict)
    #: The level of the rules it does not name; ``None``: their own.
    default_level: Level | None = None
    #: Each rule's settings, over the rule's defaults.
    rule_settings: Mapping[str, Mapping[str, Any]] = Field(default_factory=dict)
    #: The longest allowed gap between status reports, in days, by tier.
    cadence_days: Mapping[int, int] = Field(default_factory=lambda: {1: 30, 2: 60, 3: 90})
    #: The approval matrix: who approves each decision.
    approvals: Mapping[str, tuple[ApprovalRule, ...]] = Field(default_factory=dict)
    #: What a failing must criterion or blocking rule does: advise, or need a waiver.
    deviations: Literal["advise", "waiver"] = "waiver"
    #: A change to a baseline is only recorded, or needs an approved request.
    change_control: Literal["record", "request"] = "record"
    #: How far a forecast may drift (fractions), by scope and dimension.
    tolerances: Mapping[str, Mapping[str, Decimal]] = Field(default_factory=dict)
    #: The role a breach of tolerance escalates to.
    escalate_to: str = "sponsor"

    @field_validator("tolerances", mode="before")
    @classmethod
    def _tolerances(cls, value: object) -> object:
        return tolerance_table(value)

    @field_validator("rule_levels", "rule_settings", mode="before")
    @classmethod
    def _normalise_rule_names(cls, value: object) -> object:
        if isinstance(value, Mapping):
            return {normalise_name(str(k)): v for k, v in value.items()}
        return value

    @field_validator("approvals", mode="before")
    @classmethod
    def _bands(cls, value: object) -> object:
        # One rule for a decision is the common case: accept it bare as well as in a list.
        if isinstance(value, Mapping):
            return {
                k: (v,) if isinstance(v, (ApprovalRule, Mapping)) else v for k, v in value.items()
            }
        return value

    @field_validator("approvals", mode="after")
    @classmethod
    def _known_decisions(
        cls, value: Mapping[str, tuple[ApprovalRule, ...]]
    ) -> Mapping[str, tuple[ApprovalRule, ...]]:
        unknown = sorted(set(value) - set(DECISIONS))
        if unknown:
            raise ValueError(
                f"unknown decision(s) {', '.join(unknown)}; decisions: {', '.join(DECISIONS)}"
            )
        for decision, bands in value.items():
            starts = [band.at_least for band in bands]
            if len(set(starts)) != len(starts):
                raise ValueError(f"two {decision} rules start at the same size")
        return value

    def approval_rule(self, decision: str, size: Decimal = Decimal(0)) -> ApprovalRule | None:
        """Who must approve ``decision`` under this model (``None``: no approval needed).

        ``size`` picks the band of a sized decision (a change's impact as a fraction).
        ``reopen`` without a rule of its own needs what a ``go`` needs, since reviving a
        killed project is a new authorisation.

        Example::

            model.approval_rule("go").roles  # ('sponsor', 'pmo')
            model.approval_rule("kill").roles  # ('sponsor',)
            model.approval_rule("change") is None  # True: no change-control band here
        """
        if decision == "reopen" and decision not in self.approvals:
            decision = "go"
        bands = [band for band in self.approvals.get(decision, ()) if band.at_least <= size]
        return max(bands, key=lambda band: band.at_least, default=None)

    def tolerances_for(self, level: str) -> Mapping[str, Decimal]:
        """The tolerances at ``level`` (``project`` or ``program``): dimension -> limit.

        Example::

            model.tolerances_for("project")  # {'cost': Decimal('0.10'), 'time': Decimal('0.10')}
        """
        return self.tolerances.get(level, {})

    def level_for(self, rule: PmoGovernanceRule) -> Level:
        """Return the effective level of ``rule`` under this model.

        Example::

            rule = PmoGovernanceRule(name="baseline-before-execution", check=lambda ctx: None)
            model.level_for(rule)  # 'block'
        """
        if rule.name in self.rule_levels:
            level = self.rule_levels[rule.name]
        elif self.name in rule.levels:
            level = rule.levels[self.name]
        else:
            level = self.default_level or rule.level
        return rule.floored(level)

    def cadence_for(self, tier: int) -> int:
        """Days allowed between status reports for an entity of ``tier``.

        Example::

            model.cadence_for(1)  # 30
        """
        return self.cadence_days.get(tier, max(self.cadence_days.values(), default=90))


__all__ = ["ApprovalRule", "PmoGovernanceModel", "PmoGovernanceRule", "RuleContext"]
