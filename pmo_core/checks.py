"""Gate-criterion checks that any methodology can use, so plugins do not write them again.

Each takes the :class:`~pmo_core.RuleContext` a gate criterion's ``check`` receives and
returns ``None`` when the entity meets it, else the reason it does not, naming the entity.
Methodology plugins (stage-gate, PRINCE2, hybrid) build their criteria from these and add
their own.

Example::

    from pmo_core import PmoGateCriterion
    from pmo_core.checks import check_baseline_exists, check_budget_set

    criteria = (
        PmoGateCriterion(name="budget-set", summary="The budget is set.",
                         check=check_budget_set),
        PmoGateCriterion(name="baseline-exists", summary="Baseline 0 is taken.",
                         check=check_baseline_exists),
    )
"""

from __future__ import annotations

from ._records.governance import RuleContext

__all__ = [
    "check_baseline_exists",
    "check_budget_set",
    "check_high_risks_owned",
    "check_sponsor_named",
    "entity_label",
]


def entity_label(ctx: RuleContext) -> str:
    """How a check names the entity it checks: its kind and key.

    Example::

        entity_label(ctx)  # 'project ALPHA'
    """
    return f"{ctx.entity.kind} {ctx.entity.id}"


def check_sponsor_named(ctx: RuleContext) -> str | None:
    """The entity names a sponsor (the executive who owns the business case); a name of
    blanks is none.

    Example::

        check_sponsor_named(ctx)  # 'project ALPHA names no sponsor'
    """
    if (ctx.entity.sponsor or "").strip():
        return None
    return f"{entity_label(ctx)} names no sponsor"


def check_budget_set(ctx: RuleContext) -> str | None:
    """The entity has a positive budget (its BAC); zero is no budget to spend.

    Example::

        check_budget_set(ctx)  # 'project ALPHA has no budget'
    """
    budget = ctx.entity.budget
    if budget is None:
        return f"{entity_label(ctx)} has no budget"
    if budget.amount <= 0:
        return f"{entity_label(ctx)} has a budget of {budget}; it must be positive"
    return None


def check_baseline_exists(ctx: RuleContext) -> str | None:
    """The entity has at least one baseline (scope, schedule and cost frozen), so variance
    and tolerances can be measured.

    Example::

        check_baseline_exists(ctx)  # 'project ALPHA has no baseline; take baseline 0'
    """
    if ctx.view.baselines(ctx.entity.id):
        return None
    return f"{entity_label(ctx)} has no baseline; take baseline 0"


def check_high_risks_owned(ctx: RuleContext) -> str | None:
    """Every open high risk of the entity (:attr:`RaidItem.is_high
    <pmo_core.RaidItem.is_high>`: score 15 or more, or impact 5) has an owner.

    Example::

        check_high_risks_owned(ctx)  # "project ALPHA has high risks without an owner: 'x'"
    """
    unowned = [
        r.title
        for r in ctx.view.raid(ctx.entity.id, type="risk", open_only=True)
        if r.is_high and not r.owned_by.strip()
    ]
    if not unowned:
        return None
    return f"{entity_label(ctx)} has high risks without an owner: " + ", ".join(map(repr, unowned))
