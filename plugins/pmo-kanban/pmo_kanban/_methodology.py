"""The Kanban method record (Anderson; the Kanban Guide for Scrum Teams and the Kanban
University's cadences) and its governance rule: a column over its WIP limit is a finding."""

from __future__ import annotations

from pmo_core import (
    PmoArtifact,
    PmoEvent,
    PmoGovernanceRule,
    PmoMethodology,
    PmoPhase,
    PmoRole,
    RuleContext,
)

from ._board import NAMESPACE, board_items, kanban_fields

BOARD_POLICIES = """\
# Board and policies: <team>

## Services and customers
<Who asks for work, what the team delivers.>

## Columns, WIP limits and policies
| column | WIP limit | enter when | leave when |
|---|---|---|---|
| backlog | - | requested | selected at replenishment |
| ready | 5 | selected at replenishment (commitment point) | pulled by someone free |
| in_progress | 3 | pulled | done by the definition of done |
| review | 2 | ready for review | accepted |
| done | - | delivered (delivery point) | - |

## Classes of service
| class | policy |
|---|---|
| expedite | pulled at once, may exceed a WIP limit; at most one at a time |
| fixed-date | pulled early enough to meet its date |
| standard | first in, first out |
| intangible | pulled when there is slack |

## Service level expectation
<e.g. 85 % of standard items delivered within 10 days of commitment.>
"""

SERVICE_DELIVERY_REVIEW = """\
# Service delivery review: <date>

## Flow since the last review
| metric | value |
|---|---|
| throughput (items per week) | |
| cycle time 50th / 85th / 95th percentile (days) | |
| lead time 85th percentile (days) | |
| WIP now; oldest item's age (days) | |

## Against the service level expectation

## Blockers and WIP-limit breaches

## Policy changes agreed
"""


def check_wip_limits(ctx: RuleContext) -> str | None:
    """No column of the project's board holds more items than its WIP limit on the status
    date (a column at its limit is fine).

    Example::

        check_wip_limits(ctx)  # "column 'in_progress' holds 4 items, over its WIP limit of 3"
    """
    if NAMESPACE not in ctx.entity.custom_fields:
        return None  # no board: nothing to limit
    fields = kanban_fields(ctx.entity)
    counts = dict.fromkeys(fields.statuses, 0)
    for item in board_items(ctx.view, ctx.entity.id):
        status = item.status_on(ctx.today)
        if status in counts:
            counts[status] += 1
    over = [
        f"column {c.status!r} holds {counts[c.status]} items, over its WIP limit of {c.wip_limit}"
        for c in fields.columns
        if c.wip_limit is not None and counts[c.status] > c.wip_limit
    ]
    return "; ".join(over) or None


WIP_LIMIT_RULE = PmoGovernanceRule(
    name="kanban-wip-limit",
    summary="No column of a Kanban board holds more items than its WIP limit.",
    level="warn",
    scopes=("project",),
    check=check_wip_limits,
)
"""The ``kanban-wip-limit`` governance rule (own level ``warn``: advice under a supportive
model, a warning under a controlling one, a block under a directive one).

Example::

    WIP_LIMIT_RULE.check(ctx)  # "column 'dev' holds 4 items, over its WIP limit of 3"
"""

KANBAN = PmoMethodology(
    name="kanban",
    summary="Kanban: visualise work, limit WIP, manage flow; no sprints, no stage gates.",
    phases=(
        PmoPhase(
            name="operating",
            summary="The service runs continuously: work is pulled, not pushed, within limits.",
            artifacts=("board-policies", "service-delivery-review"),
        ),
    ),
    artifacts=(
        PmoArtifact(
            name="board-policies",
            summary="Columns, WIP limits, explicit policies, classes of service, SLE.",
            template=BOARD_POLICIES,
        ),
        PmoArtifact(
            name="service-delivery-review",
            summary="Flow against the service level expectation; policy changes.",
            template=SERVICE_DELIVERY_REVIEW,
        ),
    ),
    roles=(
        PmoRole(
            name="service-delivery-manager",
            summary="Keeps work flowing: runs the daily kanban and delivery reviews.",
        ),
        PmoRole(
            name="service-request-manager",
            summary="Understands customers' needs; orders and selects work at replenishment.",
        ),
    ),
    events=(
        PmoEvent(
            name="replenishment",
            summary="Select work from the backlog into the commitment point.",
            cadence_days=7,
            timebox_hours=1,
        ),
        PmoEvent(
            name="daily-kanban",
            summary="Walk the board right to left: blockers, ageing items, WIP limits.",
            cadence_days=1,
            timebox_hours=0.25,
        ),
        PmoEvent(
            name="service-delivery-review",
            summary="Review flow metrics against the service level expectation.",
            cadence_days=14,
            timebox_hours=1,
        ),
    ),
    iterations=False,
    progress_measure="0/100",
    tailoring={
        "earned-value": (
            "Work items earn 0/100: an item earns its budget when it is done (100 % "
            "complete), which 'pmo work move ITEM done' (the delivery point 'done') reports. "
            "EV = sum of the budgets of the items delivered."
        ),
        "board": "Columns, WIP limits, commitment and delivery points are the team's own.",
        "gates": "None: a Kanban service runs continuously; governance reads its flow.",
    },
)
"""The ``kanban`` methodology record.

Example::

    KANBAN.progress_measure  # '0/100'
"""
