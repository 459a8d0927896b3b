"""pmo-strategy: strategy and portfolio selection for pmo-core.

A plugin for pmo-core (plugin id ``strategy``). Strategic objectives form a hierarchy under a
portfolio; projects and proposals (projects whose lifecycle is ``proposed``) are aligned to
them with weights. A project's custom fields ``strategy`` (:class:`StrategyFields`) hold what
scoring and selection need: costs by year, cash flows, criteria scores, WSJF inputs, the
probability of success, and whether it is mandatory, depends on or excludes other projects.

Example::

    import pmo_strategy
    from pmo_core import Workspace

    with Workspace.in_memory(plugins={"strategy": pmo_strategy}) as ws:
        ws.create("portfolio", id="PF", name="Acme")
        ws.create("project", id="CRM", name="CRM", parent="PF", lifecycle="proposed",
                  custom_fields={"strategy": {"mandatory": True}})
        pmo_strategy.strategy_fields(ws.view().entity("CRM")).mandatory  # True
"""

from __future__ import annotations

from collections.abc import Iterator

from pmo_core import PmoCommand, PmoCustomFields, hookimpl

from ._fields import NAMESPACE, StrategyFields, Wsjf, strategy_fields
from ._scoring import DEFAULT_MODEL, proposal_values
from ._selection import (
    Candidate,
    Constraint,
    FrontierPoint,
    Limits,
    Marginal,
    Selection,
    SelectionInfeasibleError,
    frontier,
    marginal_value,
    optimum,
    select,
)

__all__ = [
    "DEFAULT_MODEL",
    "Candidate",
    "Constraint",
    "FrontierPoint",
    "Limits",
    "Marginal",
    "Selection",
    "SelectionInfeasibleError",
    "frontier",
    "marginal_value",
    "optimum",
    "select",
    "NAMESPACE",
    "StrategyFields",
    "Wsjf",
    "pmo_cli_commands",
    "pmo_custom_fields",
    "proposal_values",
    "strategy_fields",
]


@hookimpl
def pmo_custom_fields() -> Iterator[PmoCustomFields]:
    """Register the typed custom fields ``strategy`` on projects.

    Example::

        ws.update("CRM", custom_fields={"strategy": {"mandatory": True}})
    """
    yield PmoCustomFields(name=NAMESPACE, kinds=("project",), model=StrategyFields)


@hookimpl
def pmo_cli_commands() -> Iterator[PmoCommand]:
    """Register ``pmo objective``, ``pmo proposal``, ``pmo selection`` and ``pmo scenario``.

    Example::

        $ pmo proposal list --under PF --model wsjf
    """
    # click is imported only when the CLI asks for commands, never by `import pmo_strategy`.
    from ._cli_pipeline import objective, proposal
    from ._cli_selection import scenario, selection

    yield PmoCommand(
        name="objective",
        summary="Strategic objectives: a hierarchy with owners, measures and alignment.",
        command=objective,
    )
    yield PmoCommand(
        name="proposal",
        summary="Proposals: strategy fields, scores and the ranked pipeline.",
        command=proposal,
    )
    yield PmoCommand(
        name="selection",
        summary="Portfolio selection under budget and capacity, and the efficient frontier.",
        command=selection,
    )
    yield PmoCommand(
        name="scenario",
        summary="Named what-if selection scenarios: save, compare side by side, decide.",
        command=scenario,
    )
