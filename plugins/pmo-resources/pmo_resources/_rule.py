"""The ``resource-over-allocated`` governance rule: a role a project draws on is asked for more
hours than the pool has (over the threshold of its settings) in a month from the status date."""

from __future__ import annotations

from datetime import date

from pmo_core import Allocation, PmoGovernanceRule, Resource, RuleContext

from ._capacity import ResourceSettings, capacity_demand, counted_allocations, role_of, span


def check_over_allocation(ctx: RuleContext) -> str | None:
    """No role the project draws on is over-allocated in the status date's month or later.

    Example::

        check_over_allocation(ctx)
        # "role 'Developer' over-allocated in 2025-02: demand 200.00 h,
        #  capacity 160.00 h (125.00 %)"
    """
    settings = ctx.settings_as(ResourceSettings) if ctx.settings is not None else ResourceSettings()
    own = [a for a in ctx.view.records(Allocation) if a.project == ctx.entity.id]
    window = span(own)
    if window is None:
        return None  # the project asks for no one
    start = max(window[0], date(ctx.today.year, ctx.today.month, 1))
    if window[1] < start:
        return None  # its allocations are all in the past
    allocations = counted_allocations(ctx.view)
    if ctx.entity.lifecycle == "proposed":
        allocations += own  # checking a proposal: with its own demand
    resources = {r.id: r for r in ctx.view.records(Resource)}
    roles = {role_of(resources[a.resource]) for a in own if a.resource in resources}
    mine = {
        (c.role, c.month)
        for c in capacity_demand(
            ctx.view, start, window[1], allocations=own, project=ctx.entity.id, roles=roles
        )
        if c.demand > 0
    }
    found = [
        f"role {c.role!r} over-allocated in {c.month}: demand {c.demand} h, capacity "
        f"{c.capacity} h" + (f" ({c.utilisation * 100:.2f} %)" if c.utilisation is not None else "")
        for c in capacity_demand(
            ctx.view, start, window[1], settings=settings, allocations=allocations, roles=roles
        )
        if c.state == "over" and (c.role, c.month) in mine
    ]
    return "; ".join(found) or None


OVER_ALLOCATION_RULE = PmoGovernanceRule(
    name="resource-over-allocated",
    summary="No role a project draws on is asked for more hours than the pool has in a month.",
    level="warn",
    scopes=("project",),
    settings=ResourceSettings,
    check=check_over_allocation,
)
"""The ``resource-over-allocated`` rule (own level ``warn``: advice under a supportive model, a
warning under a controlling one, a block under a directive one); its thresholds are a
:class:`ResourceSettings`.

Example::

    OVER_ALLOCATION_RULE.check(ctx)  # "role 'Developer' over-allocated in 2025-02: ..."
"""
