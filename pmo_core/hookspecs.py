"""The hook specifications: the single source of truth for what a plugin can do.

Every hook starts with ``pmo_``. **Registration hooks** take no arguments and yield typed,
frozen records (one record type per hook); the host calls every one of them once, the first
time any record is asked for, stamps each record with the plugin's id, rejects name clashes
and sorts the records by name.
**Event hooks** receive batches after the transaction that caused them has committed; they are
never called once per work item.

A plugin is a module (or object) with functions marked :data:`pmo_core.hookimpl` and named
after these specs; it is found through the ``pmo_core.plugins`` entry-point group.
The hook and record references of the SDK docs are made from these declarations.

Example::

    from pmo_core import PmoGovernanceRule, hookimpl

    @hookimpl
    def pmo_governance_rules():
        yield PmoGovernanceRule(name="sponsor-named", check=lambda ctx: None)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, TypeVar

import pluggy

from ._records import (
    PmoCommand,
    PmoConnector,
    PmoCustomFields,
    PmoGovernanceModel,
    PmoGovernanceRule,
    PmoMethodology,
    PmoProfile,
    PmoRecord,
    PmoReport,
    PmoScoringModel,
    PmoSettings,
    PmoStorageBackend,
    PmoStoreKind,
)

if TYPE_CHECKING:
    from ._domain import GateDecision, StatusReport
    from ._events import EntityChange, Escalation
    from ._workspace import Workspace

PROJECT_NAME = "pmo_core"

hookspec = pluggy.HookspecMarker(PROJECT_NAME)

#: Marks a plugin function as the implementation of the hook it is named after.
hookimpl = pluggy.HookimplMarker(PROJECT_NAME)

F = TypeVar("F", bound=Callable[..., object])


@dataclass(frozen=True)
class HookSpec:
    """One hook as declared here: its name, family, kind and (for registration hooks) the
    record type it yields. Everything else about hooks is derived from these.

    Example::

        spec = HOOKS["pmo_reports"]
        spec.family, spec.kind, spec.record  # ('reports', 'registration', PmoReport)
    """

    name: str
    family: str
    kind: Literal["registration", "event"]
    record: type[PmoRecord] | None
    function: Callable[..., object]


#: Every hook, in declaration order (the order the reference documents them in).
HOOKS: dict[str, HookSpec] = {}


def _declare(
    function: F,
    *,
    family: str,
    kind: Literal["registration", "event"],
    record: type[PmoRecord] | None,
) -> F:
    name = function.__name__
    if not name.startswith("pmo_"):
        raise ValueError(f"hook {name!r} must start with 'pmo_'")
    if name in HOOKS:
        raise ValueError(f"hook {name!r} is declared twice")
    if record is not None:
        other = next((h.name for h in HOOKS.values() if h.record is record), None)
        if other is not None:
            raise ValueError(f"{record.__name__} is already the record of {other}")
    HOOKS[name] = HookSpec(name=name, family=family, kind=kind, record=record, function=function)
    marked: F = hookspec(function)
    return marked


def registration(record: type[PmoRecord], *, family: str) -> Callable[[F], F]:
    """Declare a registration hook: it takes no arguments and yields ``record`` objects.

    The host collects it, validates every record against ``record``, and serves the records
    through ``host.records(record)``; the reference pages list it under ``family``.

    Example::

        # not run: it would declare pmo_reports a second time (only pmo-core declares hooks)
        @registration(PmoReport, family="reports")
        def pmo_reports() -> Iterable[PmoReport]:
            \"\"\"Register reports...\"\"\"
            raise NotImplementedError
    """

    def mark(function: F) -> F:
        return _declare(function, family=family, kind="registration", record=record)

    return mark


def event(*, family: str = "events") -> Callable[[F], F]:
    """Declare an event hook: called with a batch after the transaction commits.

    Example::

        # not run: it would declare pmo_status_reported a second time
        @event()
        def pmo_status_reported(workspace: Workspace, reports: Sequence[StatusReport]) -> None:
            \"\"\"Called after status reports are committed...\"\"\"
    """

    def mark(function: F) -> F:
        return _declare(function, family=family, kind="event", record=None)

    return mark


def registration_hooks() -> dict[type[PmoRecord], HookSpec]:
    """The registration hooks by the record type they yield.

    Example::

        registration_hooks()[PmoReport].name  # 'pmo_reports'
    """
    return {spec.record: spec for spec in HOOKS.values() if spec.record is not None}


def families() -> dict[str, tuple[str, ...]]:
    """The hook names of each family, in declaration order.

    Example::

        families()["governance"]  # ('pmo_governance_models', 'pmo_governance_rules')
    """
    out: dict[str, tuple[str, ...]] = {}
    for spec in HOOKS.values():
        out[spec.family] = (*out.get(spec.family, ()), spec.name)
    return out


# ---------------------------------------------------------------------------- governance


@registration(PmoGovernanceModel, family="governance")
def pmo_governance_models() -> Iterable[PmoGovernanceModel]:
    """Register governance models: how hard rules bite, cadences, approvals, tolerances.

    A model is chosen per portfolio, program or project (``governance_model``) and inherited
    down the hierarchy, so a directive portfolio can hold a supportive program.

    Its approval matrix says which roles approve which decision (a gate go, kill, hold,
    a waiver, a change request by size); ``deviations`` and ``change_control`` say whether a
    failing rule only advises or needs a waiver, and whether a baselined budget changes
    freely or through a change request.

    Example::

        from pmo_core import ApprovalRule, PmoGovernanceModel, hookimpl

        @hookimpl
        def pmo_governance_models():
            board = ApprovalRule(roles=("sponsor", "board"), quorum=2, required=("board",))
            yield PmoGovernanceModel(
                name="acme-board",
                summary="Acme's board model: every rule blocks, the board approves gates.",
                default_level="block",
                cadence_days={1: 14, 2: 30, 3: 60},
                approvals={"go": board, "kill": board, "waiver": board},
                change_control="request",
            )
    """
    raise NotImplementedError


@registration(PmoGovernanceRule, family="governance")
def pmo_governance_rules() -> Iterable[PmoGovernanceRule]:
    """Register governance rules, checked by ``pmo gate check`` and ``Workspace.check``.

    A rule's check returns ``None`` when the rule holds, else a message. Its level comes from
    the governance model in force (``advise``, ``warn`` or ``block``); a check that raises is
    reported as a *blocking* finding, never a silent pass.

    Example::

        from pmo_core import PmoGovernanceRule, RuleContext, hookimpl

        def budget_named(ctx: RuleContext) -> str | None:
            if ctx.entity.budget is None:
                return f"project {ctx.entity.id} has no approved budget"
            return None

        @hookimpl
        def pmo_governance_rules():
            yield PmoGovernanceRule(
                name="budget-named",
                summary="Every project has an approved budget.",
                level="warn",
                check=budget_named,
            )
    """
    raise NotImplementedError


# --------------------------------------------------------------------------- methodology


@registration(PmoMethodology, family="methodology")
def pmo_methodologies() -> Iterable[PmoMethodology]:
    """Register methodologies: lifecycle phases, gates with criteria, artifacts, roles, events.

    Example::

        from pmo_core import (
            PmoArtifact, PmoGate, PmoGateCriterion, PmoMethodology, PmoPhase, hookimpl,
        )

        @hookimpl
        def pmo_methodologies():
            yield PmoMethodology(
                name="two-step",
                summary="Plan, then do.",
                phases=(PmoPhase(name="plan"), PmoPhase(name="do")),
                artifacts=(PmoArtifact(name="plan", template="# Plan\\n"),),
                gates=(
                    PmoGate(
                        name="go",
                        leaving="plan",
                        entering="do",
                        criteria=(PmoGateCriterion(name="plan-approved", artifact="plan"),),
                    ),
                ),
            )
    """
    raise NotImplementedError


# ---------------------------------------------------------------------------- connectors


@registration(PmoConnector, family="connectors")
def pmo_connectors() -> Iterable[PmoConnector]:
    """Register connectors: sources and sinks for a PMIS or a file format.

    ``read`` yields :class:`~pmo_core.SourceItem` objects; the core validates them, maps
    external keys to entities, upserts idempotently in one transaction and shows the diff on
    ``--dry-run``. ``write`` receives the items to export.

    Example::

        import json
        from pmo_core import PmoConnector, SourceItem, hookimpl

        def read(request):
            with open(request.location) as f:
                for n, row in enumerate(json.load(f), start=1):
                    yield SourceItem(kind="project", remote_id=row["key"],
                                     data={"name": row["name"]},
                                     where=f"{request.location}:item {n}")

        @hookimpl
        def pmo_connectors():
            yield PmoConnector(name="json-list", summary="A JSON list of projects.",
                               capabilities=frozenset({"read"}), extensions=(".json",),
                               read=read)
    """
    raise NotImplementedError


# ------------------------------------------------------------------------------- reports


@registration(PmoReport, family="reports")
def pmo_reports() -> Iterable[PmoReport]:
    """Register reports over a scope (project, program, portfolio or the whole PMO).

    ``render`` receives a :class:`~pmo_core.ReportRequest` and returns a
    :class:`~pmo_core.ReportOutput`; metrics carry their lineage (inputs, formula,
    thresholds). A report that totals over its scope sums the live projects of
    :func:`~pmo_core.scope_members` (killed, closed and proposed ones stay out), as the
    first-party reports and the tolerances do.

    Example::

        from pmo_core import PmoReport, ReportOutput, hookimpl

        def render(request):
            names = [p.name for p in request.view.projects(under=request.scope.id)]
            return ReportOutput(content="\\n".join(names) + "\\n", media_type="text/plain")

        @hookimpl
        def pmo_reports():
            yield PmoReport(name="project-names", summary="Names of the projects in scope.",
                            scopes=("portfolio", "program"), formats=("txt",),
                            render=render)
    """
    raise NotImplementedError


# ------------------------------------------------------------------------------- scoring


@registration(PmoScoringModel, family="scoring")
def pmo_scoring_models() -> Iterable[PmoScoringModel]:
    """Register scoring models: how proposals are valued, ranked and selected.

    :meth:`Workspace.score <pmo_core.Workspace.score>` calls a model's ``score`` with a
    :class:`~pmo_core.ScoringRequest` and checks what comes back: a
    :class:`~pmo_core.Score` with a finite value for every proposal asked, nothing else. A
    model that raises or answers otherwise is the plugin's error, naming the model and the
    plugin, never a ranking; an :class:`~pmo_core.InvalidInputError` it raises (a value it
    cannot use) is the caller's, with the model named.

    Example::

        from decimal import Decimal
        from pmo_core import PmoScoringModel, Score, hookimpl

        def by_budget(request):
            scores = {}
            for project in request.proposals:
                amount = project.budget.amount if project.budget else Decimal(0)
                scores[project.id] = Score(value=-amount, explanation=f"budget {amount}")
            return scores

        @hookimpl
        def pmo_scoring_models():
            yield PmoScoringModel(name="cheapest", summary="The smallest budget first.",
                                  score=by_budget)
    """
    raise NotImplementedError


# ---------------------------------------------------------------------------- extensions


@registration(PmoCustomFields, family="extensions")
def pmo_custom_fields() -> Iterable[PmoCustomFields]:
    """Register typed custom fields, namespaced by the record's name.

    Values live in ``entity.custom_fields[<name>]`` and are validated by the model on every
    write; an invalid value is refused with the field named.

    Example::

        from pydantic import BaseModel
        from pmo_core import PmoCustomFields, hookimpl

        class Finance(BaseModel):
            cost_centre: str

        @hookimpl
        def pmo_custom_fields():
            yield PmoCustomFields(name="acme-finance", kinds=("project",), model=Finance)
    """
    raise NotImplementedError


@registration(PmoStoreKind, family="extensions")
def pmo_store_kinds() -> Iterable[PmoStoreKind]:
    """Register the kinds of record a plugin keeps in the store itself (not domain records),
    so that a whole-workspace export and import (pmo-json) carries them.

    Example::

        from pydantic import BaseModel
        from pmo_core import PmoStoreKind, hookimpl

        class Template(BaseModel):
            name: str
            body: str

        @hookimpl
        def pmo_store_kinds():
            yield PmoStoreKind(name="acme-template", summary="Acme's templates.",
                               kind="acme_template", model=Template, id_field="name")
    """
    raise NotImplementedError


@registration(PmoCommand, family="extensions")
def pmo_cli_commands() -> Iterable[PmoCommand]:
    """Register CLI commands, mounted as ``pmo <name>``.

    ``pmo --help`` lists them from a cache written when the plugin last loaded, so listing
    them never imports the plugin. A command reaches the workspace of the invocation
    (``pmo -w DIR``) with :func:`~pmo_core.current_workspace`.

    Example::

        import click
        from pmo_core import PmoCommand, current_workspace, hookimpl

        @click.command()
        def hello():
            "Say hello, with the number of projects."
            projects = current_workspace().view().projects()
            click.echo(f"hello from acme: {len(projects)} project(s)")

        @hookimpl
        def pmo_cli_commands():
            yield PmoCommand(name="hello", summary="Say hello.", command=hello)
    """
    raise NotImplementedError


@registration(PmoStorageBackend, family="extensions")
def pmo_storage_backends() -> Iterable[PmoStorageBackend]:
    """Register storage backends, chosen by the URL scheme of ``store`` in ``pmo.toml``.

    The embedded ``sqlite`` and ``memory`` backends are registered through this hook too.

    Example::

        from pmo_core import MemoryStore, PmoStorageBackend, hookimpl

        @hookimpl
        def pmo_storage_backends():
            yield PmoStorageBackend(name="scratch", summary="Throw-away in-memory store.",
                                    open=lambda url: MemoryStore())
    """
    raise NotImplementedError


@registration(PmoSettings, family="extensions")
def pmo_settings() -> Iterable[PmoSettings]:
    """Register a settings model, read from ``[settings.<name>]`` and the environment.

    Example::

        from pydantic import BaseModel
        from pmo_core import PmoSettings, hookimpl

        class AcmeSettings(BaseModel):
            board_email: str = "board@acme.example"

        @hookimpl
        def pmo_settings():
            yield PmoSettings(name="acme", model=AcmeSettings)
    """
    raise NotImplementedError


@registration(PmoProfile, family="extensions")
def pmo_profiles() -> Iterable[PmoProfile]:
    """Register profiles for ``pmo init --profile``: the plugins, governance model and
    methodology a new workspace starts with.

    An organisation grows its PMO by choosing a heavier profile for the next workspace, or
    by enabling plugins one at a time. ``pmo init`` offers the profiles of every installed
    plugin the environment allows; every plugin a profile names must be installed.

    Example::

        from pmo_core import PmoProfile, hookimpl

        @hookimpl
        def pmo_profiles():
            yield PmoProfile(
                name="acme-light",
                summary="Governance advice and status reports, nothing enforced.",
                plugins=("governance", "reports"),
                governance_model="supportive",
            )
    """
    raise NotImplementedError


# -------------------------------------------------------------------------------- events


@event()
def pmo_entities_changed(workspace: Workspace, changes: Sequence[EntityChange]) -> None:
    """Called once per committed transaction with every change it made.

    Example::

        from pmo_core import hookimpl

        @hookimpl
        def pmo_entities_changed(workspace, changes):
            for change in changes:
                print(change.op, change.kind, change.id)
    """


@event()
def pmo_status_reported(workspace: Workspace, reports: Sequence[StatusReport]) -> None:
    """Called after status reports are committed, with the reports of that transaction.

    Example::

        from pmo_core import hookimpl

        @hookimpl
        def pmo_status_reported(workspace, reports):
            red = [r.entity for r in reports if r.overall == "red"]
            if red:
                print("red:", ", ".join(red))
    """


@event()
def pmo_gate_decided(workspace: Workspace, decisions: Sequence[GateDecision]) -> None:
    """Called after gate decisions are committed.

    Example::

        from pmo_core import hookimpl

        @hookimpl
        def pmo_gate_decided(workspace, decisions):
            for d in decisions:
                print(f"{d.entity}: {d.gate} -> {d.decision}")
    """


@event()
def pmo_escalated(workspace: Workspace, escalations: Sequence[Escalation]) -> None:
    """Called after RAID items are escalated to a scope above (``pmo raid escalate``,
    :meth:`Workspace.escalate_raid <pmo_core.Workspace.escalate_raid>`), with every
    :class:`~pmo_core.Escalation` of the transaction: the item as committed, the entity that
    held it, the one that holds it now, the comment, the date and the actor.

    A notification plugin tells the people of the scope that now holds the item; it reads
    whatever else it needs (the entity's sponsor, say) from ``workspace``.

    Example::

        from pmo_core import hookimpl

        @hookimpl
        def pmo_escalated(workspace, escalations):
            for e in escalations:
                sponsor = workspace.get(e.to_entity).sponsor or "the PMO"
                print(f"to {sponsor}: {e.item.type} {e.item.title!r} escalated "
                      f"from {e.from_entity} to {e.to_entity} by {e.actor}: {e.comment}")
    """


@event()
def pmo_plugins_changed(
    workspace: Workspace, enabled: Sequence[str], disabled: Sequence[str]
) -> None:
    """Called after plugins are enabled or disabled in a workspace's ``pmo.toml``.

    Example::

        from pmo_core import hookimpl

        @hookimpl
        def pmo_plugins_changed(workspace, enabled, disabled):
            print("enabled:", enabled, "disabled:", disabled)
    """
