"""pmo-scrum: the Scrum methodology (Scrum Guide 2020) for pmo-core.

A plugin for pmo-core (plugin id ``scrum``). Lifecycle: ``inception`` -> gate
``ready-to-sprint`` -> ``delivery`` (sprints) -> gate ``release`` -> ``closure``; the gates
check data (a product goal, a definition of done, a sized backlog, a planned sprint, no
sprint over 30 days, an increment done). Accountabilities, events with timeboxes and
artifacts with Markdown templates follow the Scrum Guide.

A Scrum project keeps its product goal, definition of done, release and sprints in its
custom fields ``scrum`` (:class:`ScrumFields`); stories are core work items of type
``story`` with ``points`` and ``iteration`` (the sprint). The release is a work item of type
``release`` earning by ``points`` over its child stories, so the core's earned value equals
AgileEVM's (``EV = BAC x done points / release points``). Velocity, burndown, burnup and
AgileEVM are pure functions over a :class:`~pmo_core.WorkspaceView`; ``pmo scrum`` shows
them.

Example::

    import pmo_scrum
    from pmo_core import Workspace

    with Workspace.in_memory(plugins={"scrum": pmo_scrum}, methodology="scrum") as ws:
        ws.create("project", id="APP", name="App", phase="inception", budget="90000 EUR")
        ws.gate_check("APP").reasons()  # ['criterion product-goal (must): ...', ...]
"""

from __future__ import annotations

from collections.abc import Iterator

from pmo_core import PmoCommand, PmoCustomFields, PmoMethodology, PmoProfile, hookimpl

from ._methodology import SCRUM
from ._metrics import (
    AgileEvm,
    BurndownDay,
    BurnupDay,
    SprintVelocity,
    agile_evm,
    average_velocity,
    burndown,
    burnup,
    release_item,
    velocity,
)
from ._model import (
    NAMESPACE,
    ScrumFields,
    Sprint,
    product_backlog,
    scrum_fields,
    sprint_backlog,
    stories,
)

__all__ = [
    "NAMESPACE",
    "SCRUM",
    "AgileEvm",
    "BurndownDay",
    "BurnupDay",
    "ScrumFields",
    "Sprint",
    "SprintVelocity",
    "agile_evm",
    "average_velocity",
    "burndown",
    "burnup",
    "pmo_cli_commands",
    "pmo_custom_fields",
    "pmo_methodologies",
    "pmo_profiles",
    "product_backlog",
    "release_item",
    "scrum_fields",
    "sprint_backlog",
    "stories",
    "velocity",
]


@hookimpl
def pmo_methodologies() -> Iterator[PmoMethodology]:
    """Register the ``scrum`` methodology.

    Example::

        ws.host.record(PmoMethodology, "scrum").gates[0].name  # 'ready-to-sprint'
    """
    yield SCRUM


@hookimpl
def pmo_custom_fields() -> Iterator[PmoCustomFields]:
    """Register the custom fields ``scrum`` of a project (:class:`ScrumFields`).

    Example::

        ws.update("APP", custom_fields={"scrum": {"product_goal": "Self-service sign-up"}})
    """
    yield PmoCustomFields(name=NAMESPACE, kinds=("project",), model=ScrumFields)


@hookimpl
def pmo_cli_commands() -> Iterator[PmoCommand]:
    """Register ``pmo scrum`` (sprints, stories, velocity, burndown, burnup, evm, templates).

    Example::

        $ pmo scrum burndown APP S1
    """
    # click is imported only when the CLI asks for commands, never by `import pmo_scrum`.
    from ._cli import scrum

    yield PmoCommand(
        name="scrum",
        summary="Scrum sprints and stories, velocity, burndown, burnup and AgileEVM.",
        command=scrum,
    )


@hookimpl
def pmo_profiles() -> Iterator[PmoProfile]:
    """Register the ``scrum`` profile: Scrum under the supportive governance model, with
    reports and CSV.

    Example::

        $ pmo init acme --profile scrum
    """
    yield PmoProfile(
        name="scrum",
        summary="A PMO of Scrum teams: Scrum, supportive governance, reports and CSV.",
        plugins=("governance", "scrum", "reports", "csv"),
        governance_model="supportive",
        methodology="scrum",
        rank=15,
    )
