"""pmo-kanban: the Kanban method for pmo-core.

A plugin for pmo-core (plugin id ``kanban``). A Kanban team is a project of methodology
``kanban`` whose board (:class:`KanbanFields`, custom fields ``kanban``) lists columns (each
a work-item status, in order, with an optional WIP limit and its explicit policy), the
commitment and delivery points and each item's class of service (expedite, fixed-date,
standard, intangible). Flow metrics (lead and cycle time with their 50th/85th/95th
percentiles, throughput, WIP and WIP age, cumulative flow) are pure functions over a
:class:`~pmo_core.WorkspaceView` reading each item's dated ``transitions``. The rule
``kanban-wip-limit`` makes a column over its limit a governance finding. ``pmo kanban``
shows the board and the flow.

Example::

    import pmo_kanban
    from pmo_core import Workspace

    with Workspace.in_memory(plugins={"kanban": pmo_kanban}, methodology="kanban") as ws:
        ws.create("project", id="OPS", name="Ops")
        pmo_kanban.column_counts(ws.view(), "OPS")  # [('backlog', 0, None), ...]
"""

from __future__ import annotations

from collections.abc import Iterator

from pmo_core import (
    PmoCommand,
    PmoCustomFields,
    PmoGovernanceRule,
    PmoMethodology,
    hookimpl,
)

from ._board import (
    CLASSES,
    DEFAULT_COLUMNS,
    NAMESPACE,
    Column,
    KanbanFields,
    board_items,
    kanban_fields,
)
from ._flow import (
    PERCENTILES,
    CfdDay,
    FlowMetrics,
    ItemFlow,
    WipItem,
    column_counts,
    cumulative_flow,
    flow_metrics,
    flows,
    item_flow,
    percentile,
)
from ._methodology import KANBAN, WIP_LIMIT_RULE, check_wip_limits

__all__ = [
    "CLASSES",
    "DEFAULT_COLUMNS",
    "KANBAN",
    "NAMESPACE",
    "PERCENTILES",
    "WIP_LIMIT_RULE",
    "CfdDay",
    "Column",
    "FlowMetrics",
    "ItemFlow",
    "KanbanFields",
    "WipItem",
    "board_items",
    "check_wip_limits",
    "column_counts",
    "cumulative_flow",
    "flow_metrics",
    "flows",
    "item_flow",
    "kanban_fields",
    "percentile",
    "pmo_cli_commands",
    "pmo_custom_fields",
    "pmo_governance_rules",
    "pmo_methodologies",
]


@hookimpl
def pmo_methodologies() -> Iterator[PmoMethodology]:
    """Register the ``kanban`` methodology.

    Example::

        ws.host.record(PmoMethodology, "kanban").progress_measure  # '0/100'
    """
    yield KANBAN


@hookimpl
def pmo_custom_fields() -> Iterator[PmoCustomFields]:
    """Register the custom fields ``kanban`` of a project: its board (:class:`KanbanFields`).

    Example::

        ws.update("OPS", custom_fields={"kanban": {"columns": [{"status": "todo"},
                                                               {"status": "done"}]}})
    """
    yield PmoCustomFields(name=NAMESPACE, kinds=("project",), model=KanbanFields)


@hookimpl
def pmo_governance_rules() -> Iterator[PmoGovernanceRule]:
    """Register the rule ``kanban-wip-limit``: a column over its WIP limit is a finding.

    Example::

        [f.message for f in ws.check("OPS") if f.rule == "kanban-wip-limit" and not f.passed]
    """
    yield WIP_LIMIT_RULE


@hookimpl
def pmo_cli_commands() -> Iterator[PmoCommand]:
    """Register ``pmo kanban`` (board, set-board, add, class, flow, cfd, template).

    Example::

        $ pmo kanban board OPS
    """
    # click is imported only when the CLI asks for commands, never by `import pmo_kanban`.
    from ._cli import kanban

    yield PmoCommand(
        name="kanban",
        summary="Kanban boards, WIP limits, classes of service and flow metrics.",
        command=kanban,
    )
