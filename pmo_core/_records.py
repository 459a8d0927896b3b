"""The typed, frozen records that registration hooks yield: one record type per hook.

Every record has a ``name`` (normalised: lower case, ``_`` and spaces become ``-``) and a
one-line ``summary``. The host stamps each record with the plugin that yielded it, rejects
duplicates naming both distributions, and sorts them by name.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

if TYPE_CHECKING:
    import click

    from ._store.protocol import Store

Level = Literal["off", "advise", "warn", "block"]
"""How hard a governance rule bites: ``off`` < ``advise`` < ``warn`` < ``block``."""

LEVELS: tuple[Level, ...] = ("off", "advise", "warn", "block")

ScopeKind = Literal["portfolio", "program", "project"]
ReportScope = Literal["project", "program", "portfolio", "pmo"]
CriterionLevel = Literal["must", "should"]
Capability = Literal["read", "write", "sync"]
GateOption = Literal["go", "kill", "hold", "recycle"]

_NAME = re.compile(r"^[a-z][a-z0-9-]*$")


def normalise_name(value: str) -> str:
    """Return the canonical form of a record or plugin name.

    Example::

        >>> normalise_name("Business_Case Approved")
        'business-case-approved'
    """
    return re.sub(r"[\s_]+", "-", value.strip()).lower()


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", arbitrary_types_allowed=True)


class _Named(_Frozen):
    name: str
    summary: str = ""

    @field_validator("name", mode="before")
    @classmethod
    def _normalise(cls, value: object) -> object:
        if isinstance(value, str):
            value = normalise_name(value)
            if not _NAME.match(value):
                raise ValueError(
                    f"{value!r} is not a valid name: use letters, digits and '-', "
                    "starting with a letter"
                )
        return value


class PmoRecord(_Named):
    """Base of every registration record.

    ``plugin`` is filled in by the host with the id of the plugin that yielded the record;
    plugins leave it empty.

    Example::

        class MyRecord(PmoRecord):
            colour: str
    """

    plugin: str = ""


# --------------------------------------------------------------------------- governance


@dataclass(frozen=True)
class RuleContext:
    """What a governance rule or gate criterion sees when it is checked.

    ``entity`` is the portfolio, program or project being checked; ``view`` reads anything
    else in the workspace (status reports, RAID, artifacts) as of ``today``; ``model`` is the
    governance model in force for the entity; ``gate`` is set during a gate check to the gate
    being passed (``gate.leaving`` / ``gate.entering`` name the phases).

    Example::

        def check(ctx: RuleContext) -> str | None:
            if not ctx.entity.sponsor:
                return f"{ctx.entity.id} has no sponsor"
            return None
    """

    entity: Any
    view: Any
    model: PmoGovernanceModel
    today: date
    gate: PmoGate | None = None
    methodology: PmoMethodology | None = None

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


RuleCheck = Callable[[RuleContext], "str | Iterable[str] | None"]
"""A rule check returns ``None`` when the rule holds, else one message (or several)."""


class PmoGovernanceRule(PmoRecord):
    """A governance rule, yielded by :func:`~pmo_core.hookspecs.pmo_governance_rules`.

    ``level`` is the rule's own level; a governance model may raise or lower it.
    ``scopes`` and ``tiers`` say which entities it applies to; ``gates_only`` rules are
    checked only during a gate check (``ctx.gate`` is set). ``check`` returns ``None`` when the
    rule holds, else a message. A check that raises is a *blocking* finding (fail closed).

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
    check: RuleCheck


