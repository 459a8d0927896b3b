"""pmo-prince2: the PRINCE2 methodology for pmo-core.

A plugin for pmo-core (plugin id ``prince2``). Stages: ``pre-project`` (starting up),
``initiation``, then as many delivery stages as the project plans (``delivery-1`` ..
``delivery-9``; the project's ``prince2.delivery_stages`` field says how many, and the last is
the final stage, which ends with closing the project). Each stage boundary is a gate the
project board authorises: ``authorise-initiation``, ``authorise-project`` and
``end-stage-N``, each with must criteria (approved management products, the board named, the
next stage in the plan, no unanswered exception) and should criteria.

It registers the ``prince2`` governance model (the project board: the executive and one more
board member authorise a stage; tolerances escalate to the executive), the ``prince2``
profile, the ``prince2-highlight`` report (a highlight report from the project's data) and
``pmo prince2`` (``artifacts``, ``template``, ``stages``, ``tolerances show|set``,
``highlight-due``).

Example::

    import pmo_prince2
    from pmo_core import Workspace

    with Workspace.in_memory(plugins={"prince2": pmo_prince2}, methodology="prince2",
                             governance_model="prince2") as ws:
        ws.create("project", id="ALPHA", name="Alpha")
        ws.gate_check("ALPHA").reasons()
        # ["criterion project-brief (must): artifact 'project-brief' is not approved", ...]
"""

from __future__ import annotations

from collections.abc import Iterator

from pmo_core import (
    PmoCommand,
    PmoCustomFields,
    PmoGovernanceModel,
    PmoMethodology,
    PmoProfile,
    PmoReport,
    hookimpl,
)

from ._board import PROJECT_BOARD
from ._highlight import HIGHLIGHT_DAYS, HighlightDue, highlight_data, highlight_due
from ._methodology import (
    BOARD_ROLES,
    MAX_DELIVERY_STAGES,
    PRINCE2,
    Prince2Fields,
    board_members,
    planned_stages,
    prince2_methodology,
    stage_number,
)

__all__ = [
    "BOARD_ROLES",
    "HIGHLIGHT_DAYS",
    "MAX_DELIVERY_STAGES",
    "PRINCE2",
    "PROJECT_BOARD",
    "HighlightDue",
    "Prince2Fields",
    "board_members",
    "highlight_data",
    "highlight_due",
    "planned_stages",
    "pmo_cli_commands",
    "pmo_custom_fields",
    "pmo_governance_models",
    "pmo_methodologies",
    "pmo_profiles",
    "pmo_reports",
    "prince2_methodology",
    "stage_number",
]


@hookimpl
def pmo_methodologies() -> Iterator[PmoMethodology]:
    """Register the ``prince2`` methodology.

    Example::

        ws.host.record(PmoMethodology, "prince2").gates[1].name  # 'authorise-project'
    """
    yield PRINCE2


@hookimpl
def pmo_governance_models() -> Iterator[PmoGovernanceModel]:
    """Register the ``prince2`` governance model (the project board).

    Example::

        ws.host.record(PmoGovernanceModel, "prince2").escalate_to  # 'executive'
    """
    yield PROJECT_BOARD


@hookimpl
def pmo_custom_fields() -> Iterator[PmoCustomFields]:
    """Register the ``prince2`` custom fields of a project (``delivery_stages``).

    Example::

        $ pmo project update ALPHA --field prince2.delivery_stages=3
    """
    yield PmoCustomFields(
        name="prince2",
        summary="PRINCE2 stage plan: how many delivery stages the project plans.",
        kinds=("project",),
        model=Prince2Fields,
    )


@hookimpl
def pmo_reports() -> Iterator[PmoReport]:
    """Register ``prince2-highlight``, a highlight report from a project's own data.

    Example::

        $ pmo report prince2-highlight ALPHA --format json
    """
    from ._highlight import render_highlight

    yield PmoReport(
        name="prince2-highlight",
        summary=(
            "PRINCE2 highlight report of a project: stage, products, tolerances, EVM, RAID "
            "changes and the next period (--option days=N, default 14)."
        ),
        scopes=("project",),
        formats=("md", "json"),
        render=render_highlight,
        options={"days": "The period the report covers, 1 to 366 days (default 14)."},
    )


@hookimpl
def pmo_cli_commands() -> Iterator[PmoCommand]:
    """Register ``pmo prince2`` (``artifacts``, ``template``, ``stages``, ``tolerances``,
    ``highlight-due``).

    Example::

        $ pmo prince2 template business-case > business-case.md
    """
    # click is imported only when the CLI asks for commands, never by `import pmo_prince2`.
    from ._cli import prince2

    yield PmoCommand(
        name="prince2",
        summary="PRINCE2 products, stage plans, tolerances and highlight reports.",
        command=prince2,
    )


@hookimpl
def pmo_profiles() -> Iterator[PmoProfile]:
    """Register the ``prince2`` profile: PRINCE2 under the project board model, with the
    governance rules (tolerances), reports and CSV.

    Example::

        $ pmo init acme --profile prince2
    """
    yield PmoProfile(
        name="prince2",
        summary="A PRINCE2 PMO: the project board authorises stages; management by exception.",
        plugins=("governance", "prince2", "reports", "csv"),
        governance_model="prince2",
        methodology="prince2",
        rank=25,
    )
