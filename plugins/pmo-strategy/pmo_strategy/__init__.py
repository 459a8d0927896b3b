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

from pmo_core import (
    PmoCommand,
    PmoCustomFields,
    PmoReport,
    PmoScoringModel,
    PmoSettings,
    hookimpl,
)

from ._candidates import (
    SelectionInput,
    parse_budget,
    remaining_capacity,
    selection_input,
    spread,
)
from ._fields import NAMESPACE, StrategyFields, Wsjf, strategy_fields
from ._finance import Irr, irr, npv
from ._models import StrategySettings
from ._scenarios import (
    Comparison,
    Decision,
    Scenario,
    ScenarioResult,
    add_scenario,
    compare_scenarios,
    decide_scenario,
    remove_scenario,
    run_scenario,
    scenario,
    scenarios,
)
from ._scoring import DEFAULT_MODEL, proposal_values
from ._selection import (
    MARGINAL_CELLS,
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
from ._selection_settings import SelectionSettings

__all__ = [
    "DEFAULT_MODEL",
    "MARGINAL_CELLS",
    "NAMESPACE",
    "Candidate",
    "Comparison",
    "Constraint",
    "Decision",
    "FrontierPoint",
    "Irr",
    "Limits",
    "Marginal",
    "Scenario",
    "ScenarioResult",
    "Selection",
    "SelectionInfeasibleError",
    "SelectionInput",
    "SelectionSettings",
    "StrategyFields",
    "StrategySettings",
    "Wsjf",
    "add_scenario",
    "compare_scenarios",
    "decide_scenario",
    "frontier",
    "irr",
    "marginal_value",
    "npv",
    "optimum",
    "parse_budget",
    "pmo_cli_commands",
    "pmo_custom_fields",
    "pmo_reports",
    "pmo_scoring_models",
    "pmo_settings",
    "proposal_values",
    "remaining_capacity",
    "remove_scenario",
    "run_scenario",
    "scenario",
    "scenarios",
    "select",
    "selection_input",
    "spread",
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
def pmo_scoring_models() -> Iterator[PmoScoringModel]:
    """Register the built-in scoring models: ``alignment``, ``weighted``, ``wsjf``, ``npv``,
    ``irr`` and ``risk-adjusted``.

    Example::

        ws.score("npv", ["CRM"])["CRM"].explanation
    """
    from ._models import scoring_models

    yield from scoring_models()


@hookimpl
def pmo_settings() -> Iterator[PmoSettings]:
    """Register ``[settings.strategy]``: criteria weights, discount rate, currency, and the
    defaults of portfolio selection in ``[settings.strategy.selection]``.

    Example::

        ws.settings("strategy").discount_rate  # Decimal('0.08')
    """
    yield PmoSettings(name="strategy", model=StrategySettings)


@hookimpl
def pmo_reports() -> Iterator[PmoReport]:
    """Register the ``strategy-pipeline`` report (objectives tree and ranked pipeline) and the
    ``portfolio-selection`` report (the best selection and the efficient frontier; portfolio
    or program, every format of the report kit).

    Example::

        ws.report("strategy-pipeline", "PF", format="md")
    """
    from ._pipeline_report import pipeline_report
    from ._report import FORMATS, render_selection

    yield pipeline_report()
    yield PmoReport(
        name="portfolio-selection",
        summary="The best selection of proposals under budget and capacity, and the frontier.",
        scopes=("portfolio", "program"),
        formats=FORMATS,
        render=render_selection,
        options={
            "budget": "Budgets per year, YEAR=AMOUNT,... (default: the configured).",
            "model": "The scoring model that values the proposals (default: the configured).",
            "capacity": "Whether role capacity limits the selection: on or off.",
            "points": "Points on the efficient frontier, 2 to 200 (default 11).",
        },
    )


@hookimpl
def pmo_cli_commands() -> Iterator[PmoCommand]:
    """Register ``pmo objective``, ``pmo proposal``, ``pmo scoring-model``, ``pmo selection``
    and ``pmo scenario``.

    Example::

        $ pmo proposal list --under PF --model wsjf
    """
    # click is imported only when the CLI asks for commands, never by `import pmo_strategy`.
    from ._cli_pipeline import objective, proposal, scoring_model
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
        name="scoring-model",
        summary="Scoring models: how proposals are valued and ranked.",
        command=scoring_model,
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
