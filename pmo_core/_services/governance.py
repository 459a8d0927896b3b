"""Governance: which model and methodology are in force, rule findings, and gate checks.

Governance fails closed: a rule or criterion that raises, a rule whose settings are invalid,
or a governance model that is not available, is a *blocking* finding, never a silent pass.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from .. import hookspecs
from .._domain import CriterionResult, Entity, Waiver
from .._errors import PLUGIN_FAILURES, InvalidInputError, NotFoundError, PmoError, describe
from .._records import (
    PmoGate,
    PmoGovernanceModel,
    PmoGovernanceRule,
    PmoMethodology,
    RuleContext,
)
from .._records._base import LEVELS, Level
from .._tailoring import tailor
from .._view import WorkspaceView
from .settings import CONFIG_SOURCE, SettingsService

if TYPE_CHECKING:
    from pydantic import BaseModel

    from .._workspace import Workspace

# Stands in when the model an entity names is not registered: every rule then blocks, and a
# finding says why, so a disabled governance plugin never turns governance off silently.
_UNAVAILABLE = "unavailable-model"
#: The ``level_from`` of a finding whose level is the rule's own (no model or override sets it).
RULE_DEFAULT = "rule default"
#: The ``level_from`` of a finding that blocks because something failed (fail closed).
FAILS_CLOSED = "fails closed"


@dataclass(frozen=True)
class Finding:
    """The outcome of one governance rule for one entity.

    ``passed`` is false when the rule found a problem; ``level`` is the effective level under
    the model in force; ``error`` is true when the rule raised (then ``level`` is ``block``).
    ``waiver`` is the id of the waiver that lets a failed rule pass (an error cannot be
    waived: a broken rule is fixed, not excused). ``level_from`` says where the level came
    from: ``"pmo.toml governance.rules.<rule>.scopes.<KEY>"`` (a scope's override),
    ``"pmo.toml governance.rules.<rule>"`` (the workspace's), ``"model '<name>'"`` (the
    model in force), ``"rule default"`` (the rule's own level) or ``"fails closed"``.

    Example::

        Finding(rule="sponsor-named", entity="ALPHA", level="warn", passed=False,
                message="no sponsor named", plugin="governance", model="controlling",
                level_from="model 'controlling'")
    """

    rule: str
    entity: str
    level: Level
    passed: bool
    message: str = ""
    plugin: str = ""
    model: str = ""
    error: bool = False
    waiver: str | None = None
    level_from: str = ""

    @property
    def overridden(self) -> bool:
        """True when the operator set this level in ``pmo.toml`` (``[governance.rules]``):
        it then holds under every model, an advising one included.

        Example::

            [f.rule for f in ws.check("ALPHA") if f.overridden]
        """
        return self.level_from.startswith(f"{CONFIG_SOURCE} ")

    @property
    def level_note(self) -> str:
        """Where the level came from, in a few words, when ``pmo.toml`` set it (else ``""``):
        what ``pmo gate check`` and ``pmo governance check`` show next to the level.

        Example::

            finding = next(f for f in ws.check("ALPHA") if f.rule == "high-risks-owned")
            finding.level_note  # 'set in pmo.toml for ERP'
        """
        if not self.overridden:
            return ""
        scope = self.level_from.partition(".scopes.")[2]
        return f"set in pmo.toml for {scope}" if scope else "set in pmo.toml"

    @property
    def blocking(self) -> bool:
        """True when this finding blocks (failed at level ``block``, not waived).

        Example::

            blocking = [f for f in ws.check() if f.blocking]
        """
        return not self.passed and self.level == "block" and self.waiver is None

    def as_dict(self) -> dict[str, Any]:
        """A JSON-able view.

        Example::

            json.dumps([f.as_dict() for f in ws.check("ALPHA")])
        """
        return {
            "rule": self.rule,
            "entity": self.entity,
            "level": self.level,
            "passed": self.passed,
            "blocking": self.blocking,
            "message": self.message,
            "plugin": self.plugin,
            "model": self.model,
            "error": self.error,
            "waiver": self.waiver,
            "level_from": self.level_from,
        }


@dataclass(frozen=True)
class GateCheck:
    """The result of checking an entity against its next gate (or one named gate).

    ``blocked`` is true when a ``must`` criterion failed or a rule blocks, unless a waiver
    lets it pass; ``findings`` hold every applicable governance rule's outcome, ``criteria``
    every gate criterion's. Under a model whose ``deviations`` is ``advise`` (a supportive
    PMO) nothing a criterion or rule finds blocks: it is advice for ``owner``. A rule that
    fails closed (an error) blocks under every model, and so does a rule the operator set to
    ``block`` in ``pmo.toml`` (``[governance.rules]``: the operator asked for it).

    Example::

        check = ws.gate_check("ALPHA")
        if check.blocked:
            for reason in check.reasons():
                print(reason)
    """

    entity: str
    model: str
    methodology: str | None
    gate: str | None
    leaving: str | None
    entering: str | None
    criteria: tuple[CriterionResult, ...] = ()
    findings: tuple[Finding, ...] = ()
    notes: tuple[str, ...] = field(default=())
    deviations: str = "waiver"
    owner: str = ""

    def _deviations(self) -> tuple[list[CriterionResult], list[Finding]]:
        """The must criteria and blocking rules that failed without a waiver."""
        criteria = [
            c for c in self.criteria if c.level == "must" and not c.passed and c.waiver is None
        ]
        return criteria, [f for f in self.findings if f.blocking]

    @property
    def blocked(self) -> bool:
        """True when the gate cannot be passed with a ``go``.

        Example::

            ws.gate_check("ALPHA").blocked  # True while a must criterion fails
        """
        criteria, findings = self._deviations()
        if self.deviations == "advise":
            return any(_binding(f) for f in findings)
        return bool(criteria or findings)

    def reasons(self) -> list[str]:
        """Human-readable reasons the gate is blocked.

        Example::

            ws.gate_check("ALPHA", "gate-3").reasons()[:2]
            # ["criterion business-case (must): artifact 'business-case' is not approved",
            #  "criterion project-plan (must): artifact 'project-plan' is not approved"]
        """
        criteria, findings = self._deviations()
        if self.deviations == "advise":
            criteria, findings = [], [f for f in findings if _binding(f)]
        out = [f"criterion {c.name} (must): {c.note}" for c in criteria]
        out += [f"rule {f.rule} ({_level_label(f)}): {f.message}" for f in findings]
        return out

    def advice(self) -> list[str]:
        """What the PMO advises: under an ``advise`` model, each deviation that would block
        elsewhere, addressed to the entity's owner; under any model, each failed ``should``
        criterion and each failed rule at level ``advise`` or ``warn``.

        Example::

            ws.gate_check("ALPHA").advice()
            # ['for Kim Park (manager): rule reported-colours-honest (warn): project ALPHA ...',
            #  ...]
        """
        criteria, findings = self._deviations()
        to = f"for {self.owner}: " if self.owner else ""
        out: list[str] = []
        if self.deviations == "advise":
            out += [f"{to}criterion {c.name} (must): {c.note}" for c in criteria]
            out += [f"{to}rule {f.rule}: {f.message}" for f in findings if not _binding(f)]
        out += [
            f"{to}criterion {c.name} (should): {c.note}"
            for c in self.criteria
            if c.level == "should" and not c.passed
        ]
        out += [
            f"{to}rule {f.rule} ({_level_label(f)}): {f.message}"
            for f in self.findings
            if not f.passed and f.level in ("advise", "warn")
        ]
        return out

    def waived(self) -> list[str]:
        """The deviations a waiver lets pass, each with its waiver's id.

        Example::

            ws.gate_check("ALPHA").waived()
            # ["criterion idea-submitted (must): artifact 'idea-submission' is not approved
            #   (waiver 3f2a9c1b7d4e)", ...]
        """
        out = [
            f"criterion {c.name} ({c.level}): {c.note} (waiver {c.waiver})"
            for c in self.criteria
            if c.waiver is not None and not c.passed
        ]
        out += [
            f"rule {f.rule} ({_level_label(f)}): {f.message} (waiver {f.waiver})"
            for f in self.findings
            if f.waiver is not None and not f.passed
        ]
        return out

    def as_dict(self) -> dict[str, Any]:
        """A JSON-able view, as ``pmo gate check --json`` prints it.

        Example::

            json.dumps(ws.gate_check("ALPHA").as_dict())
        """
        return {
            "entity": self.entity,
            "model": self.model,
            "methodology": self.methodology,
            "gate": self.gate,
            "leaving": self.leaving,
            "entering": self.entering,
            "blocked": self.blocked,
            "deviations": self.deviations,
            "owner": self.owner,
            "criteria": [c.model_dump(mode="json") for c in self.criteria],
            "findings": [f.as_dict() for f in self.findings],
            "reasons": self.reasons(),
            "advice": self.advice(),
            "waived": self.waived(),
            "notes": list(self.notes),
        }


class GovernanceService:
    """Evaluates governance rules and gate criteria for the workspace."""

    def __init__(self, ws: Workspace, settings: SettingsService) -> None:
        self._ws = ws
        self._settings = settings

    def model_in_force(
        self, entity: Entity, view: WorkspaceView
    ) -> tuple[PmoGovernanceModel, str | None]:
        """The governance model for ``entity``: its own, else the nearest ancestor's, else the
        workspace default. Returns the model and, when it is unavailable, why."""
        name = entity.governance_model or next(
            (a.governance_model for a in view.ancestors(entity.id) if a.governance_model), None
        )
        name = name or self._ws.config.governance_model
        try:
            return self._ws.host.record(PmoGovernanceModel, name), None
        except NotFoundError as exc:
            unavailable = PmoGovernanceModel(
                name=_UNAVAILABLE,
                summary=f"stands in for {name!r}, which is not available",
                default_level="block",
            )
            return unavailable, str(exc)

    def methodology_for(self, entity: Entity, view: WorkspaceView) -> PmoMethodology | None:
        """The methodology an entity follows: its own, an ancestor's, or the workspace
        default; :class:`NotFoundError` when it names one nobody provides."""
        name = entity.methodology or next(
            (a.methodology for a in view.ancestors(entity.id) if a.methodology), None
        )
        name = name or self._ws.config.methodology
        if not name:
            return None
        methodology = self._ws.host.record(PmoMethodology, name)
        if entity.tailoring:
            methodology, _ = tailor(methodology, entity.tailoring)
        return methodology

    def untailored_methodology(self, entity: Entity, view: WorkspaceView) -> PmoMethodology | None:
        """The methodology ``entity`` follows as its plugin registers it, before the entity's
        tailoring; :class:`NotFoundError` when it names one nobody provides."""
        return self.methodology_for(entity.model_copy(update={"tailoring": ()}), view)

    def _methodology_or_none(self, entity: Entity, view: WorkspaceView) -> PmoMethodology | None:
        # Outside a gate a missing methodology only hides tailoring from rules; the gate check
        # itself reports it as an error.
        try:
            return self.methodology_for(entity, view)
        except NotFoundError:
            return None

    def evaluate(
        self,
        entity: Entity,
        view: WorkspaceView,
        *,
        gate: PmoGate | None = None,
        methodology: PmoMethodology | None = None,
        min_level: Level = "advise",
        failed_plugins: Sequence[tuple[str, str]] | None = None,
    ) -> list[Finding]:
        """Check every applicable rule against ``entity`` under the model in force.

        ``failed_plugins`` (from :meth:`failed_plugins`, computed once for a batch of
        entities) are enabled plugins that provide governance but failed: each is a blocking
        finding on every entity, since the rules it would have checked are unknown.
        """
        model, unavailable = self.model_in_force(entity, view)
        findings = [
            Finding(
                rule="governance-plugin-available",
                entity=entity.id,
                level="block",
                passed=False,
                message=message,
                plugin=pid,
                model=model.name,
                error=True,
                level_from=FAILS_CLOSED,
            )
            for pid, message in (
                self.failed_plugins() if failed_plugins is None else failed_plugins
            )
        ]
        if unavailable:
            findings.append(
                Finding(
                    rule="governance-model-available",
                    entity=entity.id,
                    level="block",
                    passed=False,
                    message=f"{unavailable}; enable the plugin that provides it",
                    model=model.name,
                    error=True,
                    level_from=FAILS_CLOSED,
                )
            )
        ctx = RuleContext(
            entity=entity,
            view=view,
            model=model,
            today=view.status_date,
            gate=gate,
            methodology=methodology,
        )
        floor = LEVELS.index(min_level)
        ancestors = view.ancestor_ids(entity.id)
        for rule in self._ws.host.records(PmoGovernanceRule):
            if entity.kind not in rule.scopes or entity.tier not in rule.tiers:
                continue
            if rule.gates_only and gate is None:
                continue
            level, level_from = self.level_of(rule, model, entity.id, ancestors)
            if level == "off" or LEVELS.index(level) < floor:
                continue
            findings.append(self._run_rule(rule, ctx, level, level_from, ancestors))
        waivers = active_waivers(entity, view)
        return [
            replace(f, waiver=waivers[("rule", f.rule)])
            if not f.passed and not f.error and ("rule", f.rule) in waivers
            else f
            for f in findings
        ]

    def failed_plugins(self) -> list[tuple[str, str]]:
        """Enabled plugins that provide governance (models or rules) but failed to import,
        register or run, with why every gate blocks because of them.

        A plugin that never loaded in this environment may provide governance too: its hooks
        are unknown, so it counts (fail closed). Disabling it, a recorded decision, ends it.
        """
        governance = set(hookspecs.families().get("governance", ()))
        out: list[tuple[str, str]] = []
        for status in self._ws.host.problems(hooks=governance):
            hooks = set(status.hooks)
            if hooks and not hooks & governance:
                continue
            provides = "provides governance" if hooks else "may provide governance"
            out.append(
                (
                    status.id,
                    f"plugin {status.id!r} is enabled but {status.state}: {status.error}; it "
                    f"{provides}, so its rules cannot be checked: fix it, or disable it on "
                    f"the record ('pmo plugins disable {status.id} --comment ...')",
                )
            )
        return out

    def level_of(
        self,
        rule: PmoGovernanceRule,
        model: PmoGovernanceModel,
        entity: str,
        ancestors: Sequence[str],
    ) -> tuple[Level, str]:
        """The level of ``rule`` for ``entity`` under ``model``, and where it came from: the
        nearest scope's ``level`` in ``[governance.rules.<rule>.scopes.<KEY>]``, else the
        rule's table, else the model, else the rule's own. Under the stand-in for a missing
        model every rule blocks, whatever ``pmo.toml`` says (fail closed)."""
        if model.name == _UNAVAILABLE:
            return model.level_for(rule), FAILS_CLOSED
        override = self._settings.rule_level(rule.name, entity, ancestors)
        if override is not None:
            return override
        raw: Level
        if rule.name in model.rule_levels:
            raw, source = model.rule_levels[rule.name], f"model {model.name!r}"
        elif model.name in rule.levels:
            raw, source = rule.levels[model.name], f"the rule's level under model {model.name!r}"
        elif model.default_level is not None:
            raw, source = model.default_level, f"model {model.name!r}"
        else:
            return rule.level, RULE_DEFAULT
        level = rule.floored(raw)
        if level != raw:
            source = f"the rule's min_level (above {raw!r} from {source})"
        return level, source

    def rule_level(self, rule_name: str, entity_id: str) -> tuple[Level, str]:
        """See :meth:`Workspace.rule_level <pmo_core.Workspace.rule_level>`."""
        rule = self._ws.host.record(PmoGovernanceRule, rule_name)
        view = self._ws.view()
        entity = view.entity(entity_id)
        model, _ = self.model_in_force(entity, view)
        return self.level_of(rule, model, entity.id, view.ancestor_ids(entity.id))

    def rule_settings(self, rule_name: str, entity_id: str) -> BaseModel | None:
        """See :meth:`Workspace.rule_settings <pmo_core.Workspace.rule_settings>`."""
        rule = self._ws.host.record(PmoGovernanceRule, rule_name)
        view = self._ws.view()
        entity = view.entity(entity_id)
        model, _ = self.model_in_force(entity, view)
        return self._settings.for_rule(rule, entity, view.ancestor_ids(entity.id), model)

    def _run_rule(
        self,
        rule: PmoGovernanceRule,
        ctx: RuleContext,
        level: Level,
        level_from: str,
        ancestors: list[str],
    ) -> Finding:
        model = ctx.model.name
        try:
            settings = self._settings.for_rule(rule, ctx.entity, ancestors, ctx.model)
            messages = _messages(rule.check(replace(ctx, settings=settings)))
        except PLUGIN_FAILURES as exc:  # fail closed: a broken rule blocks, with the reason
            reason = (
                f"settings invalid: {exc}"
                if isinstance(exc, PmoError)
                else f"rule raised {describe(exc)}"
            )
            return Finding(
                rule=rule.name,
                entity=ctx.entity.id,
                level="block",
                passed=False,
                message=f"{reason} (fails closed)",
                plugin=rule.plugin,
                model=model,
                error=True,
                level_from=FAILS_CLOSED,
            )
        return Finding(
            rule=rule.name,
            entity=ctx.entity.id,
            level=level,
            passed=not messages,
            message="; ".join(messages),
            plugin=rule.plugin,
            model=model,
            level_from=level_from,
        )

    def check(self, entity: str | None, min_level: str) -> list[Finding]:
        """See :meth:`Workspace.check <pmo_core.Workspace.check>`."""
        if min_level not in LEVELS:
            raise InvalidInputError(
                f"min_level must be one of {', '.join(LEVELS)}, not {min_level!r}",
                where="min_level",
            )
        floor = LEVELS[LEVELS.index(min_level)]
        view = self._ws.view()
        targets = [view.entity(entity)] if entity else view.entities()
        # A killed or closed entity is no longer governed: its history stays as it was, and
        # nothing can be changed to satisfy a rule (its plan is read-only).
        targets = [t for t in targets if not t.ended]
        failed = self.failed_plugins()
        findings: list[Finding] = []
        # The rules that read figures (tolerances, reported colours) share them: each
        # project measured once, the projects checked measured together when first asked.
        from .._metrics_scope import shared_figures

        projects = [t for t in targets if t.kind == "project"] if len(targets) > 1 else []
        with shared_figures(view, projects):
            for target in targets:
                findings += self.evaluate(
                    target,
                    view,
                    methodology=self._methodology_or_none(target, view),
                    min_level=floor,
                    failed_plugins=failed,
                )
        return findings

    def gate_check(
        self, entity_id: str, gate_name: str | None, view: WorkspaceView | None = None
    ) -> GateCheck:
        """See :meth:`Workspace.gate_check <pmo_core.Workspace.gate_check>`."""
        view = view or self._ws.view()
        entity = view.entity(entity_id)
        methodology = self.untailored_methodology(entity, view)
        stale: list[str] = []
        if methodology is not None and entity.tailoring:
            methodology, stale = tailor(methodology, entity.tailoring)
        model, _ = self.model_in_force(entity, view)
        gate, notes = _next_gate(entity, methodology, gate_name)
        notes = _tailoring_notes(entity, methodology) + stale + notes
        criteria = _criteria(entity, view, model, methodology, gate) if gate else []
        waivers = active_waivers(entity, view)
        criteria = [
            c.model_copy(update={"waiver": waivers[("criterion", c.name)]})
            if not c.passed and ("criterion", c.name) in waivers
            else c
            for c in criteria
        ]
        findings = self.evaluate(entity, view, gate=gate, methodology=methodology)
        return GateCheck(
            entity=entity.id,
            model=model.name,
            methodology=methodology.name if methodology else None,
            gate=gate.name if gate else None,
            leaving=gate.leaving if gate else None,
            entering=gate.entering if gate else None,
            criteria=tuple(criteria),
            findings=tuple(findings),
            notes=tuple(notes),
            deviations=model.deviations,
            owner=owner_of(entity),
        )


def _tailoring_notes(entity: Entity, methodology: PmoMethodology | None) -> list[str]:
    # Every tailoring shows on every gate check: it changes what is checked, so whoever reads
    # the check sees it (and the rule methodology-tailored judges it under the model).
    if not entity.tailoring or methodology is None:
        return []
    return [f"tailored: {entity.id} {t.describe()}" for t in entity.tailoring]


def _binding(finding: Finding) -> bool:
    # What blocks even under a model that only advises: a broken rule (fail closed), and a
    # level the operator set in pmo.toml.
    return finding.error or finding.overridden


def _level_label(finding: Finding) -> str:
    return f"{finding.level}, {finding.level_note}" if finding.level_note else finding.level


def active_waivers(entity: Entity, view: WorkspaceView) -> dict[tuple[str, str], str]:
    """The waivers of ``entity`` in force on the view's date: (kind, target) -> waiver id.

    Example::

        active_waivers(view.entity("ALPHA"), view)  # {('criterion', 'test-plan'): '3f2a...'}
    """
    return {
        (w.kind, w.target): w.id
        for w in sorted(view.records(Waiver, entity.id), key=lambda w: w.granted_on)
        if w.active_on(view.status_date)
    }


def owner_of(entity: Entity) -> str:
    """Who advice is for: the manager, else the sponsor, each with the role named.

    Example::

        owner_of(view.entity("ALPHA"))  # 'Kim Park (manager)'
    """
    if entity.manager:
        return f"{entity.manager} (manager)"
    if entity.sponsor:
        return f"{entity.sponsor} (sponsor)"
    return ""


def _next_gate(
    entity: Entity, methodology: PmoMethodology | None, gate_name: str | None
) -> tuple[PmoGate | None, list[str]]:
    if methodology is None:
        return None, [f"{entity.id} follows no methodology: only governance rules are checked"]
    if gate_name:
        gate = next((g for g in methodology.gates if g.name == gate_name), None)
        if gate is None:
            names = ", ".join(g.name for g in methodology.gates)
            raise NotFoundError(
                f"methodology {methodology.name!r} has no gate {gate_name!r} (gates: {names})"
            )
        return gate, []
    phase = entity.phase or methodology.phases[0].name
    if phase not in [p.name for p in methodology.phases]:
        raise InvalidInputError(
            f"{entity.id} is in phase {phase!r}, which methodology {methodology.name!r} "
            f"does not have (phases: {', '.join(p.name for p in methodology.phases)})"
        )
    gate = methodology.gate_leaving(phase)
    if gate is None:
        return None, [f"phase {phase!r} is the last; there is no gate after it"]
    return gate, []


def _messages(result: str | Iterable[str] | None) -> list[str]:
    # Called inside the fail-closed try: a check that returns something else (True, a
    # number, a list of objects) is a broken check, not a pass.
    if result is None:
        return []
    if isinstance(result, str):
        return [result] if result else []
    if not isinstance(result, Iterable):
        raise TypeError(f"check returned {type(result).__name__}, not str, strings or None")
    messages = list(result)
    odd = next((m for m in messages if not isinstance(m, str)), None)
    if odd is not None:
        raise TypeError(f"check yielded {type(odd).__name__}, not str")
    return [m for m in messages if m]


def _criteria(
    entity: Entity,
    view: WorkspaceView,
    model: PmoGovernanceModel,
    methodology: PmoMethodology | None,
    gate: PmoGate,
) -> list[CriterionResult]:
    ctx = RuleContext(
        entity=entity,
        view=view,
        model=model,
        today=view.status_date,
        gate=gate,
        methodology=methodology,
    )
    results: list[CriterionResult] = []
    for criterion in gate.criteria:
        problems: list[str] = []
        level = criterion.level
        if criterion.artifact and not view.artifact_approved(entity.id, criterion.artifact):
            problems.append(f"artifact {criterion.artifact!r} is not approved")
        if criterion.check is not None:
            try:
                problems += _messages(criterion.check(ctx))
            except PLUGIN_FAILURES as exc:  # fail closed, as for rules: a `should` then blocks
                problems.append(f"check raised {describe(exc)} (fails closed)")
                level = "must"
        results.append(
            CriterionResult(
                name=criterion.name,
                level=level,
                passed=not problems,
                note="; ".join(problems) or criterion.summary,
            )
        )
    return results
