"""pmo-hybrid: predictive gates over agile delivery, for pmo-core.

A plugin for pmo-core (plugin id ``hybrid``). The ``hybrid`` methodology has three stages,
``initiation``, ``delivery`` (iterations: sprints inside) and ``closing``, with two gates:
``start-delivery`` (business case and release plan approved, backlog estimated in points,
sponsor and budget) and ``release`` (iterations ran, points delivered, release report
approved). Progress is measured in story points, mapped to each work item's percent
complete, so earned value and roll-ups across methodologies work unchanged.

It adds ``pmo hybrid artifacts``, ``pmo hybrid template ARTIFACT`` and ``pmo hybrid points
PROJECT``, and the ``hybrid`` profile.

Example::

    import pmo_hybrid
    from pmo_core import Workspace

    with Workspace.in_memory(plugins={"hybrid": pmo_hybrid}, methodology="hybrid") as ws:
        ws.create("project", id="APP", name="App")
        ws.gate_check("APP").gate  # 'start-delivery'
"""

from __future__ import annotations

from collections.abc import Iterator

from pmo_core import PmoCommand, PmoMethodology, PmoProfile, hookimpl

from ._methodology import HYBRID, points_done

__all__ = ["HYBRID", "pmo_cli_commands", "pmo_methodologies", "pmo_profiles", "points_done"]


@hookimpl
def pmo_methodologies() -> Iterator[PmoMethodology]:
    """Register the ``hybrid`` methodology.

    Example::

        ws.host.record(PmoMethodology, "hybrid").iterations  # True
    """
    yield HYBRID


@hookimpl
def pmo_cli_commands() -> Iterator[PmoCommand]:
    """Register ``pmo hybrid`` (``artifacts``, ``template``, ``points``).

    Example::

        $ pmo hybrid points APP
    """
    from ._cli import hybrid

    yield PmoCommand(
        name="hybrid",
        summary="Hybrid artifacts, templates and story points per iteration.",
        command=hybrid,
    )


@hookimpl
def pmo_profiles() -> Iterator[PmoProfile]:
    """Register the ``hybrid`` profile: the hybrid methodology under the controlling model,
    with reports and CSV.

    Example::

        $ pmo init acme --profile hybrid
    """
    yield PmoProfile(
        name="hybrid",
        summary="A hybrid PMO: gates funded by the portfolio, agile delivery inside.",
        plugins=("governance", "hybrid", "reports", "csv"),
        governance_model="controlling",
        methodology="hybrid",
        rank=26,
    )
