"""pmo-governance: the supportive, controlling and directive governance models, and their rules.

A plugin for pmo-core (plugin id ``governance``). Models are chosen per portfolio, program or
project (``governance_model``) and inherited down the hierarchy, so a directive portfolio can
hold a supportive program. Rules:

- ``sponsor-and-business-case``: leaving initiation needs a sponsor and an approved business case;
- ``status-cadence``: status reported at least as often as the model's cadence for the tier;
- ``baseline-before-execution``: a baseline exists before an execution phase;
- ``high-risks-owned``: every open high risk has an owner (what is high is set per workspace
  and per scope: :class:`HighRiskSettings`);
- ``tolerance-forecast``: the forecast stays within the tolerances (time, cost, scope, risk, at
  project and program level) the model sets, or the rule's settings set over it;
- ``phase-reached-by-gate``: a phase after the methodology's first was entered by a ``go`` gate
  decision, not set directly;
- ``methodology-tailored``: each tailoring of the methodology (a skipped artifact or should
  criterion, a merged phase) is noted under supportive, warns under controlling and blocks under
  directive (tailoring there needs a waiver);
- ``changes-approved``: a baselined project's budget and planned finish are its latest
  baseline's, unless an approved change request proposed them (advice under supportive, where
  changes are recorded and flagged; a warning under controlling; a block under directive).
- ``reported-colours-honest``: the latest status report colours no dimension better than the
  figures of its day, unless it overrides the colour with a reason (a warning under
  controlling and directive alike);
- ``reported-colours-overridden``: such an override is noted, with its reason (advice).

It offers the ``starter`` profile for ``pmo init`` (supportive governance, reports and CSV:
the lightest PMO). It also adds ``pmo governance models``, which lists the models and each
rule's level per model, and ``pmo governance check [ENTITY]``, which lists the rules that fail
outside a gate.

Example::

    import pmo_governance
    from pmo_core import Workspace

    with Workspace.in_memory(plugins={"governance": pmo_governance},
                             governance_model="controlling") as ws:
        ws.create("project", id="ALPHA", name="Alpha", phase="development")
        [f.message for f in ws.check("ALPHA") if f.blocking]
        # ["project ALPHA is in execution phase 'development' but has no baseline; ..."]
"""

from __future__ import annotations

from collections.abc import Iterator

from pmo_core import PmoCommand, PmoGovernanceModel, PmoGovernanceRule, PmoProfile, hookimpl

from ._models import CONTROLLING, DIRECTIVE, MODELS, SUPPORTIVE
from ._rules import (
    EXECUTION_PHASES,
    EXECUTION_TAILORING_KEY,
    INITIATION_PHASES,
    RULES,
    HighRiskSettings,
    is_execution,
    is_initiation,
)

__all__ = [
    "CONTROLLING",
    "DIRECTIVE",
    "EXECUTION_PHASES",
    "EXECUTION_TAILORING_KEY",
    "INITIATION_PHASES",
    "MODELS",
    "RULES",
    "SUPPORTIVE",
    "HighRiskSettings",
    "is_execution",
    "is_initiation",
    "pmo_cli_commands",
    "pmo_governance_models",
    "pmo_governance_rules",
    "pmo_profiles",
]


@hookimpl
def pmo_governance_models() -> Iterator[PmoGovernanceModel]:
    """Register the ``supportive``, ``controlling`` and ``directive`` models.

    Example::

        ws.host.record(PmoGovernanceModel, "directive").approval_rule("go").quorum  # 2
    """
    yield from MODELS


@hookimpl
def pmo_governance_rules() -> Iterator[PmoGovernanceRule]:
    """Register the compliance rules (see the module docstring).

    Example::

        [r.name for r in ws.host.records(PmoGovernanceRule)]
    """
    yield from RULES


@hookimpl
def pmo_cli_commands() -> Iterator[PmoCommand]:
    """Register ``pmo governance`` (subcommands ``models`` and ``check``).

    Example::

        $ pmo governance models --json
        $ pmo governance check --min-level warn
    """
    # click is imported only when the CLI asks for commands, never by `import pmo_governance`.
    from ._cli import governance

    yield PmoCommand(
        name="governance",
        summary="Governance models, rule levels per model, and rule findings.",
        command=governance,
    )


@hookimpl
def pmo_profiles() -> Iterator[PmoProfile]:
    """Register the ``starter`` profile: supportive governance, reports and CSV.

    Example::

        $ pmo init acme --profile starter
    """
    yield PmoProfile(
        name="starter",
        summary="A supportive PMO: every rule advises; status reports, RAID, reports, CSV.",
        plugins=("governance", "reports", "csv"),
        governance_model="supportive",
        rank=10,
    )