class PmoGovernanceModel(PmoRecord):
    """A governance model: how hard rules bite, cadences, approvals, tolerances.

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


# -------------------------------------------------------------------------- methodology


class PmoPhase(_Named):
    """A lifecycle phase (or stage) of a methodology; ``artifacts`` are produced in it.

    Example::

        PmoPhase(name="scoping", summary="Quick look at the opportunity.",
                 artifacts=("project-brief",))
    """

    artifacts: tuple[str, ...] = ()


class PmoGateCriterion(_Named):
    """An exit criterion of a gate: ``must`` criteria block the gate, ``should`` ones warn.

    A criterion is met when its ``artifact`` (if named) is approved and its ``check`` (if
    given) returns ``None``.

    Example::

        PmoGateCriterion(name="business-case-approved", level="must",
                         artifact="business-case")
    """

    level: CriterionLevel = "must"
    artifact: str | None = None
    check: RuleCheck | None = None

    @model_validator(mode="after")
    def _needs_a_test(self) -> PmoGateCriterion:
        if self.artifact is None and self.check is None:
            raise ValueError(f"criterion {self.name!r} needs an artifact or a check")
        return self


class PmoGate(_Named):
    """A gate between two phases, with its criteria and decision options.

    Example::

        PmoGate(name="gate-2", leaving="scoping", entering="business-case",
                criteria=(PmoGateCriterion(name="brief", artifact="project-brief"),))
    """

    leaving: str
    entering: str
    criteria: tuple[PmoGateCriterion, ...] = ()
    options: tuple[GateOption, ...] = ("go", "kill", "hold", "recycle")


class PmoArtifact(_Named):
    """A management product with a Markdown template.

    Example::

        PmoArtifact(name="business-case", summary="Why the project is worth doing.",
                    template="# Business case\\n\\n## Benefits\\n")
    """

    template: str = ""


class PmoRole(_Named):
    """A role or accountability a methodology defines.

    Example::

        PmoRole(name="gatekeeper", summary="Decides go / kill at a gate.")
    """


class PmoEvent(_Named):
    """A recurring event (ceremony) with its cadence and timebox.

    Example::

        PmoEvent(name="gate-review", cadence_days=None, timebox_hours=2)
    """

    cadence_days: int | None = None
    timebox_hours: float | None = None


class PmoMethodology(PmoRecord):
    """A methodology, yielded by :func:`~pmo_core.hookspecs.pmo_methodologies`.

    Phases are ordered; every gate names a ``leaving`` and an ``entering`` phase that exist.
    ``progress_measure`` says how progress maps to earned value (``percent_complete``,
    ``points``, ``milestones``, ``0/100`` or ``50/50``). ``tailoring`` documents what an
    organisation may change.

    Example::

        PmoMethodology(
            name="two-step",
            phases=(PmoPhase(name="plan"), PmoPhase(name="do")),
            gates=(PmoGate(name="go", leaving="plan", entering="do",
                           criteria=(PmoGateCriterion(name="plan", artifact="plan"),)),),
            artifacts=(PmoArtifact(name="plan"),),
        )
    """

    phases: tuple[PmoPhase, ...]
    gates: tuple[PmoGate, ...] = ()
    artifacts: tuple[PmoArtifact, ...] = ()
    roles: tuple[PmoRole, ...] = ()
    events: tuple[PmoEvent, ...] = ()
    iterations: bool = False
    progress_measure: str = "percent_complete"
    tailoring: Mapping[str, str] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _consistent(self) -> PmoMethodology:
        phases = [p.name for p in self.phases]
        if not phases:
            raise ValueError("a methodology needs at least one phase")
        if len(set(phases)) != len(phases):
            raise ValueError(f"duplicate phase names in {phases}")
        artifacts = {a.name for a in self.artifacts}
        for gate in self.gates:
            for phase in (gate.leaving, gate.entering):
                if phase not in phases:
                    raise ValueError(f"gate {gate.name!r} names unknown phase {phase!r}")
            for criterion in gate.criteria:
                if criterion.artifact and criterion.artifact not in artifacts:
                    raise ValueError(
                        f"gate {gate.name!r} criterion {criterion.name!r} names unknown "
                        f"artifact {criterion.artifact!r}"
                    )
        return self

    def gate_leaving(self, phase: str) -> PmoGate | None:
        """The gate that closes ``phase``, if any.

        Example::

            methodology.gate_leaving("scoping").entering  # 'business-case'
        """
        return next((g for g in self.gates if g.leaving == phase), None)

    def next_phase(self, phase: str | None) -> str | None:
        """The phase after ``phase`` (the first phase when ``phase`` is ``None``).

        Example::

            methodology.next_phase("plan")  # 'do'
        """
        names = [p.name for p in self.phases]
        if phase is None:
            return names[0]
        if phase not in names:
            return None
        i = names.index(phase)
        return names[i + 1] if i + 1 < len(names) else None


# --------------------------------------------------------------------------- connectors


@dataclass(frozen=True)
class SourceItem:
    """One item a connector reads (or is given to write): a portfolio, project, work item...

    ``kind`` is a store kind (``"project"``, ``"work_item"``...); ``remote_id`` is the id in
    the source system or file (the external key that makes imports idempotent); ``data`` holds
    the domain fields, references to other items given by their remote ids (``parent``,
    ``project``); ``where`` names the place in the source for error messages
    (``"projects.csv:4"``); ``columns`` maps field names to column numbers for
    ``file:line:column`` messages.

    Example::

        SourceItem(kind="project", remote_id="P-1", data={"name": "Alpha"},
                   where="projects.csv:2")
    """

    kind: str
    remote_id: str
    data: Mapping[str, Any]
    where: str = ""
    columns: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class ConnectorRequest:
    """What a connector's ``read`` or ``write`` function receives.

    ``location`` is the file, directory or URL; ``settings`` is the connector's validated
    settings model (or ``None``); ``progress(done, total)`` reports progress for long work;
    ``items`` is what to write (export only).

    Example::

        def read(request: ConnectorRequest) -> Iterator[SourceItem]:
            with open(request.location, newline="") as f:
                ...
    """

    location: str
    settings: BaseModel | None = None
    progress: Callable[[int, int | None], None] = lambda done, total: None
    items: Iterable[SourceItem] = ()
    options: Mapping[str, Any] = field(default_factory=dict)


class PmoConnector(PmoRecord):
    """A PMIS connector or file format, yielded by :func:`~pmo_core.hookspecs.pmo_connectors`.

    ``read`` yields :class:`SourceItem` objects (the core validates them, upserts them by
    external reference in one transaction, and computes the dry-run diff); ``write`` writes
    the items it is given. ``settings`` is a pydantic model whose fields come from
    ``[settings.<connector>]`` in ``pmo.toml`` or ``PMO_<CONNECTOR>_<FIELD>`` environment
    variables; secrets are read from there and never stored.

    Example::

        PmoConnector(name="tsv", summary="Tab-separated files.",
                     capabilities=frozenset({"read"}), extensions=(".tsv",), read=read_tsv)
    """

    capabilities: frozenset[Capability]
    extensions: tuple[str, ...] = ()
    settings: type[BaseModel] | None = None
    read: Callable[[ConnectorRequest], Iterable[SourceItem]] | None = None
    write: Callable[[ConnectorRequest], None] | None = None

    @model_validator(mode="after")
    def _functions_match_capabilities(self) -> PmoConnector:
        if "read" in self.capabilities and self.read is None:
            raise ValueError(f"connector {self.name!r} declares 'read' but has no read function")
        if "write" in self.capabilities and self.write is None:
            raise ValueError(f"connector {self.name!r} declares 'write' but has no write function")
        return self


# ------------------------------------------------------------------------------ reports


class Metric(_Frozen):
    """A computed figure with its lineage: inputs, formula, thresholds and RAG.

    ``value`` is ``None`` when the formula is undefined (a zero divisor).

    Example::

        Metric(name="spi", value=Decimal("0.92"), formula="EV / PV",
               inputs={"EV": Decimal("92"), "PV": Decimal("100")},
               thresholds={"green": "0.95-1.05", "amber": "0.90-0.95 or 1.05-1.10"},
               rag="amber", source="FEMA program dashboard")
    """

    name: str
    value: Decimal | None
    formula: str
    inputs: Mapping[str, Decimal | str | None] = Field(default_factory=dict)
    thresholds: Mapping[str, str] = Field(default_factory=dict)
    rag: Literal["green", "amber", "red"] | None = None
    unit: str = ""
    source: str = ""


@dataclass(frozen=True)
class ReportRequest:
    """What a report's ``render`` function receives.

    ``view`` reads the workspace (as of ``as_of`` when given); ``scope`` is the entity the
    report is about (``None`` for a PMO-wide report); ``format`` is one of the report's
    formats.

    Example::

        def render(request: ReportRequest) -> ReportOutput:
            projects = list(request.view.projects(under=request.scope.id))
            ...
    """

    view: Any
    scope: Any
    format: str
    as_of: date
    options: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ReportOutput:
    """A rendered report: its content, media type and the metrics it computed.

    Example::

        ReportOutput(content="# Status\\n", media_type="text/markdown", metrics=(spi, cpi))
    """

    content: str | bytes
    media_type: str
    metrics: tuple[Metric, ...] = ()


class PmoReport(PmoRecord):
    """A report, yielded by :func:`~pmo_core.hookspecs.pmo_reports`.

    Example::

        PmoReport(name="risk-heatmap", summary="Risks by probability and impact.",
                  scopes=("project", "portfolio"), formats=("md", "json"), render=render)
    """

    scopes: tuple[ReportScope, ...]
    formats: tuple[str, ...]
    render: Callable[[ReportRequest], ReportOutput]


# --------------------------------------------------------------------------- extensions


class PmoCustomFields(PmoRecord):
    """Typed custom fields, yielded by :func:`~pmo_core.hookspecs.pmo_custom_fields`.

    ``name`` is the namespace: values live in ``entity.custom_fields[name]`` and are
    validated by ``model`` on every write. ``kinds`` says which entities carry them.

    Example::

        class Finance(BaseModel):
            cost_centre: str

        PmoCustomFields(name="acme-finance", kinds=("project",), model=Finance)
    """

    kinds: tuple[ScopeKind, ...] = ("project",)
    model: type[BaseModel]


class PmoCommand(PmoRecord):
    """A CLI command, yielded by :func:`~pmo_core.hookspecs.pmo_cli_commands`.

    The command is mounted as ``pmo <name>``; ``summary`` is what ``pmo --help`` shows.

    Example::

        @click.command()
        def hello() -> None:
            click.echo("hello")

        PmoCommand(name="hello", summary="Say hello.", command=hello)
    """

    command: click.Command


class PmoStorageBackend(PmoRecord):
    """A storage backend, yielded by :func:`~pmo_core.hookspecs.pmo_storage_backends`.

    ``name`` is the URL scheme (``sqlite``, ``memory``, ``postgresql``); ``open(url)`` returns
    an object that satisfies the store protocol.

    Example::

        PmoStorageBackend(name="memory", summary="In-memory store.",
                          open=lambda url: MemoryStore())
    """

    open: Callable[[str], Store]


class PmoSettings(PmoRecord):
    """A plugin's settings, yielded by :func:`~pmo_core.hookspecs.pmo_settings`.

    Values come from ``[settings.<name>]`` in ``pmo.toml`` and ``PMO_<NAME>_<FIELD>``
    environment variables (which win, so secrets never need to be in the file).

    Example::

        class JiraSettings(BaseModel):
            url: str
            token: SecretStr

        PmoSettings(name="jira", model=JiraSettings)
    """

    model: type[BaseModel]


def _rebuild() -> None:
    # RuleContext's forward references resolve once every record class exists.
    for model in (PmoGovernanceRule, PmoGateCriterion, PmoCommand, PmoStorageBackend):
        model.model_rebuild(
            _types_namespace={
                "RuleContext": RuleContext,
                "click": _click_module(),
                "Store": Any,
            }
        )


def _click_module() -> Any:
    import click

    return click


_rebuild()
