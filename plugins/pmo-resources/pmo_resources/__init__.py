"""pmo-resources: resource management for pmo-core.

A plugin for pmo-core (plugin id ``resources``). The resource pool is the core's
:class:`~pmo_core.Resource` records (people and role placeholders with skills, effective-dated
rates, availability as a share of full time and holidays) and their
:class:`~pmo_core.Allocation` s to projects. Capacity against demand by role and month
(:func:`capacity_demand`, by role or by person), what a proposed allocation would do
(:func:`what_if`) and what the demand costs at each day's rate (:func:`demand_costs`) are pure
functions over a :class:`~pmo_core.WorkspaceView`. The rule ``resource-over-allocated`` makes a
role a project draws on, over its threshold in a month, a governance finding; the ``capacity``
report shows the role x month heat map in Markdown, JSON, HTML, CSV and XLSX.
:func:`update_resource` changes a resource and :func:`remove_resource` removes one (with its
allocations only when forced). :func:`allocate_from_plan` derives a project's allocations from
its work items (assignee, dates, work hours) and :func:`labour_to_budget` writes its labour
cost per month as budget lines of nature labour; both replace only what they derived
before. ``pmo resource`` (add, list, show, update, remove, capacity, cost, what-if) and
``pmo allocate`` work the pool from the command line.

Example::

    from datetime import date

    import pmo_resources
    from pmo_core import Allocation, Resource, Workspace

    with Workspace.in_memory(plugins={"resources": pmo_resources}) as ws:
        ws.create("project", id="ALPHA", name="Alpha")
        kim = ws.add(Resource(name="Kim Lee", role="Developer"))
        ws.add(Allocation(resource=kim.id, project="ALPHA", start=date(2025, 1, 1),
                          finish=date(2025, 1, 31), percent=50))
        pmo_resources.capacity_demand(ws.view(), date(2025, 1, 1), date(2025, 1, 31))
        # [CapacityCell(role='Developer', month='2025-01', capacity=Decimal('184.00'),
        #               demand=Decimal('92.00'), state='ok')]
"""

from __future__ import annotations

from collections.abc import Iterator

from pmo_core import (
    PmoCommand,
    PmoGovernanceRule,
    PmoReport,
    PmoSettings,
    ReportOutput,
    ReportRequest,
    hookimpl,
)

from ._capacity import (
    CapacityCell,
    DemandCost,
    ResourceSettings,
    WhatIfCell,
    allocation_hours,
    capacity_demand,
    counted_allocations,
    demand_costs,
    month_end,
    months,
    parse_month,
    resource_hours,
    role_of,
    span,
    what_if,
    working_days,
)
from ._plan import (
    LABOUR_PREFIX,
    PLAN_PREFIX,
    LabourBudget,
    PlanDemand,
    Unplaced,
    Written,
    allocate_from_plan,
    is_from_plan,
    is_labour_line,
    labour_budget,
    labour_line_id,
    labour_to_budget,
    match_assignee,
    plan_allocation_id,
    plan_demand,
)
from ._pool import (
    UPDATABLE,
    Removed,
    allocations_of,
    find_resource,
    remove_resource,
    update_resource,
)
from ._rule import OVER_ALLOCATION_RULE, check_over_allocation

__all__ = [
    "FORMATS",
    "LABOUR_PREFIX",
    "OVER_ALLOCATION_RULE",
    "PLAN_PREFIX",
    "UPDATABLE",
    "CapacityCell",
    "DemandCost",
    "LabourBudget",
    "PlanDemand",
    "Removed",
    "ResourceSettings",
    "Unplaced",
    "WhatIfCell",
    "Written",
    "allocate_from_plan",
    "allocation_hours",
    "allocations_of",
    "capacity_demand",
    "check_over_allocation",
    "counted_allocations",
    "demand_costs",
    "find_resource",
    "is_from_plan",
    "is_labour_line",
    "labour_budget",
    "labour_line_id",
    "labour_to_budget",
    "match_assignee",
    "month_end",
    "months",
    "parse_month",
    "plan_allocation_id",
    "plan_demand",
    "pmo_cli_commands",
    "pmo_governance_rules",
    "pmo_reports",
    "pmo_settings",
    "remove_resource",
    "render_capacity",
    "resource_hours",
    "role_of",
    "span",
    "update_resource",
    "what_if",
    "working_days",
]


#: The formats of the ``capacity`` report: every format of the report kit.
FORMATS = ("md", "json", "html", "csv", "xlsx")


def render_capacity(request: ReportRequest) -> ReportOutput:
    """Render the ``capacity`` report (PMO-wide: resources belong to no entity).

    The report kit (pmo-reports) is imported on the first render, not with the plugin, so a
    gate check or ``pmo --help`` stays light.

    Example::

        ws.report("capacity", None, format="md").content  # '# Capacity ...'
    """
    from ._report import render_capacity as render

    return render(request)


@hookimpl
def pmo_settings() -> Iterator[PmoSettings]:
    """Register ``[settings.resources]``: the utilisation thresholds of the capacity command
    and report (:class:`ResourceSettings`).

    Example::

        ws.settings("resources").over_allocated_above  # Decimal('1')
    """
    yield PmoSettings(name="resources", model=ResourceSettings)


@hookimpl
def pmo_governance_rules() -> Iterator[PmoGovernanceRule]:
    """Register the rule ``resource-over-allocated``.

    Example::

        [f.message for f in ws.check("ALPHA") if f.rule == "resource-over-allocated"]
    """
    yield OVER_ALLOCATION_RULE


@hookimpl
def pmo_reports() -> Iterator[PmoReport]:
    """Register the ``capacity`` report (PMO-wide, every format of the report kit).

    Example::

        ws.report("capacity", None, format="md").content
    """
    yield PmoReport(
        name="capacity",
        summary="Capacity against demand by role and month: a utilisation heat map.",
        scopes=("pmo",),
        formats=FORMATS,
        render=render_capacity,
        options={
            "from": "The first month, YYYY-MM (default: the first allocated).",
            "to": "The last month, YYYY-MM (default: the last allocated).",
            "over_allocated_above": "Demand over capacity above which a role is over (default 1).",
            "under_used_below": "Demand over capacity below which a role is under (default 0.5).",
        },
    )


@hookimpl
def pmo_cli_commands() -> Iterator[PmoCommand]:
    """Register ``pmo resource`` (add, list, show, update, remove, capacity, cost, what-if)
    and ``pmo allocate`` (by hand, or ``--from-plan PROJECT``).

    Example::

        $ pmo resource capacity --from 2025-01 --to 2025-06
    """
    # click is imported only when the CLI asks for commands, never by `import pmo_resources`.
    from ._cli import allocate, resource

    yield PmoCommand(
        name="resource",
        summary="The resource pool, capacity against demand, what-if.",
        command=resource,
    )
    yield PmoCommand(name="allocate", summary="Allocate a resource to a project.", command=allocate)
